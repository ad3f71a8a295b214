"""The room in another language: the words the modules write come from the JavaScript catalog."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

# What the room's scripts write, per language: the feed's reply button before and after it is chosen,
# and the connection state once the websocket is up.
WORDS = {
    "he": {"dir": "rtl", "reply": "תגובה", "selected": "נבחר", "live": "מחובר"},
    "fr": {"dir": "ltr", "reply": "Répondre", "selected": "Sélectionné", "live": "En direct"},
}


def running_outage(server) -> int:
    """Checkout outage at ×50, alice drafting, bots at every other step, started."""
    instructor = api(server, "instructor")
    outage = next(s for s in instructor("GET", "/api/scenarios/") if s["title"].startswith("Checkout outage"))
    alice = next(m["id"] for m in instructor("GET", "/api/members/") if m["username"] == "alice")
    body = {
        "scenario": outage["id"],
        "speed": 50,
        "seats": [{"user": alice, "role": "drafter"}],
        "bots": ["reviewer", "legal", "spokesperson"],
    }
    drill = instructor("POST", "/api/drills/", body)["id"]
    instructor("POST", f"/api/drills/{drill}/start/")
    return drill


@pytest.mark.parametrize("language", WORDS)
def test_the_room_scripts_speak_the_page_language(sign_in, server, language):
    words = WORDS[language]
    drill = running_outage(server)
    page = sign_in("alice")
    page.select_option("#language", language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{server['url']}/drills/{drill}/")
    expect(page.locator("html")).to_have_attribute("dir", words["dir"])
    expect(page.locator("[data-connection-text]")).to_have_text(words["live"])

    reply = page.locator(".post-reply-button:not([disabled])").first
    expect(reply).to_have_text(words["reply"])
    reply.click()
    expect(page.locator(".post-selected .post-reply-button").first).to_have_text(words["selected"])
    expect(page.locator("[data-composer-title]")).to_have_text(words["reply"])


def recall_with_custom_role(server) -> int:
    """The Hebrew food-recall scenario with its reviewer step renamed to a role of the author's own, published;
    alice drafts, bots hold the other steps, started at ×50."""
    instructor = api(server, "instructor")
    text = (SHARED_SCENARIOS / "food-recall.he.yaml").read_text(encoding="utf-8")
    text = text.replace("{role: reviewer", "{role: comms_lead").replace("title: ", "title: תפקיד משלנו · ", 1)
    scenario = instructor("POST", "/api/scenarios/", {"spec": text})["id"]
    instructor("POST", f"/api/scenarios/{scenario}/publish/")
    alice = next(m["id"] for m in instructor("GET", "/api/members/") if m["username"] == "alice")
    seats = [{"user": alice, "role": "drafter"}]
    body = {"scenario": scenario, "speed": 50, "seats": seats, "bots": ["comms_lead", "spokesperson"]}
    drill = instructor("POST", "/api/drills/", body)["id"]
    instructor("POST", f"/api/drills/{drill}/start/")
    return drill


def test_the_hebrew_room_names_roles_and_persona_kinds_in_hebrew(sign_in, server):
    drill = recall_with_custom_role(server)
    page = sign_in("alice")
    page.select_option("#language", "he")
    expect(page.locator("html")).to_have_attribute("lang", "he")
    page.goto(f"{server['url']}/drills/{drill}/")
    people = page.locator("[data-people]")
    expect(people.locator(".person").first.locator(".role")).to_have_text("ניסוח")
    # A role the author made up reads as its own words; a usual one in Hebrew.
    expect(people.locator(".person-bot .person-name")).to_have_text(["בוט Comms lead", "בוט דוברות"])
    expect(page.locator(".persona-kind", has_text="לקוח").first).to_be_visible()
    expect(page.locator(".persona-kind", has_text="ustomer")).to_have_count(0)
    # "@galil_dairy" in a right-to-left post is set apart, so its "@" stays before the name.
    handle = page.locator(".post-text bdi", has_text="@galil_dairy").first
    expect(handle).to_have_text("@galil_dairy", timeout=20_000)
