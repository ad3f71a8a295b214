"""bench.room_socket, the load generator's websocket client, against the `websockets` library's server: the
handshake, every length encoding, fragments, pings, masked client frames (a server refuses unmasked ones) and both
ways of closing."""

import asyncio

import pytest
from websockets.asyncio.server import serve

from bench import room_socket


class Client:
    def __init__(self) -> None:
        self.socket, self.texts, self.codes = None, [], []
        self.got = asyncio.Event()

    def opened(self, socket) -> None:
        self.socket = socket

    def text(self, text: str) -> None:
        self.texts.append(text)
        self.got.set()

    def closed(self, code: int) -> None:
        self.codes.append(code)


@pytest.fixture
async def server():
    """A server that sends back each text it gets, after the frames its first text asks for."""

    async def handler(ws):
        async for message in ws:
            if message == "sizes":
                for size in (0, 125, 126, 65_535, 65_536):
                    await ws.send("é" * (size // 2) + "x" * (size % 2))
                await ws.send(["frag", "ments"])  # one message in three frames
                await asyncio.wait_for(await ws.ping(b"are you there"), 2)  # our client answers
                await ws.send("pinged")
            elif message == "bye":
                await ws.close(4403, "no")
            else:
                await ws.send(message)

    async with serve(handler, "127.0.0.1", 0) as running:
        yield running.sockets[0].getsockname()[1]


async def connected(port: int, path: str = "/ws") -> Client:
    client = Client()
    await room_socket.connect(f"ws://127.0.0.1:{port}{path}", client, headers={"Origin": "http://x"}, wait_s=2)
    return client


async def received(client: Client, count: int) -> list[str]:
    while len(client.texts) < count:
        client.got.clear()
        await asyncio.wait_for(client.got.wait(), 2)
    return client.texts


async def test_every_frame_length_fragments_and_pings(server):
    client = await connected(server)
    client.socket.send("sizes")
    texts = await received(client, 7)
    assert [len(t.encode()) for t in texts[:5]] == [0, 125, 126, 65_535, 65_536]
    assert texts[5:] == ["fragments", "pinged"]


@pytest.mark.parametrize("size", [1, 125, 126, 70_000])
async def test_client_frames_are_masked_at_every_length(server, size):
    client = await connected(server)
    client.socket.send("ü" * size)
    assert await received(client, 1) == ["ü" * size]


async def test_the_client_closes_and_the_server_closes(server):
    client = await connected(server)
    await client.socket.close(2)
    assert client.codes == [1000]

    refused = await connected(server)
    refused.socket.send("bye")
    await asyncio.wait_for(refused.socket.closed, 2)
    assert refused.codes == [4403]


async def test_a_refused_handshake_is_a_connection_error():
    async def handler(ws):
        pass

    async def not_websocket(connection, request):
        return connection.respond(403, "no\n")

    async with serve(handler, "127.0.0.1", 0, process_request=not_websocket) as running:
        with pytest.raises(ConnectionError, match="403"):
            await connected(running.sockets[0].getsockname()[1])
