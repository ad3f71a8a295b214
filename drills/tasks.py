"""Celery driver tasks. Thin: they take ids, call one service, and re-arm themselves."""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from drills.driver import HEARTBEAT_KEY, MAX_CELERY_SLEEP_S
from drills.models import Drill, DrillStatus


def schedule_advance(drill_id: int) -> None:
    """Claims the drill with a new generation and runs the engine for it as soon as a worker can."""
    with transaction.atomic():
        drill = Drill.objects.select_for_update().filter(pk=drill_id, status=DrillStatus.RUNNING).first()
        if drill is None:
            return
        drill.generation += 1
        drill.save(update_fields=["generation"])
        generation = drill.generation
    advance_drill.apply_async((drill_id, generation))


# A wake-up also steps up to this many other due drills, in the same transaction (one commit for all).
CLAIM_LIMIT = 31


@shared_task(ignore_result=True, acks_late=True)
def advance_drill(drill_id: int, generation: int, failures: int = 0) -> None:
    """Runs the engine if this task still owns the drill (and for the other drills already due that no worker
    holds), then arms the drill's next task with a new generation. `failures`: how many times in a row the
    drill's step has failed; a failing drill is retried alone, later each time."""
    from drills.services import drills_advance_due
    from drills.services.steps import retry_delay_s

    stepped = drills_advance_due(drill_id=drill_id, generation=generation, limit=CLAIM_LIMIT, failures=failures)
    if stepped is None:
        return  # somebody re-armed the drill meanwhile and that task owns it now
    if drill_id in stepped.failed:
        failures += 1
        delay_s = retry_delay_s(failures)
    elif stepped.next_due.get(drill_id) is not None:
        failures = 0
        delay_s = (stepped.next_due[drill_id] - timezone.now()).total_seconds()
    else:
        return  # stopped
    countdown = min(max(delay_s, 0), MAX_CELERY_SLEEP_S)
    advance_drill.apply_async((drill_id, generation + 1, failures), countdown=countdown)


@shared_task(ignore_result=True)
def sweep_running_drills(now=None) -> None:
    """Re-arms running drills whose next due moment passed without a task running (a lost task). A drill whose
    step fails is not among them: its next due moment is its retry, which its own task keeps."""
    late = (now or timezone.now()) - timezone.timedelta(seconds=5)
    for drill_id in Drill.objects.filter(status=DrillStatus.RUNNING, next_due_at__lt=late).values_list("pk", flat=True):
        schedule_advance(drill_id)


@shared_task(ignore_result=True)
def engine_heartbeat() -> None:
    """Beat sends it, a worker runs it: a fresh heartbeat tells /healthz that the broker, beat and at least one
    worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
