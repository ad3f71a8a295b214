"""Fixtures for the pure scenario core: a minimal valid document and the shared example scenarios.

Nothing here needs Django, so these tests also run with `-p no:django`.
"""

import copy
from pathlib import Path

import pytest

# /work/shared/scenarios next to the project checkout (tests/scenarios -> tests -> main -> work).
SHARED_SCENARIOS = Path(__file__).resolve().parents[3] / "shared" / "scenarios"

MINIMAL_DOCUMENT = {
    "format": "crisisdrill/v1",
    "title": "Checkout outage",
    "language": "en",
    "brand": {"name": "ShopLine", "handle": "@shopline"},
    "duration": "40m",
    "seed": 7,
    "response_sla": "10m",
    "approval_chain": [{"role": "drafter"}, {"role": "reviewer", "sla": "2m"}],
    "personas": [
        {"key": "customer", "kind": "customer", "name": "{faker.name}", "handle": "@{faker.user_name}"},
        {"key": "reporter", "kind": "journalist", "name": "Dana Levi", "handle": "@dlevi", "followers": 48000},
    ],
    "injects": [
        {
            "key": "complaint",
            "at": "30s",
            "platform": "x",
            "persona": "customer",
            "text": "Card declined at {brand.name}",
            "severity": 3,
            "requires_response": True,
            "respond_within": "5m",
        },
        {
            "key": "pile-on",
            "at": "4m",
            "platform": "x",
            "burst": {"count": 10, "over": "3m", "persona_kind": "customer"},
            "texts": ["Same here {brand.handle}", "{persona.name} here: still broken"],
            "severity": 1,
        },
        {
            "key": "trending",
            "when": {"unanswered": "complaint", "for": "8m"},
            "platform": "news",
            "persona": "reporter",
            "text": "{brand.name} failures trend",
            "severity": 4,
            "requires_response": True,
        },
    ],
}


@pytest.fixture
def doc() -> dict:
    """A fresh, valid, warning-free document that a test may change freely."""
    return copy.deepcopy(MINIMAL_DOCUMENT)


def shared_scenario_paths() -> list[Path]:
    return sorted(SHARED_SCENARIOS.glob("*.yaml")) if SHARED_SCENARIOS.is_dir() else []


@pytest.fixture
def shared_scenarios() -> dict[str, bytes]:
    """File name -> bytes of each shared example scenario; skips when the shared folder is absent."""
    paths = shared_scenario_paths()
    if not paths:
        pytest.skip(f"no shared scenarios in {SHARED_SCENARIOS}")
    return {path.name: path.read_bytes() for path in paths}
