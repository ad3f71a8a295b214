"""deploy/cluster.py: `make cluster` renders nginx's configuration and the process list from deploy/."""

import shutil
import subprocess

import pytest

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
    assert names["web-8392"][:1] == ["deploy/supervise.sh"] and "8392" in names["web-8392"]
    assert "worker2@%h" in names["worker-2"]


def test_every_process_gets_the_celery_engine_the_proxy_header_and_one_secret(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "STATE", tmp_path)
    first = cluster.process_env(8390, "postgres://u:p@127.0.0.1/x", "redis://127.0.0.1:6379/0")
    again = cluster.process_env(8390, "postgres://u:p@127.0.0.1/x", "redis://127.0.0.1:6379/0")
    assert first["DRILL_ENGINE"] == "celery" and first["TRUSTED_PROXY_HEADER"] == "X-Forwarded-For"
    assert first["CSRF_TRUSTED_ORIGINS"].startswith("http://127.0.0.1:8390")
    assert first["SECRET_KEY"] == again["SECRET_KEY"] and len(first["SECRET_KEY"]) > 40
