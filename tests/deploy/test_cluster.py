"""deploy/cluster.py: `make cluster` renders nginx's configuration and the process list from deploy/."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from bench import common
from bench.room import free_port
from deploy import cluster


def test_the_site_balances_over_every_daphne_port_with_the_websocket_upgrade(tmp_path):
    cluster.nginx_conf(tmp_path, 8390, [8391, 8392, 8393])
    site = (tmp_path / "nginx-site.conf").read_text()
    assert "listen 127.0.0.1:8390;" in site
    assert [line.strip() for line in site.splitlines() if line.strip().startswith("server 127.")] == [
        "server 127.0.0.1:8391 max_fails=0;",
        "server 127.0.0.1:8392 max_fails=0;",
        "server 127.0.0.1:8393 max_fails=0;",
    ]
    assert "proxy_set_header Upgrade $http_upgrade;" in site and "@" not in site


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (make cluster installs it)")
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    conf = cluster.nginx_conf(tmp_path, 8390, [8391, 8392])
    checked = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_one_web_process_per_port_and_worker_per_index_and_one_beat():
    names = cluster.commands([8391, 8392], workers=3)
    assert list(names) == ["web-8391", "web-8392", "worker-0", "worker-1", "worker-2", "beat"]
    assert names["web-8392"][:1] == ["deploy/supervise.sh"]
    assert "tcp:port=8392:interface=127.0.0.1:backlog=1024" in names["web-8392"]
    assert "worker2@%h" in names["worker-2"]


def test_every_process_gets_the_celery_engine_the_proxy_header_and_one_secret(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "STATE", tmp_path)
    first = cluster.process_env(8390, "postgres://u:p@127.0.0.1/x", "redis://127.0.0.1:6379/0")
    again = cluster.process_env(8390, "postgres://u:p@127.0.0.1/x", "redis://127.0.0.1:6379/0")
    assert first["DRILL_ENGINE"] == "celery" and first["TRUSTED_PROXY_HEADER"] == "X-Forwarded-For"
    assert first["CSRF_TRUSTED_ORIGINS"].startswith("http://127.0.0.1:8390")
    assert first["SECRET_KEY"] == again["SECRET_KEY"] and len(first["SECRET_KEY"]) > 40


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2) to read the listen queue")
def test_a_server_listens_with_the_clusters_backlog(tmp_path):
    """Twisted listens with a backlog of 50: 500 sockets reconnecting to a busy server overflowed it, and every
    connection the kernel dropped came back seconds later. The benchmark and fault suite start servers the same way."""
    port = free_port()
    command = cluster.server_command(port, "config.asgi:application")
    assert command[0] == sys.executable and command[-1] == "config.asgi:application"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DRILL_ENGINE")}
    env |= {"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DEBUG": "1"}  # listening needs no tables
    server = subprocess.Popen(command, env=env, cwd=common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (listening := _listen_queue(port)):
            time.sleep(0.1)
        assert listening == 1024  # what ss reports as a listening socket's Send-Q: its backlog
    finally:
        server.terminate()
        server.wait(10)


def _listen_queue(port: int) -> int | None:
    lines = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout.split("\n")
    fields = lines[0].split()
    return int(fields[2]) if len(fields) > 2 else None
