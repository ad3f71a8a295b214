"""Celery driver tasks. Thin: they take ids, call one service, and re-arm themselves."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from drills.driver import MAX_CELERY_SLEEP_S
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
def advance_drill(drill_id: int, generation: int) -> None:
    """Runs the engine if this task still owns the drill (and for the other drills already due that no worker
    holds), then arms the drill's next task with a new generation."""
    from drills.services import drills_advance_due

    next_due = drills_advance_due(drill_id=drill_id, generation=generation, limit=CLAIM_LIMIT)
    if next_due is None:
        return  # stopped, or somebody re-armed the drill meanwhile and that task owns it now
    delay_s = min(max((next_due - timezone.now()).total_seconds(), 0), MAX_CELERY_SLEEP_S)
    advance_drill.apply_async((drill_id, generation + 1), countdown=delay_s)


@shared_task(ignore_result=True)
def sweep_running_drills() -> None:
    """Re-arms running drills whose next due moment passed without a task running (a lost task)."""
    late = timezone.now() - timezone.timedelta(seconds=5)
    for drill_id in Drill.objects.filter(status=DrillStatus.RUNNING, next_due_at__lt=late).values_list("pk", flat=True):
        schedule_advance(drill_id)
