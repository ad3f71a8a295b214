"""Evaluation in the room: an observer rates two tasks during a drill and the instructor sees them live; the
participant never sees the panel; the finished scorecard counts the ratings (PROTOCOL.md 1.6)."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.browser.test_drill_room import FIRST_COMPLAINT, open_room

pytestmark = pytest.mark.browser

TASKS = [
    {"key": "acknowledge", "task": "Acknowledge the outage within 15 minutes", "capability": "Public information"},
    {"key": "legal-check", "task": "Have legal review every statement"},
]


def evaluated_drill(server) -> int:
    """Checkout outage with an evaluation guide: alice drafts, bob reviews, olivia observes, bots for the rest."""
    call = api(server, "instructor")
    outage = next(s for s in call("GET", "/api/scenarios/") if s["title"].startswith("Checkout outage"))
    spec = call("GET", f"/api/scenarios/{outage['id']}/")["spec"]
    scenario = call("POST", "/api/scenarios/", {"spec": {**spec, "title": "Evaluated outage", "evaluation": TASKS}})
    call("POST", f"/api/scenarios/{scenario['id']}/publish/")
    people = {m["username"]: m["id"] for m in call("GET", "/api/members/")}
    seats = [
        {"user": people["alice"], "role": "drafter"},
        {"user": people["bob"], "role": "reviewer"},
        {"user": people["olivia"], "role": "observer"},
    ]
    body = {"scenario": scenario["id"], "speed": 20, "seats": seats, "bots": ["legal", "spokesperson"]}
    return call("POST", "/api/drills/", body)["id"]


def test_an_observer_rates_two_tasks_and_the_instructor_sees_them_live(sign_in, server, tmp_path):
    drill_id = evaluated_drill(server)
    instructor = open_room(sign_in, server, "instructor", drill_id)
    olivia = open_room(sign_in, server, "olivia", drill_id)
    alice = open_room(sign_in, server, "alice", drill_id)
    api(server, "instructor")("POST", f"/api/drills/{drill_id}/start/")
    expect(olivia.locator(FIRST_COMPLAINT).first).to_be_visible()

    acknowledge = olivia.locator("[data-task='acknowledge']")
    acknowledge.locator("[data-task-note]").fill("Holding statement out in 4 minutes")
    acknowledge.get_by_role("button", name="P", exact=True).click()
    olivia.locator("[data-task='legal-check'] [data-rating='M']").click()
    olivia.locator(FIRST_COMPLAINT).first.get_by_role("button", name="Note this event").click()
    olivia.fill("#observe-text", "The drafter hesitated on this complaint")
    olivia.get_by_role("button", name="Record").click()

    seen = instructor.locator("[data-observations] .observation")
    expect(seen).to_have_count(3)
    expect(seen.filter(has_text="Holding statement out in 4 minutes")).to_contain_text("P")
    expect(seen.filter(has_text="Performed with major challenges")).to_contain_text("Have legal review")
    expect(seen.filter(has_text="The drafter hesitated")).to_contain_text("event #")
    expect(seen.first.locator("[data-edit-observation]")).to_have_count(0)  # only the author edits
    olivia.screenshot(path=str(tmp_path / "observer.png"), full_page=True)
    instructor.screenshot(path=str(tmp_path / "instructor.png"), full_page=True)

    mine = olivia.locator("[data-observations] .observation").filter(has_text="Holding statement")
    mine.locator("[data-edit-observation]").click()
    olivia.locator(".observation-editor textarea").fill("Holding statement out in 3 minutes")
    olivia.locator(".observation-editor").get_by_role("button", name="Save").click()
    expect(seen.filter(has_text="out in 3 minutes")).to_have_count(1)

    expect(alice.locator("[data-evaluation]")).to_have_count(0)
    expect(alice.locator(".post-note-button")).to_have_count(0)
    assert "Holding statement" not in alice.content()

    api(server, "instructor")("POST", f"/api/drills/{drill_id}/finish/")
    alice.goto(f"{server['url']}/drills/{drill_id}/scorecard/")
    row = alice.locator("[data-task='acknowledge']")
    expect(row).to_contain_text("Acknowledge the outage within 15 minutes")
    expect(alice.locator("#evaluation .observation-list li")).to_have_count(3)
    alice.screenshot(path=str(tmp_path / "scorecard.png"), full_page=True)


def test_the_panel_in_hebrew_reads_right_to_left(sign_in, server, tmp_path):
    drill_id = evaluated_drill(server)
    page = sign_in("olivia", locale="he-IL")
    page.goto(f"{server['url']}/drills/{drill_id}/")
    panel = page.locator("[data-evaluation]")

    expect(panel.locator("h2")).to_have_text("הערכה")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    panel.screenshot(path=str(tmp_path / "panel.he.png"))


def test_the_editor_preview_lists_the_tasks_as_the_author_writes_them(sign_in, server):
    evaluated_drill(server)  # publishes "Evaluated outage"
    call = api(server, "instructor")
    scenario = next(s for s in call("GET", "/api/scenarios/") if s["title"] == "Evaluated outage")
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/{scenario['id']}/")

    tasks = page.locator("#evaluation-tasks li")
    expect(tasks).to_have_count(2)
    expect(tasks.first).to_contain_text("Acknowledge the outage within 15 minutes · Public information")
    expect(page.locator("#evaluation-title")).to_be_visible()
