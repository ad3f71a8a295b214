"""Operations that change people: sign-in bookkeeping, inviting members, changing roles."""

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from accounts import throttle
from accounts.models import Membership, Organization, Role, Team, User
from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid, RateLimited

MSG_BAD_CREDENTIALS = gettext_noop("Unable to sign in with that username and password.")
MSG_TOO_MANY_ATTEMPTS = gettext_noop("Too many failed sign-in attempts. Wait a minute and try again.")
MSG_USERNAME_TAKEN = gettext_noop("That username is already taken.")
MSG_LAST_INSTRUCTOR = gettext_noop("An organization must keep at least one instructor.")
LOGIN_WINDOW_S = 60


def _login_key(username: str, ip: str) -> str:
    return f"login:{username.casefold()}:{ip}"


def user_authenticate(*, username: str, password: str, ip: str, request=None) -> User:
    """Checks credentials without telling which part was wrong; failures are rate limited."""
    key = _login_key(username, ip)
    limit = settings.LOGIN_FAILURES_PER_MINUTE
    if throttle.count(key, window_s=LOGIN_WINDOW_S) >= limit:
        raise RateLimited(MSG_TOO_MANY_ATTEMPTS)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        throttle.over_limit(key, limit=limit, window_s=LOGIN_WINDOW_S)
        raise Invalid(MSG_BAD_CREDENTIALS)
    return user


def token_for(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


@transaction.atomic
def member_invite(
    *, by: User, username: str, role: str, display_name: str = "", email: str = "", password: str = ""
) -> tuple[Membership, str]:
    """Creates a user in the inviter's organization; returns the membership and the initial password."""
    organization = require_instructor(by).organization
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(MSG_USERNAME_TAKEN, errors=[{"path": "username", "message": MSG_USERNAME_TAKEN}])
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, email=email, password=password, display_name=display_name)
    return Membership.objects.create(user=user, organization=organization, role=role), password


@transaction.atomic
def member_update(*, by: User, membership: Membership, role: str | None = None, display_name: str | None = None):
    require_instructor(by)
    if role is not None and role != membership.role:
        _keep_an_instructor(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    if display_name is not None:
        membership.user.display_name = display_name
        membership.user.save(update_fields=["display_name"])
    return membership


def _keep_an_instructor(membership: Membership) -> None:
    if membership.role != Role.INSTRUCTOR:
        return
    others = Membership.objects.filter(organization=membership.organization, role=Role.INSTRUCTOR)
    if not others.exclude(pk=membership.pk).exists():
        raise Conflict(MSG_LAST_INSTRUCTOR)


@transaction.atomic
def organization_ensure(*, slug: str, name: str) -> Organization:
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    return organization


@transaction.atomic
def user_ensure(*, organization: Organization, username: str, role: str, password: str, display_name: str = ""):
    """Creates the user if missing (used by the demo seed); an existing user is left as it is."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password, display_name=display_name)
    Membership.objects.get_or_create(user=user, defaults={"organization": organization, "role": role})
    return user


MSG_TEAM_NAME_TAKEN = gettext_noop("A team with this name already exists.")
MSG_NOT_A_MEMBER = gettext_noop("Not a member of this organization.")


def _team_member_ids(organization: Organization, member_ids: list[int]) -> list[int]:
    known = set(
        Membership.objects.filter(organization=organization, user_id__in=member_ids).values_list("user_id", flat=True)
    )
    errors = [
        {"path": f"members[{i}]", "message": MSG_NOT_A_MEMBER} for i, m in enumerate(member_ids) if m not in known
    ]
    if errors:
        raise Invalid(MSG_NOT_A_MEMBER, errors=errors)
    return member_ids


@transaction.atomic
def team_save(*, by: User, name: str, member_ids: list[int], team: Team | None = None) -> Team:
    """Creates a team, or renames and re-seats an existing one."""
    organization = require_instructor(by).organization
    clash = Team.objects.filter(organization=organization, name__iexact=name)
    if clash.exclude(pk=team.pk if team else None).exists():
        raise Invalid(MSG_TEAM_NAME_TAKEN, errors=[{"path": "name", "message": MSG_TEAM_NAME_TAKEN}])
    member_ids = _team_member_ids(organization, member_ids)
    if team is None:
        team = Team.objects.create(organization=organization, name=name)
    else:
        team.name = name
        team.save(update_fields=["name"])
    team.members.set(member_ids)
    return team
