"""The drill websocket's route, and the middleware that puts the session cookie's session in its scope."""

from channels.sessions import CookieMiddleware, InstanceSessionWrapper, SessionMiddleware
from django.urls import path

from drills.consumers import DrillConsumer

websocket_urlpatterns = [path("ws/drills/<int:drill_id>/", DrillConsumer.as_asgi())]


class SocketSessionMiddleware(SessionMiddleware):
    """Channels' SessionMiddleware without its wrapper around `send`.

    The wrapper looks at the session before every message sent, to save it with an HTTP response; a socket
    never saves the session, and sends thousands of frames in a replay (the look was a third of each send).
    The session in the scope is lazy: nothing is read until the consumer reads it."""

    async def __call__(self, scope, receive, send):
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send)


def socket_auth_stack(inner):
    """The session cookie -> scope["session"] (lazy). No channels.auth.AuthMiddleware: it read the session
    and the user on the one shared sync thread for every connection; the consumer reads them itself, with
    the membership, in the one call off that thread that also reads the drill (DrillConsumer._open)."""
    return CookieMiddleware(SocketSessionMiddleware(inner))
