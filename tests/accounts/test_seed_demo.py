import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import Membership, Organization, User

pytestmark = pytest.mark.django_db


def test_it_seeds_the_demo_organizations_once(settings, tmp_path):
    settings.SHARED_SCENARIOS_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Organization.objects.count() == 2
    assert User.objects.count() == 8
    roles = dict(Membership.objects.filter(organization__slug="demo").values_list("user__username", "role"))
    assert roles == {
        "instructor": "instructor",
        "alice": "participant",
        "bob": "participant",
        "carol": "participant",
        "dan": "participant",
        "eve": "participant",
        "olivia": "observer",
    }
    assert Membership.objects.get(user__username="rival").organization.name == "Rival Agency"


def test_the_printed_demo_password_signs_in(settings, tmp_path, capsys):
    settings.SHARED_SCENARIOS_DIR = tmp_path
    call_command("seed_demo")
    assert "drill-demo" in capsys.readouterr().out
    response = APIClient().post("/api/auth/login/", {"username": "olivia", "password": "drill-demo"}, format="json")
    assert response.status_code == 200 and response.json()["user"]["role"] == "observer"
