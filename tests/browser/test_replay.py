"""The replay: a short drill played through the API at ×100, then replayed as alice, scrubbed and played."""

import math

import pytest
from playwright.sync_api import expect

from tests.browser.client import api, wait_for

pytestmark = pytest.mark.browser

MESSAGE = "<img src=x> @bob: legal wants the word 'refund' out"
REPLY = "We are sorry: card payments fail at checkout. We are working on it, next update within the hour."


@pytest.fixture(scope="module")
def replayed(server) -> tuple[int, list[dict]]:
    """Alice drafts, bots hold every other seat; one reply is published, three posts are out, then the end."""
    instructor, alice = api(server, "instructor"), api(server, "alice")
    outage = next(s for s in instructor("GET", "/api/scenarios/") if s["title"].startswith("Checkout outage"))
    people = {m["username"]: m["id"] for m in instructor("GET", "/api/members/")}
    seats = [{"user": people["alice"], "role": "drafter"}]
    body = {"scenario": outage["id"], "speed": 100, "title": "Replay journey", "seats": seats}
    drill = instructor("POST", "/api/drills/", {**body, "bots": ["reviewer", "legal", "spokesperson"]})["id"]
    instructor("POST", f"/api/drills/{drill}/start/")

    def posts():
        events = alice("GET", f"/api/drills/{drill}/events/?after=0")["events"]
        return [e for e in events if e["kind"] == "inject.published"]

    first = wait_for(posts)[0]["data"]["id"]
    reply = alice("POST", f"/api/drills/{drill}/responses/", {"reply_to": [first], "text": REPLY})
    alice("POST", f"/api/drills/{drill}/responses/{reply['id']}/submit/")
    wait_for(lambda: alice("GET", f"/api/drills/{drill}/responses/{reply['id']}/")["status"] == "published")
    wait_for(lambda: len(posts()) >= 3)
    instructor("POST", f"/api/drills/{drill}/finish/")
    return drill, alice("GET", f"/api/drills/{drill}/events/?after=0")["events"]


def room_at(events: list[dict], sim_ms: int) -> dict:
    """What the log says the room showed at a moment: the posts out, the last heat."""
    past = [e for e in events if e["sim_ms"] <= sim_ms]
    heats = [e["data"]["heat"] for e in past if e["kind"] == "heat"]
    posts = sum(1 for e in past if e["kind"] == "inject.published")
    return {"cards": posts, "heat": str(round(heats[-1]) if heats else 0)}


def scrub(page, sim_ms: int) -> None:
    page.locator("[data-scrubber]").fill(str(sim_ms))
    expect(page.locator("[data-clock]")).to_have_text(f"{sim_ms // 60000}:{sim_ms // 1000 % 60:02d}")


def test_alice_scrubs_the_replay_to_three_moments_and_plays_it(sign_in, server, replayed):
    drill, events = replayed
    posts = [e["sim_ms"] for e in events if e["kind"] == "inject.published"]
    end = math.ceil(events[-1]["sim_ms"] / 1000) * 1000
    # Before the first post, just after the second (on the scrubber's whole seconds), the end; then back.
    moments = [max(0, posts[0] - 1000) // 1000 * 1000, math.ceil(posts[1] / 1000) * 1000, end]
    page = sign_in("alice")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server['url']}/drills/{drill}/replay/")
    expect(page.locator("[data-controls]")).to_be_visible()
    marks = page.locator("[data-marks] .mark-inject")
    expect(marks).to_have_count(len(posts))
    expect(page.locator("[data-marks] .mark-reply")).to_have_count(1)

    for moment in [*moments, moments[1]]:  # the last one backward: rebuilt from a snapshot
        scrub(page, moment)
        shown = room_at(events, moment)
        expect(page.locator("[data-feed] > li")).to_have_count(shown["cards"])
        expect(page.locator("[data-feed-count]")).to_have_text(str(shown["cards"]))
        expect(page.locator("[data-heat]")).to_have_text(shown["heat"])
        expect(page.locator("[data-status-badge]")).to_have_text("Finished" if moment == end else "Running")
    expect(page.locator("[data-feed] .reply")).to_have_count(1 if moments[1] >= reply_ms(events) else 0)
    # While the reply climbs the chain, the queue shows it at its step; once published, it is gone.
    submitted = next(e["sim_ms"] for e in events if e["kind"] == "response.submitted")
    waiting = math.ceil(submitted / 1000) * 1000
    scrub(page, waiting)
    assert waiting < reply_ms(events)  # the bots take simulated minutes to decide
    expect(page.locator("[data-queue] > li")).to_have_count(1)
    expect(page.locator("[data-queue] .pill-step")).to_contain_text("Step 1")
    scrub(page, end)
    expect(page.locator("[data-queue] > li")).to_have_count(0)
    expect(page.locator("[data-duration]")).to_have_text(f"{end // 60000}:{end // 1000 % 60:02d}")

    scrub(page, moments[0])
    page.locator("[data-rate]").select_option("50")
    page.locator("[data-play]").click()
    expect(page.locator("[data-play]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-feed] > li").first).to_be_visible(timeout=20_000)  # the clock runs
    page.locator("[data-play]").click()
    assert page.locator("[data-scrubber]").input_value() != str(moments[0])
    assert not [e for e in errors if "Content Security Policy" in e]
    assert not errors
    page.screenshot(path="/tmp/replay-en.png", full_page=True)


def reply_ms(events: list[dict]) -> int:
    return next(e["sim_ms"] for e in events if e["kind"] == "response.published")


def test_the_replay_reads_right_to_left_in_hebrew(sign_in, server, replayed):
    drill, events = replayed
    page = sign_in("alice", locale="he-IL")
    page.goto(f"{server['url']}/drills/{drill}/replay/")
    expect(page.locator("[data-controls]")).to_be_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    end = math.ceil(events[-1]["sim_ms"] / 1000) * 1000
    scrub(page, end)
    expect(page.locator("[data-feed] > li")).to_have_count(room_at(events, end)["cards"])
    marks = page.locator("[data-marks] .mark-inject")
    # The earliest post is marked right of the latest: the scrubber runs right to left, as the range input does.
    assert marks.first.bounding_box()["x"] > marks.last.bounding_box()["x"]
    page.screenshot(path="/tmp/replay-he.png", full_page=True)


def synthetic_log(count: int) -> list[dict]:
    """A long drill's log: a post every tenth event, the heat in between, one event per simulated second."""
    events = []
    for seq in range(1, count + 1):
        if seq % 10 == 1:
            persona = {"name": f"Person {seq}", "handle": f"p{seq}", "kind": "customer", "followers": 10}
            data = {"id": seq, "key": f"k{seq}", "burst_index": None, "platform": "x", "persona": persona}
            data |= {"text": f"Post {seq}", "severity": 2, "requires_response": False, "respond_by_ms": None}
            events.append({"seq": seq, "kind": "inject.published", "sim_ms": seq * 1000, "data": data})
        elif seq == 5:
            data = {"id": 1, "by": 2, "by_name": "Alice", "text": MESSAGE}
            events.append({"seq": seq, "kind": "team.message", "sim_ms": seq * 1000, "data": data})
        else:
            events.append({"seq": seq, "kind": "heat", "sim_ms": seq * 1000, "data": {"heat": seq % 100}})
    return events


# Moves the scrubber as a drag does and waits for the frame after the redraw (the replay draws on the next
# animation frame).
SEEK = """async (simMs) => {
  const scrubber = document.querySelector("[data-scrubber]");
  scrubber.value = String(simMs);
  scrubber.dispatchEvent(new Event("input"));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def test_a_ten_thousand_event_log_loads_page_by_page_and_scrubs_back_and_forth(sign_in, server, replayed):
    drill = replayed[0]
    log = synthetic_log(10_000)
    asked = []

    def events_page(route):
        after = int(route.request.url.rsplit("after=", 1)[1])
        asked.append(after)
        page_events = [e for e in log if e["seq"] > after][:5000]  # the server's page size
        route.fulfill(json={"events": page_events})

    page = sign_in("alice")
    page.route(f"**/api/drills/{drill}/events/*", events_page)
    page.goto(f"{server['url']}/drills/{drill}/replay/")
    expect(page.locator("[data-controls]")).to_be_visible()
    assert asked == [0, 5000, 10_000]
    expect(page.locator("[data-marks] .mark-inject")).to_have_count(1000)
    for moment, cards, heat in [
        (10_000_000, 1000, "0"),
        (2_533_000, 254, "33"),
        (9_999_000, 1000, "99"),
        (12_000, 2, "12"),
    ]:
        page.evaluate(SEEK, moment)
        expect(page.locator("[data-feed-count]")).to_have_text(str(cards))
        expect(page.locator("[data-heat]")).to_have_text(heat)
    expect(page.locator("[data-channel-count]")).to_have_text("1")
    expect(page.locator("[data-channel-list] .message-text")).to_have_text(MESSAGE)  # as text, never as markup
    scrub(page, 4000)
    expect(page.locator("[data-channel-list] li")).to_have_count(0)
