"""Flags (`flag` → `inject.flagged`, GET/POST flags/): who may flag and read, bad input, nothing half-written."""

import pytest

from config.errors import Conflict, Forbidden, Invalid
from config.limits import MSG_BAD_CHARACTERS
from drills import services
from drills.events import events_after
from drills.limits import MSG_FLAG_NOTE_TOO_LONG
from drills.models import Flag, PublishedInject
from drills.services.flags import MSG_ALREADY_FLAGGED, MSG_FLAGS_CLOSED, MSG_NOT_A_FLAGGER, MSG_NOT_A_POST
from tests.factories import member

pytestmark = pytest.mark.django_db


def _user(cast, who):
    extra = {"carol": ("carol", "participant"), "ivan": ("ivan", "instructor")}
    if who in extra:
        return member(extra[who][0], cast.org, extra[who][1])
    return getattr(cast, who)


def _post(drill):
    return PublishedInject.objects.filter(drill=drill).first()


def _last_seq(drill):
    return events_after(drill=drill, after=0)[-1]["seq"]


# ---- flag (service) --------------------------------------------------------------------------------------

FLAG_TABLE = [
    # alice and bob hold chain seats, ines (the instructor) the spokesperson seat; ivan is an instructor without a
    # seat, olivia an observer seat, carol a participant without a seat, rival another organization's instructor.
    ("alice", "flagged"),
    ("bob", "flagged"),
    ("instructor", "flagged"),
    ("ivan", Forbidden),
    ("olivia", Forbidden),
    ("carol", Forbidden),
    ("rival", Forbidden),
]


@pytest.mark.parametrize(("who", "outcome"), FLAG_TABLE)
def test_who_may_flag(cast, running, wall, who, outcome):
    user, post, before = _user(cast, who), _post(running), _last_seq(running)
    if outcome == "flagged":
        flag = services.inject_flag(
            by=user, drill=running, inject=post.pk, note="Sounds like it spreads", now=wall.now()
        )
        event = events_after(drill=running, after=before)[-1]
        assert event["kind"] == "inject.flagged" and event["seq"] == flag.event_seq
        assert event["data"] == {"inject": post.pk, "by": user.pk, "note": "Sounds like it spreads"}
        assert event["sim_ms"] == flag.sim_ms == 31_000
    else:
        with pytest.raises(outcome) as caught:
            services.inject_flag(by=user, drill=running, inject=post.pk, now=wall.now())
        assert caught.value.message == MSG_NOT_A_FLAGGER
        assert not Flag.objects.exists() and events_after(drill=running, after=before) == []


def test_a_flag_without_a_note_says_null(cast, running, wall):
    post = _post(running)
    services.inject_flag(by=cast.alice, drill=running, inject=post.pk, now=wall.now())
    assert events_after(drill=running, after=0)[-1]["data"] == {"inject": post.pk, "by": cast.alice.pk, "note": None}


def _other_drills_post(cast, outage, wall):
    other = services.drill_create(by=cast.instructor, scenario=outage.scenario_id, seats=[])
    services.drill_start(by=cast.instructor, drill=other, now=wall.now())
    return services.inject_manual(by=cast.instructor, drill=other, platform="x", text="Elsewhere", severity=2).pk


@pytest.mark.parametrize(
    ("case", "path", "message"),
    [
        ("unknown post", "inject", MSG_NOT_A_POST),
        ("another drill's post", "inject", MSG_NOT_A_POST),
        ("twice", "inject", MSG_ALREADY_FLAGGED),
        ("not an id", "inject", None),
        ("note too long", "note", MSG_FLAG_NOTE_TOO_LONG),
        ("note with control characters", "note", MSG_BAD_CHARACTERS),
    ],
)
def test_a_bad_flag_is_refused_with_its_path_and_nothing_is_written(cast, outage, running, wall, case, path, message):
    post = _post(running).pk
    inject, note = post, ""
    if case == "unknown post":
        inject = 10**9
    elif case == "another drill's post":
        inject = _other_drills_post(cast, outage, wall)
    elif case == "twice":
        services.inject_flag(by=cast.alice, drill=running, inject=post, now=wall.now())
    elif case == "not an id":
        inject = "first"
    elif case == "note too long":
        note = "x" * 501
    else:
        note = "ok \x07"
    flags, seq = Flag.objects.count(), _last_seq(running)
    with pytest.raises(Invalid) as caught:
        services.inject_flag(by=cast.alice, drill=running, inject=inject, note=note, now=wall.now())
    assert [e["path"] for e in caught.value.errors] == [path]
    if message:
        assert caught.value.errors[0]["message"] == message
    assert Flag.objects.count() == flags and _last_seq(running) == seq


def test_a_note_of_500_characters_is_kept_whole(cast, running, wall):
    note = ("why\tthis\n" * 60)[:499] + "!"
    flag = services.inject_flag(by=cast.alice, drill=running, inject=_post(running).pk, note=note, now=wall.now())
    assert Flag.objects.get().note == flag.note == note


def test_two_people_flag_the_same_post(cast, running, wall):
    post = _post(running).pk
    services.inject_flag(by=cast.alice, drill=running, inject=post, now=wall.now())
    services.inject_flag(by=cast.bob, drill=running, inject=post, now=wall.now())
    assert Flag.objects.count() == 2


def test_flags_close_with_the_drill(cast, running, wall):
    services.drill_finish(by=cast.instructor, drill=running, now=wall.now())
    with pytest.raises(Conflict) as caught:
        services.inject_flag(by=cast.alice, drill=running, inject=_post(running).pk, now=wall.now())
    assert caught.value.message == MSG_FLAGS_CLOSED and not Flag.objects.exists()


# ---- flags REST ------------------------------------------------------------------------------------------

ROLES = ["anonymous", "instructor", "ivan", "alice", "olivia", "carol", "rival"]
REST_TABLE = [
    # who reads, who flags; a second POST by the same user would be 400 (twice), so each role posts once.
    ("get", {"instructor": 200, "ivan": 200, "alice": 200, "olivia": 403, "carol": 404, "rival": 404}),
    ("post", {"instructor": 201, "ivan": 403, "alice": 201, "olivia": 403, "carol": 404, "rival": 404}),
]


@pytest.mark.parametrize(
    ("method", "role", "expected"),
    [(m, r, {"anonymous": 401, **statuses}[r]) for m, statuses in REST_TABLE for r in ROLES],
)
def test_permission_table(cast, running, method, role, expected):
    user = None if role == "anonymous" else _user(cast, role)
    client, url = cast.client(user), f"/api/drills/{running.pk}/flags/"
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"inject": _post(running).pk, "note": "early sign"}, format="json")
    assert response.status_code == expected, response.content
    assert Flag.objects.count() == (1 if expected == 201 else 0)


def test_the_flags_list_gives_who_flagged_what_and_when(cast, running, wall):
    post = _post(running).pk
    services.inject_flag(by=cast.alice, drill=running, inject=post, note="Watch this", now=wall.now())
    wall.advance(seconds=10)
    response = cast.client(cast.bob).post(f"/api/drills/{running.pk}/flags/", {"inject": post}, format="json")
    assert response.status_code == 201
    listed = cast.client(cast.instructor).get(f"/api/drills/{running.pk}/flags/").json()
    assert listed == [
        {"inject": post, "by": cast.alice.pk, "note": "Watch this", "sim_ms": 31_000},
        {"inject": post, "by": cast.bob.pk, "note": None, "sim_ms": response.json()["sim_ms"]},
    ]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "inject"),
        ({"inject": 10**9}, "inject"),
        ({"inject": 1, "why": "x"}, "why"),
        ({"inject": 1, "note": ["a list"]}, "note"),
    ],
)
def test_a_bad_flag_over_rest_is_a_400_with_its_path(cast, running, body, path):
    if "inject" in body and body["inject"] == 1:
        body = {**body, "inject": _post(running).pk}
    response = cast.client(cast.alice).post(f"/api/drills/{running.pk}/flags/", body, format="json")
    assert response.status_code == 400, response.content
    assert path in [e["path"] for e in response.json()["errors"]]
    assert not Flag.objects.exists()
