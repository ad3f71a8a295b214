"""The seats and bots of a new drill: a team's members seated in one role, and the checks of the seats and
bots asked for (each refusal with its path)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from accounts.models import Team
from accounts.selectors import users_in_organization
from config.errors import Invalid
from config.texts import said
from drills.selectors import OBSERVER_SEAT

MSG_UNKNOWN_USER = gettext_noop("Unknown user in this organization.")
MSG_UNKNOWN_ROLE = gettext_noop("Not a role of this scenario's approval chain (or observer): {roles}.")
MSG_DUPLICATE_SEAT = gettext_noop("This user already has this seat.")
MSG_UNKNOWN_TEAM = gettext_noop("Unknown team.")
MSG_BOT_ROLE = gettext_noop("Bots can take a chain role after the first step: {roles}.")
MSG_BOT_SEATED = gettext_noop("A person is seated in this role; a bot can only take a role nobody holds.")


def team_seats(organization, team_id, role: str, seats) -> list[dict]:
    if team_id is None:
        return []
    team = Team.objects.filter(organization=organization, pk=team_id).first()
    if team is None:
        raise Invalid(MSG_UNKNOWN_TEAM, errors=[{"path": "team", "message": MSG_UNKNOWN_TEAM}])
    taken = {(seat["user"], seat["role"]) for seat in seats}
    members = team.members.values_list("id", flat=True)
    return [{"user": user_id, "role": role} for user_id in members if (user_id, role) not in taken]


def seat_errors(organization, chain_roles, seats) -> list[dict]:
    allowed = (*chain_roles, OBSERVER_SEAT)
    users = users_in_organization(organization=organization, user_ids=[s["user"] for s in seats])
    errors, seen = [], set()
    for index, seat in enumerate(seats):
        if seat["user"] not in users:
            errors.append({"path": f"seats[{index}].user", "message": MSG_UNKNOWN_USER})
        if seat["role"] not in allowed:
            errors.append({"path": f"seats[{index}].role", "message": said(MSG_UNKNOWN_ROLE, roles=", ".join(allowed))})
        if (seat["user"], seat["role"]) in seen:
            errors.append({"path": f"seats[{index}]", "message": MSG_DUPLICATE_SEAT})
        seen.add((seat["user"], seat["role"]))
    return errors


def bot_errors(chain_roles, seats, bots) -> list[dict]:
    seated = {seat["role"] for seat in seats}
    errors = []
    for index, role in enumerate(bots):
        if role not in chain_roles[1:]:
            errors.append({"path": f"bots[{index}]", "message": said(MSG_BOT_ROLE, roles=", ".join(chain_roles[1:]))})
        elif role in seated:
            errors.append({"path": f"bots[{index}]", "message": MSG_BOT_SEATED})
    return errors


def unique_seats(seats):
    return [dict(user=u, role=r) for u, r in dict.fromkeys((s["user"], s["role"]) for s in seats)]
