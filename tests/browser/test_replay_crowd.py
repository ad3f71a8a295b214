"""The replay shows what the room showed at the chosen moment (issue 15): a flag pinned with who, when and its note, a
backlash threaded under the reply it answers, the cards' counters as of that moment, and the signal the finished
scorecard revealed. Scrubbing back before them takes them off; playing forward gives the same feed as a jump."""

import math
import re

import pytest
from playwright.sync_api import expect

from tests.browser.client import api, wait_for
from tests.browser.test_replay import scrub
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

TONE_DEAF = "This is not our fault: the payment provider failed."
NOTE = "<b>declined</b> cards: an early sign"
REACTIONS = "reactions:\n  backlash: {count: 3, over: 30s, heat: 20}\n"
FLAGGED = re.compile(r"(^|\s)post-flagged(\s|$)")


def crowd_drill(server) -> tuple[int, list[dict]]:
    """The checkout outage with its first complaint a signal and a backlash to tone-deaf replies, at ×100. Alice
    flags the first complaint and answers it tone-deaf; bob approves every step; finished once the backlash is out
    and the counters have moved twice. Returns the drill and its log."""
    instructor, alice, bob = api(server, "instructor"), api(server, "alice"), api(server, "bob")
    text = (SHARED_SCENARIOS / "checkout-outage.en.yaml").read_text(encoding="utf-8") + REACTIONS
    text = text.replace("    respond_within: 5m\n", "    respond_within: 5m\n    signal: true\n", 1)
    scenario = instructor("POST", "/api/scenarios/", {"spec": text})["id"]
    instructor("POST", f"/api/scenarios/{scenario}/publish/")
    people = {m["username"]: m["id"] for m in instructor("GET", "/api/members/")}
    seats = [{"user": people["alice"], "role": "drafter"}] + [
        {"user": people["bob"], "role": role} for role in ("reviewer", "legal", "spokesperson")
    ]
    body = {"scenario": scenario, "speed": 100, "title": "Replay crowd", "seats": seats}
    drill = instructor("POST", "/api/drills/", body)["id"]
    instructor("POST", f"/api/drills/{drill}/start/")

    def log(kind):
        return [e for e in alice("GET", f"/api/drills/{drill}/events/?after=0")["events"] if e["kind"] == kind]

    first = wait_for(lambda: log("inject.published"))[0]["data"]["id"]
    alice("POST", f"/api/drills/{drill}/flags/", {"inject": first, "note": NOTE})
    reply = alice("POST", f"/api/drills/{drill}/responses/", {"reply_to": [first], "text": TONE_DEAF})["id"]
    alice("POST", f"/api/drills/{drill}/responses/{reply}/submit/")
    for step in (1, 2, 3):
        bob("POST", f"/api/drills/{drill}/responses/{reply}/approve/", {"step": step})
    wait_for(lambda: len([e for e in log("inject.published") if e["data"].get("reaction")]) == 3)
    wait_for(lambda: len(counters_of(log("engagement"), first)) >= 2)
    instructor("POST", f"/api/drills/{drill}/finish/")
    return drill, alice("GET", f"/api/drills/{drill}/events/?after=0")["events"]


def counters_of(events: list[dict], inject: int) -> list[tuple[int, dict]]:
    """(moment, counters) of every engagement event that names the post."""
    return [
        (e["sim_ms"], p)
        for e in events
        if e["kind"] == "engagement"
        for p in e["data"]["posts"]
        if p["inject"] == inject
    ]


def after(ms: int) -> int:
    return math.ceil(ms / 1000) * 1000  # the first whole second of the scrubber that shows the event


def before(ms: int) -> int:
    return (ms - 1) // 1000 * 1000


def sim(ms: int) -> str:
    return f"{ms // 60000}:{ms // 1000 % 60:02d}"


def label(counters: dict) -> str:
    return f"{counters['likes']} likes, {counters['shares']} shares, {counters['views']} views"


@pytest.fixture(scope="module")
def crowd(server):
    return crowd_drill(server)


def said_first(sentence: str) -> re.Pattern:
    """The counters' tooltip: their sentence, then how many views they gained, if any."""
    return re.compile("^" + re.escape(sentence) + "($|; )")


def test_flags_backlash_and_counters_come_and_go_with_the_scrubber(sign_in, server, crowd):
    drill, events = crowd
    first = next(e for e in events if e["kind"] == "inject.published")["data"]["id"]
    flag = next(e for e in events if e["kind"] == "inject.flagged")
    reply_ms = next(e["sim_ms"] for e in events if e["kind"] == "response.published")
    reactions = [e["sim_ms"] for e in events if e["kind"] == "inject.published" and e["data"].get("reaction")]
    (seen_ms, seen), (grown_ms, grown) = counters_of(events, first)[:2]
    alice_name = next(s["display_name"] for s in api(server, "alice")("GET", f"/api/drills/{drill}/")["seats"])
    end = after(events[-1]["sim_ms"])
    page = sign_in("alice")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server['url']}/drills/{drill}/replay/")
    expect(page.locator("[data-controls]")).to_be_visible()
    expect(page.locator("[data-marks] .mark-flag")).to_have_count(1)
    card = page.locator(f"[data-feed] > [data-inject='{first}']")
    counters = card.locator(":scope > .post-foot > .post-engagement")

    # The end: the pin with who, when and the note (as text), the backlash under the reply, the signal revealed.
    scrub(page, end)
    pin = page.locator(".feed-pins .feed-pin")
    expect(pin).to_have_count(1)
    expect(pin.locator(".pin-flag")).to_have_text(f"flagged by {alice_name} at {sim(flag['sim_ms'])}{NOTE}")
    expect(pin.locator(".pin-note")).to_have_text(NOTE)
    expect(card).to_have_class(FLAGGED)
    reply = card.locator(".reply.reply-backlash")
    expect(reply.locator(".reply-head .reaction-backlash")).to_have_text("Backlash")
    expect(reply.locator(".reply-reactions .post .reaction-backlash")).to_have_count(3)
    expect(card.locator(".post-signal")).to_have_text("signal")
    expect(page.locator(".post-signal")).to_have_count(1)
    page.screenshot(path="/tmp/replay-crowd-en.png", full_page=True)

    # Back before the flag (rebuilt): no pin, the card unflagged; the signal stays (the drill is finished).
    scrub(page, before(flag["sim_ms"]))
    expect(page.locator(".feed-pin")).to_have_count(0)
    expect(page.locator(".feed-pins")).to_be_hidden()
    expect(card).not_to_have_class(FLAGGED)
    expect(card.locator(".post-signal")).to_have_count(1)

    # The counters as of each moment: none before the first event that names the post, then each event's.
    scrub(page, before(seen_ms))
    expect(counters).to_have_count(0)
    scrub(page, after(seen_ms))
    expect(counters).to_have_attribute("title", said_first(label(seen)))
    scrub(page, after(grown_ms))
    expect(counters).to_have_attribute("title", said_first(label(grown)))
    scrub(page, end)
    scrub(page, after(seen_ms))  # back again: rebuilt from the log, the first counters
    expect(counters).to_have_attribute("title", said_first(label(seen)))

    # The backlash: before the reply, nothing; back from the end to its first comment, threaded under the reply.
    scrub(page, before(reply_ms))
    expect(page.locator("[data-feed] .reply")).to_have_count(0)
    expect(page.locator(".reaction-tag")).to_have_count(0)
    scrub(page, end)
    moment = after(reactions[0])
    scrub(page, moment)
    shown = sum(1 for ms in reactions if ms <= moment)
    expect(card.locator(".reply-reactions .post")).to_have_count(shown)
    expect(page.locator("[data-feed] > li.post > .post-head .reaction-tag")).to_have_count(
        0
    )  # none left out of the thread
    jumped = page.locator("[data-feed]").inner_text()

    # Played forward from before the flag to the same moment: the same feed as the jump back.
    scrub(page, before(flag["sim_ms"]))
    scrub(page, moment)
    assert page.locator("[data-feed]").inner_text() == jumped
    assert not errors


def test_the_replay_crowd_reads_right_to_left_in_hebrew(sign_in, server, crowd):
    drill, events = crowd
    page = sign_in("alice", locale="he-IL")
    page.goto(f"{server['url']}/drills/{drill}/replay/")
    expect(page.locator("[data-controls]")).to_be_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    scrub(page, after(events[-1]["sim_ms"]))
    expect(page.locator(".reply-backlash .reply-head .reaction-backlash")).to_have_text("תגובת נגד")
    expect(page.locator(".feed-pin .pin-note")).to_have_text(NOTE)
    expect(page.locator(".post-signal")).to_have_count(1)
    page.screenshot(path="/tmp/replay-crowd-he.png", full_page=True)
