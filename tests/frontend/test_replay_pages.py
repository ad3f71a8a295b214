"""The replay page of a finished drill: who may open it, what it says before the end, its links, languages."""

import html

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from tests.factories import member
from tests.scoring.plays import finished_drill, lobby

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(cast, outage, wall):
    return finished_drill(cast, outage, wall, title="Friday rehearsal")


@pytest.fixture
def running(cast, outage):
    return lobby(cast, outage, title="Monday rehearsal")


def visitor(cast, who):
    if who == "carol":  # in the organization, seated nowhere
        return member("carol", cast.org, Role.PARTICIPANT)
    return getattr(cast, who)


def get(user, path: str, language: str = "en"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    return response, html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("who", "finished_status", "lobby_status"),
    [
        ("instructor", 200, 200),
        ("alice", 200, 200),  # seated participant
        ("olivia", 200, 200),  # observer seat
        ("carol", 404, 404),  # unseated member
        ("rival", 404, 404),  # another organization's instructor
    ],
)
def test_the_replay_opens_for_the_drills_instructors_and_seats_only(
    cast, done, running, who, finished_status, lobby_status
):
    user = visitor(cast, who)
    response, shown = get(user, f"/drills/{done.pk}/replay/")
    assert response.status_code == finished_status
    assert ("data-scrubber" in shown) == (finished_status == 200)
    response, shown = get(user, f"/drills/{running.pk}/replay/")
    assert response.status_code == lobby_status
    if lobby_status == 404:
        assert "Monday rehearsal" not in shown and "Friday rehearsal" not in shown


def test_anonymous_visitors_are_sent_to_sign_in(done):
    response = Client().get(f"/drills/{done.pk}/replay/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_drill_not_finished_gets_a_page_saying_so(cast, running):
    response, shown = get(cast.alice, f"/drills/{running.pk}/replay/")
    assert response.status_code == 200
    assert "not finished yet: its replay opens as soon as the instructor ends it" in shown
    assert "data-scrubber" not in shown and f'href="/drills/{running.pk}/"' in shown


def test_the_page_is_a_module_under_the_strict_csp_with_the_read_only_panels(cast, done):
    response, shown = get(cast.alice, f"/drills/{done.pk}/replay/")
    assert 'type="module" src="/static/frontend/js/drill-replay.js"' in shown
    assert "<script>" not in shown and " onclick=" not in shown
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    for panel in ("data-feed", "data-queue", "data-channel", "data-heat", "data-marks", "data-play"):
        assert panel in shown
    for action in ("data-composer", "data-console", "data-mine"):
        assert action not in shown


def test_the_scorecard_and_the_list_link_finished_drills_to_their_replay(cast, done, running):
    assert f'href="/drills/{done.pk}/replay/"' in get(cast.alice, f"/drills/{done.pk}/scorecard/")[1]
    listed = get(cast.instructor, "/drills/")[1]
    assert f'href="/drills/{done.pk}/replay/"' in listed
    assert f'href="/drills/{running.pk}/replay/"' not in listed


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [("en", "ltr", "Team channel"), ("he", "rtl", "ערוץ הצוות"), ("fr", "ltr", "Canal de l'équipe")],
)
def test_the_page_speaks_the_chosen_language_in_its_direction(cast, done, language, direction, words):
    shown = get(cast.instructor, f"/drills/{done.pk}/replay/", language)[1]
    assert f'<html lang="{language}" dir="{direction}">' in shown
    assert words in shown
