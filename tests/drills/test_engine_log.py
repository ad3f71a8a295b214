"""The engine's view of the log as one process remembers it between steps: it only ever holds committed events, and it
still sees what other processes appended. Committing transactions, so the remembering actually happens."""

import pytest
from django.db import transaction

from drills import services
from drills.events import engine_log, events_append, full_log, log_state_save
from drills.log import HEAT
from drills.logview import LogView
from drills.models import Drill, DrillEvent
from drills.rows import lock_drill

pytestmark = pytest.mark.django_db(transaction=True)


def remembered(drill_id: int) -> LogView:
    with transaction.atomic():
        return engine_log(drill=lock_drill(drill_id))


def in_database(drill_id: int) -> LogView:
    """The view of the whole log as the database holds it, folded at once."""
    drill = Drill.objects.get(pk=drill_id)
    view = LogView.of(full_log(drill=drill))
    view.seq = drill.seq
    return view


@pytest.fixture
def running(running):
    remembered(running.pk)  # remembered from here on
    return running


def test_the_remembered_view_grows_with_each_committed_step(running, wall):
    before = remembered(running.pk)
    wall.advance(seconds=240)
    services.drill_advance(drill_id=running.pk, now=wall.now())
    after = remembered(running.pk)
    assert after == in_database(running.pk)
    assert len(after.published) > len(before.published) and after.seq > before.seq


def test_the_remembered_view_tells_the_last_engagement_boundary(running, wall):
    for _ in range(8):  # each step at its own 15 s boundary, remembered on commit
        wall.advance(seconds=30)
        services.drill_advance(drill_id=running.pk, now=wall.now())
    engagement = DrillEvent.objects.filter(drill_id=running.pk, kind="engagement")
    assert engagement.count() >= 8
    assert remembered(running.pk).told_ms == engagement.order_by("seq").last().sim_ms // 15_000 * 15_000


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
    assert remembered(running.pk) == in_database(running.pk)
    assert remembered(running.pk).last_heat == 50


def test_events_appended_by_another_process_are_read_from_the_database(running, wall):
    drill = Drill.objects.get(pk=running.pk)
    # What another server or worker writes never passes through this process's memory.
    DrillEvent.objects.create(
        drill=drill, seq=drill.seq + 1, kind=HEAT, sim_ms=31_000, wall_at=wall.now(), data={"heat": 42}
    )
    Drill.objects.filter(pk=drill.pk).update(seq=drill.seq + 1, heat=42)
    assert remembered(running.pk).last_heat == 42
    assert remembered(running.pk) == in_database(running.pk)


def test_a_remembered_view_is_never_changed_by_the_step_that_reads_it(running, wall):
    view = remembered(running.pk)
    frozen = view.copy()
    wall.advance(seconds=240)
    services.drill_advance(drill_id=running.pk, now=wall.now())
    assert view == frozen


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
