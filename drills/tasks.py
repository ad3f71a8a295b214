"""Celery driver tasks. Thin: they step what is due and arm the next tick.

An `engine_tick` steps every running drill that is due, in batches whose rows it locks with SKIP LOCKED (so ticks
on several workers share the due drills and never step one twice; one commit per batch), then arms the next tick
for the moment the next drill is due. A wake-up (an action, a start, a resume, a speed change) marks its drill due
now and sends a tick.

Before issue 18 every drill had a task of its own per due moment: at 500 drills that was about a thousand tasks a
second, and two workers fell behind (599 of the 797 events a second the scripts offered), each task's own cost
(the broker's round trips, the worker's bookkeeping) far above the step's. A tick pays it once per batch.

While drills fall due close together (many drills, a fast clock), the armed tick lingers: it sleeps until the next
due moment and steps again, instead of arming a new task for it. An armed task's way through the broker and the
worker (tens of ms) was most of the Celery driver's lateness at 200 drills (issue 15: p50 60 ms, p99 260 ms).
"""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache
from django.db.models import DateTimeField, F, Min, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from config.celery import in_each_worker_process
from drills.driver import HEARTBEAT_KEY, MAX_CELERY_SLEEP_S
from drills.models import Drill, DrillStatus

# Drills a tick steps per transaction; a full batch means more may be due: a second tick joins in (another worker).
TICK_BATCH = 32
# A tick that keeps finding full batches hands on to a new tick after this long, so a worker also runs other tasks.
TICK_BUDGET_S = 1.0
# The moment the next tick is armed for (a timestamp), so that ticks ending together arm one, not one each. An
# armed moment this far in the past is a lost tick (a killed worker): the next tick to end arms a new one.
ARMED_KEY = "engine-tick-armed"
ARMED_LOST_S = 2.0
# The armed tick steps again itself, rather than arm a new task, when the next drill is due within this; as long as
# it lingers it holds its worker, so a drill woken meanwhile waits at most this long when no other worker is free.
LINGER_S = 0.05
# A lingering tick whose step claimed nothing (the due drill's row is held elsewhere) waits this long before it
# looks again, rather than spin.
IDLE_S = 0.01
# A failing drill's failures in a row, for its retry delay (drills.services.steps.retry_delay_s); forgotten after.
FAILURES_KEY = "engine-failures-{}"
FAILURES_KEPT_S = 300


def schedule_advance(drill_id: int) -> None:
    """Makes the running drill due by now (if it was not already) and sends a tick to step it as soon as a worker
    can."""
    now = Value(timezone.now(), output_field=DateTimeField())
    due = Least(Coalesce(F("next_due_at"), now), now)
    if Drill.objects.filter(pk=drill_id, status=DrillStatus.RUNNING).update(next_due_at=due):
        engine_tick.apply_async()


@shared_task(ignore_result=True, acks_late=True)
def engine_tick(armed_at: float | None = None) -> None:
    """Steps the due drills, a batch at a time, then arms the next tick. `armed_at`: the moment this tick was armed
    for, if it was the armed one."""
    from drills.services import drills_step_due

    _disarm(armed_at)
    give_up_at, joined = time.monotonic() + TICK_BUDGET_S, False
    while True:
        claimed, stepped = drills_step_due(limit=TICK_BATCH)
        _back_off(stepped.failed)
        if claimed == TICK_BATCH:
            if not joined or time.monotonic() > give_up_at:
                engine_tick.apply_async()
                if joined:
                    return  # the new tick goes on
                joined = True
            continue
        if armed_at is None or (at := _lingers_until(give_up_at)) is None:
            break
        time.sleep(max(at - time.time(), 0 if claimed else IDLE_S))
        _disarm(at)
    arm_next_tick()


def _lingers_until(give_up_at: float) -> float | None:
    """The next drill's due moment if the armed tick is to step it itself (it comes within LINGER_S and within the
    tick's budget), marked armed so that ticks ending meanwhile arm no other; else None."""
    at = _next_due_at()
    if at is None or at - time.time() > LINGER_S or time.monotonic() + LINGER_S > give_up_at:
        return None
    cache.set(ARMED_KEY, at, timeout=None)
    return at


def _next_due_at() -> float | None:
    due_at = Drill.objects.filter(status=DrillStatus.RUNNING).aggregate(at=Min("next_due_at"))["at"]
    return None if due_at is None else due_at.timestamp()


def arm_next_tick() -> None:
    """Arms a tick for the moment the next running drill is due, unless one is armed by then already."""
    at = _next_due_at()
    if at is None:
        return
    armed = cache.get(ARMED_KEY)
    if armed is not None and armed <= at and armed > time.time() - ARMED_LOST_S:
        return
    cache.set(ARMED_KEY, at, timeout=None)
    countdown = min(max(at - time.time(), 0), MAX_CELERY_SLEEP_S)
    engine_tick.apply_async((at,), countdown=countdown)


def _disarm(armed_at: float | None) -> None:
    if armed_at is not None and cache.get(ARMED_KEY) == armed_at:
        cache.delete(ARMED_KEY)


def _back_off(failed: set[int]) -> None:
    """A drill whose step failed again waits longer before its next try (1, 2, 4 ... 30 s)."""
    from drills.services.steps import retry_delay_s

    for drill_id in failed:
        key = FAILURES_KEY.format(drill_id)
        failures = (cache.get(key) or 0) + 1
        cache.set(key, failures, timeout=FAILURES_KEPT_S)
        retry_at = timezone.now() + timezone.timedelta(seconds=retry_delay_s(failures))
        Drill.objects.filter(pk=drill_id).update(next_due_at=retry_at)


@shared_task(ignore_result=True)
def sweep_running_drills(now=None) -> None:
    """Beat sends it every config.celery.SWEEP_EVERY_S: sends a tick when a running drill's next due moment passed
    more than ARMED_LOST_S ago without one (the armed tick was lost: a killed worker held it, or Redis restarted
    empty). A drill whose step fails is not among them: its next due moment is its retry."""
    late = (now or timezone.now()) - timezone.timedelta(seconds=ARMED_LOST_S)
    if Drill.objects.filter(status=DrillStatus.RUNNING, next_due_at__lt=late).exists():
        cache.delete(ARMED_KEY)
        engine_tick.apply_async()


@shared_task(ignore_result=True)
def engine_heartbeat() -> None:
    """Beat sends it, a worker runs it: a fresh heartbeat tells /healthz that the broker, beat and at least one
    worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@in_each_worker_process
def _broadcast_from_a_loop_of_its_own(**_) -> None:
    from drills.events import server_sender

    server_sender.serve_in_own_thread()
