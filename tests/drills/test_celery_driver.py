"""Services profile: two real Celery workers drive the same drill; no inject twice, no seq gap."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from drills import services
from drills.models import Drill, DrillEvent, PublishedInject
from drills.tasks import advance_drill, schedule_advance
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
    # Duplicated and stale wake-ups on purpose: only the task holding the current generation acts.
    for _ in range(3):
        schedule_advance(drill.pk)
    advance_drill.apply_async((drill.pk, 0))
    deadline = time.monotonic() + 60
    while Drill.objects.get(pk=drill.pk).status != "finished" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Drill.objects.get(pk=drill.pk).status == "finished"
    seqs = list(DrillEvent.objects.filter(drill=drill).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    slots = list(PublishedInject.objects.filter(drill=drill).values_list("key", "burst_index"))
    assert len(slots) == len(set(slots)) == 31
