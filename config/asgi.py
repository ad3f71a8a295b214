"""ASGI entry point: HTTP through Django, websockets through Channels, on one port (Daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from config.heap import settle  # noqa: E402
from config.websocket_server import autobahn_debug_args_lazy, text_frames_direct  # noqa: E402
from drills.driver import EngineStarter, serve_with_daphne  # noqa: E402
from drills.routing import socket_auth_stack, websocket_urlpatterns  # noqa: E402

autobahn_debug_args_lazy()
text_frames_direct()

# Development: one process serves pages, the apps' static files and sockets, so `make run` needs nothing in
# front. Production: WhiteNoise (a middleware, config/settings.py) serves only what collectstatic wrote.
http_app = ASGIStaticFilesHandler(django_asgi_app) if settings.DEBUG else django_asgi_app

application = EngineStarter(
    ProtocolTypeRouter(
        {
            "http": http_app,
            # The consumer checks Origin itself, so it can close with the protocol's 4403 after the handshake.
            "websocket": socket_auth_stack(URLRouter(websocket_urlpatterns)),
        }
    )
)

# The engine starts with the server, not at the first request, and stops cleanly before it exits: through the
# ASGI lifespan protocol (EngineStarter) or, since Daphne does not speak it, through Daphne's reactor.
serve_with_daphne()

settle()  # last: everything start-up built
