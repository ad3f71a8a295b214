"""Signals and e-mail subjects on screen (PROTOCOL section 1.3): the instructor's room and editor mark the signal,
a participant's room does not."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

SUBJECT = "Request for comment: checkout failures"


def signalled_drill(server) -> tuple[int, int]:
    """The checkout outage with its first complaint as a signal and a subject on the reporter's e-mail, published;
    alice drafts, bots hold the other steps, started at ×50. Returns (scenario id, drill id)."""
    instructor = api(server, "instructor")
    text = (SHARED_SCENARIOS / "checkout-outage.en.yaml").read_text(encoding="utf-8")
    text = text.replace("    respond_within: 5m\n", "    respond_within: 5m\n    signal: true\n", 1)
    text = text.replace("    persona: reporter\n", f'    persona: reporter\n    subject: "{SUBJECT}"\n', 1)
    scenario = instructor("POST", "/api/scenarios/", {"spec": text})["id"]
    instructor("POST", f"/api/scenarios/{scenario}/publish/")
    alice = next(m["id"] for m in instructor("GET", "/api/members/") if m["username"] == "alice")
    body = {
        "scenario": scenario,
        "speed": 50,
        "seats": [{"user": alice, "role": "drafter"}],
        "bots": ["reviewer", "legal", "spokesperson"],
    }
    drill = instructor("POST", "/api/drills/", body)["id"]
    instructor("POST", f"/api/drills/{drill}/start/")
    return scenario, drill


def test_only_the_instructor_sees_which_post_is_a_signal(sign_in, server):
    scenario, drill = signalled_drill(server)

    instructor = sign_in("instructor")
    instructor.goto(f"{server['url']}/drills/{drill}/")
    alice = sign_in("alice")
    alice.goto(f"{server['url']}/drills/{drill}/")

    first = ".post[data-platform='x']:not(.post-burst)"
    expect(instructor.locator(first).first.locator(".post-signal")).to_have_text("signal")
    expect(instructor.locator(".post-signal")).to_have_count(1)
    expect(alice.locator(first).first).to_be_visible()
    expect(alice.locator(".post-signal")).to_have_count(0)

    instructor.goto(f"{server['url']}/scenarios/{scenario}/")
    expect(instructor.locator("#timeline .signal-badge")).to_have_count(1)
    expect(instructor.locator("#timeline .inject-subject")).to_have_text(SUBJECT)
