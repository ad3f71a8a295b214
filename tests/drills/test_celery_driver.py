"""Services profile: two real Celery workers drive the same drill; no inject twice, no seq gap."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from drills import services
from drills.models import Drill, DrillEvent, PublishedInject
from drills.tasks import engine_tick, schedule_advance
from scenarios.services import scenario_create, scenario_publish

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the services profile (REDIS_URL)"),
]
ROOT = Path(__file__).resolve().parents[2]
SHORT = {
    "format": "crisisdrill/v1",
    "title": "Short burst",
    "language": "en",
    "brand": {"name": "ShopLine", "handle": "@shopline"},
    "duration": "2m",
    "response_sla": "1m",
    "approval_chain": [{"role": "drafter"}],
    "personas": [{"key": "c", "kind": "customer", "name": "Cai", "handle": "@cai"}],
    "injects": [
        {"key": "first", "at": "5s", "platform": "x", "persona": "c", "text": "Down?", "severity": 2},
        {
            "key": "pile",
            "at": "10s",
            "platform": "x",
            "burst": {"count": 30, "over": "1m", "persona_kind": "customer"},
            "texts": ["Same", "Still broken"],
            "severity": 1,
        },
    ],
}


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_QUEUE": queue}
    from config.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "-c",
                "1",
                "-P",
                "solo",
                "-n",
                f"w{i}-{queue}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(2)
    ]
    yield processes
    app.conf.task_default_queue = previous
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=20)


def test_two_workers_drive_one_drill_exactly_once(cast, workers):
    assert settings.DRILL_ENGINE == "celery"
    scenario = scenario_create(by=cast.instructor, document=SHORT)
    version = scenario_publish(by=cast.instructor, scenario=scenario)[0]
    drill = services.drill_create(
        by=cast.instructor, version=version.pk, speed=100, seats=[{"user": cast.alice.id, "role": "drafter"}]
    )
    services.drill_start(by=cast.instructor, drill=drill)
    # Duplicated wake-ups and ticks on purpose, on both workers: a drill's row is stepped by one tick at a time.
    for _ in range(3):
        schedule_advance(drill.pk)
        engine_tick.apply_async()
    deadline = time.monotonic() + 60
    while Drill.objects.get(pk=drill.pk).status != "finished" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Drill.objects.get(pk=drill.pk).status == "finished"
    seqs = list(DrillEvent.objects.filter(drill=drill).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    slots = list(PublishedInject.objects.filter(drill=drill).values_list("key", "burst_index"))
    assert len(slots) == len(set(slots)) == 31


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of the test's own on a free port, which the test may stop and start again."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]

    class OwnRedis:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL)
            client = redis.Redis.from_url(self.url)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with contextlib.suppress(redis.ConnectionError):
                    if client.ping():
                        return
                time.sleep(0.05)

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = OwnRedis()
    server.start()
    yield server
    server.stop()


def test_a_worker_survives_a_redis_restart_mid_drill(cast, own_redis, tmp_path):
    """Before the fix (config/celery.py), the worker died on the restart with `Unrecoverable error:
    AttributeError("'NoneType' object has no attribute 'hostname'")`."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": own_redis.url, "CELERY_QUEUE": queue}
    log_path = tmp_path / "worker.log"
    cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-c", "1", "-P", "solo"]
    cmd += ["-n", f"restart-{queue}@%h", "--without-gossip", "--without-mingle", "-l", "info"]
    with log_path.open("w") as log_file:
        worker = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        scenario = scenario_create(by=cast.instructor, document=SHORT)
        version = scenario_publish(by=cast.instructor, scenario=scenario)[0]
        drill = services.drill_create(by=cast.instructor, version=version.pk, speed=10)
        services.drill_start(by=cast.instructor, drill=drill)

        def arm(*args, **options):  # through the worker's broker
            with app.connection_for_write(own_redis.url) as connection:
                engine_tick.apply_async(args, connection=connection, queue=queue, **options)

        arm()
        # Mid-drill the worker holds ticks whose moment has not come, unacknowledged; this one for sure.
        arm(time.time() + 60, countdown=60)
        time.sleep(3)
        own_redis.stop()
        time.sleep(3)
        own_redis.start()
        time.sleep(3)
        assert worker.poll() is None, log_path.read_text()[-3000:]
        arm()  # the sweep's job: Redis lost the armed tick
        deadline = time.monotonic() + 60
        while Drill.objects.get(pk=drill.pk).status != "finished" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Drill.objects.get(pk=drill.pk).status == "finished"
        assert "Unrecoverable error" not in log_path.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
