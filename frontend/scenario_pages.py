"""The scenario library and editor pages. Instructors only: anyone else gets the 404 page, so a
participant cannot even learn which scripts exist beyond the published titles the drills show."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import require_instructor
from config.errors import Forbidden, Invalid, NotFound
from config.texts import translated_issues
from frontend.views import not_found
from scenarios import selectors, services
from scenarios.formats_api import workbook_upload
from scenarios.textgen import RTL_LANGUAGES, text_direction
from scenarios.validation import MAX_DOCUMENT_BYTES

# Scenarios per page of the library: an organization may hold a thousand, and a page of them all took 200 ms to
# render (bench/pages.py); the search finds the others.
LIBRARY_PAGE_SIZE = 100
MSG_TOO_LARGE = gettext_noop("The file is larger than 1 MiB; scenarios must be smaller.")
MSG_NO_FILE = gettext_noop("Choose a YAML, JSON or .xlsx file to import.")

# What a new scenario starts from: small, valid, and showing each kind of line an author needs.
NEW_SCENARIO_TEMPLATE = """\
format: crisisdrill/v1
title: New scenario
language: en
description: What goes wrong, in a sentence or two.
brand: {name: Example Co, handle: "@example"}
duration: 30m
seed: 1
response_sla: 10m
approval_chain:
  - {role: drafter}
  - {role: reviewer, sla: 2m}
personas:
  - key: customer
    kind: customer
    name: "{faker.name}"
    handle: "@{faker.user_name}"
    followers: 500
injects:
  - key: first-post
    at: 1m
    platform: x
    persona: customer
    text: "Is {brand.name} down? Nothing works for me."
    severity: 2
    requires_response: true
"""


def instructors_only(view):
    """Signed-in instructors see the page; everyone else the 404 page, as for a page that is not there."""

    @login_required
    @wraps(view)
    def page(request, *args, **kwargs):
        try:
            require_instructor(request.user)
            return view(request, *args, **kwargs)
        except (Forbidden, NotFound):
            return not_found(request)

    return page


@require_GET
@instructors_only
def library(request):
    return _library_page(request)


@require_POST
@instructors_only
def scenario_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        return _library_page(request, import_errors=[{"path": "file", "message": _(MSG_NO_FILE)}], status=400)
    if upload.size > MAX_DOCUMENT_BYTES:
        return _library_page(request, import_errors=[{"path": "file", "message": _(MSG_TOO_LARGE)}], status=413)
    try:
        workbook = workbook_upload(request)
        if workbook is not None:
            scenario = services.scenario_import_workbook(by=request.user, data=workbook)
        else:
            document, source = services.source_load(text=upload.read())
            scenario = services.scenario_create(by=request.user, document=document, source=source)
    except Invalid as exc:
        errors = translated_issues(exc.errors)
        return _library_page(request, import_errors=errors, import_name=upload.name, status=400)
    return HttpResponseRedirect(f"/scenarios/{scenario.pk}/")


@require_GET
@instructors_only
def scenario_new(request):
    return _editor_page(request, scenario=None, text=NEW_SCENARIO_TEMPLATE)


@require_GET
@instructors_only
def scenario_edit(request, scenario_id: int):
    scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
    return _editor_page(request, scenario=scenario, text=scenario.source)


def _library_page(request, *, import_errors=(), import_name: str = "", status: int = 200):
    query = request.GET.get("q", "").strip()
    language = request.GET.get("language", "").strip()
    scenarios = selectors.scenarios_for_user(user=request.user, query=query, language=language)
    languages = selectors.scenarios_for_user(user=request.user).order_by().values_list("language", flat=True)
    shown = Paginator(scenarios, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "scenarios": [_row(scenario) for scenario in shown],
        "shown": shown,
        "search": urlencode({key: value for key, value in (("q", query), ("language", language)) if value}),
        "languages": sorted(set(languages.distinct())),
        "query": query,
        "language": language,
        "import_errors": import_errors,
        "import_cells": any(error.get("cell") for error in import_errors),
        "import_name": import_name,
        "max_bytes": MAX_DOCUMENT_BYTES,
    }
    return render(request, "frontend/scenarios/library.html", context, status=status)


def _row(scenario) -> dict:
    return {"scenario": scenario, "direction": text_direction(scenario.language)}


def _editor_page(request, *, scenario, text: str):
    context = {
        "scenario": scenario,
        "text": text,
        # The page's text area holds "\n" only: the script gives a CRLF source its line endings back on save.
        "line_ending": "crlf" if "\r\n" in text else "lf",
        "direction": text_direction(scenario.language if scenario else "en"),
        "versions": selectors.versions_of(scenario=scenario) if scenario else [],
        "rtl_languages": " ".join(sorted(RTL_LANGUAGES)),
        "messages_json": _editor_messages(),
    }
    return render(request, "frontend/scenarios/editor.html", context)


def _editor_messages() -> dict:
    """The editor script's words, in the page's language ({n}, {line}, {version} filled in by the script)."""
    return {
        "valid": _("Valid"),
        "checking": _("Checking…"),
        "errors_one": _("1 error"),
        "errors_other": _("{n} errors"),
        "warnings_one": _("1 warning"),
        "warnings_other": _("{n} warnings"),
        "no_issues": _("No errors or warnings."),
        "line": _("line {line}"),
        "document": _("document"),
        "too_large": _("The document is larger than 1 MiB."),
        "offline": _("Could not reach the server; your text is kept here."),
        "stale": _("The document has errors: this is the last valid timeline."),
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "unsaved": _("Unsaved changes"),
        "save_failed": _("Not saved: fix the errors listed."),
        "published": _("Published version {version}"),
        "already_published": _("Version {version} already holds this document"),
        "publish_failed": _("Not published: fix the errors and save first."),
        "leave": _("You have unsaved changes."),
        "posts_one": _("1 post"),
        "posts_other": _("{n} posts"),
        "replies_one": _("1 needs a reply"),
        "replies_other": _("{n} need a reply"),
        "burst": _("burst of {n}"),
        "show": _("Show all"),
        "hide": _("Hide"),
        "reply_by": _("by {time}"),
        "no_reply": _("—"),
        "empty_timeline": _("No timed injects yet."),
        "timeline_waits": _("The timeline appears once the document is valid."),
        "signed_out": _("You are signed out: sign in again in another tab, then keep typing."),
        "when_unanswered": _("{time} after {key} if still unanswered"),
        "when_answered": _("{time} after the first reply to {key}"),
        "when_heat": _("when heat rises above {n}"),
        "when_backlash": _("{time} after the first backlash"),
        "signal": _("signal"),
        "signal_title": _("An early warning the team should flag (only instructors see this mark)"),
        # A reply is required: the validation message "required" (a key is missing) reads differently.
        "reply_required": pgettext("a reply", "required"),
    }


urlpatterns = [
    path("scenarios/", library, name="scenario-library"),
    path("scenarios/import/", scenario_import, name="scenario-import"),
    path("scenarios/new/", scenario_new, name="scenario-new"),
    path("scenarios/<int:scenario_id>/", scenario_edit, name="scenario-edit"),
]
