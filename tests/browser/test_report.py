"""The after-action report: the instructor edits the draft and downloads the PDF; alice reads it in Hebrew."""

import pytest
from playwright.sync_api import expect

from tests.browser.client import api
from tests.browser.test_scorecard import played_drill  # noqa: F401 - the same short drill, played for this module

pytestmark = pytest.mark.browser

SUMMARY = "Fast apology, slow legal review."
ACTION = "Pre-approve holding statements with legal"


def test_the_instructor_edits_the_report_and_downloads_it(sign_in, server, played_drill):  # noqa: F811
    drill = played_drill
    page = sign_in("instructor")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server['url']}/drills/{drill}/scorecard/")
    page.locator("[data-report-link]").click()
    expect(page.locator("h1")).to_have_text("Scorecard journey")
    expect(page.locator("#report-summary")).to_have_value(
        api(server, "instructor")("GET", f"/api/drills/{drill}/report/")["summary"]
    )

    page.fill("#report-summary", SUMMARY)
    page.locator("[data-add-improvement]").click()
    row = page.locator("[data-improvement]").last
    row.locator("[data-field=text]").fill(ACTION)
    row.locator("[data-field=owner]").fill("bob")
    row.locator("[data-field=due]").fill("2027-01-15")
    row.locator("[data-field=status]").select_option("in_progress")
    page.locator("[data-save]").click()
    expect(page.locator("[data-saved]")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e]
    page.screenshot(path="/tmp/report-instructor.png", full_page=True)

    saved = api(server, "alice")("GET", f"/api/drills/{drill}/report/")
    assert saved["summary"] == SUMMARY
    assert saved["improvements"][-1] == {"text": ACTION, "owner": "bob", "due": "2027-01-15", "status": "in_progress"}

    with page.expect_download() as download:
        page.locator("[data-pdf]").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_an_empty_improvement_is_refused_with_its_path(sign_in, server, played_drill):  # noqa: F811
    page = sign_in("instructor")
    page.goto(f"{server['url']}/drills/{played_drill}/report/")
    page.locator("[data-add-improvement]").click()
    page.locator("[data-save]").click()
    expect(page.locator("[data-errors]")).to_be_visible()
    index = page.locator("[data-improvement]").count() - 1
    expect(page.locator("[data-error-list]")).to_contain_text(f"improvements[{index}].text")
    expect(page.locator("[data-improvement]").last.locator("[data-field=text]")).to_have_attribute(
        "aria-invalid", "true"
    )


def test_alice_reads_the_report_in_hebrew(sign_in, server, played_drill):  # noqa: F811
    page = sign_in("alice", locale="he-IL")
    page.goto(f"{server['url']}/drills/{played_drill}/report/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-report-form]")).to_have_count(0)  # read only
    expect(page.locator("[data-summary]")).not_to_be_empty()
    page.screenshot(path="/tmp/report-alice-he.png", full_page=True)
