"""The server loop's group sends: each drill's frames in commit order, different drills' sends together, and
what a drill commits during a round merged into one message (with Redis each send waits for a round trip)."""

import asyncio

from drills import events
from tests.loops import in_own_loop


class SlowLayer:
    """A layer whose group_send takes a round trip; records what each group got and how many were in flight."""

    def __init__(self) -> None:
        self.got: dict[str, list[list[int]]] = {}
        self.in_flight = self.most_in_flight = 0

    async def group_send(self, group: str, message: dict) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.02)
        self.got.setdefault(group, []).append([seq for seq, _ in message["events"]])
        self.in_flight -= 1


async def commit_during_a_round() -> None:
    sender = events._ServerSender()
    sender.bind(asyncio.get_running_loop())
    sender.send("drill-1", [[1, "{}"]])
    await asyncio.sleep(0.005)  # the first round is under way
    for seq in (2, 3, 4):
        sender.send("drill-1", [[seq, "{}"]])
        sender.send("drill-2", [[seq, "{}"]])
    await asyncio.sleep(0.1)


def test_frames_committed_during_a_send_go_out_together_in_order_per_drill(monkeypatch):
    layer = SlowLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    in_own_loop(commit_during_a_round)()
    assert layer.got == {"drill-1": [[1], [2, 3, 4]], "drill-2": [[2, 3, 4]]}
    assert layer.most_in_flight == 2  # drill-1's and drill-2's second round went out together
