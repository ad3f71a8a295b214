"""The team channel and the inbox, live: bob mentions alice in the channel, alice answers an e-mail from the inbox."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.browser.test_drill_room import approve_in_queue, open_room, outage_drill

pytestmark = pytest.mark.browser

EMAIL_TEXT = "Hello, I am writing a piece on today's checkout failures. Can you confirm the cause before noon?"
REPLY = "We are sorry — we are working on a fix and will update you shortly."


def email_inject(server, drill_id: int) -> None:
    persona = {"name": "Dana Levi", "handle": "dana@daily.example", "kind": "journalist"}
    body = {"platform": "email", "persona": persona, "text": EMAIL_TEXT, "severity": 4, "requires_response": True}
    api(server, "instructor")("POST", f"/api/drills/{drill_id}/injects/", body)


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_team_talks_in_the_channel_and_answers_an_email_from_the_inbox(sign_in, server, language):
    drill_id = outage_drill(server, speed=20)
    alice_page = sign_in("alice")
    alice_page.select_option("#language", language)
    expect(alice_page.locator("html")).to_have_attribute("lang", language)
    alice = open_room(lambda _: alice_page, server, "alice", drill_id)
    bob = open_room(sign_in, server, "bob", drill_id)
    api(server, "instructor")("POST", f"/api/drills/{drill_id}/start/")
    email_inject(server, drill_id)

    # The channel: bob mentions alice; the mention is marked for alice only, with the author and the sim time.
    bob.fill("[data-channel-text]", "@alice the reporter e-mailed us, can you answer?")
    bob.press("[data-channel-text]", "Enter")
    for page in (alice, bob):
        message = page.locator(".channel-list .message").last
        expect(message).to_contain_text("the reporter e-mailed us")
        expect(message.locator(".message-author")).to_have_text(re.compile(r"\S"))
        expect(message.locator(".message-time")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(alice.locator(".message-mentions-me mark.mention-me")).to_have_text("@alice")
    expect(bob.locator("mark.mention-me")).to_have_count(0)
    alice.fill("[data-channel-text]", "On it.")
    alice.press("[data-channel-text]", "Enter")
    expect(bob.locator(".channel-list .message")).to_have_count(2)

    # The inbox: one unread e-mail on the tab; opening it reads it; Reply opens the composer with "Re: <subject>".
    unread = alice.locator("[data-inbox-unread]")
    expect(unread).to_have_text("1")
    expect(alice.locator("[data-feed] .platform-email")).to_have_count(0)  # e-mails live in the inbox, not the feed
    alice.click("[data-tab='inbox']")
    expect(alice.locator("[data-inbox]")).to_be_visible()
    expect(alice.locator("[data-tab-panel='feed']")).to_be_hidden()
    alice.screenshot(path=f"/tmp/channel-inbox-unread-{language}.png", full_page=True)
    alice.locator(".inbox-item.inbox-unread .inbox-open").click()
    expect(unread).to_be_hidden()
    expect(alice.locator(".inbox-reader-body")).to_have_text(EMAIL_TEXT)
    subject = alice.locator(".inbox-reader-subject").text_content()
    alice.locator(".inbox-reader .button-primary").click()
    expect(alice.locator("[data-composer-subject]")).to_have_value(f"Re: {subject}")
    alice.fill("[data-composer-text]", REPLY)
    alice.click("[data-composer-submit]")
    expect(alice.locator(".mine-item")).to_have_count(1)

    approve_in_queue(bob, 1)
    approve_in_queue(bob, 2)
    answer = alice.locator(".inbox-reader .inbox-answer")
    expect(answer).to_contain_text(REPLY, timeout=20_000)  # the spokesperson bot signs off within seconds
    expect(alice.locator(".inbox-item .inbox-answered")).to_have_count(1)
    alice.screenshot(path=f"/tmp/channel-inbox-answered-{language}.png", full_page=True)

    # The read mark is the server's: a reload (or another device) shows the e-mail read.
    alice.reload()
    expect(alice.locator("[data-connection='live']")).to_be_visible()
    expect(alice.locator(".inbox-item")).to_have_count(1)
    expect(alice.locator(".inbox-item.inbox-unread")).to_have_count(0)
    expect(unread).to_be_hidden()
    expect(alice.locator(".channel-list .message")).to_have_count(2)  # replayed from the log, once each
