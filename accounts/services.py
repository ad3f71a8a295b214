"""Operations that change people: sign-in bookkeeping, inviting members, changing roles."""

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_noop

from accounts import throttle
from accounts.models import Membership, Organization, Role, Team, User
from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid, RateLimited

MSG_BAD_CREDENTIALS = gettext_noop("Unable to sign in with that username and password.")
MSG_TOO_MANY_ATTEMPTS = gettext_noop("Too many failed sign-in attempts. Wait a minute and try again.")
MSG_USERNAME_TAKEN = gettext_noop("That username is already taken.")
MSG_LAST_INSTRUCTOR = gettext_noop("An organization must keep at least one instructor.")
LOGIN_WINDOW_S = 60


def user_authenticate(*, username: str, password: str, ip: str, request=None) -> User:
    """Checks credentials without telling which part was wrong.

    Every attempt counts against its username (from any address) and its address (for any username) before
    the password is checked, with one atomic increment each: parallel attempts cannot all pass a check made
    before they failed, and spraying one password over many usernames from one address is slowed down as much
    as guessing one account's. A successful sign-in takes its counts back."""
    window = LOGIN_WINDOW_S
    by_user = throttle.hit(f"login-user:{username.casefold()}", window_s=window)
    by_address = throttle.hit(f"login-address:{ip}", window_s=window)
    over = [
        spent
        for spent, limit in (
            (by_user, settings.LOGIN_FAILURES_PER_MINUTE),
            (by_address, settings.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE),
        )
        if spent.count > limit
    ]
    if over:
        raise RateLimited(MSG_TOO_MANY_ATTEMPTS, retry_after_s=max(spent.retry_after_s for spent in over))
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise Invalid(MSG_BAD_CREDENTIALS)
    throttle.refund(by_user)
    throttle.refund(by_address)
    return user


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
