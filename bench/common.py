"""What the benchmarks share: database profiles, seeding, child processes, CPU readings, tables and JSON.

A profile is how the project is deployed (ARCHITECTURE.md "Runtime modes"): `embedded` is SQLite in a
temporary file with the in-memory channel layer; `services` is PostgreSQL (database crisisdrill_bench) and
Redis. Every Django-side step runs in a child process whose environment selects the profile, so the
benchmark measures the same settings module the server uses.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PROFILES = ("embedded", "services")
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://crisisdrill:crisisdrill@127.0.0.1:5432/crisisdrill_bench"
)
# Its own Redis database: cache keys and broker queues stay apart from `make services-test` (pub/sub is
# kept apart by the channel prefix in bench/settings.py).
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
CLK_TCK = os.sysconf("SC_CLK_TCK")
INHERITED_KNOBS = ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DRILL_ENGINE", "CELERY_QUEUE", "DJANGO_SETTINGS_MODULE")


# ---- profiles -------------------------------------------------------------------------------------------


def profile_env(profile: str, workdir: Path, *, driver: str = "inprocess") -> dict[str, str]:
    """The environment of every process of one profile run (server, workers, setup and measuring children)."""
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_KNOBS}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        # Production-like: DEBUG on would keep every SQL query in memory and slow each one down.
        DEBUG="False",
        SECRET_KEY="bench-" + secrets.token_urlsafe(32),
        LOG_LEVEL="WARNING",
        DRILL_ENGINE=driver,
        # The load generators act far faster than people; the action throttle is not what is measured.
        DRILL_ACTIONS_PER_MINUTE="1000000",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    if profile == "embedded":
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        env["DATABASE_URL"] = BENCH_DATABASE_URL
        env["REDIS_URL"] = BENCH_REDIS_URL
    return env


def services_problem() -> str | None:
    """None when PostgreSQL and Redis answer (creating the bench database if needed), else why not."""
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis at {BENCH_REDIS_URL} does not answer ({exc}); run `make services-up`"
    return postgres_problem(BENCH_DATABASE_URL, fix="make services-up")


def postgres_problem(url: str, *, fix: str) -> str | None:
    """None when PostgreSQL at `url` answers (creating its database if needed), else why not and `fix`."""
    import psycopg

    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as conn:
            if conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is None:
                conn.execute(f'create database "{name}"')
    except Exception as exc:
        return f"PostgreSQL at {url} is not usable ({exc}); run `{fix}`"
    return None


# ---- inside a Django child ------------------------------------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def database_prepare() -> None:
    """Migrates, forgets earlier bench drills and scenarios (the engine bench adds copies of the shared ones, which
    a next run would copy again), and seeds the demo organization with the shared scenarios."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from demo.seed import seed_demo

    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE TABLE drills_drill, scenarios_scenario CASCADE")
    seed_demo(password=settings.DEMO_PASSWORD, scenarios_dir=settings.SHARED_SCENARIOS_DIR)


def demo_cast():
    """(instructor, participants, published scenario versions) of the demo organization."""
    from accounts.models import Membership, Role, User
    from scenarios.models import Scenario
    from scenarios.selectors import latest_version

    instructor = User.objects.get(username="instructor")
    organization = Membership.objects.get(user=instructor).organization
    participants = list(
        User.objects.filter(membership__organization=organization, membership__role=Role.PARTICIPANT).order_by("id")
    )
    scenarios = Scenario.objects.filter(organization=organization).order_by("title")
    versions = [v for v in (latest_version(scenario=s) for s in scenarios) if v is not None]
    if len(versions) < 3:
        raise SystemExit(f"expected the 3 shared scenarios, found {len(versions)}: is ../shared/scenarios there?")
    return instructor, participants, versions


def drill_seats(version, participants, *, observers: bool = False) -> tuple[list[dict], list[str]]:
    """A participant drafts; bots hold every later chain role (optionally the others watch as observers)."""
    from scenarios.selectors import version_scenario_and_plan

    roles = [step.role for step in version_scenario_and_plan(version)[0].chain]
    seats = [{"user": participants[0].pk, "role": roles[0]}]
    if observers:
        seats += [{"user": p.pk, "role": "observer"} for p in participants[1:]]
    return seats, roles[1:]


# ---- child processes ------------------------------------------------------------------------------------


def spawn(cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A child in its own process group (so it and its children can be stopped by its id), logging to a file."""
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child, closed with it
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen | None, *, grace_s: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def run_child(cmd: list[str], env: dict[str, str], *, timeout_s: float) -> int:
    """Runs a child to completion with its output on ours, killing it if it outlives `timeout_s`."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        print(f"!! {cmd[2:4]} still running after {timeout_s:.0f} s: stopped", file=sys.stderr)
        stop(proc, grace_s=3)
        return -1
    except KeyboardInterrupt:
        stop(proc, grace_s=3)
        raise


def wait_for_line(log_path: Path, needle: str, *, proc: subprocess.Popen, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if log_path.exists() and needle in log_path.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


def celery_workers_start(env: dict[str, str], workdir: Path, *, count: int, queue: str) -> list[subprocess.Popen]:
    """`count` solo Celery workers on a queue of their own, returned once each says it is ready."""
    workers = []
    for index in range(count):
        log_path = workdir / f"celery-{index}.log"
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-P", "solo"]
        cmd += ["-Q", queue, "-n", f"bench{index}-{queue}@%h", "--loglevel", "INFO", "--without-gossip"]
        cmd += ["--without-mingle", "--without-heartbeat"]
        workers.append(spawn(cmd, {**env, "CELERY_QUEUE": queue, "DRILL_ENGINE": "celery"}, log_path))
    for index, worker in enumerate(workers):
        if not wait_for_line(workdir / f"celery-{index}.log", " ready.", proc=worker, timeout_s=60):
            for other in workers:
                stop(other)
            raise SystemExit(f"celery worker {index} did not start: see {workdir / f'celery-{index}.log'}")
    return workers


def celery_queue_drop(queue: str) -> None:
    """Removes what is left of the bench queue in Redis (tasks for drills the bench has stopped)."""
    import redis

    client = redis.Redis.from_url(BENCH_REDIS_URL)
    priorities = [f"{queue}\x06\x16{n}" for n in (3, 6, 9)]
    client.delete(queue, *priorities, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


# ---- measuring ------------------------------------------------------------------------------------------


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (its threads included), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a live process and its live children (nginx: the master and its worker processes)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        children = []
    return proc_cpu_s(pid) + sum(proc_cpu_s(int(child)) for child in children)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (all processes, ours or not)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


# ---- reporting ------------------------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    """A plain text table; `columns` are (key, heading) pairs."""
    cells = [[heading for _, heading in columns]] + [[fmt(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def results_write(name: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}-{stamp()}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


def machine_facts() -> dict:
    """The machine and the tree measured: load from other work skews every number, so it is written down."""
    load = os.getloadavg()
    return {
        "git_head": _git("rev-parse", "HEAD"),
        "git_changed_files": len(_git("status", "--porcelain").splitlines()),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_at_start": [round(x, 2) for x in load],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
