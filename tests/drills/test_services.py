"""Drill services on the database, with a fake wall clock: lifecycle, engine steps, the approval chain."""

import pytest

from config.errors import Conflict, Forbidden, Invalid
from drills import services
from drills.models import DrillEvent, PublishedInject
from drills.services.chain import MSG_OWN_DRAFT

pytestmark = pytest.mark.django_db


def kinds(drill):
    return list(DrillEvent.objects.filter(drill=drill).order_by("seq").values_list("kind", flat=True))


def started(cast, drill, wall):
    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    return drill


def advance_to(drill, wall, seconds):
    wall.advance(seconds=seconds)
    return services.drill_advance(drill_id=drill.pk, now=wall.now())


def test_starting_appends_started_and_the_first_heat(cast, drill, wall):
    started(cast, drill, wall)
    assert kinds(drill) == ["drill.started", "heat"]
    with pytest.raises(Conflict):
        services.drill_start(by=cast.instructor, drill=drill, now=wall.now())


def test_injects_land_at_their_time_exactly_once(cast, drill, wall):
    started(cast, drill, wall)
    advance_to(drill, wall, 29)
    assert PublishedInject.objects.filter(drill=drill).count() == 0
    next_due = advance_to(drill, wall, 1)
    services.drill_advance(drill_id=drill.pk, now=wall.now())  # a second call at the same moment: nothing
    inject = PublishedInject.objects.get(drill=drill)
    assert inject.key == "first-complaint" and inject.published_ms == 30_000
    assert next_due is not None and next_due > wall.now()
    event = DrillEvent.objects.get(drill=drill, kind="inject.published")
    assert event.data["id"] == inject.pk and event.data["respond_by_ms"] == 330_000


def test_a_pause_stops_the_clock(cast, drill, wall):
    started(cast, drill, wall)
    services.drill_pause(by=cast.instructor, drill=drill, now=wall.now())
    assert advance_to(drill, wall, 120) is None
    assert PublishedInject.objects.filter(drill=drill).count() == 0
    services.drill_resume(by=cast.instructor, drill=drill, now=wall.now())
    advance_to(drill, wall, 30)
    assert PublishedInject.objects.filter(drill=drill).count() == 1


def test_speed_bends_time_and_late_wakeups_keep_planned_ms(cast, drill, wall):
    started(cast, drill, wall)
    services.drill_set_speed(by=cast.instructor, drill=drill, speed=100, now=wall.now())
    advance_to(drill, wall, 3)  # 300 simulated seconds at once: first-complaint and some of the burst
    injects = list(PublishedInject.objects.filter(drill=drill).order_by("event_seq"))
    assert injects[0].key == "first-complaint" and injects[0].planned_ms == 30_000
    assert injects[0].published_ms == 300_000  # late, visibly
    with pytest.raises(Invalid):
        services.drill_set_speed(by=cast.instructor, drill=drill, speed=500, now=wall.now())


def test_the_drill_finishes_at_its_duration(cast, drill, wall):
    started(cast, drill, wall)
    assert advance_to(drill, wall, 40 * 60) is None
    drill.refresh_from_db()
    assert drill.status == "finished" and kinds(drill)[-1] == "drill.finished"


def test_a_reply_climbs_the_chain_and_is_published(cast, drill, wall):
    started(cast, drill, wall)
    advance_to(drill, wall, 31)
    inject = PublishedInject.objects.get(drill=drill)
    response = services.response_draft(
        by=cast.alice, drill=drill, reply_to=[inject.pk], text="Sorry! We are working on it.", now=wall.now()
    )
    services.response_submit(by=cast.alice, drill=drill, response_id=response.pk, now=wall.now())
    with pytest.raises(Conflict):
        services.step_approve(by=cast.bob, drill=drill, response_id=response.pk, step=2, now=wall.now())
    for step, user in ((1, cast.bob), (2, cast.bob), (3, cast.instructor)):
        services.step_approve(by=user, drill=drill, response_id=response.pk, step=step, now=wall.now())
    response.refresh_from_db()
    assert response.status == "published"
    assert kinds(drill)[-6:] == [
        "response.drafted",
        "response.submitted",
        "approval.approved",
        "approval.approved",
        "approval.approved",
        "response.published",
    ]


def test_nobody_approves_their_own_draft(cast, outage, wall):
    drill = services.drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        seats=[{"user": cast.alice.id, "role": "drafter"}, {"user": cast.alice.id, "role": "reviewer"}],
        bots=["legal", "spokesperson"],
    )
    started(cast, drill, wall)
    advance_to(drill, wall, 31)
    inject = PublishedInject.objects.get(drill=drill)
    response = services.response_draft(by=cast.alice, drill=drill, reply_to=[inject.pk], text="Sorry", now=wall.now())
    services.response_submit(by=cast.alice, drill=drill, response_id=response.pk, now=wall.now())
    with pytest.raises(Forbidden, match=MSG_OWN_DRAFT):
        services.step_approve(by=cast.alice, drill=drill, response_id=response.pk, step=1, now=wall.now())


def test_bots_decide_within_their_sla_and_reject_broken_rules(cast, outage, wall):
    drill = services.drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        seats=[{"user": cast.alice.id, "role": "drafter"}],
        bots=["reviewer", "legal", "spokesperson"],
    )
    started(cast, drill, wall)
    advance_to(drill, wall, 31)
    inject = PublishedInject.objects.get(drill=drill)
    bad = services.response_draft(by=cast.alice, drill=drill, reply_to=[inject.pk], text="No comment.", now=wall.now())
    good = services.response_draft(
        by=cast.alice, drill=drill, reply_to=[inject.pk], text="We are sorry, an update soon.", now=wall.now()
    )
    for response in (bad, good):
        services.response_submit(by=cast.alice, drill=drill, response_id=response.pk, now=wall.now())
    for _ in range(20):
        advance_to(drill, wall, 30)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert good.status == "published"
    assert bad.status == "changes_requested"
    rejection = DrillEvent.objects.get(drill=drill, kind="approval.rejected")
    assert rejection.data["bot"] is True and "no comment" in rejection.data["comment"]


@pytest.mark.parametrize(
    ("seats", "bots", "path"),
    [
        ([{"user": 999999, "role": "drafter"}], [], "seats[0].user"),
        ([{"user": "alice", "role": "ceo"}], [], "seats[0].role"),
        ([{"user": "rival", "role": "drafter"}], [], "seats[0].user"),
        ([{"user": "alice", "role": "reviewer"}], ["reviewer"], "bots[0]"),
        ([], ["drafter"], "bots[0]"),
    ],
)
def test_bad_seats_are_refused_and_nothing_is_written(cast, outage, seats, bots, path):
    from drills.models import Drill

    for seat in seats:
        if isinstance(seat["user"], str):
            seat["user"] = getattr(cast, seat["user"]).id
    with pytest.raises(Invalid) as caught:
        services.drill_create(by=cast.instructor, scenario=outage.scenario_id, seats=seats, bots=bots)
    assert path in [e["path"] for e in caught.value.errors]
    assert Drill.objects.count() == 0
