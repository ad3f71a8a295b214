import pytest


@pytest.fixture
def drill(cast, outage):
    from drills.services import drill_create

    return drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        seats=[
            {"user": cast.alice.id, "role": "drafter"},
            {"user": cast.bob.id, "role": "reviewer"},
            {"user": cast.bob.id, "role": "legal"},
            {"user": cast.instructor.id, "role": "spokesperson"},
            {"user": cast.olivia.id, "role": "observer"},
        ],
    )


@pytest.fixture
def running(cast, drill, wall):
    """`drill` started, its first inject published (31 s in)."""
    from drills import services

    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=31)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    return drill


@pytest.fixture
def start(cast, outage, wall):
    """Starts `count` drills of the outage scenario (no seats); their ids."""
    from drills import services

    def started(count: int) -> list[int]:
        drills = [services.drill_create(by=cast.instructor, scenario=outage.scenario_id) for _ in range(count)]
        for drill in drills:
            services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
        return [drill.pk for drill in drills]

    return started


@pytest.fixture(autouse=True)
def presence_of_this_test_only():
    """The sockets a test left open (a socket the server closed, never disconnected by its test) are not the next
    test's: a shutdown's flush would write leaves for drills that no longer exist."""
    from drills import presence

    presence._open.clear()
    presence._stopped = False  # a test's flush stopped no server of the next test
    yield
    presence._open.clear()
    presence._stopped = False
