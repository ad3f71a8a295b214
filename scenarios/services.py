"""Operations on the scenario library. Nothing invalid is ever saved."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_noop

from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid
from scenarios.locate import located
from scenarios.models import Scenario, ScenarioVersion
from scenarios.source import checksum_of, generated_source, source_text
from scenarios.validation import MAX_DOCUMENT_BYTES, DocumentError, Result, load_document, validate
from scenarios.workbook import WorkbookError, document_from_workbook

MSG_INVALID_SCENARIO = gettext_noop("The scenario has errors.")
MSG_SCENARIO_IN_USE = gettext_noop("This scenario has drills; it cannot be deleted.")
MSG_NOT_A_MAPPING = gettext_noop("expected a mapping")
MSG_INVALID_WORKBOOK = gettext_noop("The workbook has errors.")


def document_load(*, text: str | bytes, fmt: str = "auto") -> dict:
    """Reads YAML or JSON text; refusals (syntax, anchors, duplicate keys, size) become `Invalid`."""
    return source_load(text=text, fmt=fmt)[0]


def source_load(*, text: str | bytes, fmt: str = "auto") -> tuple[dict, str]:
    """The document and its author's text (PROTOCOL 1.7); refusals carry their line and column in that text."""
    try:
        document = load_document(text, fmt=fmt)
    except DocumentError as exc:
        errors = [issue.as_dict() for issue in exc.errors]
        readable = _readable(text)
        raise Invalid(MSG_INVALID_SCENARIO, errors=errors if readable is None else located(errors, readable)) from None
    return document, source_text(text)


def _readable(text: str | bytes) -> str | None:
    """The text a refusal can be located in: None when it is not UTF-8 or over the limit (never read further)."""
    size = len(text) if isinstance(text, bytes | bytearray) else len(text.encode("utf-8", errors="replace"))
    if size > MAX_DOCUMENT_BYTES:
        return None
    try:
        return source_text(text)
    except UnicodeDecodeError:
        return None


def document_check(document, *, source: str | None = None) -> Result:
    """Validates a document and raises `Invalid` with every error (located in `source`, the author's text, when
    given); returns the result for its warnings."""
    if not isinstance(document, dict):
        raise Invalid(MSG_INVALID_SCENARIO, errors=[{"path": "", "message": MSG_NOT_A_MAPPING}])
    result = validate(document)
    if result.errors:
        errors = [issue.as_dict() for issue in result.errors]
        raise Invalid(MSG_INVALID_SCENARIO, errors=located(errors, source) if source is not None else errors)
    return result


@transaction.atomic
def scenario_create(*, by, document: dict, source: str | None = None) -> Scenario:
    """A new scenario; `source` is the author's text `document` was read from (None: an object, given a
    generated text)."""
    organization = require_instructor(by).organization
    spec = document_check(document, source=source).scenario
    return Scenario.objects.create(
        organization=organization,
        title=spec.title,
        language=spec.language,
        spec=document,
        source=generated_source(document) if source is None else source,
        created_by=by,
    )


@transaction.atomic
def scenario_update(*, by, scenario: Scenario, document: dict, source: str | None = None) -> Scenario:
    require_instructor(by)
    spec = document_check(document, source=source).scenario
    scenario.title, scenario.language, scenario.spec = spec.title, spec.language, document
    scenario.source = generated_source(document) if source is None else source
    scenario.save(update_fields=["title", "language", "spec", "source", "updated_at"])
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
    """Freezes the current document and its author's text as a new version, unless the latest version already
    holds both."""
    require_instructor(by)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    document_check(scenario.spec)
    checksum = checksum_of(scenario.spec, scenario.source)
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
        source=scenario.source,
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
