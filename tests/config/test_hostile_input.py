"""Hostile bodies and paths on every API view: a clear 4xx with a JSON body, never a 500, nothing written."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Team, User
from config.limits import MAX_BODY_BYTES, MAX_ID
from scenarios.validation import MAX_DOCUMENT_BYTES
from tests.scenarios.conftest import MINIMAL_DOCUMENT

pytestmark = pytest.mark.django_db
DEEP = "[" * 5000 + "]" * 5000


def test_deeply_nested_json_is_a_400_even_on_the_unauthenticated_login():
    response = APIClient().post("/api/auth/login/", DEEP, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_a_json_body_over_the_limit_is_a_413_with_a_json_body(cast):
    body = '{"title": "' + "x" * MAX_BODY_BYTES + '"}'
    response = cast.client(cast.instructor).post("/api/drills/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_multipart_import_over_the_limit_is_a_413_before_it_is_read(cast):
    upload = SimpleUploadedFile("big.yaml", b"x" * (MAX_BODY_BYTES + 1), "application/yaml")
    response = cast.client(cast.instructor).post("/api/scenarios/import/", {"file": upload}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_api_path_that_does_not_exist_is_a_json_404(cast, method):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.instructor)
    response = getattr(client, method)("/api/nothing-here/", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/drills/{MAX_ID + 1}/",
        f"/api/drills/{10**30}/events/",
        f"/api/drills/1/responses/{10**30}/",
        f"/api/scenarios/{10**30}/",
        f"/api/members/{10**30}/",
        f"/api/teams/{10**30}/",
        f"/api/drills/{10**30}/scorecard/",
    ],
)
def test_ids_beyond_64_bits_in_a_path_are_a_404(cast, path):
    response = cast.client(cast.instructor).get(path)
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_spec_object_obeys_the_one_mebibyte_document_limit(cast, outage, method):
    spec = {"format": "crisisdrill/v1", "description": "x" * (MAX_DOCUMENT_BYTES + 1)}
    path = "/api/scenarios/" if method == "post" else f"/api/scenarios/{outage.scenario_id}/"
    response = getattr(cast.client(cast.instructor), method)(path, {"spec": spec}, format="json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    ("method", "path", "body", "error_path"),
    [
        ("post", "/api/teams/", {"name": "Night desk", "members": [2**64]}, "members[0]"),
        ("post", "/api/teams/", {"name": "Night desk", "members": [10**30, 2**63]}, "members[0]"),
        ("post", "/api/teams/", {"name": "Night\ndesk"}, "name"),
        (
            "post",
            "/api/members/",
            {"username": "zed", "role": "participant", "display_name": "Zed\u0013"},
            "display_name",
        ),
        ("patch", "/api/members/{alice}/", {"display_name": "Alice\u001b[31m"}, "display_name"),
    ],
)
def test_hostile_numbers_and_names_for_people_are_a_400_with_the_path(cast, method, path, body, error_path):
    url = path.format(alice=cast.alice.id)
    response = getattr(cast.client(cast.instructor), method)(url, body, format="json")
    assert response.status_code == 400
    assert error_path in [e["path"] for e in response.json()["errors"]]
    assert not Team.objects.exists() and not User.objects.filter(username="zed").exists()
    assert User.objects.get(pk=cast.alice.pk).display_name == cast.alice.display_name


def test_the_editors_preview_refuses_a_huge_plan_before_rendering_it(cast):
    document = copy.deepcopy(MINIMAL_DOCUMENT)
    burst = document["injects"][1]
    big = {"count": 500, "over": "3m", "persona_kind": "customer"}
    document["injects"] = [burst | {"key": f"b-{i}", "burst": big, "texts": ["z" * 4000]} for i in range(2)]
    response = cast.client(cast.instructor).post("/api/scenarios/preview/", {"spec": document}, format="json")
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["injects[1].burst.count"]


def test_the_openapi_document_declares_the_413_of_operations_that_read_a_body(cast):
    schema = cast.client(cast.instructor).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(schema.content)["paths"]
    assert "413" in paths["/api/auth/login/"]["post"]["responses"]
    assert "413" in paths["/api/scenarios/import/"]["post"]["responses"]
    assert "413" in paths["/api/scenarios/{scenario_id}/"]["put"]["responses"]
    assert "413" not in paths["/api/drills/{drill_id}/"]["get"]["responses"]
    assert "400" in paths["/api/drills/"]["get"]["responses"]
    assert "400" in paths["/api/scenarios/"]["get"]["responses"]


def test_a_limit_says_its_one_message_in_the_requests_language(cast):
    body = {"title": "x" * MAX_BODY_BYTES}
    response = cast.client(cast.instructor).post("/api/drills/", body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 413
    assert response.json()["detail"] == "Le corps de la requête dépasse 2 Mio."


@pytest.mark.parametrize(("event_seq", "text"), [("²", "Good"), ("1", "ring \u0007 ring")])
def test_the_scorecard_note_form_refuses_unicode_digits_and_control_characters(cast, outage, event_seq, text):
    from django.test import Client

    from drills.models import DebriefNote
    from drills.services import drill_create, drill_finish, drill_start

    drill = drill_create(by=cast.instructor, scenario=outage.scenario_id, seats=[])
    drill = drill_finish(by=cast.instructor, drill=drill_start(by=cast.instructor, drill=drill))
    client = Client()
    client.force_login(cast.instructor)
    response = client.post(f"/drills/{drill.pk}/scorecard/notes/", {"event_seq": event_seq, "text": text})
    assert response.status_code == 302
    assert not DebriefNote.objects.exists()


@pytest.mark.parametrize("path", ["/api/scenarios/validate/", "/api/scenarios/import/", "/api/scenarios/preview/"])
@pytest.mark.parametrize("body", [DEEP, '{"spec": ' + DEEP + "}", '{"title": ' + DEEP + "}"])
def test_a_deeply_nested_document_is_a_clear_answer_on_every_scenario_endpoint(cast, path, body):
    response = cast.client(cast.instructor).post(path, body, content_type="application/json")
    assert response.status_code in (200, 400)
    answer = response.json()
    assert answer["errors"] and (response.status_code == 400 or answer["valid"] is False)


@pytest.mark.parametrize("query", ["q=%00", "language=en%00", "q=" + "x" * 201, "colour=red"])
def test_a_hostile_scenario_search_is_a_400_with_the_path(cast, query):
    response = cast.client(cast.instructor).get(f"/api/scenarios/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == query.split("=")[0]
