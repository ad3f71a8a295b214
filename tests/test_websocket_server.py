"""config.websocket_server: autobahn's debug-log arguments are formatted only when a line is written."""

from autobahn.twisted import websocket as twisted_websocket
from autobahn.websocket import protocol

import config.asgi  # noqa: F401 - applies it
from config.websocket_server import _Pretty


def test_the_debug_helpers_hand_values_on_unformatted():
    assert protocol.hlval(42) == 42 and twisted_websocket.hltype(len) is len
    pretty = protocol.pformat([("a", 1)])
    assert isinstance(pretty, _Pretty) and str(pretty) == "[('a', 1)]" and f"{pretty}" == "[('a', 1)]"
    timings = protocol.Timings()
    timings.track("x")
    assert str(timings).startswith("{'x': ")  # a str showing what it tracked (str() of a _Pretty would raise)
