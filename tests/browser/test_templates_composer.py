"""The crisis kit in the room (issue 16): a drafter answers a post from a suggested template, is refused while a
[[slot]] is left, fills it, the chain publishes it, the published reply is the template filled in, and the scorecard
shows the template, the team's edits and the first-statement time."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.client import api, wait_for
from tests.browser.conftest import ROOT
from tests.browser.test_drill_room import FIRST_COMPLAINT, open_room
from tests.conftest import SHARED_SCENARIOS

pytestmark = pytest.mark.browser

APOLOGY = (
    "Hi {persona.handle}, we are sorry: {brand.name} checkout [[what happened]]. "
    "We are working on it and will update you."
)
HEBREW = "שלום {persona.name}, אנחנו מצטערים.[[מה קרה]]נעדכן עד [[שעה]]."


def make_template(server, **fields) -> int:
    """A template of the demo organization, written straight into the test server's database (the library's API is
    another part of issue 16); its id."""
    code = (
        "import json; from accounts.models import Organization; from kit.models import ResponseTemplate; "
        "t = ResponseTemplate.objects.create(organization=Organization.objects.get(slug='demo'), "
        f"**json.loads({json.dumps(fields)!r})); print(t.pk)"
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=server["env"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(run.stdout.strip().splitlines()[-1])


def drill_of(server, document: str, speed: float) -> int:
    """A drill of the shared scenario `document`: alice drafts, bob decides at every other step."""
    instructor = api(server, "instructor")
    text = (SHARED_SCENARIOS / document).read_text(encoding="utf-8")
    scenario = instructor("POST", "/api/scenarios/", {"spec": text})["id"]
    instructor("POST", f"/api/scenarios/{scenario}/publish/")
    people = {m["username"]: m["id"] for m in instructor("GET", "/api/members/")}
    chain = [step["role"] for step in instructor("GET", f"/api/scenarios/{scenario}/")["spec"]["approval_chain"]]
    seats = [{"user": people["alice"], "role": chain[0]}] + [{"user": people["bob"], "role": r} for r in chain[1:]]
    drill = instructor("POST", "/api/drills/", {"scenario": scenario, "speed": speed, "seats": seats})["id"]
    instructor("POST", f"/api/drills/{drill}/start/")
    return drill


def selected(page) -> str:
    return page.eval_on_selector(
        "[data-composer-text]", "area => area.value.slice(area.selectionStart, area.selectionEnd)"
    )


def events(server, drill: int, kind: str) -> list[dict]:
    log = api(server, "alice")("GET", f"/api/drills/{drill}/events/?after=0")["events"]
    return [e["data"] for e in log if e["kind"] == kind]


def test_a_reply_from_a_suggested_template_is_published_with_its_slot_filled(sign_in, server):
    template = make_template(
        server,
        name="Card declined apology",
        kind="apology",
        language="en",
        platforms=["x"],
        tags=["checkout", "card"],
        text=APOLOGY,
    )
    drill = drill_of(server, "checkout-outage.en.yaml", speed=20)
    alice = open_room(sign_in, server, "alice", drill)
    bob = open_room(sign_in, server, "bob", drill)

    post = alice.locator(FIRST_COMPLAINT).first
    post.get_by_role("button", name="Reply").click()
    suggestion = alice.locator(".template-pick", has_text="Card declined apology")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".template-filled")).to_contain_text("ShopLine checkout [[what happened]]")
    expect(suggestion.locator("mark.slot")).to_have_text("[[what happened]]")
    alice.screenshot(path="/tmp/composer-templates.png", full_page=True)

    suggestion.click()
    card = json.loads(alice.eval_on_selector(FIRST_COMPLAINT, "card => JSON.stringify(card.textContent)"))
    filled = alice.input_value("[data-composer-text]")
    assert filled.split(",")[0].removeprefix("Hi ").startswith("@")
    assert filled.split(",")[0].removeprefix("Hi ") in card  # the handle of the post's persona, as the room shows it
    assert "ShopLine checkout [[what happened]]." in filled
    assert selected(alice) == "[[what happened]]"  # the cursor jumped to the slot
    expect(alice.locator("[data-composer-slots] .slot-chip")).to_have_text(["[[what happened]]"])

    alice.click("[data-composer-submit]")
    refusal = "Fill in [[what happened]] first: a reply goes up the chain only with every slot filled in."
    expect(alice.locator("[data-composer-status]")).to_have_text(refusal)
    assert selected(alice) == "[[what happened]]"
    assert events(server, drill, "response.drafted") == []  # nothing went out
    alice.locator("[data-composer]").screenshot(path="/tmp/composer-refused.png")

    # Saved as a draft it may be; the server refuses to send it up the chain from "My replies" as well.
    alice.click("[data-composer-save]")
    expect(alice.locator("[data-composer-status]")).to_contain_text("saved")
    alice.locator("[data-mine] .mine-item").get_by_role("button", name="Submit").click()
    expect(alice.locator(".toast-error span")).to_have_text(refusal)
    assert events(server, drill, "response.submitted") == []

    alice.locator("[data-composer-slots] .slot-chip").click()
    assert selected(alice) == "[[what happened]]"
    alice.keyboard.type("failed for some cards between 9:00 and 9:20")
    expect(alice.locator("[data-composer-slots]")).to_be_hidden()
    alice.click("[data-composer-submit]")
    expect(alice.locator("[data-composer-status]")).to_have_text("Submitted for approval.")

    for step in (1, 2, 3):
        item = bob.locator(f".queue-item[data-step='{step}']")
        item.get_by_role("button", name="Approve").click()
        expect(item).to_have_count(0)

    published = wait_for(lambda: events(server, drill, "response.published"))
    expected = filled.replace("[[what happened]]", "failed for some cards between 9:00 and 9:20")
    assert [p["text"] for p in published] == [expected]
    assert [d["template"] for d in events(server, drill, "response.drafted")] == [template]
    expect(post.locator(".reply").first).to_contain_text("failed for some cards between 9:00 and 9:20")

    # The debrief: the scorecard names the template, shows the team's words against it, and the first statement.
    api(server, "instructor")("POST", f"/api/drills/{drill}/finish/")
    card = api(server, "alice")("GET", f"/api/drills/{drill}/scorecard/")
    (reply,) = card["replies"]
    assert reply["template"]["name"] == "Card declined apology" and 0 < reply["edited_share"] < 0.5
    alice.goto(f"{server['url']}/drills/{drill}/scorecard/")
    minutes = f"{round(card['first_statement_s'] / 60, 1):g}"
    expect(alice.locator("[data-first-statement]")).to_contain_text(f"First public statement after {minutes} min")
    compare = alice.locator("[data-reply] [data-template-compare]")
    expect(compare).to_contain_text("Card declined apology")
    expect(compare.locator("[data-final-text] ins")).to_contain_text(["failed for some cards between 9:00 and 9:20"])


def test_hebrew_slots_next_to_hebrew_words_right_to_left(sign_in, server):
    make_template(server, name="התנצלות חלב", kind="apology", language="he", platforms=[], tags=["חלב"], text=HEBREW)
    drill = drill_of(server, "food-recall.he.yaml", speed=20)
    alice = sign_in("alice", "he-IL")
    alice.goto(f"{server['url']}/drills/{drill}/")
    expect(alice.locator("[data-connection='live']")).to_be_visible()
    expect(alice.locator("html")).to_have_attribute("dir", "rtl")

    post = alice.locator(".post[data-platform='facebook']:not(.post-burst)").first
    post.get_by_role("button", name="תגובה").click()
    suggestion = alice.locator(".template-pick", has_text="התנצלות חלב")
    expect(suggestion.locator("mark.slot")).to_have_text(["[[מה קרה]]", "[[שעה]]"])
    suggestion.click()

    assert selected(alice) == "[[מה קרה]]"
    expect(alice.locator("[data-composer-slots] .slot-chip")).to_have_text(["[[מה קרה]]", "[[שעה]]"])
    alice.locator("[data-composer-slots] .slot-chip").nth(1).click()
    assert selected(alice) == "[[שעה]]"
    alice.keyboard.type("12:00")
    alice.click("[data-composer-submit]")
    expect(alice.locator("[data-composer-status]")).to_have_text(
        "יש למלא את [[מה קרה]] קודם: תגובה עולה בשרשרת רק כשכל המקומות למילוי מולאו."
    )
    alice.locator("[data-composer]").screenshot(path="/tmp/composer-templates-he.png")
