"""The room in another language: the words the modules write come from the JavaScript catalog."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api

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
