"""The fault suite's own counting: what its clients call lost and repeated, and the layer that loses sends."""

import pytest

from faults.clients import FaultClient, Server
from faults.drills import duration_ms
from faults.layers import DroppingChannelLayer
from tests.loops import in_own_loop


def client() -> FaultClient:
    return FaultClient([Server(1, None), Server(2, None)], 0, drill_id=1, user="alice")


def receive(client: FaultClient, *seqs: int) -> None:
    for seq in seqs:
        client._event({"seq": seq}, now=float(seq))


def test_frames_in_order_are_handed_on_with_nothing_lost_or_repeated():
    c = client()
    receive(c, 1, 2, 3)
    assert (c.last_seq, c.repeats, c.lost(3)) == (3, 0, 0)


def test_a_seq_received_twice_is_a_repeat_even_on_another_socket():
    c = client()
    receive(c, 1, 2)
    c.forget_ahead()  # a reconnect
    receive(c, 2, 3)
    assert (c.last_seq, c.repeats) == (3, 1)


def test_a_frame_ahead_waits_for_the_ones_before_it():
    c = client()
    receive(c, 1, 3)  # live frames after a hello may come before a replay's
    assert c.last_seq == 1
    receive(c, 2)
    assert (c.last_seq, c.repeats, c.reached(3)) == (3, 0, 2.0)


def test_a_frame_kept_but_not_handed_on_may_come_again_after_a_reconnect():
    c = client()
    receive(c, 1, 3)
    c.forget_ahead()
    receive(c, 2, 3)
    assert (c.last_seq, c.repeats) == (3, 0)


def test_seqs_never_received_are_lost():
    c = client()
    receive(c, 1, 2, 4)
    assert (c.lost(5), c.reached(4)) == (2, None)


class Recorder:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append(message["n"])


def test_the_dropping_layer_loses_one_send_in_n(monkeypatch):
    monkeypatch.setenv("FAULTS_DROP_ONE_IN", "3")
    layer = DroppingChannelLayer(hosts=["redis://127.0.0.1:1/0"])
    inner = Recorder()
    monkeypatch.setattr(layer, "_get_layer", lambda: inner)

    @in_own_loop
    async def send_nine():
        for n in range(1, 10):
            await layer.group_send("drill-1", {"n": n})

    send_nine()
    dropped = sorted(set(range(1, 10)) - set(inner.sent))
    assert len(dropped) == 3
    assert dropped[1] - dropped[0] == dropped[2] - dropped[1] == 3


@pytest.mark.parametrize(
    ("text", "ms"), [("45s", 45_000), ("40m", 2_400_000), ("1h30m", 5_400_000), (90, 90_000), ("0:05:00", 300_000)]
)
def test_scenario_durations_are_read_as_the_protocol_writes_them(text, ms):
    assert duration_ms(text) == ms


def test_a_presence_pair_is_a_leave_or_a_join_beyond_one_per_client_read_at_either_time():
    from types import SimpleNamespace

    from faults.run import _presence_pairs

    clients = [SimpleNamespace(drill_id=drill) for drill in (1, 1, 2)]
    kept = {1: {"joined": 2, "left": 0}, 2: {"joined": 1, "left": 0}}
    assert _presence_pairs(clients, kept, kept) == {"presence_pairs": 0}
    # drill 2 finished before the end was read: its leave and second join are in the first reading only
    after_fault = {1: {"joined": 2, "left": 0}, 2: {"joined": 2, "left": 1}}
    assert _presence_pairs(clients, after_fault, kept) == {"presence_pairs": 2}
    later = {1: {"joined": 3, "left": 1}, 2: {"joined": 1, "left": 0}}
    assert _presence_pairs(clients, kept, later) == {"presence_pairs": 2}
