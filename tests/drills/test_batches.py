"""Engine steps of several drills at once: the in-process driver's batches and a Celery wake-up that also steps
the other drills already due. Each drill's log must be what stepping it alone gives."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from drills import services
from drills.models import Drill, DrillEvent
from drills.rows import deferred_writes

pytestmark = pytest.mark.django_db(transaction=True)


def story(drill_id: int) -> list[tuple]:
    """The log as a reader sees it, without the ids that differ between drills."""
    events = DrillEvent.objects.filter(drill_id=drill_id).order_by("seq")
    return [(e.seq, e.kind, e.sim_ms, without_ids(e.data)) for e in events]


def without_ids(data: dict) -> dict:
    # The engagement event names posts and replies by id too (PROTOCOL section 3).
    kept = {k: v for k, v in data.items() if k != "id"}
    for name in ("posts", "replies"):
        if name in kept:
            kept[name] = [{**entry, "inject": None, "response": None} for entry in kept[name]]
    return kept


def batch_statements(drill_ids: list[int], now) -> int:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        services.drills_step(drill_ids=drill_ids, now=now)
    return len(queries)


def test_a_batch_writes_each_drill_what_a_step_alone_would(start, wall):
    alone, *batched = start(4)
    for seconds in (31, 90, 400):
        wall.advance(seconds=seconds)
        services.drill_advance(drill_id=alone, now=wall.now())
        with transaction.atomic():
            due = services.drills_step(drill_ids=batched, now=wall.now()).next_due
        assert set(due) == set(batched)
    assert len(story(alone)) > 5
    assert all(story(pk) == story(alone) for pk in batched)


def test_a_batch_costs_the_same_statements_for_many_drills_as_for_few(start, wall):
    few, many = start(2), start(8)
    wall.advance(seconds=90)
    assert batch_statements(many, wall.now()) == batch_statements(few, wall.now())


def test_reads_inside_deferred_writes_see_the_writes_held_back(start, wall):
    (pk,) = start(1)
    before = DrillEvent.objects.filter(drill_id=pk).count()
    wall.advance(seconds=90)
    with transaction.atomic(), deferred_writes():
        services.drills_step(drill_ids=[pk], now=wall.now())
        assert DrillEvent.objects.filter(drill_id=pk).count() > before
        assert Drill.objects.get(pk=pk).seq == DrillEvent.objects.filter(drill_id=pk).count()


def test_a_celery_wake_up_steps_other_due_drills_and_leaves_their_wake_ups_theirs(start, wall):
    own, other = start(2)
    generations = dict(Drill.objects.filter(pk__in=[own, other]).values_list("pk", "generation"))
    wall.advance(seconds=90)
    before = DrillEvent.objects.filter(drill_id=other).count()

    stepped = services.drills_advance_due(drill_id=own, generation=generations[own], limit=5, now=wall.now())
    next_due = stepped.next_due[own]

    assert next_due == Drill.objects.get(pk=own).next_due_at > wall.now()
    assert DrillEvent.objects.filter(drill_id=other).count() > before
    after = dict(Drill.objects.filter(pk__in=[own, other]).values_list("pk", "generation"))
    assert after == {own: generations[own] + 1, other: generations[other]}


def test_a_stale_celery_wake_up_steps_nothing_at_all(start, wall):
    own, _due_too = start(2)
    stale = Drill.objects.get(pk=own).generation - 1
    wall.advance(seconds=90)
    seqs = dict(Drill.objects.values_list("pk", "seq"))

    assert services.drills_advance_due(drill_id=own, generation=stale, limit=5, now=wall.now()) is None
    assert dict(Drill.objects.values_list("pk", "seq")) == seqs
