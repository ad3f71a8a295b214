"""Reads about people, always scoped to the caller's organization."""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from accounts.models import Membership, Role, Team, User
from config.errors import Forbidden, NotFound
from config.plainsql import orm_values

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


def active_user(user_id: int) -> User | None:
    """The active user `user_id` with their membership, as `select_related("membership")` reads them; else None.

    Plain SQL built once: every socket connect reads its user, and the ORM's compiling of this query was most
    of the read's cost."""
    conn = connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        cursor.execute(_active_user_sql(), [user_id, True])
        row = cursor.fetchone()
    if row is None:
        return None
    user_fields, membership_fields = User._meta.concrete_fields, Membership._meta.concrete_fields
    user = User.from_db(conn.alias, None, orm_values(conn, user_fields, row[: len(user_fields)]))
    if row[len(user_fields)] is not None:  # without a membership, reading it raises as the ORM's would
        values = orm_values(conn, membership_fields, row[len(user_fields) :])
        user.membership = Membership.from_db(conn.alias, None, values)
    return user


@functools.cache
def _active_user_sql() -> str:
    quote = connection.ops.quote_name
    columns = [f"u.{quote(f.column)}" for f in User._meta.concrete_fields]
    columns += [f"m.{quote(f.column)}" for f in Membership._meta.concrete_fields]
    return (
        f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u"
        f" LEFT JOIN {quote(Membership._meta.db_table)} m ON m.{quote('user_id')} = u.{quote('id')}"
        f" WHERE u.{quote('id')} = %s AND u.{quote('is_active')} = %s"
    )
