"""The debrief: a short drill played through the API at ×100, then its scorecard read and printed as alice."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api, wait_for

pytestmark = pytest.mark.browser

REPLY = "We are sorry: card payments fail at checkout. We are working on it, next update within the hour."
NOTE = "Good apology; the reporter's email waited too long."
BOTS = ["reviewer", "legal", "spokesperson"]


def outage_id(instructor) -> int:
    """The id of the shared checkout-outage scenario, as the instructor's library lists it."""
    return next(s["id"] for s in instructor("GET", "/api/scenarios/") if s["title"].startswith("Checkout outage"))


def play_one_reply(server, *, title: str, text: str) -> tuple[int, int]:
    """A checkout-outage drill at x100: alice drafts, bots hold every other seat; her reply `text` to the first
    complaint is published, then the instructor ends the drill. (drill id, response id)."""
    instructor, alice = api(server, "instructor"), api(server, "alice")
    people = {m["username"]: m["id"] for m in instructor("GET", "/api/members/")}
    seats = [{"user": people["alice"], "role": "drafter"}]
    body = {"scenario": outage_id(instructor), "speed": 100, "title": title, "seats": seats, "bots": BOTS}
    drill = instructor("POST", "/api/drills/", body)["id"]
    instructor("POST", f"/api/drills/{drill}/start/")

    def first_complaint():
        events = alice("GET", f"/api/drills/{drill}/events/?after=0")["events"]
        published = [e for e in events if e["kind"] == "inject.published" and e["data"]["key"] == "first-complaint"]
        return published[0]["data"]["id"] if published else None

    reply = alice("POST", f"/api/drills/{drill}/responses/", {"reply_to": [wait_for(first_complaint)], "text": text})
    alice("POST", f"/api/drills/{drill}/responses/{reply['id']}/submit/")
    wait_for(lambda: alice("GET", f"/api/drills/{drill}/responses/{reply['id']}/")["status"] == "published")
    instructor("POST", f"/api/drills/{drill}/finish/")
    return drill, reply["id"]


@pytest.fixture(scope="module")
def played_drill(server) -> int:
    """One reply published (play_one_reply), and a debrief note on it."""
    instructor, alice = api(server, "instructor"), api(server, "alice")
    drill, _ = play_one_reply(server, title="Scorecard journey", text=REPLY)
    published = next(
        e for e in alice("GET", f"/api/drills/{drill}/events/?after=0")["events"] if e["kind"] == "response.published"
    )
    instructor("POST", f"/api/drills/{drill}/notes/", {"event_seq": published["seq"], "text": NOTE})
    return drill


def test_alice_reads_her_scorecard_with_its_charts_and_prints_it(sign_in, server, played_drill):
    drill = played_drill
    overall = api(server, "alice")("GET", f"/api/drills/{drill}/scorecard/")["overall"]
    page = sign_in("alice")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server['url']}/drills/{drill}/scorecard/")

    expect(page.locator("h1")).to_have_text("Scorecard journey")
    expect(page.locator("[data-overall] .overall-value")).to_have_text(f"{overall:.1f}")
    timeline = page.locator("svg.chart-timeline")
    expect(timeline).to_be_visible()
    assert timeline.locator("polygon").count() >= 2  # inject marks (and the heat area)
    assert timeline.locator("rect[height='10']").count() >= 2  # reply bars (and the legend swatches)
    expect(timeline.locator("polyline")).to_have_count(1)  # the heat curve
    waits = page.locator("svg.chart-waits")
    expect(waits).to_be_visible()
    assert waits.locator("rect[height='14']").count() == 3  # one median bar per bot-decided step
    expect(page.locator("[data-reply] .chip-ok").first).to_contain_text("apology")
    expect(page.locator(".note-list")).to_contain_text(NOTE)
    expect(page.locator("[data-print]")).to_be_visible()  # the module loaded despite the strict CSP
    assert not [e for e in errors if "Content Security Policy" in e]
    page.screenshot(path="/tmp/scorecard.png", full_page=True)

    page.emulate_media(media="print")
    expect(page.locator(".report-actions")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    page.pdf(path="/tmp/scorecard.pdf", format="A4", print_background=True)
    with open("/tmp/scorecard.pdf", "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_progress_page_lists_the_drill(sign_in, server, played_drill):
    drill = played_drill
    scenario = api(server, "alice")("GET", f"/api/drills/{drill}/")["scenario"]["id"]
    page = sign_in("alice")
    page.goto(f"{server['url']}/scenarios/{scenario}/progress/")
    row = page.locator(f"[data-progress] tr[data-drill='{drill}']")
    expect(row).to_contain_text("Scorecard journey")
    expect(page.locator("svg.chart-progress circle").first).to_be_visible()
    row.get_by_role("link").click()
    expect(page.locator("svg.chart-timeline")).to_be_visible()
