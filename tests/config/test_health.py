"""GET /healthz (PROTOCOL section 2): 200 when every part answers, else a quick 503 naming the failing part."""

from __future__ import annotations

import socket
import time

import pytest
from channels_redis.core import RedisChannelLayer
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError

from config import health
from drills import tasks
from drills.driver import HEARTBEAT_KEY, HEARTBEAT_MAX_AGE_S, inprocess

pytestmark = pytest.mark.django_db

PARTS = ["database", "channel_layer", "cache", "engine"]


@pytest.fixture(params=["inprocess", "celery"])
def engine(request, settings, monkeypatch):
    """The engine of either kind, beating now; `engine.beat(age_s)` ages its heartbeat, None: never beat."""
    settings.DRILL_ENGINE = request.param

    class Engine:
        kind = request.param

        @staticmethod
        def beat(age_s: float | None) -> None:
            at = None if age_s is None else time.time() - age_s
            if request.param == "celery":
                cache.delete(HEARTBEAT_KEY) if at is None else cache.set(HEARTBEAT_KEY, at)
            else:
                monkeypatch.setattr(inprocess, "beat_at", at)

    Engine.beat(0)
    yield Engine
    cache.delete(HEARTBEAT_KEY)


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens on it once the probe is closed


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers, as a hung Redis does."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]
    # Closed now: the client stuck in the check gets a reset; wait until the check's thread is free again.
    health._executor("cache").submit(lambda: None).result(timeout=10)


def get(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def test_every_part_answering_is_200_ok_without_sign_in(client, engine):
    assert get(client) == (200, {"status": "ok", "checks": dict.fromkeys(PARTS, "ok")})


def failing(part: str) -> tuple[int, dict]:
    return 503, {"status": "unavailable", "checks": {name: "unavailable" if name == part else "ok" for name in PARTS}}


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")

    def close(self):
        pass


def test_a_database_that_does_not_answer_is_503_naming_it(client, engine, monkeypatch):
    monkeypatch.setattr(health, "connection", BrokenConnection())
    assert get(client) == failing("database")


def test_a_dead_redis_under_the_cache_is_503_naming_it(client, engine, monkeypatch, closed_port):
    if engine.kind == "celery":
        pytest.skip("the Celery heartbeat lives in the cache: a dead cache stops both")
    monkeypatch.setattr(health, "cache", RedisCache(f"redis://127.0.0.1:{closed_port}/0", {}))
    assert get(client) == failing("cache")


def test_a_hung_redis_under_the_cache_answers_503_within_the_timeout(client, engine, monkeypatch, silent_port):
    if engine.kind == "celery":
        pytest.skip("the Celery heartbeat lives in the cache: a hung cache stops both")
    monkeypatch.setattr(health, "cache", RedisCache(f"redis://127.0.0.1:{silent_port}/0", {}))
    started = time.monotonic()
    assert get(client) == failing("cache")
    assert time.monotonic() - started < health.CHECK_TIMEOUT_S + 1


def test_a_dead_channel_layer_is_503_naming_it(client, engine, monkeypatch, closed_port):
    dead = RedisChannelLayer(hosts=[f"redis://127.0.0.1:{closed_port}/0"])
    monkeypatch.setattr(health, "get_channel_layer", lambda: dead)
    assert get(client) == failing("channel_layer")


@pytest.mark.parametrize("age_s", [None, HEARTBEAT_MAX_AGE_S + 1], ids=["never beat", "stale"])
def test_an_engine_without_a_fresh_heartbeat_is_503_naming_it(client, engine, age_s):
    engine.beat(age_s)
    assert get(client) == failing("engine")


def test_the_celery_heartbeat_task_makes_the_engine_healthy_again(client, settings):
    settings.DRILL_ENGINE = "celery"
    cache.set(HEARTBEAT_KEY, time.time() - HEARTBEAT_MAX_AGE_S - 1)
    assert get(client)[1]["checks"]["engine"] == "unavailable"
    tasks.engine_heartbeat()  # as a worker runs it on beat's schedule
    assert get(client) == (200, {"status": "ok", "checks": dict.fromkeys(PARTS, "ok")})
    cache.delete(HEARTBEAT_KEY)


def test_the_inprocess_scheduler_beats_while_it_runs_and_not_after_it_stops():
    from tests.drills.test_inprocess_driver import FakeEngine, started, until
    from tests.loops import in_own_loop

    @in_own_loop
    async def scenario():
        driver = await started(FakeEngine({}))
        await until(lambda: driver.beat_at is not None)
        assert time.time() - driver.beat_at < 1
        await driver.stop()
        assert driver.beat_at is None

    scenario()


def test_the_document_declares_both_answers(client):
    operation = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]["/healthz"]["get"]
    assert set(operation["responses"]) == {"200", "503"}
    assert "security" not in operation
