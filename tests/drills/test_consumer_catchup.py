"""A lost last event (the layer is at most once) reaches every socket by the drill watch's checks, which read
the last seq of all watched drills at once; no real time passes here: the tests run the checks themselves."""

from unittest import mock

import pytest
from channels.db import database_sync_to_async

from drills import catchup, services
from tests.drills.test_consumer import connect, drain, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


def _finish_quietly(cast, drill, wall):
    with mock.patch("drills.events.broadcast"):  # the layer loses the drill's last event
        services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())


async def test_a_lost_last_event_is_filled_by_the_checks(cast, running, wall, monkeypatch):
    reads = []
    monkeypatch.setattr(catchup, "last_seqs", lambda ids: reads.append(sorted(ids)) or real_last_seqs(ids))
    alice = await connect(running, cast.alice)
    bob = await connect(running, cast.bob)
    await hello_of(alice)
    await hello_of(bob)
    await drain(alice)
    await drain(bob)
    await database_sync_to_async(_finish_quietly)(cast, running, wall)
    watch = catchup.drill_watch()
    await watch.check()  # reads the drill's new last seq; frames may still be in flight: nothing yet
    assert await alice.receive_nothing(timeout=0.1)
    await watch.check()  # still behind it: the sockets read what they missed
    for communicator in (alice, bob):
        frame = await communicator.receive_json_from(timeout=2)
        assert frame["kind"] == "drill.finished"
        assert await communicator.receive_nothing(timeout=0.2)  # once
    await watch.check()
    assert await alice.receive_nothing(timeout=0.1)
    assert reads == [[running.pk]] * 3  # one read per check for the drill, not one per socket
    await alice.disconnect()
    await bob.disconnect()
    assert watch.task is None and not watch.sockets


real_last_seqs = catchup.last_seqs
