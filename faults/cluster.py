"""The services profile on 127.0.0.1, as the suite runs it: its own Redis, two Daphne servers, two Celery workers
and one Celery beat (its own process, never `worker -B`), on the shared PostgreSQL with a database of its own.

Every process is a child in its own process group (bench.common.spawn), so `Cluster.stop` ends it and its
children by their ids, and a kill -9 of one (a fault) leaves the others running.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import common
from bench.room import server_ready

DATABASE_URL = os.environ.get(
    "FAULTS_DATABASE_URL", "postgres://crisisdrill:crisisdrill@127.0.0.1:5432/crisisdrill_faults"
)
QUEUE = "faults"
STOP_GRACE_S = 5.0
KNOBS = ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DRILL_ENGINE", "CELERY_QUEUE", "FAULTS_DROP_ONE_IN")


def process_env(redis_port: int, ports: list[int], extra: dict[str, str]) -> dict[str, str]:
    """The environment of every server, worker and beat (and of the setup child)."""
    env = {k: v for k, v in os.environ.items() if k not in KNOBS}
    origins = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    env.update(
        DJANGO_SETTINGS_MODULE="faults.settings",
        DEBUG="False",
        SECRET_KEY="faults-" + secrets.token_urlsafe(32),
        LOG_LEVEL="WARNING",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DRILL_ENGINE="celery",
        CELERY_QUEUE=QUEUE,
        # The clients' Origin is the server they talk to; both servers must accept both.
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=origins,
        # The suite's clients act faster than people; the action throttle is not what is measured.
        DRILL_ACTIONS_PER_MINUTE="1000000",
        PYTHONPATH=str(common.ROOT),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def database_problem() -> str | None:
    """None when PostgreSQL answers (creating the suite's database if needed), else why not."""
    return common.postgres_problem(DATABASE_URL, fix="make postgres-up")


class Redis:
    """The suite's own redis-server (no persistence, as the services profile's): started, stopped, restarted."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.proc = common.spawn(cmd, dict(os.environ), self.workdir / "redis.log")
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"redis-server on port {self.port} did not start: see {self.workdir / 'redis.log'}")
            time.sleep(0.1)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis(port=self.port).flushall()

    def stop(self) -> None:
        common.stop(self.proc, grace_s=5)


class Cluster:
    """Two Daphne servers, two Celery workers and a beat, all on one environment. `LIVE` holds the clusters started
    and not stopped yet: the suite's main stops them however a run ends (a SIGTERM in the middle included)."""

    def __init__(self, env: dict[str, str], ports: list[int], workdir: Path) -> None:
        self.env, self.ports, self.workdir = env, ports, workdir
        self.servers: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None

    def start(self) -> None:
        LIVE.add(self)
        for port in self.ports:
            cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
            self.servers.append(common.spawn(cmd, self.env, self.workdir / f"daphne-{port}.log"))
        cmd = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"]
        cmd += ["-s", str(self.workdir / "beat-schedule")]
        self.beat = common.spawn(cmd, self.env, self.workdir / "beat.log")
        for index in range(2):  # as bench.common.celery_workers_start, each known here as soon as it is started
            cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-P", "solo", "-Q", QUEUE]
            cmd += ["-n", f"faults{index}@%h", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
            self.workers.append(common.spawn(cmd, self.env, self.workdir / f"celery-{index}.log"))
        for index, worker in enumerate(self.workers):
            if not common.wait_for_line(self.workdir / f"celery-{index}.log", " ready.", proc=worker, timeout_s=60):
                raise SystemExit(f"celery worker {index} did not start: see {self.workdir}/celery-{index}.log")
        for port, server in zip(self.ports, self.servers, strict=True):
            if not server_ready(port, server):
                raise SystemExit(f"the server on port {port} did not start: see {self.workdir}/daphne-{port}.log")

    def processes(self) -> list[subprocess.Popen]:
        return [*self.servers, *self.workers, *([self.beat] if self.beat else [])]

    def dead(self) -> list[str]:
        """The processes that are no longer running (the one a fault killed included)."""
        names = [f"daphne:{port}" for port in self.ports] + ["worker 0", "worker 1", "beat"]
        return [name for name, proc in zip(names, self.processes(), strict=True) if proc.poll() is not None]

    def stop(self) -> None:
        """SIGTERM to every process group at once, then SIGKILL to what is left after the grace period."""
        running = [proc for proc in self.processes() if proc.poll() is None]
        for proc in running:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for proc in running:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=5)
        LIVE.discard(self)

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.workdir.glob("*.log")))


LIVE: set[Cluster] = set()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def kill9(proc: subprocess.Popen) -> None:
    """kill -9 of the process itself (not its group): what a crash does."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def busy(proc: subprocess.Popen, limit_s: float) -> bool:
    """Waits up to `limit_s` for the process to be on a CPU (a solo worker then runs a task); True if it was."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state == "R":
            return True
        time.sleep(0.001)
    return False


def prepare_database(env: dict[str, str]) -> None:
    """Migrates and seeds the demo organization (idempotent), in a child with the servers' settings."""
    for args in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=common.ROOT, env=env, capture_output=True)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr.decode(errors='replace')}")
