"""Fuzzes the REST API from its own OpenAPI document, against a live server, as instructor and participant.

Starts Daphne on a fresh SQLite file, creates the `fuzz` organization (fuzz/organization.py), runs schemathesis
once per role, stops the server, and exits non-zero on any finding: a server error, a response that does not
match its schema, a status code or content type the document does not declare.

    python -m fuzz.run                            # the CI pass (make fuzz-ci): 20 examples per operation
    python -m fuzz.run --max-examples 200         # the longer pass (make fuzz)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
# The participant goes first: the instructor's pass may change the participant's role or name.
ROLES = ("participant", "instructor")
# Path parameters take the fuzz organization's real ids this often, so most requests reach a real object
# (and its 200 shape) while the rest still try unknown, negative and huge ids.
KNOWN_ID_PROBABILITY = 0.7
ID_PARAMETERS = ("member_id", "team_id", "scenario_id", "drill_id", "template_id")


def server_env(sqlite_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # The embedded profile on a throwaway database, with DEBUG off as in production (DEBUG's HTML error pages
    # are not what clients get). Rate limits are raised so the fuzzer explores the API instead of the limiter;
    # 429 stays declared in the document and tests/config/test_openapi.py checks its shape.
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(32),
        SQLITE_PATH=str(sqlite_path),
        LOGIN_FAILURES_PER_MINUTE="1000000",
        LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE="1000000",
        DRILL_ACTIONS_PER_MINUTE="1000000",
        WS_TICKETS_PER_MINUTE="1000000",
        LOG_LEVEL="ERROR",
    )
    return env


def prepare_database(env: dict) -> dict:
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [PYTHON, "-m", "fuzz.organization"], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def config_text(ids: dict) -> str:
    """schemathesis.toml: our hooks, and real ids offered for the path parameters of the same name."""
    lines = ['hooks = "fuzz.hooks"', ""]
    for parameter in ID_PARAMETERS:
        lines += [f"[dictionaries.{parameter}]", f"values = [{ids[parameter]}]", ""]
    lines.append("[parameters]")
    for parameter in ID_PARAMETERS:
        lines.append(f'"path.{parameter}" = {{ dictionary = "{parameter}", probability = {KNOWN_ID_PROBABILITY} }}')
    return "\n".join(lines) + "\n"


def fuzz(*, base: str, token: str, config: Path, max_examples: int, seed: int | None, checks: str) -> int:
    command = [
        PYTHON, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{base}/api/schema/",
        "--header", f"Authorization: Token {token}",
        "--checks", checks,
        # Signing out revokes the token the rest of the run uses; tests/accounts cover it.
        "--exclude-path", "/api/auth/logout/",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(max_examples),
        "--workers", "1",
        "--no-shrink",
        "--warnings", "off",
    ]  # fmt: skip
    if seed is not None:
        command += ["--seed", str(seed)]
    # Run in the run's own directory: schemathesis keeps a cache (.schemathesis/) where it runs, and a run must
    # neither leave files in the repository nor replay an earlier run's cases.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=config.parent, env=env).returncode


def print_tracebacks(server_log: Path) -> None:
    """The first few tracebacks of the server's log: where the 500s came from."""
    lines = server_log.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Internal Server Error")]
    for start in starts[:5]:
        print("\n".join(["--- server log ---", *lines[start : start + 60]]), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation and role")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--checks", default=CHECKS, help=f"schemathesis checks (default: {CHECKS})")
    parser.add_argument("--role", choices=ROLES, action="append", help="fuzz only as this role (repeatable)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crisisdrill-fuzz-") as tmp:
        env = server_env(Path(tmp) / "fuzz.sqlite3")
        ids = prepare_database(env)
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(config_text(ids))
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = Path(tmp) / "server.log"
        with server_log.open("w") as log:
            server = subprocess.Popen(
                [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for(f"{base}/api/schema/")
                failed = [
                    role
                    for role in args.role or ROLES
                    if fuzz(
                        base=base,
                        token=ids[f"{role}_token"],
                        config=config,
                        max_examples=args.max_examples,
                        seed=args.seed,
                        checks=args.checks,
                    )
                ]
            finally:
                server.terminate()
                server.wait(timeout=20)
        if failed:
            print_tracebacks(server_log)
    if failed:
        print(f"fuzz: findings as {', '.join(failed)}", file=sys.stderr)
        return 1
    print("fuzz: no findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
