"""A drill of the checkout-outage scenario played on the database with a fake clock, for scorecard tests."""

from drills import services as drill_services
from drills.models import PublishedInject

APOLOGY = "We are sorry: payments fail right now and we are working on it. Next update in 30 minutes."


def lobby(cast, version, **extra):
    """Alice drafts, Bob reviews and checks legal, Olivia observes, a bot speaks; the instructor is not seated."""
    seats = [
        {"user": cast.alice.id, "role": "drafter"},
        {"user": cast.bob.id, "role": "reviewer"},
        {"user": cast.bob.id, "role": "legal"},
        {"user": cast.olivia.id, "role": "observer"},
    ]
    return drill_services.drill_create(
        by=cast.instructor, scenario=version.scenario_id, seats=seats, bots=["spokesperson"], **extra
    )


def advance(drill, wall, seconds):
    wall.advance(seconds=seconds)
    drill_services.drill_advance(drill_id=drill.pk, now=wall.now())


def play(cast, drill, wall):
    """Runs the drill: one reply to the first complaint goes through the whole chain, then it is finished."""
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    advance(drill, wall, 30)  # first-complaint lands at 0:30
    inject = PublishedInject.objects.get(drill=drill, key="first-complaint")
    wall.advance(seconds=20)
    reply = drill_services.response_draft(
        by=cast.alice, drill=drill, reply_to=[inject.pk], text=APOLOGY, now=wall.now()
    )
    drill_services.response_submit(by=cast.alice, drill=drill, response_id=reply.pk, now=wall.now())
    wall.advance(seconds=60)
    drill_services.step_approve(by=cast.bob, drill=drill, response_id=reply.pk, step=1, now=wall.now())
    wall.advance(seconds=200)  # legal's SLA is 3 minutes: this decision is late
    drill_services.step_approve(by=cast.bob, drill=drill, response_id=reply.pk, step=2, now=wall.now())
    advance(drill, wall, 90)  # the spokesperson bot decides within 125% of its 1-minute SLA
    drill_services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())
    drill.refresh_from_db()
    return drill


def finished_drill(cast, version, wall, **extra):
    return play(cast, lobby(cast, version, **extra), wall)
