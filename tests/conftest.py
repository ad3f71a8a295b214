"""The shared cast: an organization with one person per role, and an outsider organization."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Organization, Role, User
from tests.factories import OrganizationFactory, member


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
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


def pytest_configure(config):
    from django.conf import settings

    # Real password hashing costs ~0.3 s a call; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
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
