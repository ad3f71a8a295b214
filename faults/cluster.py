"""The services profile on 127.0.0.1, as the suite runs it: nginx in front of two Daphne servers (the project's own
deploy/nginx-site.conf, rendered by deploy.cluster), two Celery workers and one Celery beat (its own process, never
`worker -B`), its own Redis, on the shared PostgreSQL with a database of its own.

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
from deploy.cluster import nginx_conf, server_command

DATABASE_URL = os.environ.get(
    "FAULTS_DATABASE_URL", "postgres://crisisdrill:crisisdrill@127.0.0.1:5432/crisisdrill_faults"
)
QUEUE = "faults"
STOP_GRACE_S = 5.0
KNOBS = ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DRILL_ENGINE", "CELERY_QUEUE", "FAULTS_DROP_ONE_IN")


def process_env(redis_port: int, ports: list[int], extra: dict[str, str]) -> dict[str, str]:
    """The environment of every server, worker and beat (and of the setup child). `ports`: nginx's and the
    servers' (a page's origin is the port it was served on)."""
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
        # The clients' Origin is the port they talk to (nginx's); every server accepts every one.
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
    """nginx on `listen` in front of two Daphne servers, two Celery workers and a beat, all on one environment.
    `LIVE` holds the clusters started and not stopped yet: the suite's main stops them however a run ends (a
    SIGTERM in the middle included)."""

    def __init__(self, env: dict[str, str], listen: int, ports: list[int], workdir: Path) -> None:
        self.env, self.listen, self.ports, self.workdir = env, listen, ports, workdir
        self.servers: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None

    def start(self) -> None:
        LIVE.add(self)
        self.servers = [self._server(port) for port in self.ports]
        cmd = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"]
        cmd += ["-s", str(self.workdir / "beat-schedule")]
        self.beat = common.spawn(cmd, self.env, self.workdir / "beat.log")
        for index in range(2):  # as bench.common.celery_workers_start, each known here as soon as it is started
            cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-P", "solo", "-Q", QUEUE]
            cmd += ["-n", f"faults{index}@%h", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
            self.workers.append(common.spawn(cmd, self.env, self.workdir / f"celery-{index}.log"))
        self.nginx = self._nginx()
        for port, server in zip(self.ports, self.servers, strict=True):
            self._ready(port, server)
        self._ready(self.listen, self.nginx)

    def workers_ready(self) -> None:
        """Returns once both workers take tasks (the suite signs in and creates its drills meanwhile)."""
        for index, worker in enumerate(self.workers):
            if not common.wait_for_line(self.workdir / f"celery-{index}.log", " ready.", proc=worker, timeout_s=60):
                raise SystemExit(f"celery worker {index} did not start: see {self.workdir}/celery-{index}.log")

    def _server(self, port: int) -> subprocess.Popen:
        cmd = server_command(port, "config.asgi:application")
        return common.spawn(cmd, self.env, self.workdir / f"daphne-{port}.log")

    def _ready(self, port: int, proc: subprocess.Popen) -> None:
        if not server_ready(port, proc):
            raise SystemExit(f"the process on port {port} did not start: see {self.workdir}/*.log")

    def server_restart(self, index: int) -> None:
        """SIGTERM to a server (as a rolling restart does: it ends its work and hands its sockets' leaves over),
        then the same server started again, ready."""
        _signal_group(self.servers[index], signal.SIGTERM)
        self.servers[index].wait(timeout=30)
        self.servers[index] = self._server(self.ports[index])
        self._ready(self.ports[index], self.servers[index])

    def _nginx(self) -> subprocess.Popen:
        """nginx from deploy/ (deploy.cluster renders it: one definition), its files in the work directory."""
        conf = nginx_conf(self.workdir, self.listen, self.ports)
        return common.spawn(["nginx", "-c", str(conf)], self.env, self.workdir / "nginx.log")

    def nginx_start(self) -> None:
        self.nginx = self._nginx()
        self._ready(self.listen, self.nginx)

    def nginx_stop(self) -> None:
        """nginx's fast shutdown (SIGTERM): every connection through it is closed at once."""
        _signal_group(self.nginx, signal.SIGTERM)
        self.nginx.wait(timeout=10)

    def processes(self) -> list[subprocess.Popen]:
        return [
            *self.servers,
            *self.workers,
            *([self.beat] if self.beat else []),
            *([self.nginx] if self.nginx else []),
        ]

    def dead(self) -> list[str]:
        """The processes that are no longer running (the one a fault killed included)."""
        names = [f"daphne:{port}" for port in self.ports] + ["worker 0", "worker 1", "beat", "nginx"]
        return [name for name, proc in zip(names, self.processes(), strict=False) if proc.poll() is not None]

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
