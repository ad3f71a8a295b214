"""The drill websocket with Channels' WebsocketCommunicator: auth, origin, hello, actions, replay, gaps."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from config.asgi import application as server_application
from drills import actions, services
from drills.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from drills.events import broadcast, events_after
from drills.models import PublishedInject
from drills.tickets import ticket_issue

pytestmark = [pytest.mark.django_db(transaction=True)]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")
# Without the in-process engine: these tests move time themselves with a fake clock.
application = server_application.app


async def connect(drill, user=None, *, origin=ORIGIN, ticket=None, headers=()):
    if user is not None and ticket is None:
        ticket = await database_sync_to_async(ticket_issue)(user=user, drill=drill)
    path = f"/ws/drills/{drill.pk}/" + (f"?ticket={ticket}" if ticket else "")
    communicator = WebsocketCommunicator(application, path, headers=[origin, *headers] if origin else list(headers))
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def closed_with(communicator) -> int:
    message = await communicator.receive_output(timeout=2)
    assert message["type"] == "websocket.close"
    return message["code"]


async def hello_of(communicator) -> dict:
    hello = await communicator.receive_json_from(timeout=2)
    assert hello["type"] == "hello"
    return hello


async def drain(communicator) -> list[dict]:
    """Live frames already on their way (presence of people joining)."""
    frames = []
    while not await communicator.receive_nothing(timeout=0.2):
        frames.append(await communicator.receive_json_from())
    return frames


async def frames_until_ack(communicator, ref) -> list[dict]:
    frames = []
    while True:
        frame = await communicator.receive_json_from(timeout=2)
        frames.append(frame)
        if frame.get("type") in ("ack", "error") and frame.get("ref") == ref:
            return frames


async def test_a_ticket_connects_once(cast, drill):
    ticket = await database_sync_to_async(ticket_issue)(user=cast.alice, drill=drill)
    first = await connect(drill, ticket=ticket)
    hello = await hello_of(first)
    assert hello["you"]["roles"] == ["drafter"] and hello["drill"]["status"] == "lobby"
    await first.disconnect()
    second = await connect(drill, ticket=ticket)
    assert await closed_with(second) == CLOSE_UNAUTHENTICATED
    await second.disconnect()


async def test_the_session_cookie_connects(cast, drill):
    client = Client()
    await database_sync_to_async(client.force_login)(cast.bob)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = await connect(drill, headers=[(b"cookie", cookie)])
    assert (await hello_of(communicator))["you"]["roles"] == ["reviewer", "legal"]
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("who", "origin", "code"),
    [
        (None, ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", (b"origin", b"https://evil.example"), CLOSE_FORBIDDEN),
        ("carol", ORIGIN, CLOSE_FORBIDDEN),  # a participant not seated in the drill
        ("rival", ORIGIN, CLOSE_FORBIDDEN),
    ],
)
async def test_it_refuses_who_may_not_watch(cast, drill, who, origin, code):
    user = None
    if who == "carol":
        from tests.factories import member

        user = await database_sync_to_async(member)("carol", cast.org, "participant")
    elif who:
        user = getattr(cast, who)
    if user is not None and who in ("carol", "rival"):
        ticket = await database_sync_to_async(_ticket_for_any)(user, drill)
        communicator = await connect(drill, origin=origin, ticket=ticket)
    else:
        communicator = await connect(drill, user, origin=origin)
    assert await closed_with(communicator) == code
    await communicator.disconnect()


def _session_cookie(user, *, then=None) -> tuple[bytes, bytes]:
    """The `cookie` header of a browser signed in as `user`; `then(client, user)` runs after the sign-in."""
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    if then is not None:
        then(client, user)
    return (b"cookie", cookie)


def _deactivate(client, user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def _change_password(client, user):
    user.set_password("a-new-password-42")  # the session's hash no longer matches: signed out everywhere
    user.save(update_fields=["password"])


def _expire(client, user):
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(expire_date=timezone.now())


def _sign_out(client, user):
    client.logout()  # the session row is gone; the browser may still send the old cookie


@pytest.mark.parametrize(
    ("who", "then", "cookie", "origin", "code"),
    [
        ("alice", None, None, ORIGIN, None),
        ("olivia", None, None, ORIGIN, None),  # an observer of the organization
        ("instructor", None, None, ORIGIN, None),
        (None, None, "sessionid=not-a-session", ORIGIN, CLOSE_UNAUTHENTICATED),
        (None, None, "other=1", ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", _sign_out, None, ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", _expire, None, ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", _change_password, None, ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", _deactivate, None, ORIGIN, CLOSE_UNAUTHENTICATED),
        ("alice", None, None, (b"origin", b"https://evil.example"), CLOSE_FORBIDDEN),
        ("carol", None, None, ORIGIN, CLOSE_FORBIDDEN),  # a participant not seated in the drill
        ("rival", None, None, ORIGIN, CLOSE_FORBIDDEN),  # another organization's instructor
    ],
)
async def test_the_session_cookie_authenticates(cast, drill, who, then, cookie, origin, code):
    if who == "carol":
        from tests.factories import member

        user = await database_sync_to_async(member)("carol", cast.org, "participant")
    else:
        user = getattr(cast, who) if who else None
    header = (b"cookie", cookie.encode()) if cookie else await database_sync_to_async(_session_cookie)(user, then=then)
    communicator = await connect(drill, origin=origin, headers=[header])
    if code is None:
        hello = await hello_of(communicator)
        assert hello["you"]["user"] == user.pk and hello["you"]["username"] == user.username
    else:
        assert await closed_with(communicator) == code
    await communicator.disconnect()


async def test_the_session_cookie_reconnects_with_after(cast, running):
    """As the room page does: the same cookie on every reconnect, `?after=` the last seq it has."""
    header = await database_sync_to_async(_session_cookie)(cast.alice)
    first = await connect(running, headers=[header])
    seq = (await hello_of(first))["seq"]
    await first.disconnect()
    path = f"/ws/drills/{running.pk}/?after={seq - 2}"
    again = WebsocketCommunicator(application, path, headers=[ORIGIN, header])
    assert (await again.connect())[0]
    assert (await hello_of(again))["seq"] >= seq
    assert [f["seq"] for f in await drain(again)][:2] == [seq - 1, seq]
    await again.disconnect()


def _ticket_for_any(user, drill):
    # Tickets are only handed to people who may see the drill; forge one to test the consumer's own check.
    from django.core.cache import cache

    cache.set("ws-ticket:forged", (user.pk, drill.pk, None), 60)
    return "forged"


async def test_replay_then_live_has_no_gap_and_no_repeat(cast, running, wall):
    communicator = await connect(running, cast.alice)
    hello = await hello_of(communicator)
    live = [await communicator.receive_json_from(timeout=5)]  # alice's own seat.joined, however slow the machine
    assert [(f["kind"], f["seq"]) for f in live] == [("seat.joined", hello["seq"] + 1)]
    await communicator.send_json_to({"action": "replay", "after": 0, "ref": "r1"})
    frames = await frames_until_ack(communicator, "r1")
    seqs = [f["seq"] for f in frames if f["type"] == "event"]
    # What went out live between the hello and the replay (alice's own seat.joined) is not sent again.
    assert seqs == list(range(1, hello["seq"] + 1))
    assert frames[-1]["result"] == {"after": 0, "seq": hello["seq"] + 1}
    seqs = sorted([*seqs, live[0]["seq"]])
    wall.advance(seconds=240)
    await database_sync_to_async(services.drill_advance)(drill_id=running.pk, now=wall.now())
    live = await communicator.receive_json_from(timeout=2)
    assert live["seq"] == seqs[-1] + 1
    await communicator.disconnect()


async def test_a_missed_layer_message_is_filled_from_the_log(cast, running):
    communicator = await connect(running, cast.alice)
    hello = await hello_of(communicator)
    joined = await communicator.receive_json_from(timeout=2)  # seat.joined
    inject = await database_sync_to_async(PublishedInject.objects.get)(drill=running)
    # Two events are appended but only the second reaches the layer (at most once delivery).
    await database_sync_to_async(_draft_twice_quietly)(cast, running, inject)
    later = await database_sync_to_async(events_after)(drill=running, after=joined["seq"])
    await database_sync_to_async(broadcast)(running.pk, later[-1:])
    received = [await communicator.receive_json_from(timeout=2) for _ in later]
    assert [f["seq"] for f in received] == [f["seq"] for f in later]
    assert hello["seq"] < joined["seq"]
    await communicator.disconnect()


def _draft_twice_quietly(cast, drill, inject):
    from unittest import mock

    with mock.patch("drills.events.broadcast"):
        for text in ("First", "Second"):
            services.response_draft(by=cast.alice, drill=drill, reply_to=[inject.pk], text=text)


async def test_two_clients_see_the_same_sequence(cast, running):
    alice = await connect(running, cast.alice)
    bob = await connect(running, cast.bob)
    await hello_of(alice)
    await hello_of(bob)
    alice_joined = await drain(alice)
    bob_joined = await drain(bob)
    inject = await database_sync_to_async(PublishedInject.objects.get)(drill=running)
    await alice.send_json_to({"action": "draft", "reply_to": [inject.pk], "text": "Sorry, update soon", "ref": 7})
    alice_frames = await frames_until_ack(alice, 7)
    alice_live = await drain(alice)
    bob_live = bob_joined + await drain(bob)
    ack = alice_frames[-1]
    assert ack["type"] == "ack" and ack["result"]["response"]["status"] == "draft"
    a = [f["seq"] for f in alice_joined + alice_frames + alice_live if f["type"] == "event"]
    b = [f["seq"] for f in bob_live if f["type"] == "event"]
    await alice.send_json_to({"action": "replay", "after": 0, "ref": "a"})
    await bob.send_json_to({"action": "replay", "after": 0, "ref": "b"})
    a += [f["seq"] for f in await frames_until_ack(alice, "a") if f["type"] == "event"]
    b += [f["seq"] for f in await frames_until_ack(bob, "b") if f["type"] == "event"]
    assert sorted(a) == sorted(b) == list(range(1, len(a) + 1))  # each seq once on each socket
    await alice.disconnect()
    await bob.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid"),
        ({"action": "dance", "ref": 1}, "invalid"),
        ({"action": "draft", "reply_to": "x", "text": "hi", "ref": 1}, "invalid"),
        ({"action": "draft", "reply_to": [999999], "text": "hi", "ref": 1}, "invalid"),
        ({"action": "draft", "reply_to": [1], "text": "x" * 10_001, "ref": 1}, "invalid"),
        ({"action": "draft", "reply_to": [1], "text": "hi", "extra": 1, "ref": 1}, "invalid"),
        ({"action": "approve", "response": 999999, "step": 1, "ref": 1}, "not_found"),
        ({"action": "pause", "ref": 1}, "forbidden"),
        ({"action": "replay", "after": -1, "ref": 1}, "invalid"),
        ({"action": "replay", "after": 2**64, "ref": 1}, "invalid"),
        ('{"action": "replay", "ref": ' + "[" * 5000 + "]" * 5000 + "}", "invalid"),
        ("[" * 100 + "]" * 100, "invalid"),
        ({"action": "draft", "reply_to": [2**64], "text": "hi", "ref": 1}, "invalid"),
        ({"action": "submit", "response": 2**64, "ref": 1}, "invalid"),
        ({"action": "approve", "response": 1, "step": 2**64, "ref": 1}, "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(cast, running, frame, code):
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    await communicator.receive_json_from(timeout=2)  # seat.joined
    if isinstance(frame, str):
        await communicator.send_to(text_data=frame)
    else:
        await communicator.send_json_to(frame)
    error = await communicator.receive_json_from(timeout=2)
    assert error["type"] == "error" and error["code"] == code
    await communicator.send_json_to({"action": "replay", "after": 10_000, "ref": "still-open"})
    assert (await frames_until_ack(communicator, "still-open"))[-1]["type"] == "ack"
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("fault", "code"),
    [(OperationalError("database is locked"), "unavailable"), (RuntimeError("a bug"), "unavailable")],
)
async def test_a_fault_in_an_action_is_an_error_frame_and_the_socket_stays_open(
    cast, running, monkeypatch, fault, code
):
    def fails(**kwargs):
        raise fault

    monkeypatch.setitem(actions.HANDLERS, "submit", fails)
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    await communicator.send_json_to({"action": "submit", "response": 1, "ref": "f"})
    error = (await frames_until_ack(communicator, "f"))[-1]
    assert (error["type"], error["code"]) == ("error", code)
    await communicator.send_json_to({"action": "replay", "after": 10_000, "ref": "still-open"})
    assert (await frames_until_ack(communicator, "still-open"))[-1]["type"] == "ack"
    await communicator.disconnect()


async def test_acting_in_a_paused_drill_is_a_conflict(cast, running, wall):
    await database_sync_to_async(services.drill_pause)(by=cast.instructor, drill=running, now=wall.now())
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    inject = await database_sync_to_async(PublishedInject.objects.get)(drill=running)
    await communicator.send_json_to({"action": "draft", "reply_to": [inject.pk], "text": "Sorry", "ref": "p"})
    frames = await frames_until_ack(communicator, "p")
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == "conflict"
    await communicator.disconnect()


async def test_actions_are_rate_limited(cast, running, settings):
    settings.DRILL_ACTIONS_PER_MINUTE = 3
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    codes = []
    for n in range(5):
        await communicator.send_json_to({"action": "draft", "reply_to": [999_999], "text": "x", "ref": n})
        codes.append((await frames_until_ack(communicator, n))[-1]["code"])
    assert codes[:3] == ["invalid"] * 3 and codes[3:] == ["rate_limited"] * 2
    await communicator.disconnect()


async def test_the_instructor_controls_the_drill(cast, running):
    communicator = await connect(running, cast.instructor)
    hello = await hello_of(communicator)
    assert hello["you"]["instructor"] is True
    await communicator.send_json_to({"action": "speed", "value": 10, "ref": "s"})
    assert (await frames_until_ack(communicator, "s"))[-1]["result"]["drill"]["speed"] == 10
    await communicator.send_json_to({"action": "speed", "value": 1000, "ref": "t"})
    assert (await frames_until_ack(communicator, "t"))[-1]["code"] == "invalid"
    await communicator.send_json_to(
        {"action": "inject", "platform": "news", "text": "Breaking", "severity": 2, "ref": "i"}
    )
    published = (await frames_until_ack(communicator, "i"))[-1]["result"]["inject"]
    logged = await database_sync_to_async(events_after)(drill=running, after=published["event_seq"] - 1, limit=1)
    assert [(e["kind"], e["data"]["id"], e["data"]["manual"]) for e in logged] == [
        ("inject.published", published["id"], True)
    ]
    await communicator.disconnect()


async def connect_after(drill, user, after) -> WebsocketCommunicator:
    ticket = await database_sync_to_async(ticket_issue)(user=user, drill=drill)
    communicator = WebsocketCommunicator(application, f"/ws/drills/{drill.pk}/?ticket={ticket}&after={after}", [ORIGIN])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def events_until_quiet(communicator) -> list[int]:
    return [f["seq"] for f in await drain(communicator) if f["type"] == "event"]


async def events_through(communicator, seq: int) -> list[int]:
    """Event seqs received until `seq` arrives (however slow a loaded machine is), then whatever else comes."""
    seqs = []
    while not seqs or seqs[-1] < seq:
        frame = await communicator.receive_json_from(timeout=5)
        seqs += [frame["seq"]] if frame["type"] == "event" else []
    return seqs


@pytest.mark.parametrize("boundary", ["zero", "middle", "hello", "beyond"])
async def test_connecting_after_a_seq_sends_the_rest_then_live_without_repeat(
    cast, running, wall, monkeypatch, boundary
):
    monkeypatch.setattr("drills.consumers.LOG_PAGE", 2)  # the log after `after` spans several pages
    log_seq = (await database_sync_to_async(events_after)(drill=running, after=0))[-1]["seq"]
    after = {"zero": 0, "middle": log_seq // 2, "hello": log_seq, "beyond": log_seq + 5}[boundary]
    communicator = await connect_after(running, cast.alice, after)
    hello = await hello_of(communicator)
    # Up to alice's own seat.joined first: the in-memory test database cannot write while another thread reads.
    seqs = await events_through(communicator, hello["seq"] + 1)
    wall.advance(seconds=240)
    await database_sync_to_async(services.drill_advance)(drill_id=running.pk, now=wall.now())
    final = (await database_sync_to_async(events_after)(drill=running, after=0))[-1]["seq"]
    seqs += await events_through(communicator, final) + await events_until_quiet(communicator)
    assert log_seq >= 4 and final > hello["seq"] + 1
    first = min(after, hello["seq"]) + 1
    assert seqs == list(range(first, final + 1))  # every seq after `after` once, in order, live ones included
    await communicator.disconnect()


@pytest.mark.parametrize("after", ["-1", "x", "1.5", "²", str(2**64)])
async def test_a_bad_after_is_an_error_and_the_socket_goes_on_live(cast, running, wall, after):
    communicator = await connect_after(running, cast.alice, after)
    hello = await hello_of(communicator)
    error = await communicator.receive_json_from(timeout=2)
    assert error["type"] == "error" and error["code"] == "invalid" and error["ref"] is None
    joined = await communicator.receive_json_from(timeout=5)  # alice's own seat.joined, live
    assert (joined["seq"], joined["kind"]) == (hello["seq"] + 1, "seat.joined")
    assert await events_until_quiet(communicator) == []
    await communicator.disconnect()


@pytest.mark.parametrize("after", [0, 2, 3, 4])
async def test_replay_reads_the_log_in_pages_without_gap_or_repeat(cast, running, monkeypatch, after):
    monkeypatch.setattr("drills.consumers.LOG_PAGE", 3)  # page boundaries at 3, 6, 9 ...
    communicator = await connect(running, cast.alice)
    hello = await hello_of(communicator)
    joined = await communicator.receive_json_from(timeout=5)  # alice's seat.joined, carried live
    assert (joined["seq"], joined["kind"]) == (hello["seq"] + 1, "seat.joined")
    await communicator.send_json_to({"action": "replay", "after": after, "ref": "p"})
    frames = await frames_until_ack(communicator, "p")
    final = (await database_sync_to_async(events_after)(drill=running, after=0))[-1]["seq"]
    assert final == hello["seq"] + 1
    assert [f["seq"] for f in frames[:-1]] == list(range(after + 1, hello["seq"] + 1))
    assert frames[-1]["result"] == {"after": after, "seq": final}
    await communicator.disconnect()
