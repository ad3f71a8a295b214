"""Observations over REST (PROTOCOL.md 1.6 and section 2): who may record, read, change and remove them."""

import pytest

from drills import services as drill_services
from evaluation.limits import MSG_EVALUATORS_ONLY, MSG_NOT_YOURS, MSG_OBSERVATION_TOO_LONG, MSG_UNKNOWN_TASK
from evaluation.models import Observation
from evaluation.services import observation_create

pytestmark = pytest.mark.django_db

WHO = {
    "participant": lambda cast: cast.alice,
    "observer": lambda cast: cast.olivia,
    "instructor": lambda cast: cast.instructor,
    "other organization": lambda cast: cast.rival,
}


def url(drill, oid=None):
    return f"/api/drills/{drill.pk}/observations/" + (f"{oid}/" if oid else "")


def finish(cast, drill, wall):
    wall.advance(seconds=5)
    drill_services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())


@pytest.mark.parametrize(
    ("who", "expected"),
    [("participant", 403), ("observer", 201), ("instructor", 201), ("other organization", 404)],
)
def test_who_may_observe(cast, running, who, expected):
    body = {"text": "Quick acknowledgement", "task": "acknowledge", "rating": "P", "event_seq": 1}
    response = cast.client(WHO[who](cast)).post(url(running), body, format="json")

    assert response.status_code == expected, response.json()
    assert Observation.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        got = response.json()
        assert {k: got[k] for k in ("by", "text", "task", "rating", "event_seq")} == {
            "by": WHO[who](cast).pk,
            **body,
        }
        assert got["sim_ms"] >= 31_000
    elif expected == 403:
        assert response.json()["detail"] == MSG_EVALUATORS_ONLY


@pytest.mark.parametrize(
    ("who", "while_running", "after_the_end"),
    [
        ("participant", 404, 200),
        ("observer", 200, 200),
        ("instructor", 200, 200),
        ("other organization", 404, 404),
    ],
)
def test_who_may_read_before_and_after_the_end(cast, running, wall, who, while_running, after_the_end):
    observation_create(by=cast.olivia, drill=running, text="Slow to start", rating="S")
    client = cast.client(WHO[who](cast))

    before = client.get(url(running))
    finish(cast, running, wall)
    after = client.get(url(running))

    assert (before.status_code, after.status_code) == (while_running, after_the_end)
    if after_the_end == 200:
        assert [o["text"] for o in after.json()] == ["Slow to start"]


@pytest.mark.parametrize(
    ("who", "author", "expected"),
    [
        ("observer", "observer", 200),
        ("instructor", "instructor", 200),
        ("instructor", "observer", 403),
        ("observer", "instructor", 403),
        ("participant", "observer", 403),
        ("other organization", "observer", 404),
    ],
)
def test_only_the_author_edits(cast, running, who, author, expected):
    observation = observation_create(by=WHO[author](cast), drill=running, text="First thought")

    response = cast.client(WHO[who](cast)).patch(
        url(running, observation.pk), {"text": "Second thought", "rating": "M"}, format="json"
    )

    assert response.status_code == expected
    observation.refresh_from_db()
    assert (observation.text, observation.rating) == (
        ("Second thought", "M") if expected == 200 else ("First thought", None)
    )
    if who == "instructor" and expected == 403:
        assert response.json()["detail"] == MSG_NOT_YOURS


@pytest.mark.parametrize(
    ("who", "author", "expected"),
    [
        ("observer", "observer", 204),
        ("instructor", "observer", 403),
        ("participant", "observer", 403),
        ("other organization", "observer", 404),
    ],
)
def test_only_the_author_deletes(cast, running, who, author, expected):
    observation = observation_create(by=WHO[author](cast), drill=running, text="Noted")

    response = cast.client(WHO[who](cast)).delete(url(running, observation.pk))

    assert response.status_code == expected
    assert Observation.objects.filter(pk=observation.pk).exists() == (expected != 204)


def test_an_edit_keeps_what_it_does_not_name(cast, running):
    observation = observation_create(by=cast.olivia, drill=running, text="Noted", task="acknowledge", rating="P")

    response = cast.client(cast.olivia).patch(url(running, observation.pk), {"rating": None}, format="json")

    assert response.status_code == 200
    assert (response.json()["text"], response.json()["task"], response.json()["rating"]) == (
        "Noted",
        "acknowledge",
        None,
    )


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"text": "x", "rating": "X"}, "rating", None),
        ({"text": "x", "rating": "p"}, "rating", None),
        ({"text": "x", "task": "nope"}, "task", MSG_UNKNOWN_TASK),
        ({"text": "x", "event_seq": 999}, "event_seq", None),
        ({"text": "x", "event_seq": 0}, "event_seq", None),
        ({"text": "x" * 2001}, "text", MSG_OBSERVATION_TOO_LONG),
        ({"text": ""}, "text", None),
        ({"text": "bell\x07"}, "text", None),
        ({}, "text", None),
        ({"text": "x", "extra": 1}, "extra", None),
    ],
)
def test_bad_input_is_a_400_with_the_path_and_nothing_is_written(cast, running, body, path, message):
    response = cast.client(cast.olivia).post(url(running), body, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert path in [e["path"] for e in errors]
    if message:
        assert message in [e["message"] for e in errors]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"rating": "Z"}, "rating"),
        ({"task": "nope"}, "task"),
        ({"event_seq": 999}, "event_seq"),
        ({"text": ""}, "text"),
    ],
)
def test_a_bad_edit_is_a_400_and_changes_nothing(cast, running, body, path):
    observation = observation_create(by=cast.olivia, drill=running, text="Noted", rating="P")

    response = cast.client(cast.olivia).patch(url(running, observation.pk), body, format="json")

    assert response.status_code == 400 and path in [e["path"] for e in response.json()["errors"]]
    observation.refresh_from_db()
    assert (observation.text, observation.rating, observation.task) == ("Noted", "P", None)


def test_an_observation_can_note_the_last_event_and_the_text_may_be_2000_characters(cast, running):
    body = {"text": "x" * 2000, "event_seq": running.seq}

    assert cast.client(cast.olivia).post(url(running), body, format="json").status_code == 201


def test_an_observation_is_stamped_with_the_drills_simulated_time(cast, running, wall):
    wall.advance(seconds=9)

    assert observation_create(by=cast.olivia, drill=running, text="Noted", now=wall.now()).sim_ms == 40_000


def test_observations_are_never_drill_events(cast, running):
    seq = running.seq
    observation_create(by=cast.olivia, drill=running, text="Noted", rating="U")

    running.refresh_from_db()
    assert running.seq == seq
    events = cast.client(cast.alice).get(f"/api/drills/{running.pk}/events/?after=0").json()["events"]
    assert "Noted" not in str(events)


def test_observations_are_rate_limited_through_the_action_gate(cast, running, settings):
    settings.DRILL_ACTIONS_PER_MINUTE = 2
    client = cast.client(cast.olivia)
    statuses = [client.post(url(running), {"text": f"n{i}"}, format="json").status_code for i in range(3)]

    assert statuses == [201, 201, 429]
    assert Observation.objects.count() == 2


def test_the_finished_scorecard_counts_ratings_per_task_and_lists_the_observations(cast, running, wall):
    observation_create(by=cast.olivia, drill=running, text="Fast", task="acknowledge", rating="P")
    observation_create(by=cast.instructor, drill=running, text="Hesitant", task="acknowledge", rating="S")
    observation_create(by=cast.olivia, drill=running, text="General remark")
    finish(cast, running, wall)

    card = cast.client(cast.alice).get(f"/api/drills/{running.pk}/scorecard/").json()

    assert [(row["key"], row["ratings"], row["observations"]) for row in card["evaluation"]] == [
        ("acknowledge", {"P": 1, "S": 1, "M": 0, "U": 0}, 2),
        ("legal-check", {"P": 0, "S": 0, "M": 0, "U": 0}, 0),
    ]
    assert [o["text"] for o in card["observations"]] == ["Fast", "Hesitant", "General remark"]

    observation_create(by=cast.olivia, drill=running, text="After the end", task="legal-check", rating="U")
    card = cast.client(cast.alice).get(f"/api/drills/{running.pk}/scorecard/").json()
    assert card["evaluation"][1]["ratings"]["U"] == 1


@pytest.mark.parametrize("language", ["en", "he", "fr"])
def test_the_scorecard_page_shows_the_ratings_per_task_and_the_observations(cast, running, wall, language):
    from django.test import Client

    observation_create(by=cast.olivia, drill=running, text="Fast <b>and</b> clear", task="acknowledge", rating="P")
    observation_create(by=cast.olivia, drill=running, text="Legal skipped", task="legal-check", rating="U")
    finish(cast, running, wall)
    client = Client(headers={"accept-language": language})
    client.force_login(cast.alice)

    page = client.get(f"/drills/{running.pk}/scorecard/").content.decode()

    section = page[page.index('id="evaluation"') : page.index('id="notes"')]
    assert 'data-task="acknowledge"' in section and "Acknowledge the outage within 15 minutes" in section
    assert section.count('<td class="num">1</td>') >= 2  # one P for acknowledge, one U for legal-check
    assert "Fast &lt;b&gt;and&lt;/b&gt; clear" in section and "Legal skipped" in section
    assert f'lang="{language}"' in page
