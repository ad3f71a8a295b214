"""config.websocket_server: autobahn's debug-log arguments are formatted only when a line is written; text frames
that need nothing of autobahn are written directly, byte for byte what autobahn writes."""

import contextlib
import socket

import pytest
from autobahn.exception import Disconnected, PayloadExceededError
from autobahn.twisted import websocket as twisted_websocket
from autobahn.websocket import protocol
from twisted.internet.testing import StringTransport

import config.asgi  # noqa: F401 - applies it
from config.websocket_server import SEND_TEXTS, _Pretty, send_now


def test_the_debug_helpers_hand_values_on_unformatted():
    assert protocol.hlval(42) == 42 and twisted_websocket.hltype(len) is len
    pretty = protocol.pformat([("a", 1)])
    assert isinstance(pretty, _Pretty) and str(pretty) == "[('a', 1)]" and f"{pretty}" == "[('a', 1)]"
    timings = protocol.Timings()
    timings.track("x")
    assert str(timings).startswith("{'x': ")  # a str showing what it tracked (str() of a _Pretty would raise)


# ---- text frames written directly -------------------------------------------------------------------------


@pytest.fixture
def socket_pair():
    """Two open Daphne sockets on fake transports: one sends through the direct path, the other through autobahn."""
    from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol

    def opened(**options):
        factory = WebSocketFactory(server_class=None)
        factory.setProtocolOptions(**{"maxMessagePayloadSize": 100_000, **options})
        protocol = factory.buildProtocol(None)
        protocol.transport, protocol.client_addr = StringTransport(), ["127.0.0.1", 1]
        protocol._connectionMade()
        protocol.state = protocol.STATE_OPEN
        return protocol

    return opened, WebSocketProtocol.serverSend, WebSocketProtocol.serverSend.stock


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 99_999])
def test_a_direct_text_frame_is_byte_for_byte_autobahns(socket_pair, size):
    opened, direct, stock = socket_pair
    text = "é" * (size // 2) + "x" * (size % 2)  # `size` bytes of UTF-8
    ours, theirs = opened(), opened()
    direct(ours, text)
    stock(theirs, text)
    assert ours.transport.value() == theirs.transport.value() != b""


def test_what_autobahn_must_handle_still_goes_through_it(socket_pair):
    opened, direct, _ = socket_pair
    fragmenting = opened(autoFragmentSize=4)
    direct(fragmenting, "a longer message")
    assert fragmenting.transport.value()[0] == 0x01  # a first fragment, not FIN

    too_big = opened(maxMessagePayloadSize=10)
    with pytest.raises(PayloadExceededError):
        direct(too_big, "x" * 11)

    queued = opened()
    queued.send_queue.append((b"earlier", False))
    direct(queued, "later")
    assert queued.transport.value() == b"earlier"  # what autobahn queued first goes first
    assert [data for data, _ in queued.send_queue] == [b"\x81\x05later"]

    closing = opened()
    closing.state = closing.STATE_CLOSING
    with pytest.raises(Disconnected):
        direct(closing, "late")


# ---- several text frames in one write (the SEND_TEXTS extension) --------------------------------------------------


def test_texts_sent_together_are_the_frames_sent_one_by_one_in_one_write(socket_pair):
    opened, _, stock = socket_pair
    texts = ["a", "é" * 100, "x" * 70_000]
    ours, theirs = opened(), opened()
    writes = []
    ours.transport.write = lambda data, write=ours.transport.write: writes.append(data) or write(data)
    ours.handle_reply({"type": SEND_TEXTS, "texts": texts})
    for text in texts:
        stock(theirs, text)
    assert writes == [theirs.transport.value()]


def test_texts_that_autobahn_must_handle_go_through_it_each(socket_pair):
    opened, _, _ = socket_pair
    fragmenting = opened(autoFragmentSize=4)
    fragmenting.handle_reply({"type": SEND_TEXTS, "texts": ["first one", "second"]})
    sent = fragmenting.transport.value()
    assert sent[0] == 0x01 and b"first" not in sent and b"seco" in sent  # fragments of 4 bytes, in order

    connecting = opened()
    connecting.state = connecting.STATE_CONNECTING
    with pytest.raises(ValueError):
        connecting.handle_reply({"type": SEND_TEXTS, "texts": ["early"]})


def test_every_websocket_scope_offers_it_and_other_messages_are_daphnes():
    from daphne.server import Server

    scopes = []

    def application(scope, receive, send):
        scopes.append(scope)
        raise LookupError("made: no need to run it")

    server = Server.__new__(Server)
    server.connections, server.application = {"ws": {}, "http": {}}, application
    for connection, kind in (("ws", "websocket"), ("http", "http")):
        with pytest.raises(LookupError):
            server.create_application(connection, {"type": kind})
    assert SEND_TEXTS in scopes[0]["extensions"] and "extensions" not in scopes[1]


# ---- writes sent at once --------------------------------------------------------------------------------------


class Reactor:
    """What a Twisted connection asks of its reactor: to be told when its socket can take more."""

    def __init__(self) -> None:
        self.writers = set()

    def addWriter(self, writer):
        self.writers.add(writer)

    def removeWriter(self, writer):
        self.writers.discard(writer)


@pytest.fixture
def connected_pair():
    """(a Twisted TCP connection on one end of a socket pair, the other end, its reactor)."""
    from twisted.internet.tcp import Connection

    ours, theirs = socket.socketpair()
    reactor = Reactor()
    connection = Connection(ours, protocol=None, reactor=reactor)
    connection.connected = 1
    yield connection, theirs, reactor
    ours.close()
    theirs.close()


def test_a_write_with_nothing_before_it_is_sent_at_once(connected_pair):
    connection, theirs, reactor = connected_pair
    send_now(connection, b"frame")
    assert theirs.recv(100) == b"frame" and not reactor.writers


def test_a_write_after_buffered_data_waits_behind_it(connected_pair):
    connection, theirs, reactor = connected_pair
    connection.write(b"first ")
    send_now(connection, b"second")
    theirs.setblocking(False)
    with pytest.raises(BlockingIOError):
        theirs.recv(100)  # nothing overtook the buffered write
    connection.doWrite()
    assert theirs.recv(100) == b"first second" and not reactor.writers


def test_what_the_kernel_does_not_take_is_buffered_in_order(connected_pair):
    connection, theirs, reactor = connected_pair
    data = bytes(range(256)) * 16_384  # 4 MiB: more than a socket pair's buffers hold
    send_now(connection, data)
    assert 0 < connection._tempDataLen < len(data) and reactor.writers == {connection}
    got = bytearray()
    theirs.setblocking(False)
    while len(got) < len(data):
        with contextlib.suppress(BlockingIOError):
            got += theirs.recv(1 << 20)
        if connection.dataBuffer[connection.offset :] or connection._tempDataLen:
            connection.doWrite()
    assert bytes(got) == data


def test_other_transports_write_as_they_always_do():
    transport = StringTransport()
    send_now(transport, b"frame")
    assert transport.value() == b"frame"
