"""Chain roles and persona kinds as people read them: translated when usual, the key's own words otherwise.

The keys never change in the API, the websocket or the log; pages, the room's modules and the bots' names
show the labels (scenarios/labels.py).
"""

import html
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from drills import services
from drills.models import DrillEvent
from scenarios.labels import display_labels, persona_kind_label, role_label, role_title
from scenarios.services import document_load, scenario_create, scenario_publish
from tests.conftest import SHARED_SCENARIOS
from tests.drills.test_languages import CARING, played
from tests.scoring.plays import finished_drill

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "role", "label"),
    [
        ("he", "drafter", "ניסוח"),
        ("he", "reviewer", "סקירה"),
        ("he", "legal", "ייעוץ משפטי"),
        ("he", "spokesperson", "דוברות"),
        ("he", "observer", "צופה"),
        ("he", "direction", "הנהלה"),
        ("fr", "reviewer", "relecture"),
        ("fr", "direction", "direction"),
        ("en", "reviewer", "reviewer"),
        ("en", "spokesperson", "spokesperson"),
        ("he", "comms_lead", "comms lead"),
        ("fr", "crisis-cell", "crisis cell"),
        ("en", "ceo", "CEO"),
    ],
)
def test_a_role_reads_in_the_page_language_or_as_its_own_words(language, role, label):
    with translation.override(language):
        assert role_label(role) == label
        assert role_title(role) == label[:1].upper() + label[1:]  # how a bot's name starts


@pytest.mark.parametrize(
    ("language", "kind", "label"),
    [
        ("he", "customer", "לקוח"),
        ("he", "regulator", "רגולטור"),
        ("fr", "journalist", "Journaliste"),
        ("en", "influencer", "Influencer"),
        ("he", "union_rep", "Union rep"),
    ],
)
def test_a_persona_kind_reads_in_the_page_language_or_as_its_own_words(language, kind, label):
    with translation.override(language):
        assert persona_kind_label(kind) == label


def test_every_shared_scenarios_roles_and_persona_kinds_have_a_label():
    keys = {"roles": set(), "persona_kinds": set()}
    for path in SHARED_SCENARIOS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        keys["roles"] |= set(re.findall(r"\{role: (\w+)", text))
        keys["persona_kinds"] |= set(re.findall(r"\bkind: (\w+)", text))
    with translation.override("he"):
        labels = display_labels()
    assert keys["roles"] <= set(labels["roles"]) and keys["persona_kinds"] <= set(labels["persona_kinds"])


# ---- pages ----------------------------------------------------------------------------------------------


def page(user, path: str, language: str | None) -> str:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return html.unescape(client.get(path).content.decode())


def labels_on(shown: str) -> dict:
    found = re.search(r'<script id="display-labels" type="application/json">(.*?)</script>', shown, re.S)
    return json.loads(found[1])


def test_the_hebrew_room_gives_its_modules_the_hebrew_labels(cast, recall):
    seats = [{"user": cast.alice.id, "role": "drafter"}]
    drill = services.drill_create(by=cast.instructor, scenario=recall.scenario_id, seats=seats, bots=["reviewer"])
    labels = labels_on(page(cast.alice, f"/drills/{drill.pk}/", "he"))
    assert labels["roles"]["drafter"] == "ניסוח" and labels["roles"]["reviewer"] == "סקירה"
    assert labels["persona_kinds"]["customer"] == "לקוח"
    assert labels_on(page(cast.alice, f"/drills/{drill.pk}/", None))["roles"]["reviewer"] == "reviewer"


def test_the_drills_list_names_seats_and_bots_by_their_label(cast, recall):
    seats = [{"user": cast.alice.id, "role": "drafter"}]
    services.drill_create(by=cast.instructor, scenario=recall.scenario_id, seats=seats, bots=["reviewer"])
    mine = page(cast.alice, "/drills/", "he")
    assert '<span class="role">ניסוח</span>' in mine and ">drafter<" not in mine
    form = page(cast.instructor, "/drills/", "fr")
    assert '<option value="reviewer" >relecture</option>' in form  # a seat
    assert 'name="bots" value="reviewer" > relecture</label>' in form
    assert '<option value="observer" >observateur</option>' in form


def test_the_scorecard_names_steps_and_seats_by_their_label(cast, outage, wall):
    drill = finished_drill(cast, outage, wall)
    shown = page(cast.instructor, f"/drills/{drill.pk}/scorecard/", "he")
    assert "1 · <bdi>סקירה</bdi>" in shown and '<span class="role">ניסוח</span>' in shown
    assert "<bdi>ייעוץ משפטי</bdi>" in shown  # a decision at the legal step
    english = page(cast.instructor, f"/drills/{drill.pk}/scorecard/", None)
    assert "1 · <bdi>reviewer</bdi>" in english  # as before the labels: the English words are the keys


# ---- bots ---------------------------------------------------------------------------------------------


def recall_with_role(cast, role: str):
    """The Hebrew food-recall scenario with its reviewer step renamed to a role of the author's own."""
    text = (SHARED_SCENARIOS / "food-recall.he.yaml").read_text(encoding="utf-8")
    document = document_load(text=text.replace("{role: reviewer", "{role: " + role).encode())
    return scenario_publish(by=cast.instructor, scenario=scenario_create(by=cast.instructor, document=document))[0]


def bot_names(drill) -> list[str]:
    events = DrillEvent.objects.filter(drill=drill, kind__startswith="approval.").order_by("seq")
    return [e.data["by_name"] for e in events]


def test_a_hebrew_bot_is_named_by_the_hebrew_label_and_keeps_the_role_key(cast, recall, wall):
    drill = played(cast, recall, wall, text=CARING, bots=["reviewer", "spokesperson"])
    assert bot_names(drill) == ["בוט סקירה", "בוט דוברות"]
    roles = [e.data["role"] for e in DrillEvent.objects.filter(drill=drill, kind="approval.approved").order_by("seq")]
    assert roles == ["reviewer", "spokesperson"]


def test_a_bot_in_an_unknown_role_is_named_by_the_roles_own_words(cast, wall):
    drill = played(cast, recall_with_role(cast, "comms_lead"), wall, text=CARING, bots=["comms_lead", "spokesperson"])
    assert bot_names(drill) == ["בוט Comms lead", "בוט דוברות"]
