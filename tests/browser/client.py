"""A JSON client for the browser tests' server, to set journeys up through the public API."""

import time

DEMO_PASSWORD = "drill-demo"


def api(server, username: str):
    """A requests-like JSON client for the test server, signed in by token (for setting up journeys)."""
    import json
    import urllib.request

    def call(method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(server["url"] + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        with urllib.request.urlopen(request) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    token = None
    token = call("POST", "/api/auth/login/", {"username": username, "password": DEMO_PASSWORD})["token"]
    return call


def wait_for(check, seconds: float = 30.0):
    """Polls the real server (the drill runs on its own clock) until `check()` returns something truthy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("the drill did not get there in time")
