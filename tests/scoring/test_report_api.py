"""The after-action report over REST and as a PDF: who reads and writes it, when, the draft, bad input."""

import re
import subprocess

import pytest
from django.test import Client

from accounts.models import Role
from config.api_base import MSG_UNKNOWN_FIELD
from config.limits import MSG_BAD_CHARACTERS
from scoring import report as rules
from scoring.models import Report
from scoring.reports import MSG_REPORT_NOT_FINISHED
from tests.factories import member
from tests.scoring.plays import finished_drill, lobby

pytestmark = pytest.mark.django_db

ROW = {"text": "Pre-approve a holding statement", "owner": "bob", "due": "2027-01-15", "status": "in_progress"}
DOCUMENT = {"summary": "We were slow at legal.", "strengths": ["Fast first reply"], "improvements": [ROW]}


@pytest.fixture
def carol(cast):
    """A participant of the organization who is not seated in the drill."""
    return member("carol", cast.org, Role.PARTICIPANT)


def person(cast, carol, name):
    return carol if name == "carol" else getattr(cast, name)


def url(drill, suffix="report/"):
    return f"/api/drills/{drill.pk}/{suffix}"


@pytest.mark.parametrize(
    ("who", "finished_read", "finished_write", "running_read", "running_write"),
    [
        ("instructor", 200, 200, 409, 409),
        ("alice", 200, 403, 409, 403),  # a seated participant reads, never writes
        ("olivia", 200, 403, 409, 403),  # a seated observer likewise
        ("carol", 404, 404, 404, 404),  # a participant who is not seated
        ("rival", 404, 404, 404, 404),  # another organization
    ],
)
def test_who_reads_and_writes_the_report(
    cast, carol, outage, wall, who, finished_read, finished_write, running_read, running_write
):
    from drills import services as drill_services

    user = cast.client(person(cast, carol, who))
    running = lobby(cast, outage)
    drill_services.drill_start(by=cast.instructor, drill=running, now=wall.now())
    assert user.get(url(running)).status_code == running_read
    assert user.put(url(running), DOCUMENT, format="json").status_code == running_write
    finished = finished_drill(cast, outage, wall)
    assert user.get(url(finished)).status_code == finished_read
    assert user.put(url(finished), DOCUMENT, format="json").status_code == finished_write
    assert user.get(url(finished, "report.pdf")).status_code == finished_read
    assert Report.objects.filter(drill=finished, summary=DOCUMENT["summary"]).exists() == (finished_write == 200)


def test_a_running_drill_has_no_report_yet(cast, outage):
    drill = lobby(cast, outage)
    response = cast.client(cast.alice).get(url(drill))
    assert response.status_code == 409
    assert response.json()["detail"] == MSG_REPORT_NOT_FINISHED


def test_the_first_read_drafts_the_report_from_the_scorecard(cast, finished):
    report = cast.client(cast.alice).get(url(finished)).json()
    assert set(report) == {"summary", "strengths", "improvements", "updated_at"}
    assert report["summary"].startswith("Overall score: ")
    # The only reply waited 200 s at legal, whose SLA is 3 minutes.
    assert any(row["text"].startswith("Step 2 (legal) stalled") for row in report["improvements"])
    assert all(
        row | {"text": ""} == {"text": "", "owner": "", "due": None, "status": "open"} for row in report["improvements"]
    )
    assert cast.client(cast.instructor).get(url(finished)).json() == report  # stored once, read again


def test_an_instructor_replaces_the_whole_report(cast, finished):
    response = cast.client(cast.instructor).put(url(finished), DOCUMENT, format="json")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in DOCUMENT} == DOCUMENT
    assert cast.client(cast.alice).get(url(finished)).json() == body


def hebrew_drill(cast, recall, wall):
    from drills import services as drill_services

    drill = drill_services.drill_create(
        by=cast.instructor, scenario=recall.scenario_id, seats=[{"user": cast.alice.id, "role": "drafter"}], bots=[]
    )
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=60)
    drill_services.drill_advance(drill_id=drill.pk, now=wall.now())
    drill_services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())
    return drill


def test_a_hebrew_drill_is_drafted_in_hebrew(cast, recall, wall):
    drill = hebrew_drill(cast, recall, wall)
    report = cast.client(cast.alice).get(url(drill), HTTP_ACCEPT_LANGUAGE="en").json()
    assert report["summary"].startswith("ציון כולל")


def many(count):
    return [ROW] * count


BAD_INPUT = [
    ({**DOCUMENT, "improvements": many(rules.MAX_IMPROVEMENTS + 1)}, "improvements", rules.MSG_TOO_MANY_IMPROVEMENTS),
    ({**DOCUMENT, "improvements": [{**ROW, "due": "next week"}]}, "improvements[0].due", rules.MSG_BAD_DUE),
    ({**DOCUMENT, "improvements": [ROW, {**ROW, "due": "2027-02-30"}]}, "improvements[1].due", rules.MSG_BAD_DUE),
    ({**DOCUMENT, "improvements": [{**ROW, "status": "in progress"}]}, "improvements[0].status", rules.MSG_BAD_STATUS),
    ({**DOCUMENT, "improvements": [{**ROW, "priority": 1}]}, "improvements[0].priority", MSG_UNKNOWN_FIELD),
    ({**DOCUMENT, "improvements": [{**ROW, "owner": "b\x07ob"}]}, "improvements[0].owner", MSG_BAD_CHARACTERS),
    ({**DOCUMENT, "improvements": [{**ROW, "text": "x" * 1001}]}, "improvements[0].text", rules.MSG_ITEM_TOO_LONG),
    ({**DOCUMENT, "summary": "x" * 5001}, "summary", rules.MSG_SUMMARY_TOO_LONG),
    ({**DOCUMENT, "summary": "bad\x00"}, "summary", MSG_BAD_CHARACTERS),
    ({**DOCUMENT, "strengths": ["ok", "x" * 1001]}, "strengths[1]", rules.MSG_ITEM_TOO_LONG),
    ({**DOCUMENT, "strengths": ["ok"] * 101}, "strengths", rules.MSG_TOO_MANY_STRENGTHS),
    ({**DOCUMENT, "updated_at": "2027-01-01T00:00:00Z"}, "updated_at", MSG_UNKNOWN_FIELD),
]


@pytest.mark.parametrize(("body", "path", "message"), BAD_INPUT, ids=[case[1] for case in BAD_INPUT])
def test_bad_input_is_refused_with_its_path_and_nothing_is_written(cast, finished, body, path, message):
    client = cast.client(cast.instructor)
    before = client.get(url(finished)).json()
    response = client.put(url(finished), body, format="json")
    assert response.status_code == 400
    assert {"path": path, "message": message} in response.json()["errors"]
    assert client.get(url(finished)).json() == before


def test_every_key_is_required(cast, finished):
    response = cast.client(cast.instructor).put(url(finished), {"summary": ""}, format="json")
    assert response.status_code == 400
    assert {error["path"] for error in response.json()["errors"]} == {"strengths", "improvements"}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_the_pdf_holds_the_report_and_the_drill_title(cast, finished):
    cast.client(cast.instructor).put(url(finished), DOCUMENT, format="json")
    response = cast.client(cast.alice).get(url(finished, "report.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert text.count(finished.title) >= 2  # the heading, and the top of every page
    for words in ("We were slow at legal.", "Pre-approve a holding statement", "2027-01-15", "in progress"):
        assert words in text
    assert re.search(r"\b1 ?/ ?[1-9]", text)  # page numbers


def test_the_pdf_waits_for_the_end_of_the_drill(cast, outage):
    response = cast.client(cast.instructor).get(url(lobby(cast, outage), "report.pdf"))
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("who", "status", "editable"),
    [
        ("instructor", 200, True),
        ("alice", 200, False),
        ("olivia", 200, False),
        ("carol", 404, False),
        ("rival", 404, False),
    ],
)
def test_who_sees_the_report_page(cast, carol, finished, who, status, editable):
    client = Client()
    client.force_login(person(cast, carol, who))
    response = client.get(f"/drills/{finished.pk}/report/")
    assert response.status_code == status
    assert (b"data-report-form" in response.content) == editable


def test_the_report_page_of_a_running_drill_says_it_is_not_finished(cast, outage):
    client = Client()
    client.force_login(cast.alice)
    response = client.get(f"/drills/{lobby(cast, outage).pk}/report/")
    assert response.status_code == 200
    assert b"data-not-finished" in response.content
    assert not Report.objects.exists()


def test_a_hebrew_reader_gets_a_hebrew_pdf_with_hebrew_text(cast, recall, wall):
    drill = hebrew_drill(cast, recall, wall)
    response = cast.client(cast.alice).get(url(drill, "report.pdf"), HTTP_ACCEPT_LANGUAGE="he")
    text = pdf_text(response.content)
    assert text.count(drill.title) >= 2  # Hebrew glyphs, extracted as the letters they are
    assert "דוח הפקת לקחים" in text
    assert "ציון כולל" in text


def test_observers_ratings_reach_the_draft_and_the_pdf(cast, finished, monkeypatch):
    """The scorecard's `evaluation` (observers' ratings per task, read fresh with each scorecard) reaches the report."""
    from scoring import services as scoring_services

    task = {"key": "ack", "task": "Acknowledge the outage", "capability": "Public information"}
    rows = [{**task, "ratings": {"P": 0, "S": 1, "M": 2, "U": 0}, "observations": 3}]
    note = {"id": 1, "by": cast.olivia.pk, "by_name": "Olivia", "text": "The holding line came late", "task": "ack"}
    note |= {"rating": "M", "event_seq": None, "sim_ms": 95_000, "created_at": "2026-12-04T12:00:00Z"}
    found = {"evaluation": rows, "observations": [note]}
    monkeypatch.setattr(scoring_services, "evaluation_of", lambda drill: found)
    client = cast.client(cast.instructor)
    improvements = [item["text"] for item in client.get(url(finished)).json()["improvements"]]
    assert "Task “Acknowledge the outage”: rated M (major challenges) 2 times, U (unable to be performed) 0 times." in (
        improvements
    )
    text = pdf_text(client.get(url(finished, "report.pdf")).content)
    assert "Acknowledge the outage" in text
    assert "Public information" in text
    assert "The holding line came late" in text and "1:35" in text  # the observation itself, at its moment
