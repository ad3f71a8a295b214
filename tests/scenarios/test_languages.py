"""Validation messages in the instructor's language (README, "Languages"), over the API and on the page.

Paths, `valid` and every other key stay as they are; only `message` is translated. A request without a
language preference reads the English constants, as the acceptance tests do.
"""

import html

import pytest
from django.conf import settings
from django.test import Client

from config.texts import said
from scenarios.services import MSG_INVALID_SCENARIO
from scenarios.validation import MSG_FORMAT, MSG_INT_RANGE, MSG_UNKNOWN_KEY, MSG_WEIGHTS_SUM
from tests.conftest import SHARED_SCENARIOS
from tests.frontend.test_scenario_pages import upload

pytestmark = pytest.mark.django_db
OUTAGE = (SHARED_SCENARIOS / "checkout-outage.en.yaml").read_text()
# A wrong format, a severity out of range, an unknown key and weights that add up to nothing.
BROKEN = (
    OUTAGE.replace("format: crisisdrill/v1", "format: crisisdrill/v9")
    .replace("severity: 3", "severity: 9", 1)
    .replace("seed: 7", "seed: 7\nmood: grim")
)
SAID = {
    "fr": {
        "format": "doit valoir crisisdrill/v1",
        "injects[0].severity": "doit être un nombre entier de 1 à 5",
        "mood": "clé inconnue",
    },
    "he": {
        "format": "חייב להיות crisisdrill/v1",
        "injects[0].severity": "חייב להיות מספר שלם מ-1 עד 5",
        "mood": "מפתח לא מוכר",
    },
    None: {
        "format": MSG_FORMAT,
        "injects[0].severity": said(MSG_INT_RANGE, low=1, high=5),
        "mood": MSG_UNKNOWN_KEY,
    },
}


def validated(cast, **headers) -> dict:
    response = cast.client(cast.instructor).post(
        "/api/scenarios/validate/", BROKEN.encode(), content_type="application/yaml", **headers
    )
    assert response.status_code == 200
    return response.json()


def messages_by_path(issues: list[dict]) -> dict:
    return {issue["path"]: issue["message"] for issue in issues}


def without_messages(issues: list[dict]) -> list[dict]:
    return [{key: value for key, value in issue.items() if key != "message"} for issue in issues]


@pytest.mark.parametrize("language", ["fr", "he"])
def test_validation_speaks_the_browsers_language_and_keeps_paths_and_lines(cast, language):
    english = validated(cast)
    translated = validated(cast, HTTP_ACCEPT_LANGUAGE=f"{language};q=0.9,en;q=0.5")
    assert messages_by_path(translated["errors"]) == SAID[language]
    assert without_messages(translated["errors"]) == without_messages(english["errors"])  # paths and lines
    assert translated["valid"] is english["valid"] is False


def test_without_a_language_preference_validation_says_the_english_constants(cast):
    assert messages_by_path(validated(cast)["errors"]) == SAID[None]


def test_the_language_menus_choice_wins_over_the_browsers(cast):
    client = cast.client(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(
        "/api/scenarios/validate/", BROKEN.encode(), content_type="application/yaml", HTTP_ACCEPT_LANGUAGE="he"
    )
    assert messages_by_path(response.json()["errors"]) == SAID["fr"]


def test_an_import_error_is_a_french_error_for_a_french_user(cast):
    weights = "weights: {timeliness: 40, coverage: 30, approval_flow: 15, quality: 15}"
    weightless = OUTAGE.replace(weights, "weights: {timeliness: 0, coverage: 0, approval_flow: 0, quality: 0}")
    client = cast.client(cast.instructor)
    english = client.post("/api/scenarios/import/", weightless.encode(), content_type="application/yaml")
    french = client.post(
        "/api/scenarios/import/", weightless.encode(), content_type="application/yaml", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert english.status_code == french.status_code == 400
    # Where the error is in the author's text (PROTOCOL 1.7): the line of `weights:`, two spaces in.
    at = {"line": next(n for n, line in enumerate(weightless.splitlines(), 1) if "weights:" in line), "column": 3}
    assert english.json() == {
        "detail": MSG_INVALID_SCENARIO,
        "code": "invalid",
        "errors": [{"path": "scoring.weights", "message": MSG_WEIGHTS_SUM, **at}],
    }
    assert french.json() == {
        "detail": "Le scénario comporte des erreurs.",
        "code": "invalid",
        "errors": [{"path": "scoring.weights", "message": "au moins un poids doit être supérieur à 0", **at}],
    }


def test_the_import_page_lists_hebrew_problems_right_to_left(cast):
    client = Client()
    client.force_login(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"
    response = client.post("/scenarios/import/", {"file": upload(BROKEN, "broken.yaml")})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and '<html lang="he" dir="rtl">' in page
    for path, message in SAID["he"].items():
        assert f'<code class="issue-path">{path}</code></td><td class="issue-message">{message}' in page
    assert MSG_UNKNOWN_KEY not in page
    assert '<span class="issue-line">שורה ' in page and ", עמודה " in page
