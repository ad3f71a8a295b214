"""The engine's log as one process remembers it between steps: it only ever holds committed events, and it
still sees what other processes appended. Committing transactions, so the remembering actually happens."""

import pytest
from django.db import transaction

from drills import services
from drills.events import engine_log, events_append, log_state_save
from drills.log import HEAT
from drills.models import Drill, DrillEvent
from drills.rows import lock_drill

pytestmark = pytest.mark.django_db(transaction=True)


def logged(drill_id: int) -> list[tuple[int, str, dict]]:
    with transaction.atomic():
        return [(e.seq, e.kind, e.data) for e in engine_log(drill=lock_drill(drill_id))]


def in_database(drill_id: int) -> list[tuple[int, str, dict]]:
    """The engine's kinds, with only the last `engagement` event (the engine needs nothing else of them)."""
    kinds = ("drill.started", "drill.finished", "inject.published", "response.published", "heat", "engagement")
    rows = list(DrillEvent.objects.filter(drill_id=drill_id, kind__in=kinds).order_by("seq"))
    last = max((e.seq for e in rows if e.kind == "engagement"), default=None)
    return [(e.seq, e.kind, e.data) for e in rows if e.kind != "engagement" or e.seq == last]


@pytest.fixture
def running(running):
    logged(running.pk)  # remembered from here on
    return running


def test_the_remembered_log_grows_with_each_committed_step(running, wall):
    wall.advance(seconds=240)
    services.drill_advance(drill_id=running.pk, now=wall.now())
    assert logged(running.pk) == in_database(running.pk)
    assert len(in_database(running.pk)) > 4


def test_the_remembered_log_keeps_only_the_last_engagement_event(running, wall):
    for _ in range(8):  # each step at its own 15 s boundary, remembered on commit
        wall.advance(seconds=30)
        services.drill_advance(drill_id=running.pk, now=wall.now())
    engagement = DrillEvent.objects.filter(drill_id=running.pk, kind="engagement")
    assert engagement.count() >= 8
    remembered = [seq for seq, kind, _ in logged(running.pk) if kind == "engagement"]
    assert remembered == [engagement.order_by("seq").last().seq]


def test_events_of_a_rolled_back_transaction_are_never_remembered(running, wall):
    with pytest.raises(RuntimeError), transaction.atomic():
        drill = lock_drill(running.pk)
        events_append(drill=drill, items=[(HEAT, {"heat": 99})], sim_ms=31_000, now=wall.now())
        engine_log(drill=drill)
        raise RuntimeError("the step failed after appending")
    with transaction.atomic():  # the next append takes the same seq
        drill = lock_drill(running.pk)
        events_append(drill=drill, items=[(HEAT, {"heat": 50})], sim_ms=31_000, now=wall.now())
        log_state_save(drill)
    assert logged(running.pk) == in_database(running.pk)
    assert {"heat": 99} not in [data for _, _, data in logged(running.pk)]


def test_events_appended_by_another_process_are_read_from_the_database(running, wall):
    drill = Drill.objects.get(pk=running.pk)
    # What another server or worker writes never passes through this process's memory.
    DrillEvent.objects.create(
        drill=drill, seq=drill.seq + 1, kind=HEAT, sim_ms=31_000, wall_at=wall.now(), data={"heat": 42}
    )
    Drill.objects.filter(pk=drill.pk).update(seq=drill.seq + 1, heat=42)
    assert logged(running.pk)[-1] == (drill.seq + 1, HEAT, {"heat": 42})
    assert logged(running.pk) == in_database(running.pk)


def test_a_batch_with_a_failing_step_still_commits_every_other_drill(cast, running, outage, wall, monkeypatch):
    from drills import driver
    from drills.services import drill_create, drill_start

    other = drill_create(by=cast.instructor, scenario=outage.scenario_id)
    drill_start(by=cast.instructor, drill=other, now=wall.now())

    from drills.services import steps

    decided = steps._decided

    def broken_for_running(drill, now):
        if drill.pk == running.pk:
            raise RuntimeError("this drill's step is broken")
        return decided(drill, wall.now())

    monkeypatch.setattr(steps, "_decided", broken_for_running)  # in the batch, and alone
    wall.advance(seconds=31)
    before = Drill.objects.get(pk=other.pk).seq
    stepped = driver._advance_each([running.pk, other.pk])
    assert list(stepped.next_due) == [other.pk]
    assert stepped.failed == {running.pk}  # the driver retries it later
    assert Drill.objects.get(pk=other.pk).seq > before  # committed, though its batch had a failing step
