"""`observe` over the websocket and `observation` frames: only evaluators' sockets carry them (PROTOCOL.md 3)."""

import pytest
from channels.db import database_sync_to_async

from accounts.models import Membership, Role
from evaluation.limits import MSG_EVALUATORS_ONLY
from evaluation.models import Observation
from evaluation.services import observation_delete, observation_edit
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


async def sockets(drill, *users):
    opened = []
    for user in users:
        communicator = await connect(drill, user)
        await hello_of(communicator)
        opened.append(communicator)
    for communicator in opened:
        await drain(communicator)
    return opened


def observations(frames):
    return [frame for frame in frames if frame.get("type") == "observation"]


async def test_an_observation_reaches_instructors_and_observers_only(cast, running):
    olivia, ines, alice = await sockets(running, cast.olivia, cast.instructor, cast.alice)

    await olivia.send_json_to(
        {"action": "observe", "ref": 1, "text": "Acknowledged fast", "task": "acknowledge", "rating": "P"}
    )
    answers = await frames_until_ack(olivia, 1)

    ack = answers[-1]
    assert ack["type"] == "ack" and ack["result"]["observation"]["rating"] == "P"
    sent = observations(answers + await drain(olivia))
    assert [(f["observation"]["text"], f["deleted"]) for f in sent] == [("Acknowledged fast", False)]
    assert "seq" not in sent[0]
    assert [f["observation"]["id"] for f in observations(await drain(ines))] == [ack["result"]["observation"]["id"]]
    assert observations(await drain(alice)) == []
    for communicator in (olivia, ines, alice):
        await communicator.disconnect()


async def test_edits_and_deletes_send_the_frame_too(cast, running):
    ines, alice = await sockets(running, cast.instructor, cast.alice)
    await ines.send_json_to({"action": "observe", "ref": 1, "text": "Slow start", "rating": "S"})
    created = (await frames_until_ack(ines, 1))[-1]["result"]["observation"]
    await drain(ines)

    await database_sync_to_async(observation_edit)(
        by=cast.instructor, drill=running, observation_id=created["id"], rating="M"
    )
    await database_sync_to_async(observation_delete)(by=cast.instructor, drill=running, observation_id=created["id"])

    sent = observations(await drain(ines))
    assert [(f["observation"]["rating"], f["deleted"]) for f in sent] == [("M", False), ("M", True)]
    assert observations(await drain(alice)) == []
    await ines.disconnect()
    await alice.disconnect()


async def test_a_participant_may_not_observe(cast, running):
    (alice,) = await sockets(running, cast.alice)

    await alice.send_json_to({"action": "observe", "ref": 7, "text": "I think we did well"})
    error = (await frames_until_ack(alice, 7))[-1]

    assert (error["type"], error["code"], error["message"]) == ("error", "forbidden", MSG_EVALUATORS_ONLY)
    assert await database_sync_to_async(Observation.objects.count)() == 0
    await alice.disconnect()


async def test_a_bad_observe_frame_is_an_error_with_the_path(cast, running):
    (olivia,) = await sockets(running, cast.olivia)

    await olivia.send_json_to({"action": "observe", "ref": 2, "text": "x", "rating": "Q", "event_seq": 10_000})
    error = (await frames_until_ack(olivia, 2))[-1]

    assert error["type"] == "error" and error["code"] == "invalid"
    assert "rating" in [issue["path"] for issue in error["errors"]]
    assert await database_sync_to_async(Observation.objects.count)() == 0
    await olivia.disconnect()


async def test_an_instructor_made_participant_stops_getting_frames_after_their_next_action(cast, running):
    bob, olivia = await sockets(running, cast.bob, cast.olivia)
    await database_sync_to_async(Membership.objects.filter(user=cast.bob).update)(role=Role.INSTRUCTOR)
    # bob's socket connected as a reviewer: it joins the evaluators once an action finds him an instructor ...
    await bob.send_json_to({"action": "replay", "ref": 1, "after": 0})
    await frames_until_ack(bob, 1)
    await olivia.send_json_to({"action": "observe", "ref": 1, "text": "first"})
    await frames_until_ack(olivia, 1)
    assert [f["observation"]["text"] for f in observations(await drain(bob))] == ["first"]

    # ... and leaves them once an action finds him a participant again.
    await database_sync_to_async(Membership.objects.filter(user=cast.bob).update)(role=Role.PARTICIPANT)
    await bob.send_json_to({"action": "replay", "ref": 2, "after": 0})
    await frames_until_ack(bob, 2)
    await olivia.send_json_to({"action": "observe", "ref": 2, "text": "second"})
    await frames_until_ack(olivia, 2)

    assert observations(await drain(bob)) == []
    await bob.disconnect()
    await olivia.disconnect()
