import pytest

from tests.conftest import SHARED_SCENARIOS

TASKS = [
    {"key": "acknowledge", "task": "Acknowledge the outage within 15 minutes", "capability": "Public information"},
    {"key": "legal-check", "task": "Have legal review every statement"},
]


@pytest.fixture
def evaluated(cast):
    """The checkout-outage scenario with an evaluation guide, published in the cast's organization."""
    from scenarios.services import document_load, scenario_create, scenario_publish

    document = document_load(text=(SHARED_SCENARIOS / "checkout-outage.en.yaml").read_bytes())
    scenario = scenario_create(by=cast.instructor, document={**document, "evaluation": TASKS})
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


@pytest.fixture
def drill(cast, evaluated):
    """alice drafts, bob reviews, olivia observes; the instructor holds no seat."""
    from drills.services import drill_create

    return drill_create(
        by=cast.instructor,
        scenario=evaluated.scenario_id,
        seats=[
            {"user": cast.alice.id, "role": "drafter"},
            {"user": cast.bob.id, "role": "reviewer"},
            {"user": cast.olivia.id, "role": "observer"},
        ],
        bots=["legal", "spokesperson"],
    )


@pytest.fixture
def running(cast, drill, wall):
    """`drill` started, its first inject published (31 s in)."""
    from drills import services

    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=31)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    drill.refresh_from_db()
    return drill
