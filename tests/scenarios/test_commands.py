"""manage.py validate_scenario and import_scenario, as an instructor's script would use them."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scenarios.models import Scenario

SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"


def test_validate_scenario_passes_the_shared_files():
    out = io.StringIO()
    call_command("validate_scenario", *sorted(SHARED.glob("*.yaml")), stdout=out)
    assert out.getvalue().count(": valid") == 3


def test_validate_scenario_prints_file_path_and_message_and_fails(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((SHARED / "checkout-outage.en.yaml").read_text().replace("at: 30s", "at: soon"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("validate_scenario", str(broken), stdout=out)
    assert f"{broken}:injects[0].at: " in out.getvalue()


@pytest.mark.django_db
def test_import_scenario_adds_and_publishes(cast):
    out = io.StringIO()
    call_command("import_scenario", str(SHARED / "food-recall.he.yaml"), "--org", "acme", "--publish", stdout=out)
    scenario = Scenario.objects.get(organization=cast.org)
    assert scenario.language == "he" and scenario.versions.count() == 1
    with pytest.raises(CommandError):
        call_command("import_scenario", str(SHARED / "food-recall.he.yaml"), "--org", "nope")


@pytest.mark.django_db
def test_import_scenario_keeps_the_files_text_and_locates_its_errors(cast, tmp_path):
    text = "# kept\n" + (SHARED / "checkout-outage.en.yaml").read_text()
    good = tmp_path / "good.yaml"
    good.write_text(text)
    call_command("import_scenario", str(good), "--org", "acme", stdout=io.StringIO())
    assert Scenario.objects.get(organization=cast.org).source == text

    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("at: 30s", "at: soon"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_scenario", str(broken), "--org", "acme", stdout=io.StringIO(), stderr=err)
    line = text.splitlines().index("    at: 30s") + 1
    assert f"{broken}:{line}:5:injects[0].at: " in err.getvalue()
