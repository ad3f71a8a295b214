"""DRF's own messages in Hebrew: field errors, authentication and permissions over the API.

DRF ships an empty he_IL catalog, so locale_drf/he holds ours, by hand, beside the catalogs `make messages`
writes. French comes from DRF's own fr catalog; without a language preference the English stays DRF's.
"""

import gettext
import re
from pathlib import Path

import pytest
import rest_framework
from django.conf import settings
from rest_framework.test import APIClient

from drills.services import drill_create
from tests.frontend.test_i18n import read_po

pytestmark = pytest.mark.django_db
DRF_CATALOG = Path(settings.LOCALE_PATHS[1]) / "he" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def drf_msgids() -> set[str]:
    """Every msgid DRF translates, read from its French catalog (DRF ships no .po files)."""
    path = Path(rest_framework.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        return {key for key in gettext.GNUTranslations(mo)._catalog if isinstance(key, str) and key}


@pytest.fixture
def speed_url(cast, outage) -> str:
    drill = drill_create(
        by=cast.instructor, scenario=outage.scenario_id, seats=[{"user": cast.alice.id, "role": "drafter"}]
    )
    return f"/api/drills/{drill.pk}/speed/"


# ---- field errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "message"),
    [
        ({"speed": 1000}, "he", "המהירות חייבת להיות בין 0.25 ל-100."),
        ({"speed": 0.1}, "he", "המהירות חייבת להיות בין 0.25 ל-100."),
        ({"speed": "fast"}, "he", "יש להזין מספר."),
        ({}, "he", "יש להזין תוכן בשדה זה."),
        ({"speed": None}, "he", "השדה הזה לא יכול להיות null."),
        ({"speed": 1000}, "fr", "La vitesse doit être comprise entre 0,25 et 100."),
        ({"speed": 1000}, None, "Speed must be between 0.25 and 100."),
        ({"speed": "fast"}, None, "A valid number is required."),
    ],
    ids=["he-max", "he-min", "he-number", "he-required", "he-null", "fr-max", "en-max", "en-number"],
)
def test_a_field_error_is_said_in_the_requests_language(cast, speed_url, body, language, message):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = cast.client(cast.instructor).post(speed_url, body, format="json", **headers)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "speed", "message": message}]
    assert response.json()["detail"] == message


def test_a_hebrew_browser_reads_hebrew_from_a_regional_tag(cast, speed_url):
    response = cast.client(cast.instructor).post(
        speed_url, {"speed": 1000}, format="json", HTTP_ACCEPT_LANGUAGE="he-IL,he;q=0.9,en;q=0.5"
    )
    assert response.json()["detail"] == "המהירות חייבת להיות בין 0.25 ל-100."


# ---- authentication and permissions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "language", "detail"),
    [
        (None, "he", "לא נשלחו פרטי התחברות."),
        ("not-a-token", "he", "ה-token אינו תקין."),
        (None, None, "Authentication credentials were not provided."),
        ("not-a-token", None, "Invalid token."),
    ],
    ids=["he-anonymous", "he-bad-token", "en-anonymous", "en-bad-token"],
)
def test_authentication_errors_are_said_in_the_requests_language(cast, token, language, detail):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client.get("/api/auth/me/", **headers)
    assert response.status_code in (401, 403) and response.json()["detail"] == detail


def test_a_method_not_allowed_is_said_in_hebrew(cast):
    response = cast.client(cast.instructor).delete("/api/auth/me/", HTTP_ACCEPT_LANGUAGE="he")
    assert response.status_code == 405 and response.json()["detail"] == 'השיטה "DELETE" אינה מותרת.'


# ---- the catalog --------------------------------------------------------------------------------------


def test_the_catalog_holds_only_drfs_own_msgids_each_translated():
    entries = read_po(DRF_CATALOG)[1:]
    known = drf_msgids()
    assert len(entries) > 80
    for entry in entries:
        assert entry["msgid"] in known, entry["msgid"]
        assert entry["msgstr"] and all(entry["msgstr"]) and "fuzzy" not in entry["flags"], entry["msgid"]
        assert sorted(PLACEHOLDER.findall(entry["msgstr"][0])) == sorted(PLACEHOLDER.findall(entry["msgid"]))


def test_the_committed_mo_file_matches_the_po_file():
    with DRF_CATALOG.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    assert {e["msgid"]: e["msgstr"][0] for e in read_po(DRF_CATALOG)[1:]} == {k: v for k, v in compiled.items() if k}


def test_make_messages_writes_only_to_the_first_locale_path():
    # makemessages puts every source file under the first LOCALE_PATHS entry's parent into that catalog;
    # a hand-kept catalog must come after it and sit beside it, not above it.
    first, drf = (Path(path) for path in settings.LOCALE_PATHS)
    assert first.parent == drf.parent and drf.name != "locale"
