"""The OpenAPI document is valid, and true: what the API answers is what the document declares for it."""

import pytest
from django.core.management import call_command
from django.http import Http404
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework import exceptions

from config.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, api_exception_handler
from config.schema import ERROR_RESPONSES
from drills import services as drill_services
from scenarios.api import TooLarge
from tests.scoring.plays import finished_drill, lobby

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` spelled as JSON Schema, so a plain validator reads the document."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def violations(document, schema, body) -> list[str]:
    root = as_json_schema({**schema, "components": document["components"]})
    return [error.message for error in Draft202012Validator(root).iter_errors(body)]


def assert_declared(document, response, path: str, method: str) -> None:
    declared = document["paths"][path][method]["responses"]
    assert str(response.status_code) in declared, f"{method} {path} answered an undeclared {response.status_code}"
    schema = declared[str(response.status_code)]["content"]["application/json"]["schema"]
    assert violations(document, schema, response.json()) == []


def test_the_document_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.fixture
def running(cast, outage, wall):
    drill = lobby(cast, outage)
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    return drill


# (who, method, path as the document spells it, body, the status a user gets)
ANSWERS = [
    ("alice", "get", "/api/scenarios/", None, 200),  # a participant's list has no published_version
    ("instructor", "get", "/api/scenarios/", None, 200),
    ("instructor", "get", "/api/scenarios/{scenario_id}/preview/", None, 200),
    ("instructor", "post", "/api/scenarios/{scenario_id}/publish/", None, 201),
    ("instructor", "get", "/api/teams/", None, 200),
    ("instructor", "post", "/api/teams/", {}, 400),
    ("instructor", "get", "/api/drills/", None, 200),
    ("alice", "get", "/api/drills/{drill_id}/", None, 200),
    ("alice", "get", "/api/drills/{drill_id}/events/", None, 200),
    ("alice", "get", "/api/drills/{drill_id}/responses/", None, 200),
    ("instructor", "post", "/api/drills/{drill_id}/start/", None, 409),
    ("instructor", "post", "/api/drills/{drill_id}/notes/", {"event_seq": 1, "text": "Too early"}, 409),
    ("alice", "get", "/api/drills/{drill_id}/scorecard/", None, 409),
    ("alice", "get", "/api/drills/{drill_id}/messages/", None, 200),
    ("olivia", "get", "/api/drills/{drill_id}/inbox/", None, 200),
    ("alice", "post", "/api/drills/{drill_id}/inbox/read/", {"inject": 1}, 400),
    ("alice", "post", "/api/drills/", {"scenario": 1}, 403),
    (None, "get", "/api/drills/", None, 401),
    ("instructor", "get", "/api/drills/999999/", None, 404),
]


@pytest.mark.parametrize("who, method, path, body, status", ANSWERS)
def test_each_answer_is_declared_with_its_shape(document, cast, outage, running, who, method, path, body, status):
    url = path.format(scenario_id=outage.scenario_id, drill_id=running.pk)
    client = cast.client(getattr(cast, who) if who else None)
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == status
    assert_declared(document, response, path.replace("999999", "{drill_id}"), method)


def test_a_drill_action_over_the_limit_answers_a_declared_429(document, cast, running, settings):
    settings.DRILL_ACTIONS_PER_MINUTE = 0
    response = cast.client(cast.alice).post(
        f"/api/drills/{running.pk}/responses/", {"reply_to": [1], "text": "Sorry"}, format="json"
    )
    assert response.status_code == 429
    assert_declared(document, response, "/api/drills/{drill_id}/responses/", "post")
    declared = document["paths"]["/api/drills/{drill_id}/responses/"]["post"]["responses"]["429"]
    assert declared["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert response.get("Retry-After", "60").isdigit()


def test_a_finished_drill_has_a_declared_scorecard_and_comparison(document, cast, outage, wall):
    drill = finished_drill(cast, outage, wall)
    client = cast.client(cast.instructor)
    scorecard = client.get(f"/api/drills/{drill.pk}/scorecard/")
    assert_declared(document, scorecard, "/api/drills/{drill_id}/scorecard/", "get")
    comparison = client.get(f"/api/scenarios/{outage.scenario_id}/scorecards/")
    assert len(comparison.json()) == 1
    assert_declared(document, comparison, "/api/scenarios/{scenario_id}/scorecards/", "get")


ERRORS = [
    exceptions.ValidationError({"seats": [{"user": ["A valid integer is required."]}]}),
    exceptions.ParseError("JSON parse error"),
    Invalid("Bad document.", errors=[{"path": "injects[0].at", "message": "Not a duration."}]),
    exceptions.NotAuthenticated(),
    exceptions.AuthenticationFailed("Invalid token."),
    Forbidden("Instructors only."),
    exceptions.PermissionDenied(),
    NotFound(),
    Http404(),
    Conflict("The drill is running.", extra={"status": "running"}),
    TooLarge("The document is larger than 1 MiB."),
    RateLimited("Too many actions."),
    exceptions.Throttled(wait=30),
]


@pytest.mark.parametrize("exc", ERRORS, ids=lambda exc: type(exc).__name__)
def test_every_error_body_has_the_declared_shape(document, exc):
    response = api_exception_handler(exc, {})
    declared = ERROR_RESPONSES[response.status_code].response.__name__
    assert violations(document, {"$ref": f"#/components/schemas/{declared}"}, response.data) == []


def test_an_unknown_api_path_is_a_json_404_of_the_declared_shape(document, cast):
    response = cast.client(cast.instructor).get("/api/nowhere/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert violations(document, {"$ref": "#/components/schemas/ErrorOutput"}, response.json()) == []


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/teams/", {"name": "Desk", "members": [], "colour": "red"}),  # a key the server refuses
        ("/api/drills/{drill_id}/notes/", {"event_seq": 1, "text": ""}),  # a blank text
    ],
)
def test_a_body_the_server_refuses_is_invalid_by_the_document(document, cast, running, path, body):
    response = cast.client(cast.instructor).post(path.format(drill_id=running.pk), body, format="json")
    assert response.status_code == 400
    schema = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert violations(document, schema, body) != []
