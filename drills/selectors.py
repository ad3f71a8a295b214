"""Reads of drills. One rule (`_access`) decides who may see a drill, for REST, pages and websocket alike."""

from django.db.models import QuerySet

from accounts.models import Role, shown_name
from accounts.selectors import membership_of
from config.errors import NotFound
from drills import rows
from drills.models import Drill, Response, Seat, TeamMessage

OBSERVER_SEAT = "observer"


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
    drills = Drill.objects.filter(organization_id=organization_id).select_related("version")
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
    return [
        {
            "user": user_id,
            "username": username,
            "display_name": shown_name(display, first, last, username),
            "role": role,
        }
        for user_id, role, username, display, first, last in rows.seat_rows(drill.pk)
    ]


def responses_of(*, drill: Drill) -> QuerySet[Response]:
    return Response.objects.filter(drill=drill).select_related("author").prefetch_related("reply_to").order_by("id")


def response_in_drill(*, drill: Drill, response_id) -> Response:
    try:
        return Response.objects.select_related("author").get(drill=drill, pk=response_id)
    except (Response.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def messages_of(*, drill: Drill) -> QuerySet[TeamMessage]:
    return TeamMessage.objects.filter(drill=drill).order_by("event_seq")
