"""Scorecards over REST and as pages: who sees them, when they exist, the CSV, the comparison, notes."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from drills import services as drill_services
from drills.models import DebriefNote, DrillEvent
from scoring.csv_export import COLUMNS, REPLY_COLUMNS
from scoring.models import Scorecard
from scoring.services import MSG_NOT_FINISHED
from tests.factories import member
from tests.scoring.plays import finished_drill, lobby

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(cast):
    """A participant of the organization who is not seated in the drill."""
    return member("carol", cast.org, Role.PARTICIPANT)


def person(cast, carol, name):
    return carol if name == "carol" else getattr(cast, name)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


DRILL_URLS = {
    "json": "/api/drills/{drill}/scorecard/",
    "csv": "/api/drills/{drill}/scorecard.csv",
    "page": "/drills/{drill}/scorecard/",
}


@pytest.mark.parametrize("endpoint", DRILL_URLS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("instructor", 200),  # an instructor of the organization, not seated
        ("alice", 200),  # a seated participant
        ("olivia", 200),  # a seated observer
        ("carol", 404),  # a participant of the organization who is not seated
        ("rival", 404),  # another organization's instructor
    ],
)
def test_who_sees_a_scorecard(cast, carol, finished, endpoint, who, status):
    url = DRILL_URLS[endpoint].format(drill=finished.pk)
    user = person(cast, carol, who)
    client = page_client(user) if endpoint == "page" else cast.client(user)
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "status", "drills"),
    [
        ("instructor", 200, 1),
        ("alice", 200, 1),
        ("olivia", 200, 1),
        ("carol", 200, 0),  # may see the scenario's title, not drills she was not in
        ("rival", 404, 0),
    ],
)
def test_who_sees_the_comparison(cast, carol, outage, finished, who, status, drills):
    user = person(cast, carol, who)
    response = cast.client(user).get(f"/api/scenarios/{outage.scenario_id}/scorecards/")
    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == drills
    page = page_client(user).get(f"/scenarios/{outage.scenario_id}/progress/")
    assert page.status_code == status


@pytest.mark.parametrize("url", [*DRILL_URLS.values(), "/scenarios/1/progress/", "/api/scenarios/1/scorecards/"])
def test_signed_out_people_see_nothing(cast, url):
    response = Client().get(url.format(drill=1))
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("endpoint", ["json", "csv"])
def test_there_is_no_scorecard_until_the_drill_is_finished(cast, outage, wall, endpoint):
    drill = lobby(cast, outage)
    drill_services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    response = cast.client(cast.alice).get(DRILL_URLS[endpoint].format(drill=drill.pk))
    assert response.status_code == 409
    assert response.json()["detail"] == MSG_NOT_FINISHED and response.json()["status"] == "running"


def test_the_page_says_the_drill_is_not_finished_yet(cast, outage):
    drill = lobby(cast, outage)
    page = page_client(cast.alice).get(f"/drills/{drill.pk}/scorecard/")
    assert page.status_code == 200
    assert "not finished yet" in page.content.decode() and "<svg" not in page.content.decode()


def test_the_json_scorecard_follows_the_protocol(cast, finished):
    body = cast.client(cast.alice).get(f"/api/drills/{finished.pk}/scorecard/").json()
    assert body["drill"] == finished.pk and body["scenario"] == "Checkout outage on Black Friday"
    assert body["finished"] is True
    assert set(body["components"]) == {
        *("timeliness", "coverage", "approval_flow", "quality", "first_statement", "detection"),
    }
    for key in ("overall", "injects", "steps", "participants", "heat", "notes", "first_statement_s", "replies"):
        assert key in body
    assert {
        "id",
        "key",
        "severity",
        "needs_reply",
        "published_s",
        "first_draft_s",
        "reply_s",
        "deadline_s",
        "on_time",
        "flag_s",
        "flags",
        "signal",
    } <= set(body["injects"][0])
    assert {"flags", "false_flags"} <= set(body["participants"][0])


def test_the_cached_scorecard_is_reused_and_a_recompute_is_identical(cast, finished):
    client = cast.client(cast.instructor)
    url = f"/api/drills/{finished.pk}/scorecard/"
    first = client.get(url).json()
    computed_at = Scorecard.objects.get(drill=finished).computed_at
    assert client.get(url).json() == first
    assert Scorecard.objects.get(drill=finished).computed_at == computed_at  # not written again
    Scorecard.objects.all().delete()
    assert client.get(url).json() == first


def test_the_csv_has_one_row_per_inject_and_escapes_formulas(cast, finished):
    published = DrillEvent.objects.get(drill=finished, kind="response.published")
    drill_services.note_add(by=cast.instructor, drill=finished, event_seq=published.seq, text='=HYPERLINK("x")')
    response = cast.client(cast.alice).get(f"/api/drills/{finished.pk}/scorecard.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="drill-{finished.pk}-scorecard.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    injects = cast.client(cast.alice).get(f"/api/drills/{finished.pk}/scorecard/").json()["injects"]
    assert tuple(rows[0]) == COLUMNS + REPLY_COLUMNS and [r["key"] for r in rows] == [i["key"] for i in injects]
    assert rows[0]["notes"] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it


def test_the_csv_answers_a_client_that_asks_for_csv(cast, finished):
    response = cast.client(cast.alice).get(f"/api/drills/{finished.pk}/scorecard.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response.content.startswith(b"key,")


def test_the_comparison_lists_finished_drills_oldest_first(cast, outage, wall):
    finished_drill(cast, outage, wall, title="First try")
    wall.advance(seconds=3600)
    finished_drill(cast, outage, wall, title="Second try")
    rows = cast.client(cast.alice).get(f"/api/scenarios/{outage.scenario_id}/scorecards/").json()
    assert [row["title"] for row in rows] == ["First try", "Second try"]
    assert set(rows[0]) >= {"drill", "title", "finished_at", "overall", "components"}
    page = page_client(cast.alice).get(f"/scenarios/{outage.scenario_id}/progress/").content.decode()
    assert page.index("First try") < page.index("Second try") and "<svg" in page


def test_the_page_shows_scores_charts_replies_and_their_rubric(cast, finished):
    page = page_client(cast.olivia).get(f"/drills/{finished.pk}/scorecard/").content.decode()
    overall = cast.client(cast.olivia).get(f"/api/drills/{finished.pk}/scorecard/").json()["overall"]
    assert f"{overall:.1f}" in page
    assert page.count("<svg") >= 2 and 'class="chart chart-timeline"' in page
    assert "✓</span> apology" in page  # the rubric item found in the reply
    assert 'name="event_seq"' not in page  # only instructors write notes
    assert "<script>" not in page


@pytest.mark.parametrize("cached", [False, True])
def test_the_page_reads_the_log_once_with_its_scorecard(cast, finished, cached):
    client = page_client(cast.instructor)
    if cached:
        client.get(f"/drills/{finished.pk}/scorecard/")
    event = DrillEvent.objects.filter(drill=finished).first()
    DebriefNote.objects.create(drill=finished, event_seq=event.seq, text="Noted", author=cast.instructor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/drills/{finished.pk}/scorecard/").content.decode()
    log_reads = [q["sql"] for q in queries if 'FROM "drills_drillevent"' in q["sql"]]
    # Once shown, the page reads only the events its notes are about (scorecard_pages.log_view keeps the rest); the
    # first call also computes the card from the whole log and reads the part the page shows.
    assert len(log_reads) == (1 if cached else 3)
    assert "Noted" in page


def test_an_instructor_adds_a_note_from_the_page_and_it_shows_on_the_timeline(cast, finished):
    client = page_client(cast.instructor)
    event = DrillEvent.objects.get(drill=finished, kind="response.published")
    response = client.post(f"/drills/{finished.pk}/scorecard/notes/", {"event_seq": event.seq, "text": "<b>Slow</b>"})
    assert response.status_code == 302 and response["Location"].endswith("/scorecard/#notes")
    page = client.get(response["Location"]).content.decode()
    assert DebriefNote.objects.get(drill=finished).text == "<b>Slow</b>"
    assert "&lt;b&gt;Slow&lt;/b&gt;" in page and "<b>Slow</b>" not in page  # escaped in list and chart
    assert 'class="notes"' in page and "Note added." in page


@pytest.mark.parametrize(
    ("who", "form", "message"),
    [
        ("alice", {"event_seq": "1", "text": "Mine"}, "Only instructors may do this."),
        ("instructor", {"event_seq": "", "text": "No event"}, "Choose the event the note is about."),
        ("instructor", {"event_seq": "1", "text": "  "}, "Write the note"),
        ("instructor", {"event_seq": "99999", "text": "Far away"}, "No event with this seq in the drill."),
    ],
)
def test_a_note_that_cannot_be_added_is_explained_on_the_page(cast, finished, who, form, message):
    client = page_client(getattr(cast, who))
    page = client.post(f"/drills/{finished.pk}/scorecard/notes/", form, follow=True).content.decode()
    assert message in page
    assert not DebriefNote.objects.exists()


def test_nobody_outside_the_drill_can_post_a_note(cast, finished):
    response = page_client(cast.rival).post(f"/drills/{finished.pk}/scorecard/notes/", {"event_seq": 1, "text": "x"})
    assert response.status_code == 404 and not DebriefNote.objects.exists()


def test_the_schema_documents_the_scorecard_endpoints(cast):
    schema = cast.client(cast.instructor).get("/api/schema/").content.decode()
    for path in (
        "/api/drills/{drill_id}/scorecard/",
        "/api/drills/{drill_id}/scorecard.csv",
        "/api/scenarios/{scenario_id}/scorecards/",
    ):
        assert path in schema
