"""The drill room, live: a drafter and a reviewer in two browsers, a bot at the last step, the instructor's API."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.client import api

pytestmark = pytest.mark.browser

REPLY = "We are sorry — we are working on a fix and will update you shortly."
FIRST_COMPLAINT = ".post[data-platform='x']:not(.post-burst)"


def outage_drill(server, speed: float = 50) -> int:
    """Checkout outage with alice drafting, bob reviewing and signing off for legal, a bot as spokesperson."""
    call = api(server, "instructor")
    outage = next(s for s in call("GET", "/api/scenarios/") if s["title"].startswith("Checkout outage"))
    people = {m["username"]: m["id"] for m in call("GET", "/api/members/")}
    seats = [
        {"user": people["alice"], "role": "drafter"},
        {"user": people["bob"], "role": "reviewer"},
        {"user": people["bob"], "role": "legal"},
    ]
    body = {"scenario": outage["id"], "speed": speed, "seats": seats, "bots": ["spokesperson"]}
    return call("POST", "/api/drills/", body)["id"]


def open_room(sign_in, server, username: str, drill_id: int):
    page = sign_in(username)
    page.goto(f"{server['url']}/drills/{drill_id}/")
    expect(page.locator("[data-connection='live']")).to_be_visible()
    return page


def card_seqs(page) -> list[str]:
    return page.locator(".post").evaluate_all("cards => cards.map(card => card.dataset.seq)")


def approve_in_queue(page, step: int, text: str = REPLY) -> None:
    item = page.locator(f".queue-item[data-step='{step}']")
    expect(item).to_contain_text(text)
    item.get_by_role("button", name="Approve").click()
    expect(item).to_have_count(0)


def test_a_reply_climbs_the_chain_and_is_published_for_everyone(sign_in, server):
    drill_id = outage_drill(server)
    instructor = api(server, "instructor")
    alice = open_room(sign_in, server, "alice", drill_id)
    bob = open_room(sign_in, server, "bob", drill_id)
    expect(alice.locator("[data-lobby-banner]")).to_be_visible()
    instructor("POST", f"/api/drills/{drill_id}/start/")

    complaint = alice.locator(FIRST_COMPLAINT).first
    expect(complaint).to_contain_text("Card declined 5 times at ShopLine checkout")
    expect(complaint.locator(".deadline")).to_contain_text(re.compile(r"Reply due in|Overdue"))
    complaint.get_by_role("button", name="Reply").click()
    alice.fill("[data-composer-text]", REPLY)
    expect(alice.locator("[data-counter]")).to_have_text(f"{len(REPLY)} / 280")
    alice.click("[data-composer-submit]")
    expect(alice.locator("[data-composer-status]")).to_have_text("Submitted for approval.")
    expect(alice.locator(".mine-item [data-status]")).to_contain_text("Pending at step 1 (reviewer)")

    approve_in_queue(bob, 1)
    approve_in_queue(bob, 2)
    # The spokesperson bot decides within 25..125% of its 1-minute SLA: about a second of wall time at ×50.
    for page in (alice, bob):
        reply = page.locator(f"{FIRST_COMPLAINT} .post-replies .reply").first
        expect(reply).to_contain_text(REPLY, timeout=20_000)
        expect(page.locator(f"{FIRST_COMPLAINT} .deadline").first).to_contain_text("Answered")
        expect(page.locator("[data-heat]")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(alice.locator(".mine-item [data-status]")).to_contain_text("Published")
    alice.screenshot(path="/tmp/room-alice.png", full_page=True)

    instructor("POST", f"/api/drills/{drill_id}/finish/")
    for page in (alice, bob):
        banner = page.locator("[data-finished-banner]")
        expect(banner).to_be_visible()
        expect(banner.get_by_role("link")).to_have_attribute("href", f"/drills/{drill_id}/scorecard/")


def test_a_reload_mid_drill_shows_the_same_feed_without_duplicates(sign_in, server):
    drill_id = outage_drill(server, speed=100)
    instructor = api(server, "instructor")
    alice = open_room(sign_in, server, "alice", drill_id)
    instructor("POST", f"/api/drills/{drill_id}/start/")
    expect(alice.locator(".post-burst").first).to_be_visible(timeout=20_000)  # the pile-on has begun
    instructor("POST", f"/api/drills/{drill_id}/pause/")
    expect(alice.locator("[data-status-badge]")).to_have_text("Paused")
    before = card_seqs(alice)

    alice.reload()
    expect(alice.locator("[data-connection='live']")).to_be_visible()
    expect(alice.locator(".post")).to_have_count(len(before))
    after = card_seqs(alice)
    assert len(after) == len(set(after)) and sorted(after) == sorted(before)
    instructor("POST", f"/api/drills/{drill_id}/finish/")


def test_the_instructor_runs_the_drill_from_the_console(sign_in, server):
    drill_id = outage_drill(server)
    page = open_room(sign_in, server, "instructor", drill_id)
    page.click("[data-control='start']")
    expect(page.locator("[data-status-badge]")).to_have_text("Running")
    page.fill("#speed-value", "500")
    page.click("[data-speed-form] button")
    expect(page.locator(".toast-error")).to_contain_text("100")  # the server's error frame, shown
    page.click(".inject-details summary")
    page.select_option("#inject-platform", "news")
    page.fill("#inject-persona", "Channel 12")
    page.fill("#inject-text", "ShopLine outage: regulator asks questions")
    page.click("[data-inject-form] button[type=submit]")
    expect(page.locator(".post.platform-news")).to_contain_text("regulator asks questions")
    expect(page.locator("[data-log] tr").first).to_be_visible()
    expect(page.locator("[data-log]")).to_contain_text("inject.published")
    page.click("[data-control='pause']")
    expect(page.locator("[data-status-badge]")).to_have_text("Paused")
    page.screenshot(path="/tmp/room-instructor.png", full_page=True)
    page.click("[data-control='finish']")
    page.click("[data-control='finish']")  # the second click confirms
    expect(page.locator("[data-finished-banner]")).to_be_visible()


# Records the page's websockets so a test can drop one; init scripts run before the page's own modules.
RECORD_SOCKETS = """
window.__sockets = [];
window.WebSocket = class extends window.WebSocket {
  constructor(...args) { super(...args); window.__sockets.push(this); }
};
"""


def ticket_requests(page) -> list[str]:
    requests = []
    page.on("request", lambda request: "/ticket/" in request.url and requests.append(request.url))
    return requests


def test_a_dropped_connection_reconnects_and_misses_nothing(sign_in, server):
    drill_id = outage_drill(server, speed=1)
    instructor = api(server, "instructor")
    page = sign_in("alice")
    page.add_init_script(RECORD_SOCKETS)
    tickets = ticket_requests(page)
    page.goto(f"{server['url']}/drills/{drill_id}/")
    expect(page.locator("[data-connection='live']")).to_be_visible()
    instructor("POST", f"/api/drills/{drill_id}/start/")
    expect(page.locator("[data-status-badge]")).to_have_text("Running")

    page.evaluate("window.__sockets.at(-1).close()")
    inject = {"platform": "facebook", "text": "Posted while you were away", "severity": 2}
    instructor("POST", f"/api/drills/{drill_id}/injects/", inject)
    expect(page.locator(".post.platform-facebook")).to_have_count(1)
    expect(page.locator("[data-connection='live']")).to_be_visible()
    urls = page.evaluate("window.__sockets.map(socket => socket.url)")
    assert len(urls) >= 2  # a new socket: the session cookie authenticates it, `after=` the last seq shown
    assert all("ticket=" not in url for url in urls) and re.search(r"[?&]after=[1-9]\d*", urls[-1])
    assert tickets == []  # no request before a reconnect
    instructor("POST", f"/api/drills/{drill_id}/finish/")


def sockets_without_cookie(page) -> None:
    """The session cookie only on the page's own paths and the API's, not on `/ws/`: the socket's handshake
    carries none, as when a browser withholds it, while page and ticket requests still carry it. (Sending the
    socket to another host instead is refused by the pages' CSP, `connect-src 'self'`.)"""
    session = next(cookie for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    page.context.clear_cookies(name="sessionid")
    page.context.add_cookies([{**session, "path": path} for path in ("/drills/", "/api/")])


def test_without_the_cookie_the_socket_takes_a_ticket(sign_in, server):
    drill_id = outage_drill(server, speed=1)
    page = sign_in("alice")
    sockets_without_cookie(page)
    page.add_init_script(RECORD_SOCKETS)
    tickets = ticket_requests(page)
    page.goto(f"{server['url']}/drills/{drill_id}/")
    expect(page.locator("[data-connection='live']")).to_be_visible()
    urls = page.evaluate("window.__sockets.map(socket => socket.url)")
    assert "ticket=" not in urls[0] and "ticket=" in urls[-1] and len(tickets) == 1
    page.evaluate("window.__sockets.at(-1).close()")
    for _ in range(100):  # wait_for_function would evaluate a string: the page's CSP forbids that
        if page.evaluate("window.__sockets.length") >= 3:
            break
        page.wait_for_timeout(50)
    expect(page.locator("[data-connection='live']")).to_be_visible()
    assert "ticket=" in page.evaluate("window.__sockets.at(-1).url") and len(tickets) == 2


def test_a_session_that_is_gone_stops_reconnecting(sign_in, server):
    drill_id = outage_drill(server, speed=1)
    page = sign_in("alice")
    page.add_init_script(RECORD_SOCKETS)
    page.goto(f"{server['url']}/drills/{drill_id}/")
    expect(page.locator("[data-connection='live']")).to_be_visible()
    page.context.clear_cookies()  # signed out: the cookie is refused (4401), and so is the ticket request
    page.evaluate("window.__sockets.at(-1).close()")
    expect(page.locator("[data-connection='offline']")).to_be_visible()
