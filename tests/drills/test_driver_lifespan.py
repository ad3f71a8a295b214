"""The in-process engine starts with the Daphne server, before any request, and stops cleanly on SIGTERM with
the presence leaves still in their grace period written. A real `daphne config.asgi:application` process on
its own SQLite file, as `make run` serves it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import websockets

from tests.browser.client import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8110, 8120)  # this suite's share of the machine's ports
SETUP = """
from accounts.models import User
from drills import services
from scenarios.services import scenario_create, scenario_publish

instructor = User.objects.get(username="instructor")
document = {
    "format": "crisisdrill/v1", "title": "Lifespan", "language": "en",
    "brand": {"name": "ShopLine", "handle": "@shopline"}, "duration": "10m", "response_sla": "1m",
    "approval_chain": [{"role": "drafter"}],
    "personas": [{"key": "c", "kind": "customer", "name": "Cai", "handle": "@cai"}],
    "injects": [{"key": "late", "at": "8s", "platform": "x", "persona": "c", "text": "Down?", "severity": 2}],
}
version = scenario_publish(by=instructor, scenario=scenario_create(by=instructor, document=document))[0]
alice = User.objects.get(username="alice")
drill = services.drill_create(by=instructor, version=version.pk, speed=4, seats=[{"user": alice.pk, "role": "drafter"}])
services.drill_start(by=instructor, drill=drill)  # no server runs: nothing drives it yet
print(drill.pk)
"""


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 8110-8119")


def until(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)
    return found


@pytest.fixture
def site(tmp_path):
    """A migrated, seeded SQLite file with one drill started and nothing driving it."""
    db = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DRILL_ENGINE")}
    env |= {"SQLITE_PATH": str(db), "DEMO_PASSWORD": DEMO_PASSWORD, "DRILL_PRESENCE_GRACE_S": "60"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, cwd=ROOT, check=True, capture_output=True)
    return {"db": db, "env": env, "drill": int(made.stdout.split()[-1])}


def events(db: Path, drill_id: int) -> list[tuple[str, dict]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT kind, data FROM drills_drillevent WHERE drill_id = ? ORDER BY seq", (drill_id,)
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Token {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def visit(port: int, drill_id: int, ticket: str) -> None:
    """A socket that opens, reads its hello and closes: its seat.left waits for the grace period (60 s)."""
    url = f"ws://127.0.0.1:{port}/ws/drills/{drill_id}/?ticket={ticket}"
    async with websockets.connect(url, origin=f"http://127.0.0.1:{port}") as socket_:
        assert json.loads(await socket_.recv())["type"] == "hello"


def test_the_engine_starts_with_daphne_and_sigterm_writes_the_pending_leaves(site, tmp_path):
    port = free_port()
    log_path = tmp_path / "server.log"
    env = site["env"] | {"ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}"}
    cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    with log_path.open("w") as log_file:
        server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        # No request at all: the inject due 8 s (2 s of wall time at 4x) into the drill is published.
        until(lambda: "inject.published" in [kind for kind, _ in events(site["db"], site["drill"])], 30, "inject")

        base = f"http://127.0.0.1:{port}/api"
        token = post(f"{base}/auth/login/", {"username": "alice", "password": DEMO_PASSWORD})["token"]
        ticket = post(f"{base}/drills/{site['drill']}/ticket/", {}, token)["ticket"]
        asyncio.run(visit(port, site["drill"], ticket))
        joined = until(lambda: [e for e in events(site["db"], site["drill"]) if e[0] == "seat.joined"], 10, "join")
        assert not [kind for kind, _ in events(site["db"], site["drill"]) if kind == "seat.left"]

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, log_path.read_text()[-3000:]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    left = [data for kind, data in events(site["db"], site["drill"]) if kind == "seat.left"]
    assert [data["username"] for data in left] == [joined[0][1]["username"]] == ["alice"]


def test_servers_that_speak_asgi_lifespan_start_and_stop_the_engine_with_it(monkeypatch):
    from drills import driver

    calls = []

    async def record(name):
        calls.append(name)

    monkeypatch.setattr(driver, "serve_in_this_loop", lambda: record("serve"))
    monkeypatch.setattr(driver, "stop_serving", lambda: record("stop"))

    async def lifespan():
        inbox = asyncio.Queue()
        for kind in ("lifespan.startup", "lifespan.shutdown"):
            inbox.put_nowait({"type": kind})

        async def send(message):
            calls.append(message["type"])

        await driver.EngineStarter(app=None)({"type": "lifespan"}, inbox.get, send)

    asyncio.run(lifespan())
    assert calls == ["serve", "lifespan.startup.complete", "stop", "lifespan.shutdown.complete"]
