"""Engine steps of several drills at once: the in-process driver's batches and a Celery tick's batch of the drills
already due. Each drill's log must be what stepping it alone gives."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from drills import rows, services
from drills.events import log_state_save
from drills.models import Drill, DrillEvent, PublishedInject
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


def test_a_celery_tick_steps_every_due_drill_in_one_batch(start, wall):
    alone, *due = start(3)
    wall.advance(seconds=90)
    services.drill_advance(drill_id=alone, now=wall.now())

    claimed, stepped = services.drills_step_due(limit=5, now=wall.now())

    assert claimed == 2 and set(stepped.next_due) == set(due)  # `alone` is not due again yet
    assert all(story(pk) == story(alone) for pk in due)
    assert all(Drill.objects.get(pk=pk).next_due_at == stepped.next_due[pk] > wall.now() for pk in due)


def test_a_celery_tick_claims_the_most_overdue_drills_up_to_its_batch(start, wall):
    drills = start(3)
    Drill.objects.filter(pk=drills[2]).update(next_due_at=wall.now())  # overdue the longest once time passes
    wall.advance(seconds=90)
    seqs = dict(Drill.objects.values_list("pk", "seq"))

    claimed, stepped = services.drills_step_due(limit=1, now=wall.now())

    assert claimed == 1 and list(stepped.next_due) == [drills[2]]
    after = dict(Drill.objects.values_list("pk", "seq"))
    assert [pk for pk in drills if after[pk] != seqs[pk]] == [drills[2]]


def test_a_healthy_batch_is_one_transaction_without_a_savepoint(start, wall):
    drills = start(3)
    wall.advance(seconds=90)
    with CaptureQueriesContext(connection) as queries:
        services.drills_step(drill_ids=drills, now=wall.now())
    assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()]
    assert all(Drill.objects.get(pk=pk).seq > 1 for pk in drills)  # committed


def test_inserted_ids_come_back_in_row_order_with_writes_held_back(start, wall):
    from drills.models import PublishedInject
    from drills.rows import insert

    (pk,) = start(1)
    drill = Drill.objects.get(pk=pk)
    rows = [
        {
            "drill_id": pk,
            "key": f"k{i}",
            "burst_index": None,
            "slot": -1,
            "platform": "x",
            "persona": {},
            "text": f"t{i}",
        }
        | {"severity": 1, "requires_response": False, "planned_ms": i, "published_ms": i, "respond_by_ms": None}
        | {"manual": True, "event_seq": i + 1}
        for i in range(5)
    ]
    with transaction.atomic(), deferred_writes():
        drill.heat = 42
        log_state_save(drill)  # held back, then sent first
        ids = insert(PublishedInject, rows, returning_id=True)
    assert [PublishedInject.objects.get(pk=i).key for i in ids] == [f"k{i}" for i in range(5)]
    assert Drill.objects.get(pk=pk).heat == 42


AWKWARD_TEXTS = ['quote " and \\ backslash', "{braces}, commas, 'apostrophes'", "NULL", "עברית ‏ and émojis 🔥", ""]


def test_rows_written_together_come_back_as_given_with_their_ids_in_order(drill):
    """Rows go in as one statement of many (on PostgreSQL, one JSON document): text that JSON or SQL would escape,
    empty and missing values, and the ids in the order of the rows."""
    injects = [
        {
            "drill_id": drill.pk,
            "key": f"k{index}",
            "slot": index,
            "burst_index": None if index % 2 else index,
            "platform": "x",
            "persona": {"name": text},
            "text": text,
            "severity": 3,
            "requires_response": bool(index % 2),
            "planned_ms": None,
            "published_ms": index,
            "respond_by_ms": None,
            "manual": False,
            "event_seq": None,
        }
        for index, text in enumerate(AWKWARD_TEXTS * 12)  # over 50 parameters many times over
    ]
    events = [
        {
            "drill_id": drill.pk,
            "seq": 1000 + index,
            "kind": "note",
            "sim_ms": index,
            "wall_at": drill.created_at,
            "data": {"text": text, "list": [text, None]},
        }
        for index, text in enumerate(AWKWARD_TEXTS)
    ]
    with transaction.atomic():
        ids = rows.insert(PublishedInject, injects, returning_id=True)
        rows.insert(DrillEvent, events)
    stored = PublishedInject.objects.in_bulk(ids)
    assert [(stored[pk].key, stored[pk].text, stored[pk].persona, stored[pk].burst_index) for pk in ids] == [
        (row["key"], row["text"], row["persona"], row["burst_index"]) for row in injects
    ]
    kept = DrillEvent.objects.filter(drill=drill, seq__gte=1000).order_by("seq")
    assert [(event.seq, event.data) for event in kept] == [(row["seq"], row["data"]) for row in events]


def test_a_drill_saved_twice_in_one_round_of_writes_keeps_its_last_state(running):
    # On PostgreSQL the round's updates go as one statement, which would change each row once only.
    with transaction.atomic(), deferred_writes():
        for heat in (61, 62, 63):
            running.heat = heat
            log_state_save(running)
    running.refresh_from_db()
    assert running.heat == 63
