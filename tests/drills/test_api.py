"""Drills over REST: creation, lifecycle with 409s, events, tickets, the chain, and who may do what."""

import pytest

from drills.models import Drill

pytestmark = pytest.mark.django_db


def create_body(cast, outage, **extra):
    return {
        "scenario": outage.scenario_id,
        "speed": 10,
        "seats": [{"user": cast.alice.id, "role": "drafter"}, {"user": cast.bob.id, "role": "reviewer"}],
        "bots": ["legal", "spokesperson"],
        **extra,
    }


def test_an_instructor_creates_a_drill_in_the_lobby(cast, outage):
    response = cast.client(cast.instructor).post("/api/drills/", create_body(cast, outage), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "lobby" and body["speed"] == 10 and body["seq"] == 0 and body["heat"] == 0
    assert {(s["username"], s["role"]) for s in body["seats"]} == {("alice", "drafter"), ("bob", "reviewer")}
    assert [step["role"] for step in body["chain"]] == ["drafter", "reviewer", "legal", "spokesperson"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"speed": 0.1}, "speed"),
        ({"speed": 101}, "speed"),
        ({"seats": [{"user": 0, "role": "drafter"}]}, "seats[0].user"),
        ({"seats": [{"role": "drafter"}]}, "seats[0].user"),
        ({"seats": [{"user": "alice", "role": "ceo"}]}, "seats[0].role"),
        ({"bots": ["ceo"]}, "bots[0]"),
        ({"scenario": None}, "scenario"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_drill_input_is_a_400_with_the_path_and_nothing_is_written(cast, outage, change, path):
    body = create_body(cast, outage)
    for seat in change.get("seats", []):
        if seat.get("user") == "alice":
            seat["user"] = cast.alice.id
    body.update(change)
    response = cast.client(cast.instructor).post("/api/drills/", body, format="json")
    assert response.status_code == 400
    assert path in [e["path"] for e in response.json()["errors"]]
    assert Drill.objects.count() == 0


def test_a_user_of_another_organization_cannot_be_seated(cast, outage):
    body = create_body(cast, outage, seats=[{"user": cast.rival.id, "role": "drafter"}])
    response = cast.client(cast.instructor).post("/api/drills/", body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["path"] == "seats[0].user"


def test_lifecycle_transitions_and_illegal_ones_answer_409(cast, drill):
    client = cast.client(cast.instructor)
    url = f"/api/drills/{drill.pk}/"
    assert client.post(url + "pause/").status_code == 409
    assert client.post(url + "start/").json()["status"] == "running"
    again = client.post(url + "start/")
    assert again.status_code == 409 and again.json()["status"] == "running"
    assert client.post(url + "pause/").json()["status"] == "paused"
    assert client.post(url + "speed/", {"speed": 50}, format="json").json()["speed"] == 50
    assert client.post(url + "speed/", {"speed": 500}, format="json").status_code == 400
    assert client.post(url + "resume/").json()["status"] == "running"
    assert client.post(url + "finish/").json()["status"] == "finished"
    assert client.post(url + "resume/").status_code == 409
    kinds = [e["kind"] for e in client.get(url + "events/?after=0").json()["events"]]
    assert kinds[0] == "drill.started" and kinds[-1] == "drill.finished"
    assert "drill.paused" in kinds and "drill.speed" in kinds and "drill.resumed" in kinds


def test_events_after_returns_the_rest_of_the_log_in_order(cast, drill):
    client = cast.client(cast.instructor)
    client.post(f"/api/drills/{drill.pk}/start/")
    client.post(
        f"/api/drills/{drill.pk}/injects/",
        {"platform": "news", "text": "Breaking: outage", "severity": 4, "requires_response": True},
        format="json",
    )
    events = client.get(f"/api/drills/{drill.pk}/events/?after=0").json()["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    tail = client.get(f"/api/drills/{drill.pk}/events/?after=2").json()["events"]
    assert [e["seq"] for e in tail] == [e["seq"] for e in events[2:]]
    manual = next(e for e in events if e["kind"] == "inject.published")
    assert manual["data"]["manual"] is True and manual["data"]["respond_by_ms"] is not None
    assert client.get(f"/api/drills/{drill.pk}/events/?after=x").status_code == 400


def test_a_reply_goes_through_rest(cast, drill):
    instructor = cast.client(cast.instructor)
    instructor.post(f"/api/drills/{drill.pk}/start/")
    inject = instructor.post(
        f"/api/drills/{drill.pk}/injects/",
        {"platform": "x", "text": "Down again?", "severity": 3, "requires_response": True},
        format="json",
    ).json()
    alice = cast.client(cast.alice)
    draft = alice.post(
        f"/api/drills/{drill.pk}/responses/", {"reply_to": [inject["id"]], "text": "Sorry!"}, format="json"
    )
    assert draft.status_code == 201
    rid = draft.json()["id"]
    assert (
        alice.patch(f"/api/drills/{drill.pk}/responses/{rid}/", {"text": "Sorry, fix soon"}, format="json").json()[
            "text"
        ]
        == "Sorry, fix soon"
    )
    assert alice.post(f"/api/drills/{drill.pk}/responses/{rid}/submit/").json()["status"] == "pending"
    bob = cast.client(cast.bob)
    rejected = bob.post(f"/api/drills/{drill.pk}/responses/{rid}/reject/", {"step": 1}, format="json")
    assert rejected.status_code == 400 and rejected.json()["errors"][0]["path"] == "comment"
    rejected = bob.post(
        f"/api/drills/{drill.pk}/responses/{rid}/reject/", {"step": 1, "comment": "Add an update"}, format="json"
    )
    assert rejected.json()["status"] == "changes_requested"
    assert alice.post(f"/api/drills/{drill.pk}/responses/{rid}/approve/", {"step": 1}, format="json").status_code == 409


def test_a_ticket_is_issued_to_seated_people(cast, drill):
    response = cast.client(cast.alice).post(f"/api/drills/{drill.pk}/ticket/")
    assert response.status_code == 200 and len(response.json()["ticket"]) > 20


ROLES = ["anonymous", "instructor", "alice", "olivia", "carol", "rival"]
TABLE = [
    # method, path, body, expected per role
    ("get", "", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    ("post", "start/", None, {"instructor": 200, "alice": 403, "olivia": 403, "carol": 404, "rival": 404}),
    ("post", "pause/", None, {"instructor": 409, "alice": 403, "olivia": 403, "carol": 404, "rival": 404}),
    ("post", "finish/", None, {"instructor": 409, "alice": 403, "olivia": 403, "carol": 404, "rival": 404}),
    ("post", "speed/", {"speed": 2}, {"instructor": 200, "alice": 403, "olivia": 403, "carol": 404, "rival": 404}),
    (
        "post",
        "injects/",
        {"platform": "x", "text": "t", "severity": 1},
        {"instructor": 409, "alice": 403, "olivia": 403, "carol": 404, "rival": 404},
    ),
    ("get", "events/?after=0", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    ("post", "ticket/", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    ("get", "responses/", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    (
        "post",
        "responses/",
        {"reply_to": [1], "text": "x"},
        {"instructor": 409, "alice": 409, "olivia": 409, "carol": 404, "rival": 404},
    ),
    ("get", "notes/", None, {"instructor": 200, "alice": 200, "olivia": 200, "carol": 404, "rival": 404}),
    (
        "post",
        "notes/",
        {"event_seq": 1, "text": "x"},
        {"instructor": 409, "alice": 403, "olivia": 403, "carol": 404, "rival": 404},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [(m, p, b, r, {"anonymous": 401, **statuses}[r]) for m, p, b, statuses in TABLE for r in ROLES],
)
def test_permission_table(cast, drill, method, path, body, role, expected):
    from tests.factories import member

    users = {"carol": member("carol", cast.org, "participant")}
    user = None if role == "anonymous" else users.get(role) or getattr(cast, role)
    client = cast.client(user)
    url = f"/api/drills/{drill.pk}/{path}"
    response = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("persona", "name"),
    [("reporter", "Dana Levi"), ("Anonymous tipster", "Anonymous tipster"), ({"name": "CEO", "followers": 5}, "CEO")],
)
def test_a_manual_inject_takes_a_persona_key_a_name_or_an_object(cast, drill, persona, name):
    client = cast.client(cast.instructor)
    client.post(f"/api/drills/{drill.pk}/start/")
    body = {"platform": "news", "text": "Breaking", "severity": 2, "persona": persona}
    assert client.post(f"/api/drills/{drill.pk}/injects/", body, format="json").status_code == 201
    events = client.get(f"/api/drills/{drill.pk}/events/?after=0").json()["events"]
    assert [e for e in events if e["kind"] == "inject.published"][-1]["data"]["persona"]["name"] == name


def test_a_team_is_seated_together(cast, outage):
    team = (
        cast.client(cast.instructor)
        .post("/api/teams/", {"name": "Desk", "members": [cast.alice.id, cast.bob.id]}, format="json")
        .json()
    )
    body = create_body(cast, outage, seats=[{"user": cast.alice.id, "role": "drafter"}], team=team["id"])
    response = cast.client(cast.instructor).post("/api/drills/", body, format="json")
    assert response.status_code == 201
    assert sorted((s["username"], s["role"]) for s in response.json()["seats"]) == [
        ("alice", "drafter"),
        ("bob", "drafter"),
    ]
    unknown = cast.client(cast.instructor).post("/api/drills/", create_body(cast, outage, team=999), format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["path"] == "team"


HUGE = 2**64
BELL = "ring \u0007 ring"


@pytest.mark.parametrize(
    ("method", "path", "body", "error_path"),
    [
        ("get", "/api/drills/?scenario=abc", None, "scenario"),
        ("get", f"/api/drills/?scenario={HUGE}", None, "scenario"),
        ("get", "{drill}events/?after=²", None, "after"),
        ("get", f"{{drill}}events/?after={HUGE}", None, "after"),
        ("post", "/api/drills/", {"scenario": HUGE}, "scenario"),
        ("post", "/api/drills/", {"version": HUGE}, "version"),
        ("post", "/api/drills/", {"team": HUGE, "team_role": "drafter"}, "team"),
        ("post", "/api/drills/", {"seats": [{"user": HUGE, "role": "drafter"}]}, "seats[0].user"),
        ("post", "/api/drills/", {"title": "x" * 201}, "title"),
        ("post", "/api/drills/", {"title": "Night\u0013drill"}, "title"),
        ("post", "{drill}responses/", {"reply_to": [HUGE], "text": "Sorry"}, "reply_to[0]"),
        ("post", "{drill}responses/", {"reply_to": [1], "text": BELL}, "text"),
        ("post", "{drill}responses/1/approve/", {"step": HUGE}, "step"),
        ("post", "{drill}responses/1/reject/", {"step": 1, "comment": BELL}, "comment"),
        ("post", "{drill}notes/", {"event_seq": HUGE, "text": "Good"}, "event_seq"),
        ("post", "{drill}notes/", {"event_seq": 1, "text": BELL}, "text"),
        ("post", "{drill}injects/", {"platform": "x", "text": "x" * 5001, "severity": 1}, "text"),
        ("post", "{drill}injects/", {"platform": "x", "text": BELL, "severity": 1}, "text"),
        ("post", "{drill}injects/", {"platform": "x", "text": "hi", "severity": 1, "persona": "A\u0013"}, "persona"),
        (
            "post",
            "{drill}injects/",
            {"platform": "x", "text": "hi", "severity": 1, "respond_within_s": 10**7},
            "respond_within_s",
        ),
    ],
)
def test_hostile_numbers_and_characters_are_a_400_with_the_path(cast, drill, method, path, body, error_path):
    url = path.format(drill=f"/api/drills/{drill.pk}/")
    if url == "/api/drills/" and body is not None:
        body = create_body(cast, drill.version, **body)
    response = getattr(cast.client(cast.instructor), method)(url, body, format="json")
    assert response.status_code == 400
    assert error_path in [e["path"] for e in response.json()["errors"]]
    assert Drill.objects.count() == 1 and drill.events.count() == 0
