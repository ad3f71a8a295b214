"""The crowd answers the team's words (PROTOCOL section 1.4): a tone-deaf reply that a human reviewer let through sets
off a backlash threaded under it, and the heat jumps."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.browser.test_drill_room import FIRST_COMPLAINT, open_room
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

TONE_DEAF = "This is not our fault: the payment provider failed."
REACTIONS = """reactions:
  backlash: {count: 6, over: 1m, heat: 20}
"""


def reacting_drill(server, text: str | None = None, speed: float = 20) -> int:
    """The checkout outage with reactions (or `text`, a scenario built on it); alice drafts, bob holds every other
    step (no bot to stop the reply)."""
    instructor = api(server, "instructor")
    text = text or (SHARED_SCENARIOS / "checkout-outage.en.yaml").read_text(encoding="utf-8") + REACTIONS
    scenario = instructor("POST", "/api/scenarios/", {"spec": text})["id"]
    instructor("POST", f"/api/scenarios/{scenario}/publish/")
    people = {m["username"]: m["id"] for m in instructor("GET", "/api/members/")}
    seats = [{"user": people["alice"], "role": "drafter"}] + [
        {"user": people["bob"], "role": role} for role in ("reviewer", "legal", "spokesperson")
    ]
    drill = instructor("POST", "/api/drills/", {"scenario": scenario, "speed": speed, "seats": seats})["id"]
    instructor("POST", f"/api/drills/{drill}/start/")
    return drill


def test_a_tone_deaf_reply_sets_off_a_backlash_under_it(sign_in, server):
    drill = reacting_drill(server)
    alice = open_room(sign_in, server, "alice", drill)
    bob = open_room(sign_in, server, "bob", drill)

    alice.locator(FIRST_COMPLAINT).first.get_by_role("button", name="Reply").click()
    alice.fill("[data-composer-text]", TONE_DEAF)
    alice.click("[data-composer-submit]")
    for step in (1, 2, 3):
        item = bob.locator(f".queue-item[data-step='{step}']")
        item.get_by_role("button", name="Approve").click()
        expect(item).to_have_count(0)

    reply = alice.locator(f"{FIRST_COMPLAINT} .reply.reply-backlash").first
    expect(reply.locator(".reply-head .reaction-backlash")).to_have_text("Backlash", timeout=20_000)
    expect(reply.locator(".reply-reactions .post")).to_have_count(6, timeout=20_000)
    expect(reply.locator(".reply-reactions .post .reaction-backlash")).to_have_count(6)
    expect(alice.locator("[data-heat]")).to_have_text(re.compile(r"^\d{1,3}$"))
    alice.screenshot(path="/tmp/room-backlash.png", full_page=True)

    # Right to left in Hebrew, the marker in Hebrew too.
    hebrew = sign_in("alice", "he-IL")
    hebrew.goto(f"{server['url']}/drills/{drill}/")
    marker = hebrew.locator(f"{FIRST_COMPLAINT} .reply-backlash .reply-head .reaction-backlash").first
    expect(marker).to_have_text("תגובת נגד")
    hebrew.screenshot(path="/tmp/room-backlash-he.png", full_page=True)
