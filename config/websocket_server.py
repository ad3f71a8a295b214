"""Daphne's websocket library (autobahn) formats the arguments of its debug log calls eagerly: colored type
names and values for every frame sent (`sendData`) and a pretty-printed option table for every connection
(`_connectionMade`), even with debug logging off. In a reconnect storm that was 2-3 ms of each connection on
the one event loop thread, and a few microseconds of every frame of a fan-out.

`autobahn_debug_args_lazy()` swaps those helpers, in the two modules Daphne's sockets run through, for ones
that hand the value itself to the logger: it is formatted (plainly, without color) only if a debug line is
actually written."""

from __future__ import annotations

import pprint


def _as_is(value, *_args, **_kwargs):
    return value


class _Pretty:
    """pprint.pformat(value), computed when the log line is written."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __str__(self) -> str:
        return pprint.pformat(self.value)

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731


def autobahn_debug_args_lazy() -> None:
    try:
        from autobahn.twisted import websocket as twisted_websocket
        from autobahn.websocket import protocol
    except ImportError:  # not served by Daphne (tests with the in-process communicator, say)
        return
    for module in (protocol, twisted_websocket):
        for name in ("hltype", "hlval"):
            if hasattr(module, name):
                setattr(module, name, _as_is)
    if hasattr(protocol, "pformat"):
        protocol.pformat = _Pretty
        if hasattr(protocol, "Timings"):  # its __str__ returned pformat(...): it must stay a str
            protocol.Timings.__str__ = lambda self: pprint.pformat(self._timings)
