"""The scorecard and progress pages: the first public statement, each reply beside its template, the team's share."""

import html

import pytest
from django.conf import settings

from drills.models import Response
from kit.models import ResponseTemplate
from tests.scoring.plays import APOLOGY
from tests.scoring.test_api import page_client

pytestmark = pytest.mark.django_db

FILLED = "We are <b>sorry</b>: [[what]]. Next update soon."


@pytest.fixture
def templated(cast, finished):
    """The finished drill's one reply, as if drafted from a kit template whose text holds markup."""
    template = ResponseTemplate.objects.create(
        organization=cast.org, name="Holding <i>v2</i>", kind="holding", language="en", text=FILLED
    )
    Response.objects.filter(drill=finished).update(
        template=template, template_filled=FILLED, template_name=template.name, template_kind=template.kind
    )
    return finished


def test_the_scorecard_says_when_the_first_public_statement_came(cast, finished):
    page = page_client(cast.alice).get(f"/drills/{finished.pk}/scorecard/").content.decode()

    # first-complaint at 0:30, published at 6:40: 370 s; the target is the scenario's response_sla
    assert "First public statement after 6.2 min (target 10 min)" in " ".join(page.split())
    assert 'data-component="first_statement"' in page
    assert 'class="first-statement"' in page  # its mark on the timeline


def test_a_reply_shows_its_template_beside_it_with_the_edits_marked_and_escaped(cast, templated):
    page = page_client(cast.alice).get(f"/drills/{templated.pk}/scorecard/").content.decode()

    assert "Holding &lt;i&gt;v2&lt;/i&gt;" in page and "<i>v2</i>" not in page
    template_side = "We are <del>&lt;b&gt;</del>sorry<del>&lt;/b&gt;: [[what]].</del> Next update <del>soon</del>."
    published_side = "We are sorry<ins>: payments fail right now and we are working on it.</ins> Next update "
    assert template_side in page
    assert published_side + "<ins>in 30 minutes</ins>." in page
    assert "<b>sorry</b>" not in page
    assert "Written by the team:" in page


def test_a_reply_without_template_shows_only_its_text(cast, finished):
    page = page_client(cast.alice).get(f"/drills/{finished.pk}/scorecard/").content.decode()

    assert "data-template-compare" not in page and "<ins>" not in page
    assert "Written by the team: 100%" in page
    assert APOLOGY.split(":")[0] in page


def test_the_progress_page_shows_first_statement_time_and_edited_share(cast, outage, templated):
    page = page_client(cast.alice).get(f"/scenarios/{outage.scenario_id}/progress/").content.decode()

    assert '<td class="num" data-first-statement>6:10</td>' in page
    assert '<td class="num" data-edited-share>' in page and "%</td>" in page


@pytest.mark.parametrize(
    ("language", "direction", "statement", "template"),
    [
        ("fr", "ltr", "Première déclaration publique après 6,2 min (objectif 10 min)", "Modèle : "),
        ("he", "rtl", "הודעה פומבית ראשונה אחרי 6.2 דק׳ (יעד: 10 דק׳)", "תבנית: "),
    ],
)
def test_the_scorecard_says_it_in_french_and_hebrew(cast, templated, language, direction, statement, template):
    client = page_client(cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = html.unescape(client.get(f"/drills/{templated.pk}/scorecard/").content.decode())

    assert f'<html lang="{language}" dir="{direction}">' in page
    assert statement in " ".join(page.split())
    assert template in page
