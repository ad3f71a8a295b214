"""Operations on the crisis kit. Instructors write; nothing invalid is saved, and a kit file is imported whole or
not at all. The organization's row is locked while its templates are counted, so two writers never pass 500."""

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from accounts.models import Organization
from accounts.selectors import require_instructor
from config.errors import Invalid
from kit.limits import MAX_TEMPLATE_NAME_CHARS, MAX_TEMPLATES, MSG_TOO_MANY_TEMPLATES
from kit.models import ResponseTemplate
from kit.validation import TemplateData, check_kit, check_template, kit_document
from scenarios.validation import DocumentError, load_document

MSG_INVALID_TEMPLATE = gettext_noop("The template has errors.")
MSG_INVALID_KIT = gettext_noop("The kit file has errors; nothing was imported.")
MSG_NAME_TAKEN = gettext_noop("another template already has this name")
# The name a duplicate gets, in the language of the person duplicating.
MSG_COPY_NAME = gettext_noop("{name} (copy)")
MSG_COPY_NAME_NUMBERED = gettext_noop("{name} (copy {n})")


def kit_load(*, text: str | bytes, fmt: str = "auto", max_bytes: int) -> object:
    """Reads a kit file with the scenario documents' rules (no anchors, tags or duplicate keys)."""
    try:
        return load_document(text, fmt=fmt, max_bytes=max_bytes)
    except DocumentError as exc:
        raise Invalid(MSG_INVALID_KIT, errors=[issue.as_dict() for issue in exc.errors]) from None


def template_checked(data: object) -> TemplateData:
    template, issues = check_template(data)
    if issues:
        raise Invalid(MSG_INVALID_TEMPLATE, errors=[issue.as_dict() for issue in issues])
    return template


def _locked_organization(by) -> Organization:
    organization = require_instructor(by).organization
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _require_room(organization: Organization, adding: int) -> None:
    if ResponseTemplate.objects.filter(organization=organization).count() + adding > MAX_TEMPLATES:
        raise Invalid(MSG_TOO_MANY_TEMPLATES, errors=[{"path": "", "message": MSG_TOO_MANY_TEMPLATES}])


def _require_free_name(organization: Organization, name: str, *, template: ResponseTemplate | None = None) -> None:
    taken = ResponseTemplate.objects.filter(organization=organization, name=name)
    if template is not None:
        taken = taken.exclude(pk=template.pk)
    if taken.exists():
        raise Invalid(MSG_INVALID_TEMPLATE, errors=[{"path": "name", "message": MSG_NAME_TAKEN}])


@transaction.atomic
def template_create(*, by, data: object) -> ResponseTemplate:
    organization = _locked_organization(by)
    template = template_checked(data)
    _require_free_name(organization, template.name)
    _require_room(organization, 1)
    return ResponseTemplate.objects.create(organization=organization, created_by=by, **template.as_dict())


@transaction.atomic
def template_update(*, by, template: ResponseTemplate, data: object, partial: bool = False) -> ResponseTemplate:
    """PUT replaces every field; PATCH (`partial`) changes the keys given and checks the whole result."""
    organization = _locked_organization(by)
    if partial and isinstance(data, dict):
        data = {**template_fields(template), **data}
    checked = template_checked(data)
    _require_free_name(organization, checked.name, template=template)
    for name, value in checked.as_dict().items():
        setattr(template, name, value)
    template.save()
    return template


@transaction.atomic
def template_delete(*, by, template: ResponseTemplate) -> None:
    require_instructor(by)
    template.delete()


@transaction.atomic
def template_duplicate(*, by, template: ResponseTemplate) -> ResponseTemplate:
    organization = _locked_organization(by)
    _require_room(organization, 1)
    taken = set(ResponseTemplate.objects.filter(organization=organization).values_list("name", flat=True))
    fields = {**template_fields(template), "name": _copy_name(template.name, taken)}
    return ResponseTemplate.objects.create(organization=organization, created_by=by, **fields)


def _copy_name(name: str, taken: set[str]) -> str:
    """ "Apology (copy)", then "Apology (copy 2)"...: the first free one, the original cut to fit 200 characters."""
    n = 1
    while True:
        pattern = gettext(MSG_COPY_NAME) if n == 1 else gettext(MSG_COPY_NAME_NUMBERED)
        room = MAX_TEMPLATE_NAME_CHARS - len(pattern.format(name="", n=n))
        candidate = pattern.format(name=name[:room].rstrip(), n=n)
        if candidate not in taken:
            return candidate
        n += 1


@transaction.atomic
def kit_import(*, by, document: object) -> tuple[list[ResponseTemplate], list[ResponseTemplate]]:
    """Every template of a kit file, or none: a name the library has is updated, the others created.

    Returns (created, updated). Importing the same file twice changes nothing the second time.
    """
    organization = _locked_organization(by)
    templates, issues = check_kit(document)
    if issues:
        raise Invalid(MSG_INVALID_KIT, errors=[issue.as_dict() for issue in issues])
    existing = {t.name: t for t in ResponseTemplate.objects.filter(organization=organization)}
    _require_room(organization, sum(1 for t in templates if t.name not in existing))
    created, updated = [], []
    for template in templates:
        current = existing.get(template.name)
        if current is None:
            fields = template.as_dict()
            created.append(ResponseTemplate.objects.create(organization=organization, created_by=by, **fields))
        elif template_fields(current) != template.as_dict():
            for name, value in template.as_dict().items():
                setattr(current, name, value)
            current.save()
            updated.append(current)
    return created, updated


def kit_export(*, templates: list[ResponseTemplate]) -> dict:
    """The kit file of `templates` (a library's): import(export) gives the same library."""
    return kit_document([TemplateData(**template_fields(t)) for t in templates])


def template_fields(template: ResponseTemplate) -> dict:
    return {
        "name": template.name,
        "kind": template.kind,
        "language": template.language,
        "platforms": list(template.platforms),
        "tags": list(template.tags),
        "text": template.text,
    }
