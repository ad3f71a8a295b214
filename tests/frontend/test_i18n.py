"""The pages in Hebrew and French: right to left where it must be, the words translated, the catalogs complete.

Messages follow the page language over the API too; without a language preference they stay the English of
the constants. Server-made texts are tested where they are made (tests/*/test_languages.py).
"""

import gettext
import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.services import MSG_BAD_CREDENTIALS
from drills.services import drill_create, drill_finish
from drills.services.seating import MSG_BOT_SEATED
from frontend.drill_pages import MSG_SPEED_NUMBER
from tests.drills.test_languages import CARING, played
from tests.scoring.plays import finished_drill, lobby

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.LOCALE_PATHS[0])
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|%s|\{\w+\}")

# One word each page shows, per language, and the English it replaces.
SAID = {
    "home": ("Write a scenario", "כתיבת תרחיש", "Écrire un scénario"),
    "library": ("Import a scenario", "ייבוא תרחיש", "Importer un scénario"),
    "editor": ("Planned timeline", "ציר הזמן המתוכנן", "Chronologie prévue"),
    "drills": ("New drill", "תרגיל חדש", "Nouvel exercice"),
    "room": ("Instructor console", "לוח הבקרה של המנחה", "Console de l'animateur"),
    "scorecard": ("Approval chain", "שרשרת אישורים", "Circuit de validation"),
}
LANGUAGES = {"he": (1, "rtl"), "fr": (2, "ltr")}


@pytest.fixture
def paths(cast, outage, wall) -> dict[str, str]:
    room = lobby(cast, outage)
    done = finished_drill(cast, outage, wall)
    return {
        "home": "/",
        "library": "/scenarios/",
        "editor": f"/scenarios/{outage.scenario_id}/",
        "drills": "/drills/",
        "room": f"/drills/{room.pk}/",
        "scorecard": f"/drills/{done.pk}/scorecard/",
    }


def client_in(language: str, user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# ---- the pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", SAID)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_speaks_the_chosen_language_in_its_direction(cast, paths, page, language):
    column, direction = LANGUAGES[language]
    response = client_in(language, cast.instructor).get(paths[page])
    assert response.status_code == 200
    shown = text_of(response)
    assert f'<html lang="{language}" dir="{direction}">' in shown
    assert SAID[page][column] in shown and SAID[page][0] not in shown


def test_english_pages_stay_english_and_left_to_right(cast, paths):
    shown = text_of(client_in("en", cast.instructor).get(paths["room"]))
    assert '<html lang="en" dir="ltr">' in shown and "Instructor console" in shown


def test_the_drill_status_and_roles_are_translated(cast, paths):
    room = text_of(client_in("he", cast.instructor).get(paths["room"]))
    assert "בהמתנה" in room and ">Lobby<" not in room  # the lobby badge
    home = text_of(client_in("fr", cast.instructor).get(paths["home"]))
    assert "Animateur" in home and "Observateur" in home


@pytest.mark.parametrize(
    ("language", "button", "none"),
    [("he", "בחירת קובץ תרחיש", "לא נבחר קובץ"), ("fr", "Choisir un fichier de scénario", "Aucun fichier choisi")],
)
def test_the_file_picker_speaks_the_page_language_not_the_browsers(cast, paths, language, button, none):
    shown = text_of(client_in(language, cast.instructor).get(paths["library"]))
    assert f'<label class="button file-pick" for="import-file">{button}</label>' in shown
    assert f'data-none="{none}">{none}</span>' in shown


def test_the_catalog_script_runs_before_any_module(cast, paths):
    shown = text_of(client_in("he", cast.instructor).get(paths["room"]))
    assert shown.index('<script src="/jsi18n/"></script>') < shown.index('type="module"')


def test_a_hebrew_scenario_posts_right_to_left_whatever_the_page_language(cast, paths, recall):
    seats = [{"user": cast.alice.id, "role": "drafter"}, {"user": cast.bob.id, "role": "reviewer"}]
    hebrew = drill_create(by=cast.instructor, scenario=recall.scenario_id, seats=seats, bots=["spokesperson"])
    assert 'data-post-direction="rtl"' in text_of(client_in("en", cast.instructor).get(f"/drills/{hebrew.pk}/"))
    assert 'data-post-direction="ltr"' in text_of(client_in("he", cast.instructor).get(paths["room"]))


# ---- messages: the page language, on pages and over the API ----------------------------------------------


def test_a_wrong_password_is_said_in_hebrew_on_the_page_and_by_the_api(cast):
    page = client_in("he").post("/login/", {"username": "alice", "password": "nope"})
    assert page.status_code == 400 and "לא ניתן להתחבר" in text_of(page)
    api = client_in("he").post("/api/auth/login/", {"username": "alice", "password": "nope"}, "application/json")
    assert api.json()["detail"].startswith("לא ניתן להתחבר")


def test_without_a_language_preference_the_api_says_the_english_constants(cast):
    api = Client().post("/api/auth/login/", {"username": "alice", "password": "nope"}, "application/json")
    assert api.json() == {"detail": MSG_BAD_CREDENTIALS, "code": "invalid"}


def test_the_new_drill_form_says_its_errors_in_french(cast, outage):
    response = client_in("fr", cast.instructor).post("/drills/", {"scenario": outage.scenario_id, "speed": "fast"})
    shown = text_of(response)
    assert response.status_code == 400
    assert "La vitesse est un nombre" in shown and MSG_SPEED_NUMBER not in shown


def test_the_new_drill_form_says_the_services_errors_in_french_too(cast, outage):
    form = {"scenario": outage.scenario_id, f"seat-{cast.alice.id}": "reviewer", "bots": ["reviewer"]}
    response = client_in("fr", cast.instructor).post("/drills/", form)
    shown = text_of(response)
    assert response.status_code == 400 and "<code>bots[0]</code>" in shown
    assert "Une personne occupe déjà ce rôle ; un bot ne peut prendre" in shown and MSG_BOT_SEATED not in shown


# ---- texts written in the drill's language, shown on a page in the viewer's ------------------------------


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("he", "rtl")])
def test_a_hebrew_bots_comment_reads_right_to_left_on_any_scorecard_page(cast, recall, wall, language, direction):
    drill = played(cast, recall, wall, text=CARING, bots=["reviewer", "spokesperson"])
    drill_finish(by=cast.instructor, drill=drill, now=wall.now())
    shown = text_of(client_in(language, cast.instructor).get(f"/drills/{drill.pk}/scorecard/"))
    assert f'<html lang="{language}" dir="{direction}">' in shown
    # The page's direction is the viewer's; the comment's own is found by the browser from its Hebrew letters.
    assert '<q dir="auto">נראה טוב.</q>' in shown


# ---- the JavaScript catalog -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [("he", "Reply", "תגובה"), ("fr", "Reply", "Répondre"), ("he", "Approve", "אישור"), ("fr", "Live", "En direct")],
)
def test_the_javascript_catalog_serves_the_modules_words(language, msgid, expected):
    response = client_in(language).get("/jsi18n/")
    assert response.status_code == 200 and "javascript" in response["Content-Type"]
    assert f"{json.dumps(msgid)}: {json.dumps(expected)}" in response.content.decode()


def test_the_javascript_catalog_knows_hebrew_plurals():
    body = client_in("he").get("/jsi18n/").content.decode()
    assert "(n == 2 && n % 1 == 0) ? 1" in body  # the same four forms as Django's own Hebrew catalog
    assert json.dumps("%(count)s עוקבים") in body


# ---- the catalogs ---------------------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """Entries as {"msgctxt", "msgid", "msgid_plural", "msgstr": [..], "flags": [..]}; obsolete ones skipped."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": [], "flags": []}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
            field, value = match[1], json.loads(match[2])
            if field.startswith("msgstr"):
                entry["msgstr"].append(value)
            else:
                entry[field] = value
        else:  # a continuation line
            value = json.loads(line)
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
    return entries


def test_there_is_a_catalog_per_language_and_domain():
    names = {f"{path.parts[-3]}/{path.name}" for path in CATALOGS}
    assert names == {"he/django.po", "he/djangojs.po", "fr/django.po", "fr/djangojs.po"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: f"{path.parts[-3]}-{path.stem}")
def test_every_message_is_translated_and_none_is_fuzzy(path):
    entries = read_po(path)
    assert len(entries) > 50
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if entry["msgid"]:
            assert entry["msgstr"] and all(entry["msgstr"]), entry["msgid"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: f"{path.parts[-3]}-{path.stem}")
def test_translations_keep_every_placeholder(path):
    for entry in read_po(path)[1:]:
        wanted = sorted(PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"]))
        for form in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(form)) == wanted, (entry["msgid"], form)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: f"{path.parts[-3]}-{path.stem}")
def test_the_committed_mo_file_matches_its_po_file(path):
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    for entry in read_po(path)[1:]:
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            assert compiled.get(key) == entry["msgstr"][0], key
        else:
            assert [compiled.get((key, n)) for n in range(len(entry["msgstr"]))] == entry["msgstr"], key


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("he", "Scorecard", "דוח ביצועים"),
        ("he", "Heat", "עוצמת המשבר"),
        ("fr", "Scorecard", "Bilan"),
        ("fr", "Approval chain", "Circuit de validation"),
    ],
)
def test_django_finds_the_translations(language, msgid, expected):
    with translation.override(language):
        assert translation.gettext(msgid) == expected


def test_plural_forms_follow_each_language():
    with translation.override("he"):
        assert translation.ngettext("%(counter)s finished drill", "%(counter)s finished drills", 1) == (
            "%(counter)s תרגיל שהסתיים"
        )
    with translation.override("fr"):
        assert translation.ngettext("%(counter)s finished drill", "%(counter)s finished drills", 0) == (
            "%(counter)s exercice terminé"  # French counts zero as singular
        )
