"""Drill pages: the list of the caller's drills with the instructor's "New drill" form, and the live room.

Thin views: reads go through selectors, the drill is created by `drills.services.drill_create`. The room
itself is an ES module speaking the websocket protocol (frontend/static/frontend/js/drill-room.js).
"""

import math
import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.selectors import members_for_user, membership_of, teams_for_user
from config.errors import DomainError, NotFound
from config.limits import MAX_TITLE_CHARS, MSG_TITLE_TOO_LONG
from config.texts import translated
from drills import services
from drills.models import DrillStatus
from drills.selectors import OBSERVER_SEAT, drill_for_user, drills_for_user, is_instructor, roles_of
from frontend.views import not_found
from scenarios.selectors import latest_versions_for_user, version_scenario_and_plan
from scenarios.textgen import text_direction

MSG_UNKNOWN_SCENARIO = gettext_noop("Choose one of the published scenarios.")
MSG_SPEED_NUMBER = gettext_noop("Speed is a number, such as 1, 10 or 0.5.")
INDEXED_PATH = re.compile(r"^(?P<field>seats|bots)\[(?P<index>\d+)\]")
ACTIVE = (DrillStatus.LOBBY, DrillStatus.RUNNING, DrillStatus.PAUSED)
FILTERS = {"active": ACTIVE, "finished": (DrillStatus.FINISHED,)}
# Drills per page of the list: 200 rows took 35 ms to render (bench/pages.py), and people open the newest.
DRILLS_PAGE_SIZE = 50


# ---- the list and the "New drill" form ------------------------------------------------------------------


def _published_scenarios(user) -> list[dict]:
    """Published scenarios with their chain roles: the form offers only the roles of the chosen one.

    Read in one query, the roles from the stored document's chain (a valid document: each step has its role),
    not by parsing every document: a library holds a thousand scenarios."""
    return [
        {
            "id": version["scenario_id"],
            "title": version["title"],
            "language": version["language"],
            "version": version["number"],
            "roles": [step["role"] for step in version["chain"]],
        }
        for version in latest_versions_for_user(user=user)
    ]


def _teams(user) -> list[dict]:
    return [{"id": t.pk, "name": t.name, "members": [u.pk for u in t.members.all()]} for t in teams_for_user(user=user)]


def _list_filter(request) -> str:
    if request.GET.get("finished") == "1":
        return "finished"
    return request.GET.get("status", "") if request.GET.get("status") in FILTERS else ""


def _drill_rows(user, status_filter: str, page) -> tuple[list[dict], Page]:
    """One page of the caller's drills (newest first) as the list shows them, and the page itself."""
    drills = drills_for_user(user=user).prefetch_related("seats")
    if status_filter:
        drills = drills.filter(status__in=FILTERS[status_filter])
    shown = Paginator(drills, DRILLS_PAGE_SIZE).get_page(page)
    rows = []
    for drill in shown:
        seats = list(drill.seats.all())
        mine = [s.role for s in seats if s.user_id == user.pk]
        rows.append({"drill": drill, "seat_count": len({s.user_id for s in seats}), "my_roles": mine})
    return rows, shown


def _number(value: str, kind):
    try:
        number = kind(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _form_input(post, members) -> tuple[dict, list[dict]]:
    """The form as drill_create's arguments, and the errors of fields that are not even the right type.

    Ranges, seats and bots are left to the service, which reports all of their mistakes at once.
    """
    seats = [{"user": m.user_id, "role": post[f"seat-{m.user_id}"]} for m in members if post.get(f"seat-{m.user_id}")]
    scenario = post.get("scenario", "").strip()
    data = {
        "scenario": _number(scenario, int) if scenario else None,
        "speed": _number(post.get("speed", "").strip() or "1", float),
        "seats": seats,
        "bots": post.getlist("bots"),
        "title": post.get("title", "").strip(),
    }
    errors = []
    if scenario and data["scenario"] is None:
        errors.append({"path": "scenario", "message": MSG_UNKNOWN_SCENARIO})
    if data["speed"] is None:
        errors.append({"path": "speed", "message": MSG_SPEED_NUMBER})
    if len(data["title"]) > MAX_TITLE_CHARS:
        errors.append({"path": "title", "message": MSG_TITLE_TOO_LONG})
    return data, errors


def _create(user, data: dict):
    """(drill, []) or (None, errors): every mistake with its path, as the REST API reports them."""
    try:
        return services.drill_create(by=user, **data), []
    except NotFound:  # the only lookup drill_create makes is the scenario's
        return None, [{"path": "scenario", "message": MSG_UNKNOWN_SCENARIO}]
    except DomainError as exc:
        return None, exc.errors or [{"path": "", "message": exc.message}]


def _with_labels(errors: list[dict], data: dict, names: dict) -> list[dict]:
    """`seats[2].role` or `bots[0]` mean little on a form: name the member or the role the error is about.

    Messages are said in the page language, the form's own and the services' alike.
    """
    shown = []
    for error in errors:
        label = ""
        if match := INDEXED_PATH.match(error["path"]):
            items, index = data[match["field"]], int(match["index"])
            item = items[index] if index < len(items) else None
            label = names.get(item["user"], "") if match["field"] == "seats" and item else (item or "")
        shown.append({**error, "label": label, "message": translated(error["message"])})
    return shown


def _form_context(request, post=None, errors=()) -> dict:
    members = list(members_for_user(user=request.user))
    scenarios = _published_scenarios(request.user)
    chosen = post.get("scenario") if post else None
    current = next((s for s in scenarios if str(s["id"]) == chosen), scenarios[0] if scenarios else None)
    seat_roles = {m.user_id: post.get(f"seat-{m.user_id}", "") for m in members} if post else {}
    return {
        "members": [{"member": m, "seat": seat_roles.get(m.user_id, "")} for m in members],
        "scenarios": scenarios,
        "current": current,
        "teams": _teams(request.user),
        "form": {
            "title": post.get("title", "") if post else "",
            "speed": post.get("speed", "1") if post else "1",
            "bots": post.getlist("bots") if post else [],
        },
        "errors": errors,
        "observer_seat": OBSERVER_SEAT,
    }


def _create_from_form(request):
    members = list(members_for_user(user=request.user))
    data, errors = _form_input(request.POST, members)
    drill, errors = _create(request.user, data) if not errors else (None, errors)
    names = {m.user_id: m.user.username for m in members}
    return drill, _with_labels(errors, data, names)


@login_required
@require_http_methods(["GET", "POST"])
def drill_list(request):
    try:
        instructor = membership_of(request.user).role == Role.INSTRUCTOR
    except DomainError:
        return not_found(request)
    post = request.POST if request.method == "POST" else None
    if post is not None and not instructor:
        return not_found(request)
    errors = []
    if post is not None:
        drill, errors = _create_from_form(request)
        if drill is not None:
            return HttpResponseRedirect(f"/drills/{drill.pk}/")
    status_filter = _list_filter(request)
    rows, shown = _drill_rows(request.user, status_filter, request.GET.get("page"))
    search = urlencode({"status": status_filter} if status_filter else {})
    context = {"rows": rows, "shown": shown, "search": search, "filter": status_filter, "instructor": instructor}
    if instructor:
        context |= _form_context(request, post, errors)
    return render(request, "frontend/drills/list.html", context, status=400 if errors else 200)


# ---- the room -------------------------------------------------------------------------------------------

PLATFORM_LABELS = [  # the feed's filter and the manual inject form, in the order of scenarios.spec.PLATFORMS
    ("x", "X"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("tiktok", "TikTok"),
    ("linkedin", "LinkedIn"),
    ("news", gettext_lazy("News")),
    ("email", gettext_lazy("E-mail")),
    ("internal", gettext_lazy("Internal")),
]


@login_required
@require_GET
def drill_room(request, drill_id: int):
    try:
        drill = drill_for_user(user=request.user, drill_id=drill_id)
    except DomainError:  # other organizations, unseated participants, people without an organization
        return not_found(request)
    roles = roles_of(drill=drill, user=request.user)
    scenario = version_scenario_and_plan(drill.version)[0]
    chain = scenario.roles
    instructor = is_instructor(user=request.user, drill=drill)
    # The evaluation panel is for instructors and observer seats only (PROTOCOL.md 1.6).
    evaluator = instructor or OBSERVER_SEAT in roles
    context = {
        "drill": drill,
        "instructor": instructor,
        "evaluator": evaluator,
        "tasks": scenario.evaluation if evaluator else (),
        "drafts": chain[0] in roles,
        "decides": any(role in chain[1:] for role in roles),
        "observer": roles == [OBSERVER_SEAT],
        "platforms": PLATFORM_LABELS,
        # A Hebrew post that opens with "@handle" would read left to right under dir="auto".
        "post_direction": text_direction(drill.version.language),
    }
    return render(request, "frontend/drills/room.html", context)


urlpatterns = [
    path("drills/", drill_list, name="drill-list"),
    path("drills/<int:drill_id>/", drill_room, name="drill-room"),
]
