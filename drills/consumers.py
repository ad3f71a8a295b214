"""The drill websocket (PROTOCOL.md section 3). Thin: it authenticates, translates frames to service
calls and domain errors to `error` frames, and delivers the log in seq order with no gap or repeat."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http.request import split_domain_port, validate_host

from config.errors import DomainError, Invalid
from drills import actions
from drills.events import events_after, group_name
from drills.presenters import drill_data
from drills.selectors import drill_for_user, is_instructor, roles_of
from drills.services import seat_presence
from drills.services.common import action_throttle
from drills.tickets import ticket_redeem

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
MAX_FRAME_CHARS = 64 * 1024
MSG_MALFORMED = "Frames are JSON objects with an `action`."
MSG_UNKNOWN_ACTION = "Unknown action {action!r}."
MSG_FRAME_TOO_LARGE = "Frame too large."


def origin_allowed(scope) -> bool:
    """Browsers always send Origin; a foreign one is refused. Non-browser clients may omit it."""
    origin = dict(scope.get("headers", [])).get(b"origin")
    if origin is None:
        return True
    host = origin.decode("latin1").split("://", 1)[-1]
    domain, _ = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


class DrillConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.drill = None
        self.last_seq = 0
        self.drill_id = int(self.scope["url_route"]["kwargs"]["drill_id"])
        # Accept first: a close code (4401/4403) can only reach the client after the handshake.
        await self.accept()
        if not origin_allowed(self.scope):
            return await self.close(code=CLOSE_FORBIDDEN)
        self.user = await self._authenticate()
        if self.user is None:
            return await self.close(code=CLOSE_UNAUTHENTICATED)
        if not await self._admit():
            return await self.close(code=CLOSE_FORBIDDEN)
        await self.channel_layer.group_add(group_name(self.drill_id), self.channel_name)
        # Read the seq after joining the group: anything appended later arrives live or is filled in.
        hello = await self._hello()
        self.last_seq = hello["seq"]
        await self.send_json(hello)
        await database_sync_to_async(seat_presence)(drill=self.drill, user=self.user, roles=self.roles, joined=True)

    async def disconnect(self, code):
        if self.drill is None:
            return
        await self.channel_layer.group_discard(group_name(self.drill_id), self.channel_name)
        await database_sync_to_async(seat_presence)(drill=self.drill, user=self.user, roles=self.roles, joined=False)

    @database_sync_to_async
    def _authenticate(self):
        ticket = parse_qs(self.scope.get("query_string", b"").decode()).get("ticket", [""])[0]
        if ticket:
            user_id = ticket_redeem(ticket=ticket, drill_id=self.drill_id)
            return get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
        user = self.scope.get("user")
        return user if user is not None and user.is_authenticated else None

    @database_sync_to_async
    def _admit(self) -> bool:
        try:
            self.drill = drill_for_user(user=self.user, drill_id=self.drill_id)
        except DomainError:
            return False
        self.roles = roles_of(drill=self.drill, user=self.user)
        self.instructor = is_instructor(user=self.user, drill=self.drill)
        return True

    @database_sync_to_async
    def _hello(self) -> dict:
        self.drill.refresh_from_db()
        data = drill_data(self.drill)
        you = {"user": self.user.pk, "username": self.user.username, "roles": self.roles, "instructor": self.instructor}
        return {"type": "hello", "drill": data, "you": you, "seq": data["seq"]}

    # ---- client frames ----------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.drill is None:
            return
        frame, ref = self._parse(text_data)
        if frame is None:
            return await self._error(ref, Invalid(MSG_FRAME_TOO_LARGE if ref == "too-large" else MSG_MALFORMED))
        action = frame.get("action")
        try:
            if action == "replay":
                await database_sync_to_async(action_throttle)(self.user, self.drill)
                return await self._replay(frame, ref)
            handler = actions.HANDLERS.get(action) if isinstance(action, str) else None
            if handler is None:
                raise Invalid(
                    MSG_UNKNOWN_ACTION.format(action=action), errors=[{"path": "action", "message": "unknown"}]
                )
            result = await database_sync_to_async(handler)(user=self.user, drill=self.drill, frame=frame)
        except DomainError as exc:
            return await self._error(ref, exc)
        await self.send_json({"type": "ack", "ref": ref, "result": result})

    def _parse(self, text_data):
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return None, ("too-large" if text_data else None)
        try:
            frame = json.loads(text_data)
        except ValueError:
            return None, None
        if not isinstance(frame, dict):
            return None, None
        return frame, frame.get("ref")

    async def _replay(self, frame, ref):
        after = frame.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise Invalid("after must be a whole number >= 0.", errors=[{"path": "after", "message": "invalid"}])
        frames = await database_sync_to_async(events_after)(drill=self.drill, after=after)
        for event in frames:
            await self.send_json(event)
        self.last_seq = frames[-1]["seq"] if frames else min(after, self.last_seq)
        await self.send_json({"type": "ack", "ref": ref, "result": {"after": after, "seq": self.last_seq}})

    async def _error(self, ref, exc: DomainError):
        frame = {"type": "error", "ref": ref, "code": exc.code, "message": exc.message}
        if exc.errors:
            frame["errors"] = exc.errors
        await self.send_json(frame)

    # ---- live events ------------------------------------------------------------------------------------

    async def drill_events(self, message):
        """Frames from the layer. Gaps (the layer is at most once) are read from the log; repeats dropped."""
        for event in message["frames"]:
            if event["seq"] <= self.last_seq:
                continue
            if event["seq"] > self.last_seq + 1:
                missing = await database_sync_to_async(events_after)(drill=self.drill, after=self.last_seq)
                for gap_event in missing:
                    if gap_event["seq"] < event["seq"]:
                        await self.send_json(gap_event)
            await self.send_json(event)
            self.last_seq = event["seq"]

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content, ensure_ascii=False, default=str))
