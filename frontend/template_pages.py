"""The crisis kit pages: every member reads the organization's templates; instructors create, edit, duplicate,
delete, import and export them. Forms post to the same services as the API, so the same checks and paths hold."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import membership_of
from config.errors import Forbidden, Invalid, NotFound
from config.texts import translated, translated_issues
from frontend.scenario_pages import instructors_only
from frontend.views import not_found
from kit import selectors, services
from kit.limits import MAX_KIT_BYTES, MAX_TAG_CHARS, MAX_TEMPLATE_CHARS, MAX_TEMPLATE_NAME_CHARS, MSG_KIT_TOO_LARGE
from kit.models import TemplateKind
from kit.text import PLACEHOLDERS, placeholder_spans, slot_spans
from scenarios.spec import PLATFORMS
from scenarios.textgen import text_direction

MSG_NO_FILE = gettext_noop("Choose a YAML or JSON kit file to import.")
FIELDS = ("name", "kind", "language", "platforms", "tags", "text")


def members_only(view):
    """Signed-in members of an organization see the page; anyone else the 404 page."""

    @login_required
    def page(request, *args, **kwargs):
        try:
            membership_of(request.user)
            return view(request, *args, **kwargs)
        except (Forbidden, NotFound):
            return not_found(request)

    return page


@require_GET
@members_only
def template_library(request):
    return _library_page(request)


@require_POST
@instructors_only
def template_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        return _library_page(request, import_errors=[{"path": "file", "message": _(MSG_NO_FILE)}], status=400)
    if upload.size > MAX_KIT_BYTES:
        return _library_page(request, import_errors=[{"path": "file", "message": _(MSG_KIT_TOO_LARGE)}], status=413)
    try:
        document = services.kit_load(text=upload.read(), max_bytes=MAX_KIT_BYTES)
        created, updated = services.kit_import(by=request.user, document=document)
    except Invalid as exc:
        errors = translated_issues(exc.errors)
        return _library_page(request, import_errors=errors, import_name=upload.name, status=400)
    messages.success(request, _imported_message(len(created), len(updated)))
    return HttpResponseRedirect(reverse("template-library"))


def _imported_message(created: int, updated: int) -> str:
    added = ngettext("%(n)d template added", "%(n)d templates added", created) % {"n": created}
    changed = ngettext("%(n)d updated", "%(n)d updated", updated) % {"n": updated}
    return _("Imported: %(added)s, %(changed)s.") % {"added": added, "changed": changed}


@require_http_methods(["GET", "POST"])
@instructors_only
def template_new(request):
    if request.method == "GET":
        return _form_page(request, template=None, values=_blank_values())
    values = _posted_values(request.POST)
    try:
        services.template_create(by=request.user, data=values)
    except Invalid as exc:
        return _form_page(request, template=None, values=values, error=exc, status=400)
    messages.success(request, _("Template saved."))
    return HttpResponseRedirect(reverse("template-library"))


@require_http_methods(["GET", "POST"])
@instructors_only
def template_edit(request, template_id: int):
    template = selectors.template_for_user(user=request.user, template_id=template_id)
    if request.method == "GET":
        return _form_page(request, template=template, values=services.template_fields(template))
    values = _posted_values(request.POST)
    try:
        services.template_update(by=request.user, template=template, data=values)
    except Invalid as exc:
        return _form_page(request, template=template, values=values, error=exc, status=400)
    messages.success(request, _("Template saved."))
    return HttpResponseRedirect(reverse("template-library"))


@require_POST
@instructors_only
def template_duplicate(request, template_id: int):
    template = selectors.template_for_user(user=request.user, template_id=template_id)
    try:
        copy = services.template_duplicate(by=request.user, template=template)
    except Invalid as exc:
        messages.error(request, translated(exc.message))
        return HttpResponseRedirect(reverse("template-library"))
    return HttpResponseRedirect(reverse("template-edit", args=[copy.pk]))


@require_POST
@instructors_only
def template_delete(request, template_id: int):
    template = selectors.template_for_user(user=request.user, template_id=template_id)
    name = template.name
    services.template_delete(by=request.user, template=template)
    messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
    return HttpResponseRedirect(reverse("template-library"))


def _library_page(request, *, import_errors=(), import_name: str = "", status: int = 200):
    search = {key: request.GET.get(key, "").strip() for key in ("kind", "language", "platform", "tag", "q")}
    everything = selectors.templates_for_user(user=request.user)
    found = selectors.templates_for_user(
        user=request.user,
        kind=search["kind"] if search["kind"] in TemplateKind.values else "",
        language=search["language"],
        platform=search["platform"] if search["platform"] in PLATFORMS else "",
        tag=search["tag"],
        query=search["q"],
    )
    context = {
        "templates": [_card(template) for template in found],
        "total": len(everything),
        "search": search,
        "searching": any(search.values()),
        "kinds": TemplateKind.choices,
        "platforms": PLATFORMS,
        "languages": sorted({t.language for t in everything}),
        "tags": sorted({tag for t in everything for tag in t.tags}),
        "can_write": membership_of(request.user).role == Role.INSTRUCTOR,
        "import_errors": import_errors,
        "import_name": import_name,
        "max_bytes": MAX_KIT_BYTES,
    }
    return render(request, "frontend/templates/library.html", context, status=status)


def _card(template) -> dict:
    return {
        "template": template,
        "direction": text_direction(template.language),
        "segments": text_segments(template.text),
    }


def text_segments(text: str) -> list[tuple[str, str]]:
    """The text cut into (part, kind) pairs, kind "slot", "placeholder" or "": a page marks the slots and isolates
    the placeholders (left-to-right code inside a Hebrew sentence) without writing any HTML itself."""
    marks = sorted(
        [(*span, "slot") for span in slot_spans(text)] + [(*span, "placeholder") for span in placeholder_spans(text)]
    )
    segments, position = [], 0
    for start, end, kind in marks:
        if start < position:  # a `{name}` written inside a slot's label stays part of the slot
            continue
        if start > position:
            segments.append((text[position:start], ""))
        segments.append((text[start:end], kind))
        position = end
    if position < len(text):
        segments.append((text[position:], ""))
    return segments


def _blank_values() -> dict:
    return {"name": "", "kind": TemplateKind.HOLDING, "language": "", "platforms": [], "tags": [], "text": ""}


def _posted_values(post) -> dict:
    """The form as a template body: tags written "a, b", text with the browser's CRLF made plain newlines."""
    return {
        "name": post.get("name", "").strip(),
        "kind": post.get("kind", ""),
        "language": post.get("language", "").strip(),
        "platforms": post.getlist("platforms"),
        "tags": [tag.strip() for tag in post.get("tags", "").split(",") if tag.strip()],
        "text": post.get("text", "").replace("\r\n", "\n").strip(),
    }


def _form_page(request, *, template, values: dict, error: Invalid | None = None, status: int = 200):
    issues = translated_issues(error.errors) if error else []
    by_field = {}
    for issue in issues:
        by_field.setdefault(_field_of(issue["path"]), []).append(issue["message"])
    context = {
        "template": template,
        "values": {**values, "tags": ", ".join(values["tags"])},
        "issues": issues,
        "field_errors": {name: by_field.get(name, []) for name in FIELDS},
        "kinds": TemplateKind.choices,
        "platforms": PLATFORMS,
        "placeholders": ["{" + name + "}" for name in PLACEHOLDERS],
        "direction": text_direction(values["language"] or "en"),
        "max_name": MAX_TEMPLATE_NAME_CHARS,
        "max_text": MAX_TEMPLATE_CHARS,
        "max_tag": MAX_TAG_CHARS,
    }
    return render(request, "frontend/templates/form.html", context, status=status)


def _field_of(path: str) -> str:
    """`tags[2]` -> `tags`; a path that is no field (the 500 limit) stays with the form as a whole."""
    name = path.split("[", 1)[0].split(".", 1)[0]
    return name if name in FIELDS else ""


urlpatterns = [
    path("templates/", template_library, name="template-library"),
    path("templates/import/", template_import, name="template-import"),
    path("templates/new/", template_new, name="template-new"),
    path("templates/<int:template_id>/", template_edit, name="template-edit"),
    path("templates/<int:template_id>/duplicate/", template_duplicate, name="template-duplicate"),
    path("templates/<int:template_id>/delete/", template_delete, name="template-delete"),
]
