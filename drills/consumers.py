"""The drill websocket (PROTOCOL.md section 3). Thin: it authenticates, translates frames to service
calls and domain errors to `error` frames, and delivers the log in seq order with no gap or repeat."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull, StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import OperationalError, close_old_connections, connection
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts.models import Role
from accounts.selectors import active_user
from config.errors import DomainError, Invalid, ServerError, Unavailable
from config.limits import MAX_ID, whole_number
from config.parsers import loads
from config.texts import said, translated, translated_issues
from config.websocket_server import SEND_TEXTS
from drills import actions
from drills.api import MSG_BAD_AFTER
from drills.events import frame_texts
from drills.handshake import origin_allowed, session_user, socket_language
from drills.presence import connecting, seat_joined, seat_left
from drills.presenters import drill_data, signal_keys
from drills.rooms import local_rooms
from drills.selectors import OBSERVER_SEAT, drill_for_user, is_instructor, roles_in_seats
from drills.services.common import action_throttle
from drills.standing import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, refusal, standing_read
from drills.tickets import ticket_redeem
from evaluation.frames import evaluators_group

MAX_FRAME_CHARS = 64 * 1024
MSG_MALFORMED = gettext_noop("Frames are JSON objects with an `action`.")
MSG_UNKNOWN_ACTION = gettext_noop("Unknown action {action!r}.")
MSG_FRAME_TOO_LARGE = gettext_noop("Frame too large.")
logger = logging.getLogger(__name__)
LOG_PAGE = 1000  # events per read of the log: a replay of 10,000 is 10 short queries, not one huge list


def after_param(query: dict) -> tuple[int | None, bool]:
    """`?after=SEQ`, our extension of PROTOCOL.md section 3: the events after SEQ follow the hello at once.

    A reconnecting client's `replay {after}` can only start once its hello arrived: with `?after=` the server
    sends the log after SEQ at once, then goes on live from the last seq it sent, with no repeat. (None, True)
    when absent; (None, False) when not a whole number >= 0: the socket then connects as without it, and gets
    an `error` frame after its hello."""
    value = query.get("after", [None])[0]
    if value is None:
        return None, True
    after = whole_number(value)
    return after, after is not None


def off_thread(func, executor: ThreadPoolExecutor | None = None):
    """`func` on threads of the sockets' own (reads by default), not on the one sync thread every page request
    and every other socket's call queues on. Stale connections are closed inside the call: channels closes
    them around it, outside the context asgiref 3.13 runs the call in, where they are not seen (the test
    database found them left open)."""

    def run(*args, **kwargs):
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return database_sync_to_async(run, thread_sensitive=False, executor=executor or socket_read_executor())


def in_action_thread(func):
    """`func`, an action (a write), on PostgreSQL on the sockets' action threads: each action locks only its
    drill's row, so one drill's commit need not wait for another's. On SQLite on the shared sync thread, with
    the page requests: writers in several threads there wait on one file lock in SQLite's coarse busy loop."""
    if connection.vendor == "sqlite":
        return database_sync_to_async(func)
    return off_thread(func, socket_action_executor())


@functools.cache
def socket_read_executor() -> ThreadPoolExecutor:
    """Four threads: a reconnect storm is hundreds of reads at once, each mostly waiting for the database. With the
    loop's default six threads running them the event loop thread waited for the GIL after each of its own socket
    calls; with two, 500 reconnects to a process queued for 0.9 s (median) before their read began (bench/README.md,
    room)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="socket-read")


@functools.cache
def socket_action_executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="socket-action")


class Refused(Exception):
    """The socket may not watch this drill: closed with `code` (PROTOCOL.md section 3)."""

    def __init__(self, code: int) -> None:
        self.code = code


class DrillConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        with connecting(int(self.scope["url_route"]["kwargs"]["drill_id"])):  # see drills.presence
            await self._connect()

    async def _connect(self):
        self.drill = None
        self.in_evaluators = False
        self.last_seq = 0
        self.backlog: list = []  # live [seq, text] pairs kept for this socket's own task (see `live`)
        self.holding = 1  # live frames wait until the hello and the log after `?after=` are sent
        self.woken = False  # a `drill.backlog` message is on its way to this socket's task
        self.drill_id = int(self.scope["url_route"]["kwargs"]["drill_id"])
        self.language = socket_language(self.scope)
        # Accept first: a close code (4401/4403) can only reach the client after the handshake.
        await self.accept()
        if not origin_allowed(self.scope):
            return await self.close(code=CLOSE_FORBIDDEN)
        query = parse_qs(self.scope.get("query_string", b"").decode())
        after, after_ok = after_param(query)
        # In the drill's room before the hello's seq is read: anything appended later arrives live or is filled in.
        await local_rooms().join(self)
        try:
            # One call, and off the shared sync thread: a storm of reconnects is hundreds of these.
            hello, page = await off_thread(self._open)(ticket=query.get("ticket", [""])[0], after=after)
        except Refused as refused:
            await local_rooms().leave(self)  # it stays holding: what was kept for it is never sent
            return await self.close(code=refused.code)
        await self._follow_evaluation()
        self.last_seq = hello["seq"]
        # What this socket carried is always the run carried_from..last_seq: the hello names a seq, sends none.
        self.carried_from = hello["seq"] + 1 if after is None else min(after, hello["seq"]) + 1
        await self.send_json(hello)
        if not after_ok:
            with translation.override(self.language):
                await self._error(None, Invalid(MSG_BAD_AFTER, errors=[{"path": "after", "message": "invalid"}]))
        if page is not None:
            await self._send_log(page)
        self.holding -= 1
        await self._send_backlog()
        await seat_joined(drill=self.drill, user=self.user, roles=self.roles)

    async def websocket_disconnect(self, message):
        # Channels' own, less its hop to the shared sync thread to close stale database connections (see
        # dispatch); this consumer joins its group itself, so it has no `groups` to leave here.
        await self.disconnect(message["code"])
        raise StopConsumer()

    async def disconnect(self, code):
        await local_rooms().leave(self)  # also a socket whose connect failed after it joined
        if self.drill is None:
            return
        await self.channel_layer.group_discard(evaluators_group(self.drill_id), self.channel_name)
        await seat_left(drill=self.drill, user=self.user, roles=self.roles)

    def _open(self, *, ticket: str, after: int | None) -> tuple[dict, list | None]:
        """The hello, and with `?after=` the first page of the log after it. Sets user, drill and roles."""
        self.user = self._authenticate(ticket)
        if self.user is None:
            raise Refused(CLOSE_UNAUTHENTICATED)
        try:
            drill = drill_for_user(user=self.user, drill_id=self.drill_id)
        except DomainError:
            raise Refused(CLOSE_FORBIDDEN) from None
        data = drill_data(drill)
        self.roles = roles_in_seats(seats=data["seats"], user=self.user)  # as roles_of, without its read
        self.instructor = is_instructor(user=self.user, drill=drill)
        you = {"user": self.user.pk, "username": self.user.username, "roles": self.roles, "instructor": self.instructor}
        if self.instructor:  # the hello's instructor-only part: the console marks the signal posts
            you["signals"] = signal_keys(drill)
        page = frame_texts(drill_id=self.drill_id, after=after, limit=LOG_PAGE) if after is not None else None
        self.drill = drill  # set last: a refused socket has no drill, and disconnect() then does nothing
        return {"type": "hello", "drill": data, "you": you, "seq": data["seq"]}, page

    def _authenticate(self, ticket: str):
        """The ticket's user, else the session cookie's; None if neither names an active user. Keeps what the
        socket signed in with (the ticket's session or token, else the cookie's session) and the password it
        was signed in under: each action checks both still stand (see _standing_now)."""
        if ticket:
            redeemed = ticket_redeem(ticket=ticket, drill_id=self.drill_id)
            if redeemed is None:
                return None
            user_id, self.credential = redeemed
            user = active_user(user_id)
        else:
            session = self.scope.get("session")
            self.credential = ("session", session.session_key) if session is not None else None
            user = session_user(session)
        if user is not None:
            self.password = user.password
        return user

    async def dispatch(self, message):
        # Channels hops to the one shared sync thread before every message to close stale database connections.
        # Every database call here closes them itself, in the thread it runs in, so the hop only made each live
        # frame, action and reconnect queue behind page requests and the other sockets.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # ---- client frames ----------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.drill is None:
            return
        # Around the whole action: DRF says its input errors in the active language when it raises them.
        with translation.override(self.language):
            try:
                refused = await off_thread(self._standing_now)()
            except DomainError as exc:  # over the action limit
                return await self._error(self._ref_of(text_data), exc)
            if refused is not None:
                return await self.close(code=refused)
            await self._follow_evaluation()
            await self._act(text_data)

    def _standing_now(self) -> int | None:
        """The gate before every frame, outside any transaction: the action limit (every frame counts, a
        malformed one too), then the user's current standing. Their rights as they are now go to the services
        (the membership the socket's user object carries); a close code if they may no longer act here."""
        action_throttle(self.user, self.drill_id)
        standing = standing_read(user_id=self.user.pk, drill_id=self.drill_id, credential=self.credential)
        refused = refusal(standing, password=self.password, organization_id=self.drill.organization_id)
        if refused is None:
            self.user.membership.role = standing.role
            self.roles = roles_in_seats(
                seats=[{"user": self.user.pk, "role": r} for r in standing.seat_roles], user=self.user
            )
            self.instructor = standing.role == Role.INSTRUCTOR
        return refused

    async def _act(self, text_data):
        """One frame, one answer: an ack, or an error frame for anything that goes wrong (PROTOCOL.md section 3:
        an error never closes the socket)."""
        ref = None
        try:
            frame = self._parse(text_data)
            ref = frame.get("ref")
            result = await self._perform(frame, ref)
        except DomainError as exc:
            return await self._error(ref, exc)
        except OperationalError:  # e.g. "database is locked": the action's transaction rolled back
            logger.warning("websocket action unavailable on drill %s", self.drill_id, exc_info=True)
            return await self._error(ref, Unavailable())
        except Exception:
            logger.exception("websocket action failed on drill %s", self.drill_id)
            return await self._error(ref, ServerError())
        if result is not None:
            await self.send_json({"type": "ack", "ref": ref, "result": result})

    async def _perform(self, frame: dict, ref) -> dict | None:
        """The action's ack result; None when it answered itself (replay)."""
        action = frame.get("action")
        if action == "replay":
            await self._replay(frame, ref)
            return None
        handler = actions.HANDLERS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise Invalid(said(MSG_UNKNOWN_ACTION, action=action), errors=[{"path": "action", "message": "unknown"}])
        return await in_action_thread(handler)(user=self.user, drill=self.drill, frame=frame)

    def _ref_of(self, text_data):
        """The frame's `ref`, for an answer given before the frame is read (None if it cannot be read)."""
        try:
            return self._parse(text_data).get("ref")
        except Invalid:
            return None

    def _parse(self, text_data) -> dict:
        """The frame as an object; Invalid when it is too large, not JSON, nested too deeply or not an object."""
        if text_data is not None and len(text_data) > MAX_FRAME_CHARS:
            raise Invalid(MSG_FRAME_TOO_LARGE)
        try:
            frame = loads(text_data) if text_data is not None else None
        except ValueError:  # also nesting past MAX_JSON_DEPTH
            raise Invalid(MSG_MALFORMED) from None
        if not isinstance(frame, dict):
            raise Invalid(MSG_MALFORMED)
        return frame

    async def _replay(self, frame, ref):
        """Every seq > after this socket has not carried, in seq order: those before what it carried (live
        frames may have gone out since the hello), then any newer than the last it sent; never one twice."""
        after = frame.get("after", 0)
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_ID:
            raise Invalid(MSG_BAD_AFTER, errors=[{"path": "after", "message": "invalid"}])
        async with self._from_the_log():
            if after + 1 < self.carried_from:
                await self._send_earlier(after, self.carried_from - 1)
                self.carried_from = after + 1
            await self._send_log(await self._read_log(max(after, self.last_seq)))
            await self.send_json({"type": "ack", "ref": ref, "result": {"after": after, "seq": self.last_seq}})

    async def _send_earlier(self, after: int, through: int) -> None:
        """Sends the seqs after `after` through `through`, a page at a time; last_seq stays as it is."""
        while after < through:
            page = await off_thread(frame_texts)(
                drill_id=self.drill_id, after=after, limit=min(LOG_PAGE, through - after)
            )
            if not page:
                return
            await self._send_texts([text for _, text in page])
            after = page[-1][0]

    async def _read_log(self, after: int) -> list[tuple[int, str]]:
        return await off_thread(frame_texts)(drill_id=self.drill_id, after=after, limit=LOG_PAGE)

    async def _send_log(self, page: list[tuple[int, str]]) -> None:
        """Sends `page` and every later event of the log, a page at a time; last_seq becomes the last sent.

        Its callers hold live frames meanwhile (`holding`): they wait in the backlog, and those at or below the
        last seq sent are then dropped."""
        while page:
            await self._send_texts([text for _, text in page])
            self.last_seq = page[-1][0]
            if len(page) < LOG_PAGE:
                return
            page = await self._read_log(self.last_seq)

    async def _error(self, ref, exc: DomainError):
        frame = {"type": "error", "ref": ref, "code": exc.code, "message": translated(exc.message)}
        if exc.errors:
            frame["errors"] = translated_issues(exc.errors)
        await self.send_json(frame)

    def _evaluator(self) -> bool:
        """Instructors and observer seats see observations live (PROTOCOL.md 1.6); rights as last read."""
        return self.instructor or OBSERVER_SEAT in self.roles

    async def _follow_evaluation(self) -> None:
        """In the drill's evaluators' group while the user is an evaluator: joined at connect, left (or joined)
        when a standing read before an action finds their rights changed."""
        if self._evaluator() and not self.in_evaluators:
            await self.channel_layer.group_add(evaluators_group(self.drill_id), self.channel_name)
        elif self.in_evaluators and not self._evaluator():
            await self.channel_layer.group_discard(evaluators_group(self.drill_id), self.channel_name)
        self.in_evaluators = self._evaluator()

    async def drill_observation(self, message):
        """An `observation` frame (evaluation.frames): no seq, not part of the log; only while an evaluator."""
        if self._evaluator():
            await self.send_json(message["frame"])

    # ---- live events ------------------------------------------------------------------------------------

    async def live(self, texts: list) -> None:
        """[seq, text] pairs from this process's room of the drill (drills.rooms). Written at once when this socket is
        next in line; otherwise (its task sending from the log, frames kept before, a gap) kept in order for its own
        task (`_send_backlog`). Repeats are dropped."""
        if self.holding or self.backlog:
            return await self._keep(texts)
        ready, last, index = [], self.last_seq, 0
        while index < len(texts) and texts[index][0] <= last + 1:
            seq, text = texts[index]
            if seq == last + 1:
                ready.append(text)
                last = seq
            index += 1
        self.last_seq = last
        if ready:
            await self._send_texts(ready)
        if index < len(texts):  # a gap: the log fills it, in this socket's task
            await self._keep(texts[index:])

    async def _keep(self, texts: list) -> None:
        self.backlog.extend(texts)
        if self.holding or self.woken:  # the task sends the backlog when it is done, or is about to
            return
        with contextlib.suppress(ChannelFull):  # the next live message tries again
            await self.channel_layer.send(self.channel_name, {"type": "drill.backlog"})
            self.woken = True

    async def drill_backlog(self, message):
        self.woken = False
        await self._send_backlog()

    async def _send_backlog(self) -> None:
        """Sends the kept frames after last_seq in order (a gap read from the log first); live frames are kept
        meanwhile, and sent in the same loop. Nothing while the task is still sending from the log."""
        if self.holding:
            return
        self.holding += 1
        try:
            while self.backlog:
                texts, self.backlog = self.backlog, []
                for seq, text in texts:
                    if seq > self.last_seq + 1:
                        await self._send_log(await self._read_log(self.last_seq))
                    if seq > self.last_seq:
                        await self.send(text_data=text)
                        self.last_seq = seq
        finally:
            self.holding -= 1

    @contextlib.asynccontextmanager
    async def _from_the_log(self):
        """Around this socket's own sends from the log: live frames are kept meanwhile, then sent after them."""
        self.holding += 1
        try:
            yield
        finally:
            self.holding -= 1
        await self._send_backlog()

    async def drill_behind(self, message):
        """From the gap check (drills.rooms): the log has a seq this socket never got, and no live frame came to
        show the gap (a lost last event)."""
        if message["seq"] > self.last_seq:
            async with self._from_the_log():
                await self._send_log(await self._read_log(self.last_seq))

    async def _send_texts(self, texts: list[str]) -> None:
        """Each text a frame of its own, in one write where the server offers it (config/websocket_server.py)."""
        if SEND_TEXTS in (self.scope.get("extensions") or {}):
            await self.base_send({"type": SEND_TEXTS, "texts": texts})
        else:
            for text in texts:
                await self.send(text_data=text)

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content, ensure_ascii=False, default=str))
