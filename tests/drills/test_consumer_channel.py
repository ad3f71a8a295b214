"""The team channel and e-mail replies over the websocket: `say` → `team.message`, `draft` with a subject."""

import pytest
from channels.db import database_sync_to_async

from drills import services
from drills.limits import MSG_MESSAGE_TOO_LONG
from drills.models import TeamMessage
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of
from tests.factories import member

pytestmark = [pytest.mark.django_db(transaction=True)]


def _events(frames, kind):
    return [f for f in frames if f.get("type") == "event" and f["kind"] == kind]


async def test_a_message_reaches_the_whole_room_and_is_replayed_on_reconnect(cast, running):
    alice, olivia = await connect(running, cast.alice), await connect(running, cast.olivia)
    await hello_of(alice), await hello_of(olivia)
    await drain(alice), await drain(olivia)
    await alice.send_json_to({"action": "say", "text": "@olivia watch the e-mail", "ref": "s"})
    ack = (await frames_until_ack(alice, "s"))[-1]
    message = await database_sync_to_async(TeamMessage.objects.get)()
    assert ack["type"] == "ack" and ack["result"]["message"] == {
        "id": message.pk,
        "by": cast.alice.pk,
        "text": "@olivia watch the e-mail",
        "sim_ms": message.sim_ms,
    }
    seen = _events(await drain(olivia), "team.message")
    assert [f["data"] for f in seen] == [
        {"id": message.pk, "by": cast.alice.pk, "by_name": cast.alice.shown_name, "text": "@olivia watch the e-mail"}
    ]
    await olivia.disconnect()
    again = await connect(running, cast.olivia)
    await hello_of(again)
    await again.send_json_to({"action": "replay", "after": 0, "ref": "r"})
    replayed = _events(await frames_until_ack(again, "r"), "team.message")
    assert [f["seq"] for f in replayed] == [seen[0]["seq"]]
    await again.disconnect()
    await alice.disconnect()


def _ivan(cast):
    return member("ivan", cast.org, "instructor")


@pytest.mark.parametrize(
    ("who", "code"),
    [("alice", None), ("bob", None), ("ivan", None), ("olivia", "forbidden")],
)
async def test_who_may_say_over_the_websocket(cast, running, who, code):
    user = await database_sync_to_async(_ivan)(cast) if who == "ivan" else getattr(cast, who)
    communicator = await connect(running, user)
    await hello_of(communicator)
    await communicator.send_json_to({"action": "say", "text": "Status?", "ref": "s"})
    last = (await frames_until_ack(communicator, "s"))[-1]
    assert (last["type"], last.get("code")) == (("ack", None) if code is None else ("error", code))
    assert await database_sync_to_async(TeamMessage.objects.count)() == (1 if code is None else 0)
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "path", "message"),
    [
        ({"text": "x" * 2001}, "text", MSG_MESSAGE_TOO_LONG),
        ({"text": ""}, "text", None),
        ({"text": "ok\x1b[31m"}, "text", None),
        ({}, "text", None),
        ({"text": "ok", "to": "bob"}, "to", None),
    ],
)
async def test_a_bad_say_is_an_error_with_the_path_and_nothing_is_written(cast, running, frame, path, message):
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    await communicator.send_json_to({"action": "say", "ref": "s", **frame})
    error = (await frames_until_ack(communicator, "s"))[-1]
    assert error["type"] == "error" and error["code"] == "invalid"
    assert [e["path"] for e in error["errors"]] == [path]
    if message:
        assert error["errors"][0]["message"] == message
    assert not await database_sync_to_async(TeamMessage.objects.exists)()
    await communicator.disconnect()


def _email(cast, drill):
    return services.inject_manual(by=cast.instructor, drill=drill, platform="email", text="Confirm?", severity=3)


async def test_a_draft_carries_its_subject_on_response_drafted(cast, running):
    email = await database_sync_to_async(_email)(cast, running)
    communicator = await connect(running, cast.alice)
    await hello_of(communicator)
    frame = {"action": "draft", "reply_to": [email.pk], "text": "Yes.", "subject": "Re: Confirm?", "ref": "d"}
    await communicator.send_json_to(frame)
    frames = await frames_until_ack(communicator, "d")
    assert frames[-1]["result"]["response"]["subject"] == "Re: Confirm?"
    drafted = _events(frames + await drain(communicator), "response.drafted")
    assert [f["data"]["subject"] for f in drafted] == ["Re: Confirm?"]
    await communicator.disconnect()
