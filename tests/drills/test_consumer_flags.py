"""Flags over the websocket: `flag` → ack `{flag}` and `inject.flagged` to the whole room; refusals as error frames."""

import pytest
from channels.db import database_sync_to_async

from drills.models import Flag, PublishedInject
from drills.services.flags import MSG_ALREADY_FLAGGED, MSG_NOT_A_POST
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


def _post_id(drill):
    return PublishedInject.objects.filter(drill=drill).values_list("pk", flat=True).first()


async def test_a_flag_reaches_the_whole_room(cast, running):
    post = await database_sync_to_async(_post_id)(running)
    alice, olivia = await connect(running, cast.alice), await connect(running, cast.olivia)
    await hello_of(alice), await hello_of(olivia)
    await drain(alice), await drain(olivia)
    await alice.send_json_to({"action": "flag", "inject": post, "note": "quiet but odd", "ref": "f"})
    ack = (await frames_until_ack(alice, "f"))[-1]
    assert ack["type"] == "ack" and ack["result"]["flag"]["inject"] == post
    seen = [f for f in await drain(olivia) if f.get("type") == "event" and f["kind"] == "inject.flagged"]
    assert [f["data"] for f in seen] == [{"inject": post, "by": cast.alice.pk, "note": "quiet but odd"}]
    await olivia.disconnect()
    await alice.disconnect()


@pytest.mark.parametrize("case", ["observer", "unknown post", "twice", "unknown key"])
async def test_a_refused_flag_is_an_error_frame_and_nothing_is_written(cast, running, case):
    post = await database_sync_to_async(_post_id)(running)
    user = cast.olivia if case == "observer" else cast.alice
    communicator = await connect(running, user)
    await hello_of(communicator)
    frame = {"action": "flag", "inject": 10**9 if case == "unknown post" else post, "ref": "f"}
    if case == "unknown key":
        frame["why"] = "x"
    if case == "twice":
        await communicator.send_json_to({**frame, "ref": "first"})
        await frames_until_ack(communicator, "first")
    await communicator.send_json_to(frame)
    error = (await frames_until_ack(communicator, "f"))[-1]
    expected = {
        "observer": ("forbidden", None, None),
        "unknown post": ("invalid", "inject", MSG_NOT_A_POST),
        "twice": ("invalid", "inject", MSG_ALREADY_FLAGGED),
        "unknown key": ("invalid", "why", None),
    }[case]
    assert (error["type"], error["code"]) == ("error", expected[0])
    if expected[1]:
        assert error["errors"][0]["path"] == expected[1]
    if expected[2]:
        assert error["errors"][0]["message"] == expected[2]
    assert await database_sync_to_async(Flag.objects.count)() == (1 if case == "twice" else 0)
    await communicator.disconnect()
