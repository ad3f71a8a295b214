"""Reads of drills. One rule (`_access`) decides who may see a drill, for REST, pages and websocket alike."""

from django.db.models import QuerySet

from accounts.models import Role, shown_name
from accounts.selectors import membership_of
from config.errors import NotFound
from drills import rows
from drills.models import Drill, Response, Seat, TeamMessage

OBSERVER_SEAT = "observer"
MAX_LISTED_DRILLS = 200  # the newest drills a list shows (the list page and GET /api/drills/)


def _access(user) -> tuple[int, int | None]:
    """The access rule, for every read of drills: (organization id, seated user id). An instructor sees every
    drill of their organization (no seat needed: None); anybody else only the drills they hold a seat in."""
    membership = membership_of(user)
    return membership.organization_id, None if membership.role == Role.INSTRUCTOR else user.pk


def drill_for_user(*, user, drill_id) -> Drill:
    """The drill if `_access` lets the caller see it; else 404.

    Read with plain SQL (its version without the document, not its organization): every socket connect and
    most API calls start here, and the ORM's compiling of this query was most of its cost."""
    organization_id, seated_user_id = _access(user)
    try:
        drill_id = int(drill_id)
    except (ValueError, TypeError):
        raise NotFound() from None
    if not 0 < drill_id < 2**63:  # what the id column can hold
        raise NotFound()
    drill = rows.drill_read(drill_id, organization_id=organization_id, seated_user_id=seated_user_id)
    if drill is None:
        raise NotFound()
    return drill


def drills_for_user(*, user) -> QuerySet[Drill]:
    """Every drill `_access` lets the caller see, newest first."""
    organization_id, seated_user_id = _access(user)
    # The version's document and text are never shown in a list: not read (its title and checksum are).
    drills = Drill.objects.filter(organization_id=organization_id).select_related("version")
    drills = drills.defer("version__spec", "version__source")
    if seated_user_id is not None:
        drills = drills.filter(seats__user_id=seated_user_id).distinct()
    return drills.order_by("-created_at", "-id")


def is_instructor(*, user, drill: Drill) -> bool:
    """Whether the caller sees `drill` as its organization's instructor (not through a seat)."""
    return _access(user) == (drill.organization_id, None)


def roles_of(*, drill: Drill, user) -> list[str]:
    """The user's seat roles in the drill; an organization observer never acts, whatever the seat."""
    return _acting_roles(list(Seat.objects.filter(drill=drill, user=user).values_list("role", flat=True)), user)


def roles_in_seats(*, seats: list[dict], user) -> list[str]:
    """roles_of, from the list seats_of returned (no other read)."""
    return _acting_roles([seat["role"] for seat in seats if seat["user"] == user.pk], user)


def _acting_roles(roles: list[str], user) -> list[str]:
    if membership_of(user).role == Role.OBSERVER:
        return [OBSERVER_SEAT] if roles else []
    return roles


def seats_of(*, drill: Drill) -> list[dict]:
    # Plain SQL: every socket connect reads the seats for its hello, and the ORM's compiling was most of it.
    return [_seat(*row) for row in rows.seat_rows(drill.pk)]


def seats_of_drills(*, drill_ids: list[int]) -> dict[int, list[dict]]:
    """seats_of for many drills in one query (a list of drills would otherwise read each drill's seats apart)."""
    seats: dict[int, list[dict]] = {drill_id: [] for drill_id in drill_ids}
    names = ("user__username", "user__display_name", "user__first_name", "user__last_name")
    found = (
        Seat.objects.filter(drill_id__in=drill_ids).order_by("id").values_list("drill_id", "user_id", "role", *names)
    )
    for drill_id, *row in found:
        seats[drill_id].append(_seat(*row))
    return seats


def _seat(user_id: int, role: str, username: str, display: str, first: str, last: str) -> dict:
    return {
        "user": user_id,
        "username": username,
        "display_name": shown_name(display, first, last, username),
        "role": role,
    }


def responses_of(*, drill: Drill) -> QuerySet[Response]:
    return Response.objects.filter(drill=drill).select_related("author").prefetch_related("reply_to").order_by("id")


def response_in_drill(*, drill: Drill, response_id) -> Response:
    try:
        return Response.objects.select_related("author").get(drill=drill, pk=response_id)
    except (Response.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def messages_of(*, drill: Drill) -> QuerySet[TeamMessage]:
    return TeamMessage.objects.filter(drill=drill).order_by("event_seq")
