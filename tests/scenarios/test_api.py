"""The scenario library over REST: import, validate, export round trip, publish, preview, access."""

import json
from pathlib import Path

import pytest
import yaml

from scenarios.models import Scenario
from scenarios.services import MSG_INVALID_SCENARIO

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"
OUTAGE = (SHARED / "checkout-outage.en.yaml").read_text()


def imported(cast, text=OUTAGE, user=None):
    response = cast.client(user or cast.instructor).post(
        "/api/scenarios/import/", text.encode(), content_type="application/yaml"
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("path", sorted(SHARED.glob("*.yaml")), ids=lambda p: p.name)
def test_the_shared_scenarios_import_and_round_trip(cast, path):
    client = cast.client(cast.instructor)
    created = imported(cast, path.read_text())
    for fmt in ("yaml", "json"):
        exported = client.get(f"/api/scenarios/{created['id']}/export/?format={fmt}")
        assert exported.status_code == 200
        again = client.post("/api/scenarios/import/", exported.content, content_type=f"application/{fmt}")
        assert again.status_code == 201
        assert again.json()["spec"] == created["spec"]


def test_hebrew_scenarios_are_right_to_left(cast):
    created = imported(cast, (SHARED / "food-recall.he.yaml").read_text())
    assert created["language"] == "he" and created["direction"] == "rtl"


def test_an_invalid_document_lists_every_error_and_saves_nothing(cast):
    broken = OUTAGE.replace("at: 30s", "at: soon").replace("severity: 3", "severity: 9")
    response = cast.client(cast.instructor).post(
        "/api/scenarios/import/", broken.encode(), content_type="application/yaml"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == MSG_INVALID_SCENARIO
    assert {"injects[0].at", "injects[0].severity"} <= {e["path"] for e in body["errors"]}
    assert Scenario.objects.count() == 0


def test_a_multipart_file_imports(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.yaml", OUTAGE.encode(), content_type="application/yaml")
    response = cast.client(cast.instructor).post("/api/scenarios/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201


def test_a_document_over_one_mebibyte_is_refused_with_413(cast):
    huge = OUTAGE + "\n# " + "x" * (1024 * 1024)
    response = cast.client(cast.instructor).post(
        "/api/scenarios/import/", huge.encode(), content_type="application/yaml"
    )
    assert response.status_code == 413


def test_validate_reports_errors_and_warnings_without_saving(cast):
    client = cast.client(cast.instructor)
    ok = client.post("/api/scenarios/validate/", OUTAGE.encode(), content_type="application/yaml").json()
    assert ok["valid"] is True and ok["errors"] == []
    bad = client.post("/api/scenarios/validate/", {"spec": {"format": "nope"}}, format="json").json()
    assert bad["valid"] is False and any(e["path"] == "format" for e in bad["errors"])
    assert Scenario.objects.count() == 0


def test_an_update_with_errors_leaves_the_scenario_unchanged(cast):
    created = imported(cast)
    document = dict(created["spec"], title="")
    response = cast.client(cast.instructor).put(f"/api/scenarios/{created['id']}/", {"spec": document}, format="json")
    assert response.status_code == 400
    assert Scenario.objects.get().title == "Checkout outage on Black Friday"


def test_publishing_freezes_a_version_that_later_edits_do_not_change(cast):
    client = cast.client(cast.instructor)
    created = imported(cast)
    first = client.post(f"/api/scenarios/{created['id']}/publish/")
    assert first.status_code == 201 and first.json()["version"] == 1
    again = client.post(f"/api/scenarios/{created['id']}/publish/")  # unchanged: the same version
    assert again.status_code == 201 and again.json() == {**first.json(), "created": False}
    client.patch(f"/api/scenarios/{created['id']}/", {"spec": dict(created["spec"], title="Renamed")}, format="json")
    second = client.post(f"/api/scenarios/{created['id']}/publish/").json()
    versions = client.get(f"/api/scenarios/{created['id']}/versions/").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["id"] == second["id"] and versions[0]["checksum"] != versions[1]["checksum"]
    from scenarios.models import ScenarioVersion

    assert ScenarioVersion.objects.get(number=1).title == "Checkout outage on Black Friday"


def test_preview_lists_the_planned_timeline(cast):
    created = imported(cast)
    preview = cast.client(cast.instructor).get(f"/api/scenarios/{created['id']}/preview/").json()
    keys = [item["key"] for item in preview["timeline"]]
    assert keys[0] == "first-complaint" and keys.count("pile-on") == 40
    assert preview["timeline"][0]["respond_by_ms"] == 30_000 + 300_000
    assert {c["key"] for c in preview["conditional"]} == {"trending", "thanks"}


def test_participants_list_only_published_titles_and_never_read_documents(cast):
    created = imported(cast)
    alice = cast.client(cast.alice)
    assert alice.get("/api/scenarios/").json() == []
    cast.client(cast.instructor).post(f"/api/scenarios/{created['id']}/publish/")
    assert alice.get("/api/scenarios/").json() == [
        {
            "id": created["id"],
            "title": "Checkout outage on Black Friday",
            "language": "en",
            "direction": "ltr",
        }
    ]
    for suffix in ("", "preview/", "export/", "versions/"):
        assert alice.get(f"/api/scenarios/{created['id']}/{suffix}").status_code == 404
        assert cast.client(cast.olivia).get(f"/api/scenarios/{created['id']}/{suffix}").status_code == 404
        assert cast.client(cast.rival).get(f"/api/scenarios/{created['id']}/{suffix}").status_code == 404


def test_the_json_body_may_carry_the_document_as_text(cast):
    response = cast.client(cast.instructor).post("/api/scenarios/", {"spec": OUTAGE}, format="json")
    assert response.status_code == 201
    assert json.loads(json.dumps(response.json()["spec"])) == yaml.safe_load(OUTAGE) | {}
