"""The scenario editor in a real browser: live validation, go-to-error, the timeline, right-to-left."""

import re
from urllib.parse import quote

import pytest

from tests.browser.client import api

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/editor.png"


def scenario_id(server, title_part: str) -> int:
    found = api(server, "instructor")("GET", f"/api/scenarios/?q={quote(title_part)}")
    return found[0]["id"]


def caret_line(page) -> int:
    return page.evaluate(
        "() => { const t = document.getElementById('scenario-text');"
        " return t.value.slice(0, t.selectionStart).split('\\n').length; }"
    )


def test_an_instructor_breaks_a_line_jumps_to_the_error_and_fixes_it(sign_in, server):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/{scenario_id(server, 'Checkout')}/")
    pill = page.locator("#status-pill")
    pill.filter(has_text="Valid").wait_for()
    textarea = page.locator("#scenario-text")
    original = textarea.input_value()
    broken = original.replace("at: 30s", "at: soon", 1)
    # The author's own text (PROTOCOL 1.7): the shared file's indentation, not a generated one.
    broken_line = [line.strip() for line in broken.splitlines()].index("at: soon") + 1

    textarea.fill(broken)
    error = page.locator("#error-list .issue", has=page.locator(".issue-path", has_text="injects[0].at"))
    error.wait_for()
    assert pill.inner_text() == "1 error"
    assert f"line {broken_line}" in error.inner_text()

    error.locator(".issue-path").click()
    assert caret_line(page) == broken_line
    assert page.evaluate("() => document.activeElement.id") == "scenario-text"

    textarea.fill(original)
    pill.filter(has_text="Valid").wait_for()
    first = page.locator("#timeline tbody tr.item-row").first
    first.filter(has_text="first-complaint").wait_for()
    assert first.locator(".col-time").inner_text() == "0:30"
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_bursts_collapse_to_one_row_that_expands(sign_in, server):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/{scenario_id(server, 'Checkout')}/")
    burst = page.locator("#timeline tr.burst-row", has_text="pile-on")
    burst.wait_for()
    assert "×40" in burst.inner_text()
    items = page.locator("#timeline tr.burst-item")
    assert items.count() == 40 and not items.first.is_visible()
    burst.locator(".burst-toggle").click()
    assert items.first.is_visible()
    assert page.locator("#conditional tr", has_text="trending").is_visible()


def test_a_hebrew_scenario_is_edited_right_to_left(sign_in, server):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/{scenario_id(server, 'ריקול')}/")
    page.locator("#status-pill", has_text="Valid").wait_for()
    direction = page.evaluate("() => getComputedStyle(document.getElementById('scenario-text')).direction")
    assert direction == "rtl"
    assert page.locator("html").get_attribute("dir") == "ltr"  # the page follows the UI language
    page.screenshot(path="/tmp/editor-he.png", full_page=True)


def test_a_new_scenario_is_created_saved_and_published(sign_in, server):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/")
    page.click("#new-scenario")
    textarea = page.locator("#scenario-text")
    page.locator("#status-pill", has_text="Valid").wait_for()
    textarea.fill(textarea.input_value().replace("title: New scenario", "title: Editor journey"))
    page.click("#save")
    page.wait_for_url(re.compile(r"/scenarios/\d+/$"))
    assert page.locator("#scenario-title").inner_text() == "Editor journey"

    page.click("#publish")
    page.locator("#save-state", has_text="Published version 1").wait_for()
    assert page.locator("#versions li").count() == 1

    textarea.fill(textarea.input_value().replace("at: 1m", "at: 2m"))
    page.locator("#save-state", has_text="Unsaved changes").wait_for()
    page.keyboard.press("Control+s")
    page.locator("#save-state", has_text="Saved").wait_for()
    page.click("#publish")
    page.locator("#save-state", has_text="Published version 2").wait_for()
    assert page.locator("#versions li").first.inner_text().startswith("v2")
    assert page.locator("#published-badge").inner_text() == "v2"
