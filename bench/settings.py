"""The project's settings, with the shared Redis names kept apart from anybody else's on the same server.

Redis pub/sub channels ignore the database number, so a bench drill 12 and a test suite's drill 12 would
otherwise share the group `asgi__group__drill-12`. Nothing else differs from `config.settings`.
"""

from config.settings import *  # noqa: F403
from config.settings import CACHES, CHANNEL_LAYERS, REDIS_URL

if REDIS_URL:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "crisisdrill-bench"
    CACHES["default"]["KEY_PREFIX"] = "crisisdrill-bench"
