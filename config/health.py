"""`GET /healthz` for load balancers (PROTOCOL section 2): the database, the channel layer, the cache and the
engine's heartbeat, each checked in its own thread and bounded by a timeout, so a dead or hung part (a Redis
that does not answer) makes the answer a quick 503 naming it instead of a request that hangs."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from drills.driver import HEARTBEAT_MAX_AGE_S, engine_heartbeat_age_s

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0  # for all the checks together: they run side by side
OK, UNAVAILABLE = "ok", "unavailable"
STATES = [OK, UNAVAILABLE]  # of the whole and of each part


def database() -> None:
    # A connection of its own each time: it proves that new connections are accepted, and holds none idle.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def channel_layer() -> None:
    # A group nobody is in: the message goes through the layer's backend (Redis in the services profile).
    async_to_sync(get_channel_layer().group_send)("healthz", {"type": "healthz.ping"})


def cache_round_trip() -> None:
    token = uuid.uuid4().hex
    cache.set("healthz", token, timeout=10)
    if cache.get("healthz") != token:
        raise RuntimeError("the cache did not give back what was just stored")


def engine() -> None:
    age_s = engine_heartbeat_age_s()
    if age_s is None or age_s > HEARTBEAT_MAX_AGE_S:
        raise RuntimeError(f"no engine heartbeat for {HEARTBEAT_MAX_AGE_S:g} s (last: {age_s} s ago)")


CHECKS = {"database": database, "channel_layer": channel_layer, "cache": cache_round_trip, "engine": engine}


@functools.cache
def _executor(name: str) -> ThreadPoolExecutor:
    """One thread per check: a check that hangs holds up later runs of itself only, never the other checks
    (nor the server's threads); those runs time out and report it."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"healthz-{name}")


def run_checks() -> dict[str, str]:
    """Each part's state; a part whose check fails or has not answered after CHECK_TIMEOUT_S is unavailable."""
    futures = {name: _executor(name).submit(check) for name, check in CHECKS.items()}
    deadline = time.monotonic() + CHECK_TIMEOUT_S  # the checks run side by side: one deadline for all
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(deadline - time.monotonic(), 0))
            results[name] = OK
        except FutureTimeout:
            log.warning("health check %s timed out after %g s", name, CHECK_TIMEOUT_S)
            results[name] = UNAVAILABLE
        except Exception as error:
            log.warning("health check %s failed: %r", name, error)
            results[name] = UNAVAILABLE
    return results


class HealthChecks(serializers.Serializer):
    database = serializers.ChoiceField(choices=STATES)
    channel_layer = serializers.ChoiceField(choices=STATES)
    cache = serializers.ChoiceField(choices=STATES)
    engine = serializers.ChoiceField(
        choices=STATES, help_text="the engine's heartbeat: the in-process scheduler, or Celery beat+worker"
    )


class Health(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATES)
    checks = HealthChecks()


class HealthApi(APIView):
    """No sign-in, no session: a load balancer calls it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="healthz",
        tags=["health"],
        auth=[],
        responses={200: Health, 503: Health},
        description="200 when every part answers; 503 with `status: unavailable`, naming the failing part(s).",
    )
    def get(self, request):
        checks = run_checks()
        healthy = all(result == OK for result in checks.values())
        body = {"status": OK if healthy else UNAVAILABLE, "checks": checks}
        return Response(body, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})
