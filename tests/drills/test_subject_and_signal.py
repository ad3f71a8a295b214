"""E-mails carry their subject when published, by the engine or by hand; a signal (PROTOCOL section 1.3) stays in the
plan: no channel a participant reads during the drill ever carries `signal`, only the instructors' hello names them."""

import json

import pytest
from channels.db import database_sync_to_async

from drills import services
from drills.limits import MSG_SUBJECT_TOO_LONG
from drills.models import DrillEvent
from scenarios.validation import MSG_SUBJECT_NOT_EMAIL
from tests.conftest import SHARED_SCENARIOS
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of

SUBJECT = "Request for comment: {brand.name} checkout failures"


@pytest.fixture
def signalled(cast):
    """The checkout outage with its first complaint (at 30 s) marked as a signal and a subject on the reporter's
    e-mail (at 9 m), published in the cast's organization."""
    from scenarios.services import document_load, scenario_create, scenario_publish

    document = document_load(text=(SHARED_SCENARIOS / "checkout-outage.en.yaml").read_bytes())
    document["injects"][0]["signal"] = True
    document["injects"][2]["subject"] = SUBJECT
    scenario = scenario_create(by=cast.instructor, document=document)
    return scenario_publish(by=cast.instructor, scenario=scenario)[0]


@pytest.fixture
def ten_minutes_in(cast, signalled, wall):
    """A drill of `signalled` run to 10 minutes: the signal, the burst and the e-mail are in the log."""
    drill = services.drill_create(
        by=cast.instructor,
        scenario=signalled.scenario_id,
        seats=[
            {"user": cast.alice.id, "role": "drafter"},
            {"user": cast.bob.id, "role": "reviewer"},
            {"user": cast.bob.id, "role": "legal"},
            {"user": cast.instructor.id, "role": "spokesperson"},
            {"user": cast.olivia.id, "role": "observer"},
        ],
    )
    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=600)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    return drill


def published(drill) -> dict[str, dict]:
    events = DrillEvent.objects.filter(drill=drill, kind="inject.published").order_by("seq")
    return {e.data["key"]: e.data for e in events if e.data["burst_index"] is None}


def keys_in(value) -> set[str]:
    """Every mapping key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_in(v) for v in value))
    return set()


@pytest.mark.django_db
def test_the_engine_publishes_the_emails_subject_and_never_the_signal(ten_minutes_in):
    logged = published(ten_minutes_in)

    assert logged["reporter-email"]["subject"] == "Request for comment: ShopLine checkout failures"
    assert "subject" not in logged["first-complaint"]
    assert "signal" not in keys_in([e.data for e in DrillEvent.objects.filter(drill=ten_minutes_in)])


MANUAL = [
    ({"platform": "email", "subject": "Statement request"}, 201, "Statement request"),
    ({"platform": "email"}, 201, "Breaking: the CEO resigns after the outage, sources"),
    ({"platform": "news", "subject": "Statement request"}, 400, "subject"),
    ({"platform": "email", "subject": "x" * 201}, 400, "subject"),
    ({"platform": "email", "subject": "two\nlines"}, 400, "subject"),
    ({"platform": "email", "subject": ""}, 400, "subject"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "status", "expected"), MANUAL)
def test_a_manual_email_takes_a_subject(cast, running, fields, status, expected):
    body = {"text": "Breaking: the CEO resigns after the outage, sources say. Comment?", "severity": 3, **fields}
    before = DrillEvent.objects.filter(drill=running).count()

    response = cast.client(cast.instructor).post(f"/api/drills/{running.pk}/injects/", body, format="json")

    assert response.status_code == status, response.content
    if status == 201:
        assert published(running)[response.json()["key"]]["subject"] == expected
    else:
        assert [e["path"] for e in response.json()["errors"]] == [expected]
        assert DrillEvent.objects.filter(drill=running).count() == before


@pytest.mark.django_db
def test_a_manual_subject_is_refused_with_the_reason(cast, running):
    url = f"/api/drills/{running.pk}/injects/"
    client = cast.client(cast.instructor)
    body = {"text": "Breaking", "severity": 3, "subject": "Hello"}

    not_email = client.post(url, {**body, "platform": "x"}, format="json").json()["errors"]
    too_long = client.post(url, {**body, "platform": "email", "subject": "x" * 201}, format="json").json()["errors"]

    assert [e["message"] for e in not_email + too_long] == [MSG_SUBJECT_NOT_EMAIL, MSG_SUBJECT_TOO_LONG]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "olivia"])
def test_a_participants_rest_reads_and_room_page_never_carry_signal(cast, ten_minutes_in, who):
    client = cast.client(getattr(cast, who))
    client.force_login(getattr(cast, who))  # the room is a page: a session, not a token
    drill_id = ten_minutes_in.pk

    events = client.get(f"/api/drills/{drill_id}/events/?after=0").json()["events"]
    room = client.get(f"/drills/{drill_id}/")
    scorecard = client.get(f"/api/drills/{drill_id}/scorecard/")
    scorecard_page = client.get(f"/drills/{drill_id}/scorecard/")

    assert any(e["data"].get("key") == "first-complaint" for e in events)  # the signal post itself is there
    assert "signal" not in keys_in(events)
    assert "signal" not in keys_in(client.get(f"/api/drills/{drill_id}/").json())
    assert room.status_code == 200 and b"signal" not in room.content.lower()
    assert scorecard.status_code == 409 and "signal" not in keys_in(scorecard.json())
    assert b"signal" not in scorecard_page.content.lower()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["alice", "olivia"])
async def test_a_participants_socket_never_carries_signal_the_instructors_hello_names_them(cast, ten_minutes_in, who):
    participant = await connect(ten_minutes_in, getattr(cast, who))
    instructor = await connect(ten_minutes_in, cast.instructor)
    try:
        hello = await hello_of(participant)
        await participant.send_json_to({"action": "replay", "after": 0, "ref": "r"})
        frames = [hello, *await frames_until_ack(participant, "r"), *await drain(participant)]
        instructor_hello = await hello_of(instructor)
    finally:
        await participant.disconnect()
        await instructor.disconnect()

    assert any(f.get("data", {}).get("key") == "first-complaint" for f in frames)
    assert "signal" not in keys_in(frames) and "signals" not in json.dumps(frames)
    assert instructor_hello["you"]["signals"] == ["first-complaint"]


@pytest.mark.django_db(transaction=True)
async def test_a_manual_email_over_the_socket_takes_a_subject(cast, running):
    instructor = await connect(running, cast.instructor)
    try:
        await hello_of(instructor)
        frame = {"action": "inject", "platform": "email", "text": "Comment?", "severity": 2, "subject": "Deadline"}
        await instructor.send_json_to({**frame, "ref": "i"})
        ack = (await frames_until_ack(instructor, "i"))[-1]
        await instructor.send_json_to({**frame, "platform": "x", "ref": "j"})
        refused = (await frames_until_ack(instructor, "j"))[-1]
    finally:
        await instructor.disconnect()

    logged = await database_sync_to_async(published)(running)
    assert logged[ack["result"]["inject"]["key"]]["subject"] == "Deadline"
    assert refused["type"] == "error" and refused["code"] == "invalid"


@pytest.mark.django_db
def test_the_instructors_preview_shows_subjects_and_signals(cast, signalled):
    url = f"/api/scenarios/{signalled.scenario_id}/preview/"

    body = cast.client(cast.instructor).get(url).json()

    items = {item["key"]: item for item in body["timeline"] if item["burst_index"] is None}
    assert items["first-complaint"]["signal"] is True and items["reporter-email"]["signal"] is False
    assert items["reporter-email"]["subject"] == "Request for comment: ShopLine checkout failures"
    assert "subject" not in items["first-complaint"]
    assert cast.client(cast.alice).get(url).status_code == 404
