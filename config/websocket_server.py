"""Daphne's websocket library (autobahn), made cheaper per frame and per connection.

Debug arguments. Autobahn formats the arguments of its debug log calls eagerly: colored type
names and values for every frame sent (`sendData`) and a pretty-printed option table for every connection
(`_connectionMade`), even with debug logging off. In a reconnect storm that was 2-3 ms of each connection on
the one event loop thread, and a few microseconds of every frame of a fan-out.

`autobahn_debug_args_lazy()` swaps those helpers, in the two modules Daphne's sockets run through, for ones
that hand the value itself to the logger: it is formatted (plainly, without color) only if a debug line is
actually written.

Text frames. Autobahn's `sendMessage` costs about 16 µs a frame (state and fragmentation checks, traffic counters,
its send queue, debug hooks) where the frame itself is two to ten header bytes before the payload: at 1,000 sockets
in one drill a 40-item burst and its heat events are about 64,000 frames, and the servers' CPU per frame is part of
what keeps the burst late (bench/README.md, room). `text_frames_direct()` writes a whole text frame to the
transport at once when nothing else applies: the socket open, no compression negotiated, no fragmentation set,
nothing waiting in autobahn's queue, no frame or octet logging; any other case goes through autobahn as before.

Several text frames at once. A socket handed a drill's message of several events (a step's inject and heat), or a
page of the log, sent a frame and made a transport write for each. The server now offers the ASGI extension
`SEND_TEXTS` in every websocket scope: a message `{"type": SEND_TEXTS, "texts": [...]}` sends each text as a frame
of its own, in order, in one write when each can be written directly (else each through autobahn).

Sent at once. Twisted buffers every write and registers the socket for writing, then sends from the event loop's
next turn and unregisters it: two epoll changes and a callback per socket and message, a third of the server's busy
time when a burst went out to 1,000 sockets (bench/README.md, room). `send_now` sends a direct write there and
then when nothing is buffered before it, as asyncio's own transports do, and leaves Twisted only what the kernel
did not take."""

from __future__ import annotations

import pprint

try:
    from twisted.internet.tcp import Connection as TcpConnection  # imports no reactor: Daphne installs its own
except ImportError:  # served by something else: nothing is a Twisted connection
    TcpConnection = ()

SEND_TEXTS = "websocket.send.texts"
FIN_TEXT = 0x81  # a whole message (FIN) of text (opcode 1); frames from a server are never masked (RFC 6455 5.1)


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


def text_frame(payload: bytes) -> bytes:
    """One unmasked, unfragmented websocket text frame of UTF-8 `payload` (RFC 6455 section 5.2)."""
    size = len(payload)
    if size < 126:
        header = bytes((FIN_TEXT, size))
    elif size < 1 << 16:
        header = bytes((FIN_TEXT, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((FIN_TEXT, 127)) + size.to_bytes(8, "big")
    return header + payload


def _plain(protocol, size: int) -> bool:
    """True when autobahn would write a message of `size` bytes as `text_frame` does, with nothing before it."""
    return (
        protocol.state == protocol.STATE_OPEN
        and protocol.send_state == protocol.SEND_STATE_GROUND
        and protocol._perMessageCompress is None
        and not protocol.autoFragmentSize
        and not protocol.send_queue
        and not protocol.trackedTimings
        and not protocol.logFrames
        and not protocol.logOctets
        and not 0 < protocol.maxMessagePayloadSize < size
    )


def send_now(transport, data: bytes) -> None:
    """`transport.write(data)`, but sent now when the transport is a plain TCP connection with nothing buffered."""
    if _idle_tcp(transport):
        try:
            sent = transport.socket.send(data)
        except OSError:  # full (nothing taken), or the connection is going: Twisted's own write sees to it
            sent = 0
        data = data[sent:]
        if not data:
            return
    transport.write(data)


def _idle_tcp(transport) -> bool:
    return (
        isinstance(transport, TcpConnection)  # not TLS, whose transport encrypts first
        and transport.connected
        and not transport.disconnecting
        and not transport._writeDisconnected
        and not transport._tempDataLen
        and transport.offset == len(transport.dataBuffer)
    )


def text_frames_direct() -> None:
    try:
        from daphne.server import Server
        from daphne.ws_protocol import WebSocketProtocol
    except ImportError:
        return
    _patch(WebSocketProtocol, "serverSend", _server_send)
    _patch(WebSocketProtocol, "handle_reply", _handle_reply)
    _patch(Server, "create_application", _create_application)


def _patch(cls, name: str, ours) -> None:
    """`cls.name` becomes `ours(stock, ...)`, where stock is Daphne's own (also after a second call)."""
    current = getattr(cls, name)
    stock = getattr(current, "stock", current)

    def patched(self, *args, **kwargs):
        return ours(self, stock, *args, **kwargs)

    patched.stock = stock
    setattr(cls, name, patched)


def _server_send(self, stock, content, binary=False):
    payload = None if binary else content.encode()
    if payload is None or not _plain(self, len(payload)):
        return stock(self, content, binary)
    send_now(self.transport, text_frame(payload))


def _handle_reply(self, stock, message):
    if message.get("type") != SEND_TEXTS:
        return stock(self, message)
    if self.state == self.STATE_CONNECTING:
        raise ValueError("Socket has not been accepted, so cannot send over it")
    payloads = [text.encode() for text in message["texts"]]
    if payloads and _plain(self, max(map(len, payloads))):
        send_now(self.transport, b"".join(map(text_frame, payloads)))
    else:
        for text in message["texts"]:
            self.serverSend(text, False)


def _create_application(self, stock, protocol, scope):
    if scope.get("type") == "websocket":
        scope = {**scope, "extensions": {**(scope.get("extensions") or {}), SEND_TEXTS: {}}}
    return stock(self, protocol, scope)
