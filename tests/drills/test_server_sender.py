"""The server loop's group sends: each drill's frames in commit order, different drills' sends together, and
what a drill commits during a round merged into one message (with Redis each send waits for a round trip)."""

import asyncio
import functools

from drills import events
from tests.loops import in_own_loop


class SlowLayer:
    """A layer whose group_send waits until the test lets the round trip end; records what each group got and
    how many sends were in flight at once."""

    def __init__(self) -> None:
        self.got: dict[str, list[list[int]]] = {}
        self.in_flight = self.most_in_flight = 0
        self.round_trip = asyncio.Event()

    async def group_send(self, group: str, message: dict) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await self.round_trip.wait()
        await asyncio.sleep(0)  # the other sends of the round start meanwhile, as a real round trip lets them
        self.got.setdefault(group, []).append([seq for seq, _ in message["events"]])
        self.in_flight -= 1


async def until(condition, ticks: int = 100) -> None:
    """Lets the loop run until `condition()` holds: a count of turns of the loop, no time."""
    for _ in range(ticks):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the sender never got there")


async def commit_during_a_round(layer: SlowLayer) -> None:
    sender = events._ServerSender()
    sender.bind(asyncio.get_running_loop())
    sender.send("drill-1", [[1, "{}"]])
    await until(lambda: layer.in_flight == 1)  # the first round is under way
    for seq in (2, 3, 4):
        sender.send("drill-1", [[seq, "{}"]])
        sender.send("drill-2", [[seq, "{}"]])
    await until(lambda: sender.queue.qsize() == 6)  # all six commits handed over while the round is out
    layer.round_trip.set()
    await until(lambda: len(layer.got.get("drill-2", [])) == 1 and len(layer.got["drill-1"]) == 2)


def test_frames_committed_during_a_send_go_out_together_in_order_per_drill(monkeypatch):
    layer = SlowLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    in_own_loop(functools.partial(commit_during_a_round, layer))()
    assert layer.got == {"drill-1": [[1], [2, 3, 4]], "drill-2": [[2, 3, 4]]}
    assert layer.most_in_flight == 2  # drill-1's and drill-2's second round went out together
