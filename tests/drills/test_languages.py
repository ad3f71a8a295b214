"""The languages of a drill's server-made texts (README, "Languages").

Bots write into the log in the scenario's language, for everybody and once, whatever language the request
or engine step that made them act is in. Socket error messages follow the language of the page that opened
the socket, and stay the English constants for a client without a language preference.
"""

import pytest
from channels.db import database_sync_to_async
from django.utils import translation

from config.texts import said, translated
from drills import services
from drills.consumers import MSG_UNKNOWN_ACTION
from drills.models import DrillEvent, PublishedInject
from drills.services.chain import MSG_BOT_APPROVES, MSG_NOT_DRAFTER
from scenarios.labels import role_label
from scenarios.rubric import MISSING_MESSAGE
from tests.drills.test_consumer import connect, drain, frames_until_ack, hello_of

CARING = "מצטערים, בדיקה בעיצומה ועדכון יגיע בקרוב."  # meets the food-recall rubric: empathy and action


def played(cast, version, wall, *, text: str, bots: list[str]):
    """Alice replies to the first inject with `text`; bots hold every later step and decide in 10 minutes."""
    seats = [{"user": cast.alice.id, "role": "drafter"}]
    drill = services.drill_create(by=cast.instructor, scenario=version.scenario_id, seats=seats, bots=bots)
    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=61)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    inject = PublishedInject.objects.filter(drill=drill).order_by("id").first()
    reply = services.response_draft(by=cast.alice, drill=drill, reply_to=[inject.pk], text=text, now=wall.now())
    services.response_submit(by=cast.alice, drill=drill, response_id=reply.pk, now=wall.now())
    for _ in range(20):
        wall.advance(seconds=30)
        services.drill_advance(drill_id=drill.pk, now=wall.now())
    return drill


def decisions_of(drill) -> list[dict]:
    return [
        {"kind": e.kind, **e.data}
        for e in DrillEvent.objects.filter(drill=drill, kind__startswith="approval.").order_by("seq")
    ]


# ---- bots: the drill's language -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hebrew_drills_bots_approve_in_hebrew_even_when_a_french_step_runs_them(cast, recall, wall):
    with translation.override("fr"):  # the viewer whose request woke the engine reads French
        decisions = decisions_of(played(cast, recall, wall, text=CARING, bots=["reviewer", "spokesperson"]))
    assert [(d["kind"], d["by_name"], d["comment"]) for d in decisions] == [
        ("approval.approved", "בוט סקירה", "נראה טוב."),
        ("approval.approved", "בוט דוברות", "נראה טוב."),
    ]
    assert [(d["role"], d["bot"], d["by"]) for d in decisions] == [
        ("reviewer", True, None),
        ("spokesperson", True, None),
    ]


@pytest.mark.django_db
def test_a_hebrew_drills_bot_names_the_missing_item_in_hebrew(cast, recall, wall):
    [rejection] = decisions_of(played(cast, recall, wall, text="מצטערים על התקלה.", bots=["reviewer", "spokesperson"]))
    assert rejection["kind"] == "approval.rejected"
    # The rule is named as the scenario wrote it: the label stays, the sentence around it is Hebrew.
    assert rejection["comment"] == "חסר: action" and rejection["by_name"] == "בוט סקירה"


@pytest.mark.django_db
def test_a_french_viewer_reads_the_hebrew_bot_as_it_was_written(cast, recall, wall):
    drill = played(cast, recall, wall, text=CARING, bots=["reviewer", "spokesperson"])
    events = cast.client(cast.alice).get(f"/api/drills/{drill.pk}/events/", HTTP_ACCEPT_LANGUAGE="fr").json()
    approved = [e["data"] for e in events["events"] if e["kind"] == "approval.approved"]
    assert [(a["by_name"], a["comment"]) for a in approved] == [
        ("בוט סקירה", "נראה טוב."),
        ("בוט דוברות", "נראה טוב."),
    ]


@pytest.mark.django_db
def test_an_english_drills_bots_stay_english_whatever_the_active_language(cast, outage, wall):
    apology = "We are sorry, an update soon."
    with translation.override("he"):
        decisions = decisions_of(played(cast, outage, wall, text=apology, bots=["reviewer", "legal", "spokesperson"]))
        rejected = decisions_of(played(cast, outage, wall, text="Sorry.", bots=["reviewer", "legal", "spokesperson"]))
    assert {(d["by_name"], d["comment"]) for d in decisions} == {
        ("Reviewer bot", MSG_BOT_APPROVES),
        ("Legal bot", MSG_BOT_APPROVES),
        ("Spokesperson bot", MSG_BOT_APPROVES),
    }
    assert [d["comment"] for d in rejected] == [MISSING_MESSAGE.format(labels="next step")]


# ---- the socket: the language of the page that opened it ------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("headers", "unknown_action", "required"),
    [
        ([(b"cookie", b"django_language=fr")], "Action inconnue : 'dance'.", "Ce champ est obligatoire."),
        ([(b"accept-language", b"he-IL,he;q=0.9")], "פעולה לא מוכרת: 'dance'.", "יש להזין תוכן בשדה זה."),
        ([], MSG_UNKNOWN_ACTION.format(action="dance"), "This field is required."),
    ],
    ids=["french-cookie", "hebrew-browser", "no-preference"],
)
async def test_socket_errors_speak_the_pages_language(cast, drill, wall, headers, unknown_action, required):
    await database_sync_to_async(services.drill_start)(by=cast.instructor, drill=drill, now=wall.now())
    communicator = await connect(drill, cast.alice, headers=headers)
    await hello_of(communicator)
    await drain(communicator)
    await communicator.send_json_to({"action": "dance", "ref": "r1"})
    error = (await frames_until_ack(communicator, "r1"))[-1]
    assert (error["type"], error["code"], error["message"]) == ("error", "invalid", unknown_action)
    await communicator.send_json_to({"action": "draft", "ref": "r2", "reply_to": [1]})
    error = (await frames_until_ack(communicator, "r2"))[-1]
    assert error["code"] == "invalid" and error["errors"] == [{"path": "text", "message": required}]
    await communicator.disconnect()


# ---- REST and socket errors: a chain role by its label --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["he", "fr", "en"])
def test_a_refusal_names_the_role_by_its_label_in_the_viewers_language(cast, running, language):
    inject = PublishedInject.objects.filter(drill=running).order_by("id").first()
    bob = cast.client(cast.bob)
    answer = bob.post(
        f"/api/drills/{running.pk}/responses/",
        {"reply_to": [inject.pk], "text": "Sorry!"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    with translation.override(language):
        expected = translated(said(MSG_NOT_DRAFTER, role=role_label("drafter")))
    assert answer.status_code == 403 and answer.json()["detail"] == expected
    if language != "en":
        assert "drafter" not in expected
