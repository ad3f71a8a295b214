"""The scorecard of a drill whose reply started from a kit template: the template beside the published text with the
team's edits marked, the share the team wrote, and when the first public statement came (in English and Hebrew)."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.browser.conftest import ROOT
from tests.browser.test_scorecard import outage_id, play_one_reply

pytestmark = pytest.mark.browser

FILLED = "We are sorry: [[what happened]]. We are working on it, next update within the hour."
REPLY = "We are sorry: card payments fail at checkout. We are working on it, next update within the hour."
# What the composer records when a reply starts from a template, written straight to the server's database.
RECORD_TEMPLATE = """
from drills.models import Response
from kit.models import ResponseTemplate
from scoring.models import Scorecard
response = Response.objects.get(pk={response})
template = ResponseTemplate.objects.create(
    organization=response.drill.version.scenario.organization, name="Payments holding", kind="holding",
    language="en", text={filled!r},
)
Response.objects.filter(pk=response.pk).update(
    template=template, template_filled={filled!r}, template_name=template.name, template_kind=template.kind
)
Scorecard.objects.filter(drill=response.drill).delete()
"""


@pytest.fixture(scope="module")
def templated_drill(server) -> dict:
    """Alice answers the first complaint, bots approve, the instructor ends the drill; the reply used a template."""
    drill, response = play_one_reply(server, title="Template journey", text=REPLY)
    code = RECORD_TEMPLATE.format(response=response, filled=FILLED)
    manage = [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code]
    subprocess.run(manage, env=server["env"], cwd=ROOT, check=True, capture_output=True)
    return {"drill": drill, "scenario": outage_id(api(server, "instructor"))}


def test_the_scorecard_shows_the_template_the_edits_and_the_first_statement(sign_in, server, templated_drill):
    drill = templated_drill["drill"]
    card = api(server, "alice")("GET", f"/api/drills/{drill}/scorecard/")
    page = sign_in("alice")
    page.goto(f"{server['url']}/drills/{drill}/scorecard/")

    minutes = f"{round(card['first_statement_s'] / 60, 1):g}"
    expect(page.locator("[data-first-statement]")).to_have_text(
        re.compile(rf"First public statement after {re.escape(minutes)} min \(target 10 min\)")
    )
    expect(page.locator("svg.chart-timeline g.first-statement")).to_have_count(1)
    compare = page.locator("[data-reply] [data-template-compare]")
    expect(compare).to_contain_text("Payments holding")
    expect(compare).to_contain_text("Holding statement")
    expect(compare.locator("[data-template-text] del")).to_have_text(["[[what happened]]."])
    expect(compare.locator("[data-final-text] ins")).to_have_text(["card payments fail at checkout."])
    expect(compare.locator("[data-final-text]")).to_have_text(REPLY)
    share = round(card["replies"][0]["edited_share"] * 100)
    expect(compare).to_contain_text(f"Published: {share}% edited by the team")
    expect(page.locator("[data-written-by-team]")).to_contain_text("Written by the team:")
    page.screenshot(path="/tmp/scorecard-template.png", full_page=True)


def test_the_hebrew_scorecard_reads_right_to_left(sign_in, server, templated_drill):
    page = sign_in("alice")
    page.select_option("#language", "he")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(f"{server['url']}/drills/{templated_drill['drill']}/scorecard/")

    expect(page.locator("[data-first-statement]")).to_contain_text("הודעה פומבית ראשונה אחרי")
    expect(page.locator("[data-template-compare]")).to_contain_text("הודעת המתנה")
    expect(page.locator("[data-final-text] ins")).to_have_text(["card payments fail at checkout."])
    page.locator("[data-template-compare]").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/scorecard-template-he.png", full_page=True)
    page.goto(f"{server['url']}/scenarios/{templated_drill['scenario']}/progress/")
    card = api(server, "alice")("GET", f"/api/drills/{templated_drill['drill']}/scorecard/")
    row = page.locator(f"tr[data-drill='{templated_drill['drill']}']")
    expect(row.locator("td[data-edited-share]")).to_have_text(f"{round(card['replies'][0]['edited_share'] * 100)}%")
    page.screenshot(path="/tmp/progress-he.png", full_page=True)
