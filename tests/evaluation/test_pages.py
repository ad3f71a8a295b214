"""The room's evaluation panel: instructors and observer seats get it, participants never do (PROTOCOL.md 1.6)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def room(user, drill, language="en") -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get(f"/drills/{drill.pk}/").content.decode()


@pytest.mark.parametrize(("who", "sees"), [("instructor", True), ("olivia", True), ("alice", False)])
def test_only_evaluators_get_the_panel_and_the_tasks(cast, running, who, sees):
    page = room(getattr(cast, who), running)

    assert ("data-evaluation" in page) is sees
    assert ("Acknowledge the outage within 15 minutes" in page) is sees
    assert ('data-rating="P"' in page) is sees


@pytest.mark.parametrize("language", ["he", "fr"])
def test_the_panel_speaks_the_users_language(cast, running, language):
    page = room(cast.olivia, running, language)

    assert "data-evaluation" in page and "Evaluation" not in page.split("data-evaluation")[1].split("</h2>")[0]


def test_the_preview_lists_the_evaluation_tasks(cast, evaluated):
    preview = cast.client(cast.instructor).get(f"/api/scenarios/{evaluated.scenario_id}/preview/").json()

    assert preview["evaluation"] == [
        {"key": "acknowledge", "task": "Acknowledge the outage within 15 minutes", "capability": "Public information"},
        {"key": "legal-check", "task": "Have legal review every statement", "capability": None},
    ]
