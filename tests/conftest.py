"""The shared cast: an organization with one person per role, and an outsider organization."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

# Tests assert behaviour; bench/ measures speed. An example that runs slowly on a busy machine is no failure
# (a 200 ms deadline failed the fuzzing of the validator while the services suite ran beside a benchmark).
hypothesis_settings.register_profile("crisisdrill", deadline=None)
hypothesis_settings.load_profile("crisisdrill")

SHARED_SCENARIOS = Path(__file__).resolve().parents[2] / "shared" / "scenarios"

if TYPE_CHECKING:  # imported lazily so the pure suites (engine, scoring, validation) run without Django
    from rest_framework.test import APIClient

    from accounts.models import Organization, User


@dataclass
class Cast:
    org: Organization
    instructor: User
    alice: User  # participant
    bob: User  # participant
    olivia: User  # observer
    rival_org: Organization
    rival: User  # instructor of another organization

    def client(self, user: User | None) -> APIClient:
        from rest_framework.test import APIClient

        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite test databases in a file (WAL), as `make run` has it, not in shared-cache memory: there a read
    in one thread (a socket's log page) makes a write in another fail with "table is locked"."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    # Real password hashing costs ~0.3 s a call; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Threads of the websocket tests must not keep connections that block dropping the test database.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A socket's seat.left is logged when it closes: a leave still waiting out its grace period when a test
    # ends would write to a database that is gone. The presence tests set a grace period themselves.
    settings.DRILL_PRESENCE_GRACE_S = 0
    if settings.REDIS_URL:
        _isolate_redis(settings)


def _isolate_redis(settings) -> None:
    """Parallel test workers share one Redis: each gets its own database for the cache (tests clear it)
    and its own channel prefix (drill ids repeat across the workers' databases)."""
    from urllib.parse import urlsplit, urlunsplit

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0) + 1
    url = urlunsplit(urlsplit(settings.REDIS_URL)._replace(path=f"/{index}"))
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    layer = settings.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": {**layer["CONFIG"], "prefix": f"test-{worker}"}}}


@pytest.fixture(autouse=True)
def _clean_cache(request):
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    from accounts.models import Role
    from tests.factories import OrganizationFactory, member

    org = OrganizationFactory(slug="acme", name="Acme Comms")
    rival_org = OrganizationFactory(slug="rival", name="Rival Agency")
    return Cast(
        org=org,
        instructor=member("ines", org, Role.INSTRUCTOR),
        alice=member("alice", org, Role.PARTICIPANT),
        bob=member("bob", org, Role.PARTICIPANT),
        olivia=member("olivia", org, Role.OBSERVER),
        rival_org=rival_org,
        rival=member("rival", rival_org, Role.INSTRUCTOR),
    )


@pytest.fixture
def wall():
    from drills.clock import FakeClock

    return FakeClock()


@pytest.fixture
def outage(cast):
    """The English checkout-outage scenario, published in the cast's organization."""
    from scenarios.services import document_load, scenario_create, scenario_publish

    document = document_load(text=(SHARED_SCENARIOS / "checkout-outage.en.yaml").read_bytes())
    scenario = scenario_create(by=cast.instructor, document=document)
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


@pytest.fixture
def recall(cast):
    """The Hebrew food-recall scenario (drafter -> reviewer -> spokesperson), published in the cast's organization."""
    from scenarios.services import document_load, scenario_create, scenario_publish

    document = document_load(text=(SHARED_SCENARIOS / "food-recall.he.yaml").read_bytes())
    scenario = scenario_create(by=cast.instructor, document=document)
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request made in Hebrew leaves Hebrew active in its thread
    (LocaleMiddleware never resets it), and text built outside a request would then come out in Hebrew."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def throttle_window(monkeypatch):
    """Rate limits count in fixed one-minute windows of the wall clock: a test whose requests straddled a window's
    end would see its count start again. Every test's hits land in one window (tests of the windows pass `now`)."""
    from types import SimpleNamespace

    from accounts import throttle

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
