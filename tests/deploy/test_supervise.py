"""deploy/supervise.sh: a command that dies is started again within seconds; SIGTERM stops both."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SUPERVISE = Path(__file__).resolve().parents[2] / "deploy" / "supervise.sh"
# Writes its pid to a file of its own, then waits to be killed.
CHILD = "import os, sys, time; open(sys.argv[1] + '/' + str(os.getpid()), 'w').close(); time.sleep(600)"


def pids(folder: Path) -> list[int]:
    return sorted(int(path.name) for path in folder.iterdir())


def until(condition, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_command_is_started_again_within_seconds_and_sigterm_stops_both(tmp_path):
    supervisor = subprocess.Popen([str(SUPERVISE), sys.executable, "-c", CHILD, str(tmp_path)], stderr=subprocess.PIPE)
    try:
        until(lambda: len(pids(tmp_path)) == 1)
        (first,) = pids(tmp_path)
        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        until(lambda: len(pids(tmp_path)) == 2)
        assert time.monotonic() - killed_at < 3
        second = max(set(pids(tmp_path)) - {first})

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) is not None
        until(lambda: not alive(second))
        assert b"starting it again in 1s" in supervisor.stderr.read()
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
