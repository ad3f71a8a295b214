"""The operations that change a drill. Each runs in one transaction and appends the events it causes."""

from drills.services.chain import (
    response_draft,
    response_edit,
    response_submit,
    step_approve,
    step_reject,
)
from drills.services.channel import inbox_mark_read, message_say
from drills.services.flags import flags_of, inject_flag
from drills.services.lifecycle import (
    drill_create,
    drill_finish,
    drill_pause,
    drill_resume,
    drill_set_speed,
    drill_start,
    inject_manual,
    note_add,
    seat_presence,
)
from drills.services.steps import drill_advance, drills_step, drills_step_due

__all__ = [
    "drill_advance",
    "drill_create",
    "drill_finish",
    "drill_pause",
    "drill_resume",
    "drill_set_speed",
    "drill_start",
    "drills_step",
    "drills_step_due",
    "flags_of",
    "inbox_mark_read",
    "inject_flag",
    "inject_manual",
    "message_say",
    "note_add",
    "response_draft",
    "response_edit",
    "response_submit",
    "seat_presence",
    "step_approve",
    "step_reject",
]
