"""The browser modules' pure parts (tests/js/*.test.mjs) under Node's own test runner, when node is here."""

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parents[1] / "js"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_unit_tests_pass():
    files = sorted(str(path) for path in JS_TESTS.glob("*.test.mjs"))
    assert files, "no JS tests found"
    run = subprocess.run([NODE, "--test", *files], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
