"""The team channel (`say` → `team.message`) and the inbox's read marks (PROTOCOL.md sections 2, 3 and 6)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from config.errors import Conflict, Forbidden, Invalid
from drills import serializers as s
from drills.events import log_state_save
from drills.log import TEAM_MESSAGE
from drills.models import Drill, DrillStatus, InboxRead, PublishedInject, TeamMessage
from drills.rows import lock_drill
from drills.selectors import is_instructor, roles_of
from drills.services.common import append_now, checked_input, now_or, scenario_of

MSG_NOT_IN_CHANNEL = gettext_noop("Only the team's seats and instructors write in the team channel.")
MSG_CHANNEL_CLOSED = gettext_noop("The drill is over: the team channel is closed.")
MSG_NOT_AN_EMAIL = gettext_noop("No e-mail with this id in the drill.")
EMAIL = "email"


def team_message_data(message: TeamMessage) -> dict:
    """`team.message`'s data: the one place it is built."""
    return {"id": message.pk, "by": message.author_id, "by_name": message.author.shown_name, "text": message.text}


def _may_say(drill: Drill, user) -> bool:
    chain_roles = {step.role for step in scenario_of(drill).chain}
    return bool(chain_roles.intersection(roles_of(drill=drill, user=user))) or is_instructor(user=user, drill=drill)


@transaction.atomic
def message_say(*, by, drill: Drill, text, now=None) -> TeamMessage:
    """Appends a `team.message` from `by`: chain-role seats and instructors, while the drill is not over."""
    now = now_or(now)
    text = checked_input(s.SayInput, {"text": text})["text"]
    drill = lock_drill(drill.pk)
    if drill.status == DrillStatus.FINISHED:
        raise Conflict(MSG_CHANNEL_CLOSED, extra={"status": drill.status})
    if not _may_say(drill, by):
        raise Forbidden(MSG_NOT_IN_CHANNEL)
    # Under the drill's lock the next appended event is drill.seq + 1: the row names it before it exists.
    message = TeamMessage.objects.create(
        drill=drill, author=by, text=text, sim_ms=drill.clock.sim_ms(now), event_seq=drill.seq + 1
    )
    append_now(drill, [(TEAM_MESSAGE, team_message_data(message))], now)
    log_state_save(drill)
    return message


def inbox_mark_read(*, by, drill: Drill, inject) -> list[int]:
    """Marks an e-mail inject read for `by` (again is fine); the user's read e-mails, as inbox_read_ids gives."""
    inject_id = checked_input(s.InboxReadInput, {"inject": inject})["inject"]
    if not PublishedInject.objects.filter(drill=drill, pk=inject_id, platform=EMAIL).exists():
        raise Invalid(MSG_NOT_AN_EMAIL, errors=[{"path": "inject", "message": MSG_NOT_AN_EMAIL}])
    InboxRead.objects.get_or_create(drill=drill, user=by, inject_id=inject_id)
    return inbox_read_ids(drill=drill, user=by)


def inbox_read_ids(*, drill: Drill, user) -> list[int]:
    return list(
        InboxRead.objects.filter(drill=drill, user=user).order_by("inject_id").values_list("inject_id", flat=True)
    )
