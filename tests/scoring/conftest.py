import pytest

from tests.scoring.plays import finished_drill


@pytest.fixture
def finished(cast, outage, wall):
    return finished_drill(cast, outage, wall)
