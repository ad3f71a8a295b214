"""Flags on screen (PROTOCOL section 1.5): a participant flags a post with a note, the whole team sees it pinned
with who flagged it; observers get no Flag button."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_signals import signalled_drill

pytestmark = pytest.mark.browser


def test_a_flagged_post_is_pinned_for_the_whole_team(sign_in, server):
    _scenario, drill = signalled_drill(server)
    alice = sign_in("alice")
    alice.goto(f"{server['url']}/drills/{drill}/")
    instructor = sign_in("instructor")
    instructor.goto(f"{server['url']}/drills/{drill}/")

    first = alice.locator(".post[data-platform='x']:not(.post-burst)").first
    alice.once("dialog", lambda dialog: dialog.accept("Same card error three times"))
    first.locator(".post-flag-button").click()

    expect(first.locator(".post-flag-button")).to_have_text("Flagged")
    expect(first.locator(".post-flag-button")).to_be_disabled()
    for page in (alice, instructor):
        pin = page.locator(".feed-pins .feed-pin")
        expect(pin).to_have_count(1)
        expect(pin.locator(".pin-flag")).to_contain_text("flagged by")
        expect(pin.locator(".pin-note")).to_have_text("Same card error three times")
    expect(instructor.locator(".post-flag-button")).to_have_count(0)  # the instructor holds no seat here
    logged = instructor.locator("tr", has=instructor.locator("code", has_text="inject.flagged"))
    expect(logged).to_contain_text("flagged post #")
    expect(logged).to_contain_text("Same card error three times")
