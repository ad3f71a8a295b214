"""The channel layers of both profiles.

Embedded: Channels' in-memory layer, with its clean-up run once a second. `InMemoryChannelLayer` walks every
channel queue and every group membership of the process to drop expired messages on each `receive` and
`group_send`: with hundreds of sockets in one process, that walk grew with the square of the sockets and cost
more than the deliveries themselves. Messages expire after a minute, so dropping them up to a second late
changes nothing.

Services: channels-redis' pub/sub layer, with each consumer's own channel kept in its process. The pub/sub
layer subscribes every consumer's channel on Redis: a SUBSCRIBE when a socket opens and an UNSUBSCRIBE when
it closes, each under the lock every group send of the process also waits for, and each confirmation read
back by the receiving loop. In a reconnect storm that was a fifth of the event loop's work per socket
(bench/README.md, room). Our consumers hear only their groups, and groups stay on Redis, across processes.

Services, merged messages: a consumer that is behind (a burst to 1,000 sockets) finds several messages of the
same kind waiting; the types named in the layer's `merged` setting (type -> list field) are then delivered as one
message, their lists joined in arrival order. Each message handled costs a consumer a dispatch and the server a
socket write cycle (bench/README.md, "Room, scale-out"); a consumer that keeps up gets every message as sent.
"""

import asyncio
import collections
import time
import uuid

from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer
from channels_redis.utils import _wrap_close

CLEAN_EVERY_S = 1.0


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    next_clean = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self.next_clean:
            return
        self.next_clean = now + CLEAN_EVERY_S
        super()._clean_expired()


class RedisGroupsChannelLayer(RedisPubSubChannelLayer):
    """A message sent to a consumer's own channel reaches it from its own process only; from another process
    it is lost, as any pub/sub message nobody listens to (nothing here sends one: everything goes to groups)."""

    def __init__(self, *args, merged: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged = dict(merged or {})

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            self._layers[loop] = _LocalChannelsLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return self._layers[loop]


class _LocalChannelsLoopLayer(RedisPubSubLoopLayer):
    async def new_channel(self, prefix="specific."):
        # Not subscribed on Redis; `receive` then waits on the queue alone, and its clean-up, finding nothing
        # subscribed, sends nothing either.
        channel = f"{self.prefix}{prefix}{uuid.uuid4().hex}"
        self.channels[channel] = _ChannelQueue()
        return channel

    async def receive(self, channel):
        message = await super().receive(channel)
        field = self.channel_layer.merged.get(message.get("type"))
        queue = self.channels.get(channel)
        if field is None or not isinstance(queue, _ChannelQueue):
            return message
        while (waiting := queue.peek()) is not None:
            following = self.channel_layer.deserialize(waiting)
            if following.get("type") != message["type"]:
                break
            queue.get_nowait()
            message = {**message, field: [*message[field], *following[field]]}
        return message

    async def send(self, channel, message):
        queue = self.channels.get(channel)
        if queue is None:
            return await super().send(channel, message)
        queue.put_nowait(self.channel_layer.serialize(message))


class _ChannelQueue(asyncio.Queue):
    """A consumer's queue whose next message can be looked at without taking it (stdlib queues keep their items
    in `_queue`, the storage their subclasses define)."""

    def _init(self, maxsize):
        self._queue = collections.deque()

    def peek(self):
        return self._queue[0] if self._queue else None
