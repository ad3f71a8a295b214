"""The room's websocket under the pages' CSP: `connect-src 'self'` (no other ws:/wss: host) still lets
Chromium open the room's same-origin socket."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_drill_room import outage_drill

pytestmark = pytest.mark.browser


def test_the_room_connects_under_connect_src_self(sign_in, server):
    drill_id = outage_drill(server)
    page = sign_in("alice")
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    response = page.goto(f"{server['url']}/drills/{drill_id}/")
    policy = response.headers["content-security-policy"]
    assert "connect-src 'self';" in policy and "ws:" not in policy
    expect(page.locator("[data-connection='live']")).to_be_visible()
    assert refused == []
