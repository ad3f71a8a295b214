"""The websocket client of bench.room's load generator: RFC 6455, client side, text frames, no extensions.

The `websockets` client cost the load generator 22-29 µs per frame received (a reader task, a message assembler,
a future per frame, then the client's own handling): in the 1,000-client room a 40-item burst is about 64,000
frames in 1.5 s, so the one load generator thread was saturated through the burst, and the latencies it measured
were largely its own backlog. This client parses the frames of each read in `data_received` and hands each text to
the client's callback there and then.

What it does not do, because our server never needs it: extensions (compression), subprotocols, binary messages
(refused, as the browser client would fail on one)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from typing import Protocol
from urllib.parse import urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NO_STATUS, ABNORMAL = 1005, 1006  # the close codes of a close frame without one, and of a lost connection


class Client(Protocol):
    """What a socket tells its client, in this order, all from the event loop's callbacks."""

    def opened(self, socket: Socket) -> None: ...  # before any message: the hello may come with the handshake

    def text(self, text: str) -> None: ...

    def closed(self, code: int) -> None: ...  # once, when the connection has ended (after an open or not)


class Socket(asyncio.Protocol):
    """One client connection, telling `client` what happens on it."""

    def __init__(self, key: str, client: Client) -> None:
        self.key, self.client = key, client
        loop = asyncio.get_running_loop()
        self.opened, self.closed = loop.create_future(), loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.parts: list[bytes] = []  # a fragmented message's payloads so far
        self.close_code: int | None = None
        self.close_sent = False

    # ---- asyncio ----

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data if self.buffer else data
        start = 0 if self.opened.done() else self._handshake(buffer)
        if start is None:  # the response's head has not all come yet
            self.buffer = buffer
            return
        self.buffer = buffer[self._frames(buffer, start) :]

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"connection lost during the handshake: {exc!r}"))
        if self.close_code is None:
            self.close_code = ABNORMAL
        if not self.closed.done():
            self.closed.set_result(self.close_code)
            self.client.closed(self.close_code)

    # ---- receiving ----

    def _handshake(self, buffer: bytes) -> int | None:
        """Where the frames begin, once the server's 101 answer is checked; None until its head is all here."""
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        status, *lines = buffer[:end].decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        accept = base64.b64encode(hashlib.sha1(self.key.encode() + GUID).digest()).decode()
        if status.split(" ")[1:2] != ["101"] or headers.get("sec-websocket-accept") != accept:
            self.opened.set_exception(ConnectionError(f"the server refused the websocket: {status!r}"))
            self.transport.close()
            return len(buffer)
        self.opened.set_result(self)
        self.client.opened(self)
        return end + 4

    def _frames(self, buffer: bytes, start: int) -> int:
        """Handles every whole frame from `start`; returns where the first incomplete one begins."""
        end = len(buffer)
        while end - start >= 2:
            first, size = buffer[start], buffer[start + 1] & 0x7F  # a server's frames are never masked
            head = 2
            if size == 126:
                head, size = 4, int.from_bytes(buffer[start + 2 : start + 4], "big")
            elif size == 127:
                head, size = 10, int.from_bytes(buffer[start + 2 : start + 10], "big")
            if end - start < head + size:
                break
            self._frame(first & 0x0F, first & 0x80, buffer[start + head : start + head + size])
            start += head + size
        return start

    def _frame(self, opcode: int, fin: int, payload: bytes) -> None:
        if opcode == TEXT and fin:
            self.client.text(payload.decode())
        elif opcode in (TEXT, CONTINUATION):
            self.parts.append(payload)
            if fin:
                text, self.parts = b"".join(self.parts).decode(), []
                self.client.text(text)
        elif opcode == PING:
            self._write(PONG, payload)
        elif opcode == CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else NO_STATUS
            if not self.close_sent:
                self._write(CLOSE, payload[:2])
                self.close_sent = True
            self.transport.close()
        elif opcode == BINARY:
            raise ValueError("a binary message: the drill socket sends text only")

    # ---- sending ----

    def send(self, text: str) -> None:
        self._write(TEXT, text.encode())

    async def close(self, wait_s: float) -> None:
        """The closing handshake (code 1000), then the connection dropped; at most `wait_s` for the server."""
        if not self.close_sent and not self.closed.done():
            self._write(CLOSE, (1000).to_bytes(2, "big"))
            self.close_sent = True
        try:
            await asyncio.wait_for(asyncio.shield(self.closed), wait_s)
        except TimeoutError:
            self.transport.abort()
            await self.closed

    def _write(self, opcode: int, payload: bytes) -> None:
        """One whole frame, masked as every client frame must be (RFC 6455 section 5.3)."""
        size = len(payload)
        if size < 126:
            length = bytes((0x80 | size,))
        elif size < 1 << 16:
            length = bytes((0x80 | 126,)) + size.to_bytes(2, "big")
        else:
            length = bytes((0x80 | 127,)) + size.to_bytes(8, "big")
        mask = os.urandom(4)
        key = (mask * (size // 4 + 1))[:size]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")
        self.transport.write(bytes((0x80 | opcode,)) + length + mask + masked)


async def connect(url: str, client: Client, *, headers: dict[str, str], wait_s: float) -> Socket:
    """An open socket to `url` (ws://host:port/path?query), or ConnectionError/TimeoutError within `wait_s`."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    loop = asyncio.get_running_loop()
    transport, socket = await asyncio.wait_for(
        loop.create_connection(lambda: Socket(key, client), parts.hostname, parts.port), wait_s
    )
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = [
        f"GET {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    transport.write(("\r\n".join(request) + "\r\n\r\n").encode("latin-1"))
    try:
        return await asyncio.wait_for(asyncio.shield(socket.opened), wait_s)
    except BaseException:
        transport.abort()
        raise
