"""Operations on the scenario library. Nothing invalid is ever saved."""

import hashlib
import json

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_noop

from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid
from scenarios.models import Scenario, ScenarioVersion
from scenarios.validation import DocumentError, Result, load_document, validate
from scenarios.workbook import WorkbookError, document_from_workbook

MSG_INVALID_SCENARIO = gettext_noop("The scenario has errors.")
MSG_SCENARIO_IN_USE = gettext_noop("This scenario has drills; it cannot be deleted.")
MSG_NOT_A_MAPPING = gettext_noop("expected a mapping")
MSG_INVALID_WORKBOOK = gettext_noop("The workbook has errors.")


def document_load(*, text: str | bytes, fmt: str = "auto") -> dict:
    """Reads YAML or JSON text; refusals (syntax, anchors, duplicate keys, size) become `Invalid`."""
    try:
        return load_document(text, fmt=fmt)
    except DocumentError as exc:
        raise Invalid(MSG_INVALID_SCENARIO, errors=[issue.as_dict() for issue in exc.errors]) from None


def document_check(document) -> Result:
    """Validates a document and raises `Invalid` with every error; returns the result for its warnings."""
    if not isinstance(document, dict):
        raise Invalid(MSG_INVALID_SCENARIO, errors=[{"path": "", "message": MSG_NOT_A_MAPPING}])
    result = validate(document)
    if result.errors:
        raise Invalid(MSG_INVALID_SCENARIO, errors=[issue.as_dict() for issue in result.errors])
    return result


def checksum_of(document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def scenario_create(*, by, document: dict) -> Scenario:
    organization = require_instructor(by).organization
    result = document_check(document)
    spec = result.scenario
    return Scenario.objects.create(
        organization=organization, title=spec.title, language=spec.language, spec=document, created_by=by
    )


@transaction.atomic
def scenario_update(*, by, scenario: Scenario, document: dict) -> Scenario:
    require_instructor(by)
    spec = document_check(document).scenario
    scenario.title, scenario.language, scenario.spec = spec.title, spec.language, document
    scenario.save(update_fields=["title", "language", "spec", "updated_at"])
    return scenario


@transaction.atomic
def scenario_delete(*, by, scenario: Scenario) -> None:
    require_instructor(by)
    try:
        scenario.delete()
    except ProtectedError:
        raise Conflict(MSG_SCENARIO_IN_USE) from None


@transaction.atomic
def scenario_publish(*, by, scenario: Scenario) -> tuple[ScenarioVersion, bool]:
    """Freezes the current document as a new version, unless the latest version already holds it."""
    require_instructor(by)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    document_check(scenario.spec)
    checksum = checksum_of(scenario.spec)
    latest = scenario.versions.order_by("-number").first()
    if latest is not None and latest.checksum == checksum:
        return latest, False
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        organization=scenario.organization,
        number=(latest.number + 1) if latest else 1,
        title=scenario.title,
        language=scenario.language,
        spec=scenario.spec,
        checksum=checksum,
        published_by=by,
    )
    return version, True


@transaction.atomic
def scenario_import_workbook(*, by, data: bytes) -> Scenario:
    """A new scenario from an .xlsx workbook (PROTOCOL 1.7); `Invalid` names each error's path and `cell`."""
    require_instructor(by)
    try:
        read = document_from_workbook(data)
    except WorkbookError as exc:
        raise Invalid(MSG_INVALID_WORKBOOK, errors=exc.errors) from None
    try:
        return scenario_create(by=by, document=read.document)
    except Invalid as exc:
        raise Invalid(MSG_INVALID_WORKBOOK, errors=read.located(exc.errors)) from None
