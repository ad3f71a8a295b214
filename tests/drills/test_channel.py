"""The team channel (`say` → `team.message`, GET messages/) and the inbox's read marks, over services and REST."""

import pytest

from config.errors import Conflict, Forbidden, Invalid
from config.limits import MSG_BAD_CHARACTERS
from drills import services
from drills.events import events_after
from drills.limits import MSG_MESSAGE_TOO_LONG, MSG_SUBJECT_TOO_LONG
from drills.models import InboxRead, TeamMessage
from drills.services.channel import MSG_CHANNEL_CLOSED, MSG_NOT_AN_EMAIL, MSG_NOT_IN_CHANNEL
from tests.factories import member

pytestmark = pytest.mark.django_db


def _user(cast, who):
    extra = {"carol": ("carol", "participant"), "ivan": ("ivan", "instructor")}
    if who in extra:
        return member(extra[who][0], cast.org, extra[who][1])
    return getattr(cast, who)


def _email(cast, drill, wall, text="Can you confirm the outage? We publish at noon."):
    return services.inject_manual(
        by=cast.instructor, drill=drill, platform="email", text=text, severity=3, persona="reporter", now=wall.now()
    )


# ---- say -------------------------------------------------------------------------------------------------

SAY_TABLE = [
    # who, outcome: alice holds a chain seat, olivia an observer seat, ivan is an instructor without a seat,
    # carol a participant without a seat, rival another organization's instructor.
    ("alice", "said"),
    ("bob", "said"),
    ("ivan", "said"),
    ("olivia", Forbidden),
    ("carol", Forbidden),
    ("rival", Forbidden),
]


@pytest.mark.parametrize(("who", "outcome"), SAY_TABLE)
def test_who_may_say(cast, running, wall, who, outcome):
    user = _user(cast, who)
    before = events_after(drill=running, after=0)[-1]["seq"]
    if outcome == "said":
        message = services.message_say(by=user, drill=running, text="Legal is on it @bob", now=wall.now())
        event = events_after(drill=running, after=before)[-1]
        assert event["kind"] == "team.message" and event["seq"] == message.event_seq
        assert event["data"] == {
            "id": message.pk,
            "by": user.pk,
            "by_name": user.shown_name,
            "text": "Legal is on it @bob",
        }
        assert event["sim_ms"] == message.sim_ms == 31_000
    else:
        with pytest.raises(outcome) as caught:
            services.message_say(by=user, drill=running, text="hello", now=wall.now())
        assert caught.value.message == MSG_NOT_IN_CHANNEL
        assert not TeamMessage.objects.exists() and events_after(drill=running, after=before) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field may not be blank."),
        ("   \n ", "This field may not be blank."),
        ("x" * 2001, MSG_MESSAGE_TOO_LONG),
        ("bell \x07", MSG_BAD_CHARACTERS),
        ("nul \x00", MSG_BAD_CHARACTERS),
        (None, "This field may not be null."),
        (["a list"], "Not a valid string."),
    ],
)
def test_a_bad_message_is_refused_with_its_path_and_nothing_is_written(cast, running, wall, text, message):
    seq = events_after(drill=running, after=0)[-1]["seq"]
    with pytest.raises(Invalid) as caught:
        services.message_say(by=cast.alice, drill=running, text=text, now=wall.now())
    assert {e["path"] for e in caught.value.errors} == {"text"}
    assert message in [e["message"] for e in caught.value.errors]
    assert not TeamMessage.objects.exists() and events_after(drill=running, after=seq) == []


def test_a_message_of_2000_characters_with_newlines_and_tabs_is_kept_whole(cast, running, wall):
    text = ("line\tone\n" * 250)[:1999] + "!"
    assert len(text) == 2000
    message = services.message_say(by=cast.alice, drill=running, text=text, now=wall.now())
    assert TeamMessage.objects.get().text == message.text == text


def test_the_channel_closes_with_the_drill(cast, running, wall):
    services.drill_finish(by=cast.instructor, drill=running, now=wall.now())
    with pytest.raises(Conflict) as caught:
        services.message_say(by=cast.alice, drill=running, text="too late", now=wall.now())
    assert caught.value.message == MSG_CHANNEL_CLOSED and not TeamMessage.objects.exists()


def test_the_team_talks_while_the_drill_is_paused(cast, running, wall):
    services.drill_pause(by=cast.instructor, drill=running, now=wall.now())
    message = services.message_say(by=cast.bob, drill=running, text="While we wait: draft ready?", now=wall.now())
    assert message.sim_ms == 31_000


# ---- messages REST ---------------------------------------------------------------------------------------

ROLES = ["anonymous", "instructor", "alice", "olivia", "carol", "rival"]
REST_TABLE = [
    ("get", "messages/", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    ("get", "inbox/", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    (
        "post",
        "inbox/read/",
        {"inject": 0},
        {"instructor": 400, "alice": 400, "olivia": 400, "carol": 404, "rival": 404},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [(m, p, b, r, {"anonymous": 401, **statuses}[r]) for m, p, b, statuses in REST_TABLE for r in ROLES],
)
def test_permission_table(cast, drill, method, path, body, role, expected):
    user = None if role == "anonymous" else _user(cast, role)
    client = cast.client(user)
    url = f"/api/drills/{drill.pk}/{path}"
    response = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert response.status_code == expected, response.content


def test_the_messages_list_gives_the_channel_in_order(cast, running, wall):
    first = services.message_say(by=cast.alice, drill=running, text="Drafting now", now=wall.now())
    wall.advance(seconds=10)
    second = services.message_say(by=cast.instructor, drill=running, text="@alice 2 minutes", now=wall.now())
    response = cast.client(cast.olivia).get(f"/api/drills/{running.pk}/messages/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": first.pk, "by": cast.alice.pk, "text": "Drafting now", "sim_ms": 31_000},
        {"id": second.pk, "by": cast.instructor.pk, "text": "@alice 2 minutes", "sim_ms": 41_000},
    ]


# ---- inbox read marks ------------------------------------------------------------------------------------


def test_read_marks_are_kept_per_user(cast, running, wall):
    email = _email(cast, running, wall)
    alice, bob = cast.client(cast.alice), cast.client(cast.bob)
    url = f"/api/drills/{running.pk}/inbox/"
    assert alice.get(url).json() == {"read": []}
    response = alice.post(url + "read/", {"inject": email.pk}, format="json")
    assert response.status_code == 200 and response.json() == {"read": [email.pk]}
    again = alice.post(url + "read/", {"inject": email.pk}, format="json")  # a second device marks it again
    assert again.json() == {"read": [email.pk]} and InboxRead.objects.count() == 1
    assert alice.get(url).json() == {"read": [email.pk]}
    assert bob.get(url).json() == {"read": []}


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({}, "inject", "This field is required."),
        ({"inject": "x"}, "inject", None),
        ({"inject": 2**64}, "inject", None),
        ({"inject": "FIRST_POST"}, "inject", MSG_NOT_AN_EMAIL),
        ({"inject": 999_999}, "inject", MSG_NOT_AN_EMAIL),
        ({"inject": "EMAIL", "extra": 1}, "extra", None),
    ],
)
def test_a_bad_read_mark_is_a_400_with_the_path_and_nothing_is_written(cast, running, wall, body, path, message):
    email = _email(cast, running, wall)
    first_post = running.injects.exclude(platform="email").first()
    named = {"FIRST_POST": first_post.pk, "EMAIL": email.pk}
    body = {key: named.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    response = cast.client(cast.alice).post(f"/api/drills/{running.pk}/inbox/read/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == [path]
    if message:
        assert errors[0]["message"] == message
    assert not InboxRead.objects.exists()


def test_another_drills_email_cannot_be_marked(cast, running, outage, wall):
    email = _email(cast, running, wall)
    other = services.drill_create(
        by=cast.instructor, scenario=outage.scenario_id, seats=[{"user": cast.alice.id, "role": "drafter"}]
    )
    response = cast.client(cast.alice).post(f"/api/drills/{other.pk}/inbox/read/", {"inject": email.pk}, format="json")
    assert response.status_code == 400 and not InboxRead.objects.exists()


# ---- subject on drafts -----------------------------------------------------------------------------------


def test_a_reply_to_an_email_keeps_its_subject_round_trip(cast, running, wall):
    email = _email(cast, running, wall)
    client = cast.client(cast.alice)
    body = {"reply_to": [email.pk], "text": "We confirm a payment outage.", "subject": "Re: Checkout failures"}
    response = client.post(f"/api/drills/{running.pk}/responses/", body, format="json")
    assert response.status_code == 201 and response.json()["subject"] == "Re: Checkout failures"
    rid = response.json()["id"]
    assert client.get(f"/api/drills/{running.pk}/responses/{rid}/").json()["subject"] == "Re: Checkout failures"
    drafted = [e for e in events_after(drill=running, after=0) if e["kind"] == "response.drafted"][-1]
    assert drafted["data"]["subject"] == "Re: Checkout failures"


@pytest.mark.parametrize(
    ("subject", "message"),
    [("x" * 201, MSG_SUBJECT_TOO_LONG), ("Re:\nline", MSG_BAD_CHARACTERS), (["Re:"], "Not a valid string.")],
)
def test_a_bad_subject_is_a_400_with_the_path_and_nothing_is_written(cast, running, wall, subject, message):
    email = _email(cast, running, wall)
    body = {"reply_to": [email.pk], "text": "Answer", "subject": subject}
    response = cast.client(cast.alice).post(f"/api/drills/{running.pk}/responses/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "subject", "message": message}]
    assert not running.responses.exists()
