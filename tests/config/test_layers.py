"""The services profile's channel layer: groups on Redis across processes, consumers' own channels in-process."""

import asyncio
import contextlib
import os

import pytest
import redis.asyncio as aioredis
from django.conf import settings

from config.layers import RedisGroupsChannelLayer
from tests.loops import in_own_loop

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the services profile (REDIS_URL)"),
]


@contextlib.asynccontextmanager
async def processes():
    """Two layers, as two server processes have."""
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    layers = [RedisGroupsChannelLayer(**config), RedisGroupsChannelLayer(**config)]
    try:
        yield layers
    finally:
        for layer in layers:
            await layer.flush()


async def _subscribed(pattern: str) -> list[str]:
    client = aioredis.from_url(settings.REDIS_URL)
    try:
        return [name.decode() for name in await client.pubsub_channels(pattern)]
    finally:
        await client.aclose()


@in_own_loop
async def test_a_group_send_reaches_the_group_in_every_process():
    async with processes() as (here, there):
        mine, theirs = await here.new_channel(), await there.new_channel()
        await here.group_add("drill-1", mine)
        await there.group_add("drill-1", theirs)
        await there.group_send("drill-1", {"type": "drill.events", "events": [[1, "{}"]]})
        got = await asyncio.wait_for(asyncio.gather(here.receive(mine), there.receive(theirs)), 5)
        assert got == [{"type": "drill.events", "events": [[1, "{}"]]}] * 2


@in_own_loop
async def test_a_consumers_own_channel_is_not_subscribed_on_redis():
    async with processes() as (here, _):
        channel = await here.new_channel()
        await here.group_add("drill-2", channel)
        subscribed = await _subscribed(f"{here.prefix}*")
        assert channel not in subscribed
        assert any(name.endswith("__group__drill-2") for name in subscribed)


@in_own_loop
async def test_a_send_to_a_channel_of_this_process_is_delivered():
    async with processes() as (here, _):
        channel = await here.new_channel()
        await here.send(channel, {"type": "hello"})
        assert await asyncio.wait_for(here.receive(channel), 5) == {"type": "hello"}


@in_own_loop
async def test_hundreds_of_sockets_in_one_process_share_its_few_connections():
    """The settings bound the pool at 4 connections; past it, redis-py refuses to open one more."""
    async with processes() as (here, _):
        channels = [await here.new_channel() for _ in range(300)]
        for index, channel in enumerate(channels):
            await here.group_add(f"drill-{index % 20}", channel)
        await asyncio.gather(*(here.group_send(f"drill-{g}", {"type": "drill.events", "g": g}) for g in range(20)))
        got = await asyncio.wait_for(asyncio.gather(*(here.receive(c) for c in channels)), 10)
        assert [message["g"] for message in got] == [index % 20 for index in range(300)]


@in_own_loop
async def test_a_consumer_behind_gets_the_waiting_events_of_its_drill_as_one_message_in_order():
    """Per the `merged` setting: drill.events waiting together are joined; any other message stays apart and
    keeps its place."""
    async with processes() as (here, there):
        channel = await here.new_channel()
        await here.group_add("drill-3", channel)
        sent = [
            {"type": "drill.events", "events": [[1, "a"], [2, "b"]]},
            {"type": "drill.events", "events": [[3, "c"]]},
            {"type": "drill.observation", "frame": {"n": 1}},
            {"type": "drill.events", "events": [[4, "d"]]},
            {"type": "drill.events", "events": [[5, "e"]]},
        ]
        for message in sent:
            await there.group_send("drill-3", message)
        await asyncio.wait_for(_waiting(here, channel, len(sent)), 5)
        got = [await here.receive(channel) for _ in range(3)]
        assert got == [
            {"type": "drill.events", "events": [[1, "a"], [2, "b"], [3, "c"]]},
            {"type": "drill.observation", "frame": {"n": 1}},
            {"type": "drill.events", "events": [[4, "d"], [5, "e"]]},
        ]


@in_own_loop
async def test_a_consumer_that_keeps_up_gets_each_message_as_sent():
    async with processes() as (here, there):
        channel = await here.new_channel()
        await here.group_add("drill-4", channel)
        for seq in (1, 2):
            await there.group_send("drill-4", {"type": "drill.events", "events": [[seq, "x"]]})
            got = await asyncio.wait_for(here.receive(channel), 5)
            assert got == {"type": "drill.events", "events": [[seq, "x"]]}


async def _waiting(layer, channel: str, count: int) -> None:
    """Until `count` messages wait in the channel's queue of this process (the subscriber delivers them)."""
    while layer._get_layer().channels[channel].qsize() < count:
        await asyncio.sleep(0.01)
