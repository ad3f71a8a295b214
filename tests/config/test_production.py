"""The production profile: DEBUG off unless set, `check --deploy` clean, static files hashed and served by WhiteNoise.

Each test starts Django in a subprocess with a production environment: settings are read once, at start-up,
and the test process itself runs the development profile.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every variable README "Operating it" lists for a deployment behind a TLS proxy.
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "drill.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://drill.example.org",
    "BEHIND_TLS_PROXY": "True",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
    "SECURE_HSTS_PRELOAD": "True",
}
# Served in a production process: what a browser gets for the page's stylesheet, hashed and not.
SERVE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
import config.asgi

client = Client(HTTP_HOST="drill.example.org", HTTP_X_FORWARDED_PROTO="https")
hashed = static("frontend/css/app.css")
answer = client.get(hashed, HTTP_ACCEPT_ENCODING="gzip, br")
plain = client.get(settings.STATIC_URL + "frontend/css/app.css")
insecure = Client(HTTP_HOST="drill.example.org")
print(json.dumps({
    "hashed": hashed,
    "status": answer.status_code,
    "cache_control": answer.headers.get("Cache-Control"),
    "encoding": answer.headers.get("Content-Encoding"),
    "plain_status": plain.status_code,
    "finder_handler": config.asgi.http_app is not config.asgi.django_asgi_app,
    "http_page": insecure.get("/login/").status_code,
    "http_health": insecure.get("/healthz").status_code,
}))
"""


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return run([str(ROOT / "manage.py"), *args], env=env)


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def production(tmp_path: Path) -> dict:
    """The test's environment without its development switches, plus the production variables."""
    keep = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    return keep | PRODUCTION | {"SQLITE_PATH": str(tmp_path / "db.sqlite3"), "STATIC_ROOT": str(tmp_path / "static")}


@pytest.fixture
def production_env(tmp_path) -> dict:
    return production(tmp_path)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> dict:
    """collectstatic, then what a production process answers (SERVE)."""
    env = production(tmp_path_factory.mktemp("production"))
    collected = manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    done = run(["-c", SERVE], env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_deploy_check_passes_with_the_documented_variables(production_env):
    # Every check, the deployment ones and drf-spectacular's schema warnings included.
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_without_debug_a_missing_secret_key_stops_the_start_up(production_env):
    production_env.pop("SECRET_KEY")
    done = manage("check", env=production_env)
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_debug_stays_off_unless_it_is_set(production_env):
    done = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=production_env)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_a_typo_in_a_switch_is_refused(production_env):
    production_env["SECURE_HSTS_SECONDS"] = "a year"
    done = manage("check", env=production_env)
    assert "SECURE_HSTS_SECONDS must be a whole number" in done.stderr


def test_collected_files_are_served_hashed_compressed_and_immutable(served):
    assert (
        served["hashed"].startswith("/static/frontend/css/app.") and served["hashed"] != "/static/frontend/css/app.css"
    )
    assert served["status"] == 200
    assert "immutable" in served["cache_control"] and "max-age=315360000" in served["cache_control"]
    assert served["encoding"] in ("gzip", "br")
    # Only collected, hashed names: the apps' own file under its plain name is not served, nor from a finder.
    assert served["plain_status"] == 404
    assert served["finder_handler"] is False


def test_plain_http_is_redirected_except_the_load_balancers_health_check(served):
    assert served["http_page"] == 301
    assert served["http_health"] != 301
