"""Validation paths mapped to lines and columns of the document text, for the editor's "go to the error"."""

import json
from pathlib import Path

import pytest

from scenarios.locate import position_of, positions_of

YAML_TEXT = """\
# a comment first
format: crisisdrill/v1
title: Checkout outage
brand:
  name: ShopLine
  handle: "@shopline"
approval_chain:
  - {role: drafter}
  - role: reviewer
    sla: 2m
injects:
  - key: first-complaint
    at: 30s
    text: >
      Card declined
  - key: pile-on
    burst: {count: 40, over: 3m}
scoring:
  max_length: {x.com: 280}
"""


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        ("", 2, 1),
        ("title", 3, 1),
        ("brand", 4, 1),
        ("brand.name", 5, 3),
        ("approval_chain[0]", 8, 5),
        ("approval_chain[1]", 9, 5),
        ("approval_chain[1].sla", 10, 5),
        ("injects[0].at", 13, 5),
        ("injects[0].text", 14, 5),
        ("injects[1].burst.over", 17, 24),
        ("scoring.max_length.x.com", 19, 16),  # a key holding a dot is found whole
        # Missing keys and indexes past the end point at the nearest parent that is there.
        ("brand.colour", 4, 1),
        ("approval_chain[0].sla", 8, 5),
        ("injects[1].at", 16, 5),
        ("injects[7].at", 11, 1),
        ("duration", 2, 1),
        ("title.deeper", 3, 1),
    ],
)
def test_it_finds_the_line_and_column_of_a_path_in_yaml(path, line, column):
    assert position_of(YAML_TEXT, path) == (line, column)


def test_a_duplicate_key_points_at_its_second_occurrence():
    assert position_of("title: a\nlanguage: en\ntitle: b\n", "title") == (3, 1)


def test_it_reads_json_text_too():
    document = {"title": "x", "injects": [{"key": "a", "at": "30s"}, {"key": "b", "at": "soon"}]}
    text = json.dumps(document, indent=2)
    assert position_of(text, "injects[1].at") == (text.splitlines().index('      "at": "soon"') + 1, 7)
    tabbed = text.replace("  ", "\t")
    assert position_of(tabbed, "injects[1].at") == (position_of(text, "injects[1].at")[0], 4)


@pytest.mark.parametrize("text", ["title: [unclosed\n", "a: b\n  c: d: e\n", ": : :\n\t- x", ""])
def test_unreadable_or_empty_text_gives_none(text):
    assert position_of(text, "title") is None


def test_a_syntax_error_is_located_for_the_document_as_a_whole():
    text = "title: ok\nlanguage: en\nbrand: {name: x\nduration: 5m\n"
    whole, title = positions_of(text, ["", "title"])
    assert whole is not None and whole[0] >= 3 and title is None


def test_many_paths_read_the_text_once_and_keep_their_order():
    assert positions_of(YAML_TEXT, ["injects[0].at", "title", "nowhere"]) == [(13, 5), (3, 1), (2, 1)]


# ---- the validate API gives each issue its line ----

OUTAGE_PATH = Path(__file__).resolve().parents[3] / "shared" / "scenarios" / "checkout-outage.en.yaml"


@pytest.mark.django_db
def test_validate_gives_each_error_and_warning_its_line(cast):
    text = OUTAGE_PATH.read_text().replace("at: 30s", "at: soon")
    client = cast.client(cast.instructor)
    response = client.post("/api/scenarios/validate/", text.encode(), content_type="application/yaml")
    body = response.json()
    assert response.status_code == 200 and body["valid"] is False
    error = next(e for e in body["errors"] if e["path"] == "injects[0].at")
    assert error["line"] == text.splitlines().index("    at: soon") + 1
    assert error["column"] == len("    at: ") - len("at: ") + 1
    assert set(error) == {"path", "message", "line", "column"}
    assert all("line" in warning and "column" in warning for warning in body["warnings"])


@pytest.mark.django_db
def test_validate_locates_a_syntax_error_and_a_spec_given_as_text(cast):
    client = cast.client(cast.instructor)
    broken = "title: x\nbrand: {name: y\nduration: 5m\n"
    body = client.post("/api/scenarios/validate/", broken.encode(), content_type="application/yaml").json()
    assert body["errors"][0]["path"] == "" and body["errors"][0]["line"] >= 2
    text = OUTAGE_PATH.read_text().replace("severity: 3", "severity: 9")
    body = client.post("/api/scenarios/validate/", {"spec": text}, format="json").json()
    error = next(e for e in body["errors"] if e["path"] == "injects[0].severity")
    assert text.splitlines()[error["line"] - 1].strip() == "severity: 9"
