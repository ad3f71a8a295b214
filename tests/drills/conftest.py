from pathlib import Path

import pytest

from drills.clock import FakeClock

SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"


@pytest.fixture
def wall():
    return FakeClock()


@pytest.fixture
def outage(cast):
    """The English checkout-outage scenario, published in the cast's organization."""
    from scenarios.services import document_load, scenario_create, scenario_publish

    document = document_load(text=(SHARED / "checkout-outage.en.yaml").read_bytes())
    scenario = scenario_create(by=cast.instructor, document=document)
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


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
