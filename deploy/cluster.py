"""`make cluster` / `make cluster-stop`: the services topology on 127.0.0.1 from the files beside this one.

nginx (deploy/nginx-site.conf) on one port in front of N Daphne processes, M Celery workers and one beat
(deploy/processes), every process with the environment of deploy/cluster.env plus DATABASE_URL, REDIS_URL and one
SECRET_KEY; PostgreSQL and Redis are `make services-up`'s. Every process is a child in its own process group
(bench.common.spawn, as the fault suite's), its id kept in .cluster/pids, so `stop` ends each group by its id.

    python -m deploy.cluster start --listen 8390 --servers 2 --workers 2
    python -m deploy.cluster stop
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import common

DEPLOY = Path(__file__).resolve().parent
STATE = common.ROOT / ".cluster"
PIDS = STATE / "pids.json"
STOP_GRACE_S = 10.0


def render(name: str, **values: object) -> str:
    """A file of deploy/ with its @NAME@ placeholders filled in (nginx's own $variables are left alone)."""
    text = (DEPLOY / name).read_text()
    for key, value in values.items():
        text = text.replace(f"@{key.upper()}@", str(value))
    return text


def process_env(listen: int, database_url: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DRILL_ENGINE")}
    for line in (DEPLOY / "cluster.env").read_text().format(listen=listen).splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, SECRET_KEY=secret_key())
    return env


def secret_key() -> str:
    """One key for every process, kept across restarts (sessions stay valid)."""
    path = STATE / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text()


def nginx_conf(state: Path, listen: int, ports: list[int]) -> Path:
    """Writes nginx's configuration for these ports into `state`; its path."""
    upstreams = "\n".join(f"    server 127.0.0.1:{port} max_fails=0;" for port in ports)
    (state / "nginx-site.conf").write_text(render("nginx-site.conf", listen=listen, upstreams=upstreams))
    (state / "nginx.conf").write_text(render("nginx-main.conf", state=state))
    return state / "nginx.conf"


def commands(ports: list[int], workers: int) -> dict[str, list[str]]:
    """Name -> command line, from deploy/processes."""
    lines = dict(
        line.split(": ", 1)
        for line in (DEPLOY / "processes").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    out = {f"web-{port}": lines["web"].format(port=port, state=STATE).split() for port in ports}
    for index in range(workers):
        out[f"worker-{index}"] = lines["worker"].format(index=index, state=STATE).split()
    out["beat"] = lines["beat"].format(state=STATE).split()
    return out


def server_command(port: int, application: str) -> list[str]:
    """The `web` line of deploy/processes for `port` serving `application`, run by this interpreter without the
    supervisor: the benchmark's and the fault suite's servers listen as the cluster's do."""
    web = commands([port], 0)[f"web-{port}"]
    argv = web[web.index("-m") - 1 :]  # from the interpreter on
    return [sys.executable, *argv[1:-1], application]


def start(listen: int, servers: int, workers: int, database_url: str, redis_url: str) -> int:
    STATE.mkdir(exist_ok=True)
    if running_pids():
        print(f"The cluster is running already ({PIDS}); `make cluster-stop` first.", file=sys.stderr)
        return 1
    problem = services_problem(database_url, redis_url)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    env = process_env(listen, database_url, redis_url)
    for args in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["seed_demo"]):
        if common.run_child([sys.executable, "manage.py", *args], env, timeout_s=600) != 0:
            return 1
    ports = [listen + 1 + index for index in range(servers)]
    nginx_conf(STATE, listen, ports)
    procs = {name: common.spawn(cmd, env, STATE / f"{name}.log") for name, cmd in commands(ports, workers).items()}
    procs["nginx"] = common.spawn(["nginx", "-c", str(STATE / "nginx.conf")], env, STATE / "nginx.log")
    PIDS.write_text(json.dumps({name: proc.pid for name, proc in procs.items()}))
    if not ready(listen, procs):
        stop()
        return 1
    print(f"CrisisDrill on http://127.0.0.1:{listen}/ through nginx: {servers} Daphne ({', '.join(map(str, ports))}),")
    print(f"{workers} Celery worker(s), one beat; logs in {STATE}/. `make cluster-stop` stops it.")
    return 0


def services_problem(database_url: str, redis_url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis at {redis_url} does not answer ({exc}); run `make services-up`"
    return common.postgres_problem(database_url, fix="make services-up")


def ready(listen: int, procs: dict[str, subprocess.Popen], timeout_s: float = 120.0) -> bool:
    """True once /healthz through nginx answers 200 (the database, Redis and the engine's heartbeat, which needs
    beat and a worker) and every process still runs; else says which process to look at."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        dead = [name for name, proc in procs.items() if proc.poll() is not None]
        if dead:
            print(f"{', '.join(dead)} exited: see {STATE}/<name>.log", file=sys.stderr)
            return False
        request = urllib.request.Request(f"http://127.0.0.1:{listen}/healthz")
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=3) as answer:
            if answer.status == 200:
                return True
        time.sleep(0.5)
    print(f"/healthz through nginx did not answer 200 within {timeout_s:.0f} s: see {STATE}/*.log", file=sys.stderr)
    return False


def running_pids() -> dict[str, int]:
    if not PIDS.exists():
        return {}
    pids = json.loads(PIDS.read_text())
    return {name: pid for name, pid in pids.items() if _alive(pid)}


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop() -> int:
    """SIGTERM to every process group (each server writes its pending leaves, each worker ends its step), then
    SIGKILL to what is left after the grace period."""
    pids = running_pids()
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while any(_alive(pid) for pid in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    PIDS.unlink(missing_ok=True)
    print(f"Stopped {len(pids)} process group(s)." if pids else "No cluster was running.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("start")
    up.add_argument("--listen", type=int, default=8390, help="nginx's port; Daphne gets the next --servers ports")
    up.add_argument("--servers", type=int, default=2)
    up.add_argument("--workers", type=int, default=2)
    up.add_argument("--database-url", required=True)
    up.add_argument("--redis-url", required=True)
    sub.add_parser("stop")
    args = parser.parse_args(argv)
    if args.command == "stop":
        return stop()
    return start(args.listen, args.servers, args.workers, args.database_url, args.redis_url)


if __name__ == "__main__":
    sys.exit(main())
