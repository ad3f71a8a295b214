import ast
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import Membership, Organization, Team, User
from demo.seed import library_paths
from scenarios.models import Scenario, ScenarioVersion
from scenarios.validation import load_document

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_TITLES = sorted(load_document(path.read_bytes())["title"] for path in library_paths())


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def everything_seeded() -> dict:
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password", "display_name")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "user", "organization", "role")),
        "teams": list(Team.objects.order_by("pk").values_list("pk", "name", "members")),
        "scenarios": list(Scenario.objects.order_by("pk").values_list("pk", "title", "language", "updated_at")),
        "versions": list(ScenarioVersion.objects.order_by("pk").values_list("pk", "scenario", "number", "checksum")),
    }


@pytest.mark.django_db
def test_it_seeds_the_demo_organizations_once():
    seed()
    seed()
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


@pytest.mark.django_db
def test_the_projects_own_library_is_published_in_the_demo_organization():
    printed = seed()
    published = Scenario.objects.filter(organization__slug="demo", versions__number=1).order_by("title")
    assert sorted(published.values_list("title", flat=True)) == LIBRARY_TITLES
    assert sorted(published.values_list("language", flat=True)) == ["en", "fr", "he"]
    for title in LIBRARY_TITLES:
        assert f"scenario: {title} (" in printed
    assert not Scenario.objects.filter(organization__slug="rival").exists()


@pytest.mark.django_db
def test_seeding_again_changes_nothing():
    seed()
    before = everything_seeded()
    seed()
    assert everything_seeded() == before


@pytest.mark.django_db
def test_the_printed_demo_password_signs_in(capsys):
    call_command("seed_demo")
    assert "drill-demo" in capsys.readouterr().out
    response = APIClient().post("/api/auth/login/", {"username": "olivia", "password": "drill-demo"}, format="json")
    assert response.status_code == 200 and response.json()["user"]["role"] == "observer"


def test_accounts_imports_none_of_the_apps_built_on_it():
    # The demo seed lives above accounts and scenarios (demo/); accounts stays at the bottom.
    above = {"scenarios", "drills", "scoring", "frontend", "demo"}
    for path in (ROOT / "accounts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & above, f"{path.relative_to(ROOT)} imports {names}"
