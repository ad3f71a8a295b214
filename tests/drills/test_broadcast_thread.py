"""Broadcasts from a process with no server loop (a Celery worker) go out through a loop in a thread of its own,
in commit order, without the committing thread waiting; a forked child never hands them to its parent's thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

from drills import events


@pytest.fixture
def sends(monkeypatch):
    """The group sends made: (thread name, group, seqs); the process's sender is left as it was."""
    made: list[tuple[str, str, list[int]]] = []
    arrived = threading.Event()

    async def group_send(layer, group, texts):
        made.append((threading.current_thread().name, group, [seq for seq, _ in texts]))
        arrived.set()

    monkeypatch.setattr(events, "_group_send", group_send)
    sender = events.server_sender
    before = (sender.loop, sender.queue, sender.pid)
    yield made, arrived
    if sender.loop is not None and sender.loop is not before[0]:
        stopped = sender.loop
        stopped.call_soon_threadsafe(lambda: [task.cancel() for task in asyncio.all_tasks(stopped)])
        stopped.call_soon_threadsafe(lambda: stopped.call_soon(stopped.stop))
    sender.loop, sender.queue, sender.pid = before


def test_a_worker_hands_its_frames_to_its_broadcast_thread_in_commit_order(sends):
    made, arrived = sends
    events.server_sender.serve_in_own_thread()

    for first in (1, 3, 5):
        events.broadcast(7, [{"seq": first}, {"seq": first + 1}])
    while sum(len(seqs) for *_, seqs in made) < 6:
        assert arrived.wait(5)
        arrived.clear()

    assert {name for name, *_ in made} == {"broadcasts"}
    assert [seq for *_, seqs in made for seq in seqs] == [1, 2, 3, 4, 5, 6]


def test_a_forked_child_sends_directly_not_through_its_parents_thread(sends):
    made, _ = sends
    events.server_sender.serve_in_own_thread()
    events.server_sender.pid = -1  # as seen from a child forked after the thread started

    events.broadcast(7, [{"seq": 1}])

    ((thread, group, seqs),) = made  # sent before broadcast returned, from a loop made for it
    assert (group, seqs) == (events.group_name(7), [1]) and thread != "broadcasts"
