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
