"""Reads about people, always scoped to the caller's organization."""

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from accounts.models import Membership, Role, Team, User
from config.errors import Forbidden, NotFound

MSG_NO_ORGANIZATION = gettext_noop("You do not belong to an organization.")
MSG_INSTRUCTORS_ONLY = gettext_noop("Only instructors may do this.")


def membership_of(user) -> Membership:
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(MSG_NO_ORGANIZATION)
    try:
        return user.membership
    except Membership.DoesNotExist:
        raise Forbidden(MSG_NO_ORGANIZATION) from None


def require_instructor(user) -> Membership:
    membership = membership_of(user)
    if membership.role != Role.INSTRUCTOR:
        raise Forbidden(MSG_INSTRUCTORS_ONLY)
    return membership


def members_for_user(*, user) -> QuerySet[Membership]:
    membership = membership_of(user)
    return (
        Membership.objects.filter(organization=membership.organization)
        .select_related("user")
        .order_by("user__username")
    )


def member_for_user(*, user, member_id: int) -> Membership:
    """A member of the caller's organization by user id; other organizations' people are 404."""
    try:
        return members_for_user(user=user).get(user_id=member_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def users_in_organization(*, organization, user_ids) -> dict[int, User]:
    users = User.objects.filter(membership__organization=organization, id__in=user_ids)
    return {u.id: u for u in users}


def teams_for_user(*, user) -> QuerySet[Team]:
    return (
        Team.objects.filter(organization=membership_of(user).organization).prefetch_related("members").order_by("name")
    )


def team_for_user(*, user, team_id):
    try:
        return teams_for_user(user=user).get(pk=team_id)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
