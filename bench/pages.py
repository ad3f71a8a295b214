"""Page and API latency (issue 18): 1,000 scenarios, a few hundred drills and a finished drill of 10,000 events.

The organization is built through the real services (bench/pages_setup.py), then the project's ASGI server
(Daphne on 127.0.0.1, a port in 8400-8409) serves a signed-in instructor, one request at a time on a kept-alive
connection, `--requests` times each: the scenario library page and `GET /api/scenarios/`, the drill list page and
`GET /api/drills/`, the scorecard page of the long drill, `GET /api/drills/{id}/scorecard/` and its CSV, and
that drill's room page. The first scorecard request computes the scorecard from the 10,000-event log (shown
apart as "first ms"); the others may read what it stored. Then a Django child counts the database queries of
each request (django.test.Client, the same views) and, with `--cprofile`, profiles them.
Target: median < 100 ms, judged on the three pages the issue names and their JSON APIs; the CSV and the room
page are shown, not judged.

    .venv/bin/python -m bench.pages                       # embedded profile (~3 min)
    .venv/bin/python -m bench.pages --profile all         # embedded, then services
    .venv/bin/python -m bench.pages --scenarios 100 --drills 30 --events 2000 --requests 5   # a quick look
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

from bench import common

TARGET_MEDIAN_MS = 100.0
PORTS = range(8400, 8410)
PAGES_DATABASE_URL = os.environ.get(
    "BENCH_PAGES_DATABASE_URL", "postgres://crisisdrill:crisisdrill@127.0.0.1:5432/crisisdrill_bench_pages"
)
PAGES_REDIS_URL = os.environ.get("BENCH_PAGES_REDIS_URL", "redis://127.0.0.1:6379/2")
# (name, path with {drill} for the long drill, judged against the target)
ENDPOINTS = [
    ("scenario list page", "/scenarios/", True),
    ("GET /api/scenarios/", "/api/scenarios/", True),
    ("drill list page", "/drills/", True),
    ("GET /api/drills/", "/api/drills/", True),
    ("scorecard page", "/drills/{drill}/scorecard/", True),
    ("GET scorecard", "/api/drills/{drill}/scorecard/", True),
    ("GET scorecard.csv", "/api/drills/{drill}/scorecard.csv", False),
    ("drill room page", "/drills/{drill}/", False),
]
COLUMNS = [
    ("profile", "profile"),
    ("name", "request"),
    ("first_ms", "first ms"),
    ("p50_ms", "median ms"),
    ("p90_ms", "p90 ms"),
    ("p99_ms", "p99 ms"),
    ("max_ms", "max ms"),
    ("server_cpu_ms", "server CPU ms"),
    ("queries", "queries"),
    ("kbytes", "KB"),
    ("verdict", "target < 100 ms"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages",
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/pages-<UTC time>.json. The services profile needs `make services-up`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=[*common.PROFILES, "all"], default="embedded")
    parser.add_argument("--scenarios", type=int, default=1000, help="scenarios in the library (default 1000)")
    parser.add_argument("--drills", type=int, default=300, help="drills besides the long one (default 300)")
    parser.add_argument("--events", type=int, default=10_000, help="events in the long drill's log (default 10000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint (default 30)")
    parser.add_argument("--cprofile", action="store_true", help="write bench/results/pages-profile-<time>.txt")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server log, SQLite)")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="measure the organization a --keep run left in DIR (services: its database as that run left it), no setup",
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (10 <= args.scenarios <= 5000 and 1 <= args.drills <= 2000 and 500 <= args.events <= 20_000):
        parser.error("--scenarios in [10, 5000], --drills in [1, 2000], --events in [500, 20000]")
    if not 1 <= args.requests <= 1000:
        parser.error("--requests in [1, 1000]")
    if args.reuse and (args.profile == "all" or not (Path(args.reuse) / "setup.json").is_file()):
        parser.error("--reuse takes the work directory of a kept run of one profile (it holds setup.json)")
    return args


# ---- Django children ------------------------------------------------------------------------------------


def setup(args) -> int:
    """Builds the organization (bench/pages_setup.py) and writes the long drill's id and counts to `--out`."""
    common.django_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.pages_setup import LongDrill, drills_create, library_import

    common.database_prepare()
    # DEBUG is off, as in production: pages name their static files through the collected manifest.
    call_command("collectstatic", verbosity=0, interactive=False)
    instructor, people, _versions = common.demo_cast()
    started = time.monotonic()
    published = library_import(instructor, args.scenarios)
    print(f"   {args.scenarios} scenarios imported in {time.monotonic() - started:.0f} s", file=sys.stderr)
    now = timezone.now()
    drills_create(instructor, people, published, args.drills, now)
    started = time.monotonic()
    drill = LongDrill(instructor, people, args.events, now).play()
    print(f"   long drill: {drill.seq} events in {time.monotonic() - started:.0f} s", file=sys.stderr)
    Path(args.out).write_text(json.dumps({"drill": drill.pk, "events": drill.seq}))
    return 0


def queries(args) -> int:
    """Counts the queries of one request to each endpoint (the scorecard already stored by the server's
    requests) and, with --cprofile, profiles 5 requests of each."""
    common.django_setup()
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    drill = json.loads(Path(args.out).read_text())["drill"]
    client = Client()
    client.force_login(User.objects.get(username="instructor"))
    counts, profiles = {}, []
    for name, path, _judged in ENDPOINTS:
        url = path.format(drill=drill)
        client.get(url)  # as the server's: caches warm
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[name] = len(captured)
        if args.cprofile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(url)
            profiler.disable()
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
            profiles.append(f"==== {name} ({url}), 5 requests\n{text.getvalue()}")
    Path(args.out + ".queries").write_text(json.dumps({"queries": counts, "profile": "\n".join(profiles)}))
    return 0


# ---- the parent: server, requests, table ----------------------------------------------------------------


class Browser:
    """A signed-in instructor on one kept-alive connection."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"username": "instructor", "password": os.environ.get("DEMO_PASSWORD", "drill-demo")})
        status, _, headers = self.get("/api/auth/login/", method="POST", body=body)
        cookies = [c.split(";", 1)[0] for name, c in headers if name.lower() == "set-cookie"]
        self.cookie = "; ".join(c for c in cookies if c.startswith(("sessionid=", "csrftoken=")))
        if status != 200 or "sessionid=" not in self.cookie:
            raise SystemExit(f"sign-in failed: {status}")

    def get(self, path: str, *, method: str = "GET", body: str | None = None) -> tuple[int, bytes, list]:
        headers = {"Content-Type": "application/json"} if body else {}
        if getattr(self, "cookie", ""):
            headers["Cookie"] = self.cookie
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read(), response.getheaders()


def measure(browser: Browser, server_pid: int, path: str, count: int) -> dict:
    started = time.perf_counter()
    status, body, _ = browser.get(path)
    first_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
    cpu_before, times = common.proc_cpu_s(server_pid), []
    for _ in range(count):
        started = time.perf_counter()
        status, body, _ = browser.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return {
        "first_ms": first_ms,
        "p50_ms": common.percentile(times, 50),
        "p90_ms": common.percentile(times, 90),
        "p99_ms": common.percentile(times, 99),
        "max_ms": max(times),
        "server_cpu_ms": (common.proc_cpu_s(server_pid) - cpu_before) * 1000 / count,
        "kbytes": len(body) / 1024,
        "times_ms": [round(t, 2) for t in times],
    }


def run_profile(args, profile: str) -> tuple[list[dict], str] | None:
    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix=f"crisisdrill-bench-pages-{profile}-"))
    args.keep = args.keep or bool(args.reuse)
    env = common.profile_env(profile, workdir)
    env["STATIC_ROOT"] = str(workdir / "static")
    if profile == "services":
        env.update(DATABASE_URL=PAGES_DATABASE_URL, REDIS_URL=PAGES_REDIS_URL)
    print(f"== {profile}: {args.scenarios} scenarios, {args.drills} drills, {args.events:,} events ({workdir})")
    out = str(workdir / "setup.json")
    child = [sys.executable, "-m", "bench.pages", "--out", out, "--scenarios", str(args.scenarios)]
    child += ["--drills", str(args.drills), "--events", str(args.events)]
    server = None
    try:
        started = time.monotonic()
        if not args.reuse and common.run_child([*child, "--setup"], env, timeout_s=3600) != 0:
            args.keep = True
            return None
        print(f"   set up in {time.monotonic() - started:.0f} s", file=sys.stderr)
        facts = json.loads(Path(out).read_text())
        port = free_port()
        cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
        server = common.spawn(cmd, env, workdir / "daphne.log")
        if not server_ready(port, server):
            print(f"!! the server did not start: see {workdir / 'daphne.log'}", file=sys.stderr)
            args.keep = True
            return None
        browser = Browser(port)
        rows = []
        for name, path, judged in ENDPOINTS:
            row = measure(browser, server.pid, path.format(drill=facts["drill"]), args.requests)
            rows.append({"profile": profile, "name": name, "judged": judged, "events": facts["events"], **row})
        common.stop(server)
        if common.run_child([*child, "--queries", *(["--cprofile"] if args.cprofile else [])], env, timeout_s=600):
            return rows, ""
        counted = json.loads(Path(out + ".queries").read_text())
        for row in rows:
            row["queries"] = counted["queries"].get(row["name"])
        return rows, counted["profile"]
    finally:
        common.stop(server)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def verdict(row: dict) -> str:
    if not row["judged"]:
        return "(not judged)"
    over = row["p50_ms"] - TARGET_MEDIAN_MS
    return "met" if over < 0 else f"MISSED by {over:,.1f} ms"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.setup:
        return setup(args)
    if args.queries:
        return queries(args)
    profiles = common.PROFILES if args.profile == "all" else (args.profile,)
    rows, skipped, profiles_text, machine = [], [], [], common.machine_facts()
    for profile in profiles:
        if profile == "services" and (problem := common.postgres_problem(PAGES_DATABASE_URL, fix="make services-up")):
            print(f"!! services profile skipped: {problem}", file=sys.stderr)
            skipped.append({"profile": profile, "reason": problem})
            continue
        outcome = run_profile(args, profile)
        if outcome is None:
            skipped.append({"profile": profile, "reason": "failed, see the message above"})
            continue
        rows += outcome[0]
        profiles_text.append(outcome[1])
    for row in rows:
        row["verdict"] = verdict(row)
    settings = {k: getattr(args, k) for k in ("scenarios", "drills", "events", "requests")}
    payload = {
        "benchmark": "pages",
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": settings,
        "targets": {"median_ms": TARGET_MEDIAN_MS},
        "rows": rows,
        "skipped": skipped,
    }
    path = common.results_write("pages", payload)
    print(f"\nSigned-in instructor, {args.requests} requests each, one at a time (ms, wall, client side)")
    print(common.table(rows, COLUMNS))
    if args.cprofile and any(profiles_text):
        profile_path = common.RESULTS_DIR / f"pages-profile-{common.stamp()}.txt"
        profile_path.write_text("\n".join(profiles_text))
        print(f"profile: {profile_path.relative_to(common.ROOT)}")
    misses = [row for row in rows if row["verdict"].startswith("MISSED")]
    for row in misses:
        print(f"TARGET MISSED ({row['profile']}, {row['name']}): median {row['p50_ms']:.1f} ms, {row['verdict']}")
    print(f"load average: {machine['load_average_at_start']} -> {payload['machine']['load_average_at_end']}")
    print(f"\nJSON: {path.relative_to(common.ROOT)}")
    return 0 if not misses and not skipped else 1


def free_port() -> int:
    """The first free port of the bench's range (8400-8409 on this shared machine)."""
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def server_ready(port: int, server, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return True
        except OSError:
            time.sleep(0.2)
    return False


if __name__ == "__main__":
    sys.exit(main())
