"""The project's ASGI application plus one bench-only route: the bare fan-out baseline of bench/room.py.

`/ws/bare/<group>/` is a plain Channels consumer: it joins the group, turns each frame a client sends into
one `group_send` of that frame (stamped with `at`, as our events are), and forwards group messages as
they come. No authentication, no database, no seq bookkeeping: what Channels costs by itself on this
server and layer. Served only by `python -m daphne ... bench.room_asgi:application` on 127.0.0.1.
"""

import json
import os
import signal

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import path
from django.utils import timezone

from config.asgi import application as crisisdrill_application  # sets Django up first

if os.environ.get("BENCH_ROOM_CPROFILE"):
    # bench/room.py --cprofile: SIGUSR1 starts a new cProfile of the event loop's thread, SIGUSR2 stops it and writes
    # the stats to that path (signal handlers run on the main thread, which runs the reactor). The bench then
    # gives the file the phase's name.
    import cProfile

    _profilers: list[cProfile.Profile] = []

    def _profile_start(*_):
        _profilers[:] = [cProfile.Profile()]
        _profilers[0].enable()

    def _profile_stop(*_):
        if _profilers:
            _profilers[0].disable()
            _profilers.pop().dump_stats(os.environ["BENCH_ROOM_CPROFILE"])

    signal.signal(signal.SIGUSR1, _profile_start)
    signal.signal(signal.SIGUSR2, _profile_stop)

BARE_PREFIX = "/ws/bare/"


class BareFanoutConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = "bench-bare-" + self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        frame = json.loads(text_data)
        frame["at"] = timezone.now().isoformat().replace("+00:00", "Z")
        await self.channel_layer.group_send(self.group, {"type": "bare.frames", "frames": [frame]})

    async def bare_frames(self, message):
        for frame in message["frames"]:
            await self.send(text_data=json.dumps(frame, ensure_ascii=False))


bare_application = URLRouter([path("ws/bare/<slug:group>/", BareFanoutConsumer.as_asgi())])


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith(BARE_PREFIX):
        return await bare_application(scope, receive, send)
    return await crisisdrill_application(scope, receive, send)
