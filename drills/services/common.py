"""What the drill services share: reading the scenario, rate limits, wake-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from rest_framework import serializers as drf

from accounts import throttle
from config.api_base import check_input
from config.errors import MSG_INVALID_INPUT, Conflict, Invalid, flatten_errors
from config.texts import said
from drills.events import events_append
from drills.models import Drill, DrillStatus
from scenarios.selectors import version_scenario_and_plan

MSG_NOT_RUNNING = gettext_noop("The drill is {status}: this can only be done while it runs.")
MSG_RATE_LIMITED = gettext_noop("Too many actions. Slow down a little.")


def scenario_of(drill: Drill):
    return version_scenario_and_plan(drill.version)[0]


def require_running(drill: Drill) -> None:
    if drill.status != DrillStatus.RUNNING:
        raise Conflict(said(MSG_NOT_RUNNING, status=drill.status), extra={"status": drill.status})


def action_throttle(user, drill_id: int) -> None:
    """The one gate every drill action passes before anything else, outside any transaction: REST calls that
    change a drill, and every websocket frame (replay, and malformed or unknown ones too). RateLimited past
    DRILL_ACTIONS_PER_MINUTE a minute per user and drill."""
    throttle.require(
        f"drill-action:{drill_id}:{user.pk}",
        limit=settings.DRILL_ACTIONS_PER_MINUTE,
        window_s=60,
        message=MSG_RATE_LIMITED,
    )


def wake_engine_on_commit(drill: Drill) -> None:
    """The engine re-decides after this transaction: an action may change heat or due conditions."""
    from drills import driver

    drill_id = drill.pk
    transaction.on_commit(lambda: driver.wake(drill_id))


def append_now(drill: Drill, items, now) -> None:
    """Appends events stamped with the drill's simulated time at `now`."""
    events_append(drill=drill, items=items, sim_ms=drill.clock.sim_ms(now), now=now)


def now_or(now):
    return now if now is not None else timezone.now()


def checked_input(serializer_class, data: dict) -> dict:
    """`data` as the REST serializer checks it, its errors raised as Invalid with each path: what a websocket
    frame and a service get (REST raises DRF's own error, which the API's handler answers the same way)."""
    try:
        return dict(check_input(serializer_class, data))
    except drf.ValidationError as exc:
        errors = flatten_errors(exc.detail)
        raise Invalid(errors[0]["message"] if len(errors) == 1 else MSG_INVALID_INPUT, errors=errors) from None
