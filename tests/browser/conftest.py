"""Browser journeys: a real Daphne server (HTTP + websockets) on loopback, driven by headless Chromium.

The server runs in a subprocess on its own SQLite file, seeded with the demo organization, so a test
sees what a user of `make run` sees; its scenarios are the shared examples the journeys were written against.
Tests sign in as the demo people (password `drill-demo`).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.client import DEMO_PASSWORD
from tests.conftest import SHARED_SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_port() -> int:
    """BROWSER_TEST_PORT (+ the xdist worker's number: one server each) on a shared machine; else any free port."""
    base = os.environ.get("BROWSER_TEST_PORT")
    if not base:
        return _free_port()
    return int(base) + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the test server exited early")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the test server did not start")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    db = tmp_path_factory.mktemp("browser") / "db.sqlite3"
    port = _server_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DRILL_ENGINE")}
    env |= {
        "SQLITE_PATH": str(db),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "DEMO_SCENARIOS_DIR": str(SHARED_SCENARIOS),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    log = open(db.parent / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process)
        yield {"url": f"http://127.0.0.1:{port}", "env": env, "log": db.parent / "server.log"}
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


# One browser a module, not a session: while Playwright's sync API is open it leaves its event loop marked as
# running in the test's thread, so a later sync test on the same worker that uses `async_to_sync` fails.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def sign_in(server, browser):
    """sign_in("alice") -> a Playwright page signed in as that demo user; each call a fresh context."""
    contexts = []

    def open_as(username: str, locale: str = "en-US"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(server["url"] + "/login/")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(server["url"] + "/")
        return page

    yield open_as
    for context in contexts:
        context.close()
