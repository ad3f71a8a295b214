"""The living crowd as a team lives it (issue 15): a tone-deaf reply a human reviewer let through sets off a backlash
under it and the heat jumps, a good reply gets support, the listening panel's negative share rises, a participant
flags the quiet post and the team sees the pin, card counters grow, and the instructor's console shows the reach of
the negative posts nobody answered."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.client import api, wait_for
from tests.browser.test_drill_room import REPLY, approve_in_queue, open_room
from tests.browser.test_reactions import REACTIONS, TONE_DEAF, reacting_drill
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

QUIET = "Got a text from ShopLine asking me to verify my card number. Anyone else?"
QUESTION = "Is checkout down for everyone or just me?"
COMPLAINT = "Card declined 5 times at ShopLine checkout"
# A quiet signal among the noise, and a second post to answer well; both before the pile-on at 4m.
EXTRA_INJECTS = f"""  - key: quiet-hint
    at: 20s
    platform: x
    persona: angry_customer
    text: "{QUIET}"
    severity: 1
    sentiment: neutral
    signal: true
  - key: question
    at: 40s
    platform: x
    persona: angry_customer
    text: "{QUESTION}"
    severity: 2
    requires_response: true
"""


def card(page, text: str):
    """The feed card of the post with that text (not the cards threaded under it, nor its pin)."""
    return page.locator(".post > .post-text", has_text=text).locator("xpath=..")


def living_crowd_drill(server) -> int:
    text = (SHARED_SCENARIOS / "checkout-outage.en.yaml").read_text(encoding="utf-8") + REACTIONS
    text = text.replace("  - key: pile-on\n", EXTRA_INJECTS + "  - key: pile-on\n", 1)
    return reacting_drill(server, text, speed=10)  # a simulated minute is 6 s: time to approve before the pile-on


def heat(page) -> int:
    return int(page.locator("[data-heat]").text_content())


def negative_share(page) -> int:
    found = re.search(r"negative (\d+)%", page.locator("[data-listening-shares-text]").text_content())
    return int(found[1]) if found else 0


def views(card) -> int:
    """The exact views of a card's counters (their tooltip; the text shows the short form)."""
    label = card.locator(":scope > .post-foot > .post-engagement").get_attribute("title") or ""
    found = re.search(r"([\d,]+) views", label)
    return int(found[1].replace(",", "")) if found else 0


def publish(drafter, approver, post: str, text: str) -> None:
    card(drafter, post).locator(":scope > .post-foot .post-reply-button").click()
    drafter.fill("[data-composer-text]", text)
    drafter.click("[data-composer-submit]")
    for step in (1, 2, 3):
        approve_in_queue(approver, step, text)


def test_the_crowd_reacts_grows_and_is_heard(sign_in, server):
    drill = living_crowd_drill(server)
    alice = open_room(sign_in, server, "alice", drill)
    bob = open_room(sign_in, server, "bob", drill)
    instructor = open_room(sign_in, server, "instructor", drill)

    # Bob flags the quiet post; the whole team sees it pinned, and only the instructor sees it was a signal.
    bob.once("dialog", lambda dialog: dialog.accept("Looks like phishing"))
    card(bob, QUIET).locator(".post-flag-button").click()
    for page in (alice, bob, instructor):
        expect(page.locator(".feed-pins .feed-pin")).to_contain_text(QUIET)
        expect(page.locator(".feed-pins .pin-note")).to_have_text("Looks like phishing")
    expect(card(instructor, QUIET).locator(".post-signal")).to_be_visible()
    expect(alice.locator(".post-signal")).to_have_count(0)

    # Counters show on the cards and grow with simulated time.
    complaint = card(alice, COMPLAINT)
    expect(complaint.locator(".post-foot > .post-engagement")).to_have_text(re.compile(r"♥ \S+ · ⇄ \S+ · ◉ \S+"))
    first_views = views(complaint)
    wait_for(lambda: views(complaint) > first_views)

    # The tone-deaf reply: bob approves it, the backlash lands under it, heat jumps, the negative share rises.
    expect(card(alice, QUESTION)).to_be_visible()
    wait_for(lambda: negative_share(alice) > 0)
    share_before = negative_share(alice)
    heat_before = heat(alice)
    publish(alice, bob, COMPLAINT, TONE_DEAF)
    backlash = alice.locator(".reply.reply-backlash")
    expect(backlash.locator(".reply-head .reaction-backlash")).to_have_text("Backlash", timeout=20_000)
    # The backlash's heat (20), less a minute's decay at most; the meter stops at 100.
    wait_for(lambda: heat(alice) >= min(heat_before + 15, 100))
    expect(backlash.locator(".reply-reactions .post")).to_have_count(6, timeout=20_000)
    wait_for(lambda: negative_share(alice) > share_before)

    # The good reply gets support under it, and no backlash marker.
    publish(alice, bob, QUESTION, REPLY)
    good = card(alice, QUESTION).locator(".reply").first
    expect(good.locator(".reply-reactions .post .reaction-support")).to_have_count(3, timeout=20_000)
    expect(good.locator(".reaction-backlash")).to_have_count(0)
    expect(good.locator(".reply-engagement")).to_have_text(re.compile(r"♥ \S+ · ⇄ \S+ · ◉ \S+"), timeout=20_000)

    # Paused, the numbers hold still: the console's reach is the views of the unanswered negative posts of the log.
    api(server, "instructor")("POST", f"/api/drills/{drill}/pause/")
    expect(instructor.locator("[data-status-badge]")).to_have_text("Paused")
    events = api(server, "instructor")("GET", f"/api/drills/{drill}/events/")["events"]
    expected = unanswered_negative_views(events)
    assert expected > 0
    reach = instructor.locator(".console-reach [data-reach]")
    expect(reach).to_have_attribute("title", f"{expected:,}")
    logged = instructor.locator("[data-log] tr", has=instructor.locator("code", has_text="engagement")).first
    expect(logged).to_contain_text(re.compile(r"New counters: \d+ posts, \d+ replies"))
    # A room opened now draws each card's last counters once, from the whole log.
    latecomer = open_room(sign_in, server, "bob", drill)
    expect(card(latecomer, COMPLAINT).locator(":scope > .post-foot > .post-engagement")).to_be_visible()
    assert views(card(latecomer, COMPLAINT)) == latest_views(events, COMPLAINT)
    listening = alice.locator("[data-listening]")
    expect(listening.locator("[data-listening-spark] .spark-bar")).to_have_count(15)
    expect(listening.locator("[data-listening-terms] li").first).to_be_visible()
    expect(listening.locator("[data-listening-views]")).not_to_have_text("0")
    alice.screenshot(path="/tmp/journey-living-crowd-alice.png", full_page=True)
    instructor.screenshot(path="/tmp/journey-living-crowd-instructor.png", full_page=True)


def test_the_listening_panel_speaks_the_page_language(sign_in, server):
    drill = reacting_drill(server, speed=1)  # the first post comes 30 s after the start
    page = sign_in("alice", "fr-FR")
    page.goto(f"{server['url']}/drills/{drill}/")
    panel = page.locator("[data-listening]")
    # Nothing published yet: say so, rather than 0% three times and an empty list.
    expect(panel.locator("[data-listening-shares-text]")).to_have_text("Aucune publication ces cinq dernières minutes")
    expect(panel.locator("[data-listening-shares]")).to_be_hidden()
    expect(panel.locator("[data-listening-terms-empty]")).to_have_text("Aucun mot répété pour l’instant")

    api(server, "instructor")("POST", f"/api/drills/{drill}/speed/", {"speed": 50})
    expect(page.locator(".post").first).to_be_visible()
    # French writes a no-break space before the percent sign.
    shares = panel.locator("[data-listening-shares-text]")
    expect(shares).to_have_text(re.compile(r"^négatif \d+"))
    assert re.match(r"négatif \d+\s% · neutre \d+\s% · positif \d+\s%$", shares.text_content())
    expect(panel.locator("[data-listening-terms-empty]")).to_be_hidden()
    counters = page.locator(".post-foot > .post-engagement").first
    expect(counters.locator(".visually-hidden")).to_have_text(re.compile(r"^[\d\u202f]+ j'aime, "), timeout=20_000)
    page.screenshot(path="/tmp/journey-listening-fr.png", full_page=True)


LONG_TAG = "#ShopLineCheckoutMeltdownOnBlackFridayAgainAndAgain"


def test_a_long_hashtag_stays_inside_the_panel(sign_in, server):
    drill = reacting_drill(server, speed=1)
    for _ in range(2):
        inject = {"platform": "x", "text": f"{LONG_TAG} still broken", "severity": 1, "requires_response": False}
        api(server, "instructor")("POST", f"/api/drills/{drill}/injects/", inject)
    page = sign_in("alice", "he-IL")
    page.goto(f"{server['url']}/drills/{drill}/")
    panel = page.locator("[data-listening]")
    expect(panel.locator("[data-listening-terms] li").first).to_contain_text(LONG_TAG.lower())
    assert panel.evaluate("node => node.scrollWidth <= node.clientWidth")


def latest_views(events: list[dict], text: str) -> int:
    post = next(
        e["data"]["id"] for e in events if e["kind"] == "inject.published" and e["data"]["text"].startswith(text)
    )
    told = [
        entry for e in events if e["kind"] == "engagement" for entry in e["data"]["posts"] if entry["inject"] == post
    ]
    return told[-1]["views"]


def unanswered_negative_views(events: list[dict]) -> int:
    """What the console must show, worked out from the log: the latest views of every negative post with no reply."""
    negative, answered, latest = set(), set(), {}
    for event in events:
        data = event["data"]
        if event["kind"] == "inject.published" and data.get("sentiment") == "negative":
            negative.add(data["id"])
        elif event["kind"] == "response.published":
            answered.update(data["reply_to"])
        elif event["kind"] == "engagement":
            latest.update({entry["inject"]: entry["views"] for entry in data["posts"]})
    return sum(latest.get(post, 0) for post in negative - answered)
