"""Flags: a chain-role seat alerts the team to a published post (`flag` → `inject.flagged`, PROTOCOL.md 1.5)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from config.errors import Conflict, Forbidden, Invalid
from drills import serializers as s
from drills.events import log_state_save
from drills.log import INJECT_FLAGGED, inject_flagged_data
from drills.models import Drill, DrillStatus, Flag, PublishedInject
from drills.rows import lock_drill
from drills.selectors import is_instructor, roles_of
from drills.services.common import append_now, checked_input, now_or, scenario_of

MSG_NOT_A_FLAGGER = gettext_noop("Only the team's seats flag posts.")
MSG_NOT_A_FLAG_READER = gettext_noop("Only the team's seats and instructors see the flags.")
MSG_FLAGS_CLOSED = gettext_noop("The drill is over: posts can no longer be flagged.")
MSG_NOT_A_POST = gettext_noop("No post with this id in the drill.")
MSG_ALREADY_FLAGGED = gettext_noop("You already flagged this post.")


def _has_chain_seat(drill: Drill, user) -> bool:
    chain_roles = {step.role for step in scenario_of(drill).chain}
    return bool(chain_roles.intersection(roles_of(drill=drill, user=user)))


def _refused(message: str) -> Invalid:
    return Invalid(message, errors=[{"path": "inject", "message": message}])


@transaction.atomic
def inject_flag(*, by, drill: Drill, inject, note="", now=None) -> Flag:
    """Appends an `inject.flagged` from a chain-role seat: once per post and user, while the drill is not over."""
    now = now_or(now)
    data = checked_input(s.FlagInput, {"inject": inject, "note": note or ""})
    drill = lock_drill(drill.pk)
    if drill.status == DrillStatus.FINISHED:
        raise Conflict(MSG_FLAGS_CLOSED, extra={"status": drill.status})
    if not _has_chain_seat(drill, by):
        raise Forbidden(MSG_NOT_A_FLAGGER)
    if not PublishedInject.objects.filter(drill=drill, pk=data["inject"]).exists():
        raise _refused(MSG_NOT_A_POST)
    if Flag.objects.filter(drill=drill, inject_id=data["inject"], user=by).exists():
        raise _refused(MSG_ALREADY_FLAGGED)
    # Under the drill's lock the next appended event is drill.seq + 1: the row names it before it exists.
    flag = Flag.objects.create(
        drill=drill,
        inject_id=data["inject"],
        user=by,
        note=data.get("note", ""),
        sim_ms=drill.clock.sim_ms(now),
        event_seq=drill.seq + 1,
    )
    payload = inject_flagged_data(inject_id=flag.inject_id, by=by.pk, note=flag.note)
    append_now(drill, [(INJECT_FLAGGED, payload)], now)
    log_state_save(drill)
    return flag


def flags_of(*, drill: Drill, user) -> list[Flag]:
    """The drill's flags in log order, for chain-role seats and instructors."""
    if not (_has_chain_seat(drill, user) or is_instructor(user=user, drill=drill)):
        raise Forbidden(MSG_NOT_A_FLAG_READER)
    return list(Flag.objects.filter(drill=drill))
