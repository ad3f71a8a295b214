"""The author's text (PROTOCOL 1.7): a scenario keeps its source verbatim through import, PUT/PATCH and export,
errors are located by line and column in that text, and bad writes change nothing."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scenarios.models import Scenario
from scenarios.serializers import MSG_SPEC_OR_SOURCE
from scenarios.services import MSG_INVALID_SCENARIO, scenario_create, scenario_publish
from scenarios.source import checksum_of, generated_source, written_in
from scenarios.validation import MSG_NOT_A_DOCUMENT, MSG_YAML_ANCHOR, load_document

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"

# Comments everywhere, keys in the author's order (not the serializer's), every quoting and block style.
COMMENTED = """\
# Checkout outage: our first drill of the quarter.
title: 'Checkout outage'   # single-quoted on purpose
format: crisisdrill/v1
language: en
description: >
  Payments fail at checkout
  for half an hour.
brand: {name: ShopLine, handle: "@shopline"}   # a flow mapping
duration: 40m
response_sla: 10m
approval_chain:
  - {role: drafter}
  - role: reviewer
    sla: 2m
personas:
  - {key: customer, kind: customer, name: "{faker.name}", handle: "@{faker.user_name}"}
injects:
  # the first complaint
  - key: complaint
    at: 30s
    platform: x
    persona: customer
    text: |
      Card declined at {brand.name}.
      Third time today!
    severity: 3
    requires_response: true
"""

HEBREW = (SHARED / "food-recall.he.yaml").read_text(encoding="utf-8")


def import_text(client, body: bytes, content_type="application/yaml"):
    return client.post("/api/scenarios/import/", body, content_type=content_type)


def export(client, scenario_id: int, fmt: str = "yaml") -> str:
    response = client.get(f"/api/scenarios/{scenario_id}/export/?format={fmt}")
    assert response.status_code == 200
    return response.content.decode("utf-8")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (COMMENTED, COMMENTED),
        (COMMENTED.replace("\n", "\r\n"), COMMENTED.replace("\n", "\r\n")),  # CRLF line endings stay
        ("\ufeff" + COMMENTED, COMMENTED),  # the byte order mark marks the file's encoding: not text
        (HEBREW, HEBREW),
        (
            "# בעברית\n" + HEBREW.replace("seed: 11", "seed: 11  # זרע"),
            "# בעברית\n" + HEBREW.replace("seed: 11", "seed: 11  # זרע"),
        ),
    ],
    ids=["comments-and-styles", "crlf", "bom", "hebrew", "hebrew-comments"],
)
def test_an_imported_text_is_kept_and_exported_verbatim(cast, text, kept):
    client = cast.client(cast.instructor)
    created = import_text(client, text.encode("utf-8"))
    assert created.status_code == 201, created.content
    assert created.json()["source"] == kept
    assert created.json()["spec"] == load_document(text)
    assert export(client, created.json()["id"]).encode("utf-8") == kept.encode("utf-8")


def test_a_multipart_file_keeps_its_crlf_bytes(cast):
    client = cast.client(cast.instructor)
    text = COMMENTED.replace("\n", "\r\n")
    upload = SimpleUploadedFile("outage.yaml", ("\ufeff" + text).encode("utf-8"), "application/yaml")
    response = client.post("/api/scenarios/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert export(client, response.json()["id"]).encode("utf-8") == text.encode("utf-8")


def test_a_json_text_is_kept_as_json_and_yaml_is_generated_from_it(cast):
    client = cast.client(cast.instructor)
    text = json.dumps(load_document(COMMENTED), indent=4, ensure_ascii=False)
    created = import_text(client, text.encode(), "application/json").json()
    assert created["source"] == text and export(client, created["id"], "json") == text
    yaml_text = export(client, created["id"], "yaml")
    assert written_in(yaml_text) == "yaml" and load_document(yaml_text) == created["spec"]


def test_a_scenario_created_from_an_object_gets_a_generated_source(cast):
    client = cast.client(cast.instructor)
    spec = load_document(COMMENTED)
    created = client.post("/api/scenarios/", {"spec": spec}, format="json").json()
    assert created["source"] == generated_source(spec)
    assert "#" not in created["source"] and load_document(created["source"]) == spec
    assert export(client, created["id"]) == created["source"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_write_with_source_keeps_the_text_and_a_write_with_spec_regenerates_it(cast, method):
    client = cast.client(cast.instructor)
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED))
    url = f"/api/scenarios/{scenario.pk}/"
    edited = COMMENTED.replace("# the first complaint", "# the very first complaint").replace("at: 30s", "at: 45s")
    response = getattr(client, method)(url, {"source": edited}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["source"] == edited and response.json()["spec"]["injects"][0]["at"] == "45s"
    assert client.get(url).json()["source"] == edited
    assert export(client, scenario.pk) == edited

    response = getattr(client, method)(url, {"spec": response.json()["spec"]}, format="json")
    assert response.json()["source"] == generated_source(response.json()["spec"])


def test_the_new_editor_post_may_give_source(cast):
    client = cast.client(cast.instructor)
    response = client.post("/api/scenarios/", {"source": COMMENTED}, format="json")
    assert response.status_code == 201 and response.json()["source"] == COMMENTED


@pytest.mark.parametrize(
    ("role", "status"),
    [("instructor", 200), ("alice", 404), ("olivia", 404), ("rival", 404), (None, 401)],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_who_may_write_a_source(cast, role, status, method):
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED))
    client = cast.client(getattr(cast, role) if role else None)
    response = getattr(client, method)(f"/api/scenarios/{scenario.pk}/", {"source": HEBREW}, format="json")
    assert response.status_code == status
    scenario.refresh_from_db()
    assert (scenario.language == "he") == (status == 200)


NOT_A_MAPPING = ["- a\n- b\n", "just a sentence\n", "42\n", "null\n"]


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        *[({"source": text}, "", MSG_NOT_A_DOCUMENT) for text in NOT_A_MAPPING],
        ({"source": 5}, "source", None),
        ({"source": ""}, "source", None),
        ({"source": COMMENTED, "spec": load_document(COMMENTED)}, "source", MSG_SPEC_OR_SOURCE),
        ({}, "spec", MSG_SPEC_OR_SOURCE),
        ({"source": COMMENTED, "author": "me"}, "author", None),
        ({"source": "title: &a x\nformat: *a\n"}, "", MSG_YAML_ANCHOR.format(line=1, column=8)),
    ],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_bad_source_is_refused_with_its_path_and_nothing_is_saved(cast, body, path, message, method):
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED), source=COMMENTED)
    before = Scenario.objects.values("spec", "source", "title", "updated_at").get(pk=scenario.pk)
    client = cast.client(cast.instructor)
    response = getattr(client, method)(f"/api/scenarios/{scenario.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [error["path"] for error in errors] == [path]
    if message is not None:
        assert errors[0]["message"] == message
    assert Scenario.objects.values("spec", "source", "title", "updated_at").get(pk=scenario.pk) == before


def test_a_source_over_the_limit_is_too_large(cast):
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED))
    huge = COMMENTED + "#" * (1024 * 1024) + "\n"
    response = cast.client(cast.instructor).patch(f"/api/scenarios/{scenario.pk}/", {"source": huge}, format="json")
    assert response.status_code == 413


def position(text: str, needle: str) -> dict:
    """The 1-based line and column (in characters) where `needle` first starts in `text`."""
    before = text[: text.index(needle)]
    return {"line": before.count("\n") + 1, "column": len(before) - (before.rfind("\n") + 1) + 1}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_errors_carry_their_line_and_column_in_the_authors_text(cast, crlf):
    scenario = scenario_create(by=cast.instructor, document=load_document(HEBREW))
    broken = HEBREW.replace("    at: 1m", "    at: soon").replace("severity: 3", "severity: 9", 1)
    broken = broken.replace("brand: {name: מחלבות הגליל, handle:", "brand: {name: מחלבות הגליל, hendle:")
    sent = broken.replace("\n", "\r\n") if crlf else broken
    response = cast.client(cast.instructor).put(f"/api/scenarios/{scenario.pk}/", {"source": sent}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == MSG_INVALID_SCENARIO
    found = {error["path"]: {"line": error["line"], "column": error["column"]} for error in response.json()["errors"]}
    assert found["injects[0].at"] == position(broken, "at: soon")
    assert found["injects[0].severity"] == position(broken, "severity: 9")
    # Hebrew letters before it count one column each.
    assert found["brand.hendle"] == position(broken, "hendle:")
    assert position(broken, "hendle:")["column"] == len("brand: {name: מחלבות הגליל, ") + 1


def test_a_syntax_error_and_an_anchor_are_located_where_reading_stopped(cast):
    client = cast.client(cast.instructor)
    broken = COMMENTED.replace("duration: 40m", "duration: [40m")
    errors = import_text(client, broken.encode()).json()["errors"]
    assert errors[0]["path"] == "" and errors[0]["line"] >= position(broken, "duration")["line"]
    anchored = COMMENTED.replace("duration: 40m", "duration: &d 40m")
    errors = import_text(client, anchored.encode()).json()["errors"]
    assert errors == [
        {"path": "", "message": MSG_YAML_ANCHOR.format(**position(anchored, "&d")), **position(anchored, "&d")}
    ]
    assert not Scenario.objects.exists()


def test_validate_locates_errors_in_a_json_text_too(cast):
    text = json.dumps({**load_document(COMMENTED), "duration": "forever"}, indent=2)
    body = cast.client(cast.instructor).post("/api/scenarios/validate/", text.encode(), content_type="application/json")
    error = next(e for e in body.json()["errors"] if e["path"] == "duration")
    assert {"line": error["line"], "column": error["column"]} == position(text, '"duration"')


# ---- published versions freeze the source ----


def test_a_version_freezes_the_source_and_a_new_comment_is_a_new_version(cast):
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED), source=COMMENTED)
    first, created = scenario_publish(by=cast.instructor, scenario=scenario)
    assert created and first.source == COMMENTED
    assert first.checksum == checksum_of(first.spec, COMMENTED)
    assert scenario_publish(by=cast.instructor, scenario=scenario) == (first, False)

    client = cast.client(cast.instructor)
    commented_again = COMMENTED.replace("# a flow mapping", "# a flow mapping, as the style guide asks")
    client.patch(f"/api/scenarios/{scenario.pk}/", {"source": commented_again}, format="json")
    second, created = scenario_publish(by=cast.instructor, scenario=scenario)
    assert created and second.number == 2 and second.spec == first.spec and second.checksum != first.checksum
    first.refresh_from_db()
    assert first.source == COMMENTED and second.source == commented_again


def test_the_checksum_is_the_canonical_document_a_line_feed_and_the_source():
    import hashlib

    document = {"title": "Rappel", "b": [1, "é"], "a": None}
    expected = hashlib.sha256('{"a":null,"b":[1,"é"],"title":"Rappel"}\n# texte\r\n'.encode()).hexdigest()
    assert checksum_of(document, "# texte\r\n") == expected


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('{"a": 1}', "json"),
        ('  {"a": 1}\n', "json"),
        ("a: 1", "yaml"),
        ("{a: 1}", "yaml"),
        ("[1]", "yaml"),
        ("{", "yaml"),
    ],
)
def test_a_text_is_written_in_json_only_when_it_is_a_json_object(text, fmt):
    assert written_in(text) == fmt


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Donnez le document une seule fois : en spec (un objet) ou en source (son texte)."),
        ("he", "יש לתת את המסמך פעם אחת: כ-spec (אובייקט) או כ-source (הטקסט שלו)."),
    ],
)
def test_giving_the_document_twice_is_said_in_the_users_language(cast, language, message):
    scenario = scenario_create(by=cast.instructor, document=load_document(COMMENTED))
    body = {"source": COMMENTED, "spec": load_document(COMMENTED)}
    client = cast.client(cast.instructor)
    response = client.put(f"/api/scenarios/{scenario.pk}/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.json()["errors"] == [{"path": "source", "message": message}]
