"""The author's text in a real browser (PROTOCOL 1.7): a commented YAML file imported, a comment edited in the
editor, saved and exported with every comment in place; an error marked where it is in the text."""

import re

import pytest

pytestmark = pytest.mark.browser

# A file as an author keeps it in version control: comments, their own key order, block and flow styles, CRLF.
AUTHORED = (
    "# Checkout outage, drill 1 (owner: comms team)\r\n"
    "title: Source journey   # shown in the library\r\n"
    "format: crisisdrill/v1\r\n"
    "language: en\r\n"
    "description: >\r\n"
    "  Payments fail at checkout\r\n"
    "  for half an hour.\r\n"
    'brand: {name: ShopLine, handle: "@shopline"}\r\n'
    "duration: 30m\r\n"
    "response_sla: 10m\r\n"
    "approval_chain:\r\n"
    "  - {role: drafter}\r\n"
    "  - {role: reviewer, sla: 2m}\r\n"
    "personas:\r\n"
    '  - {key: customer, kind: customer, name: "{faker.name}", handle: "@{faker.user_name}"}\r\n'
    "injects:\r\n"
    "  # the first complaint: keep it short\r\n"
    "  - key: complaint\r\n"
    "    at: 1m\r\n"
    "    platform: x\r\n"
    "    persona: customer\r\n"
    "    text: |\r\n"
    "      Card declined at {brand.name}.\r\n"
    "    severity: 2\r\n"
    "    requires_response: true\r\n"
)


def test_an_imported_commented_file_keeps_its_comments_through_an_edit(sign_in, server, tmp_path):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/")
    upload = tmp_path / "outage.yaml"
    upload.write_bytes(AUTHORED.encode())
    page.set_input_files("#import-file", str(upload))
    page.click("#import-submit")
    page.wait_for_url(re.compile(r"/scenarios/\d+/$"))
    page.locator("#status-pill", has_text="Valid").wait_for()
    textarea = page.locator("#scenario-text")
    assert textarea.input_value() == AUTHORED.replace("\r\n", "\n")  # the author's text, not a generated one

    edited = textarea.input_value().replace("keep it short", "keep it short and human")
    textarea.fill(edited)
    page.keyboard.press("Control+s")
    page.locator("#save-state", has_text="Saved").wait_for()

    scenario_id = page.url.rstrip("/").rsplit("/", 1)[1]
    exported = page.request.get(f"{server['url']}/api/scenarios/{scenario_id}/export/?format=yaml").body()
    assert exported == AUTHORED.replace("keep it short", "keep it short and human").encode()


def test_an_error_is_marked_at_its_place_in_the_text(sign_in, server, tmp_path):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/new/")
    page.locator("#status-pill", has_text="Valid").wait_for()
    textarea = page.locator("#scenario-text")
    textarea.fill(textarea.input_value().replace("at: 1m", "at: soon").replace("severity: 2", "severity: 9"))
    page.locator("#status-pill", has_text="2 errors").wait_for()
    marks = page.locator("#code-marks mark.mark-error")
    assert marks.all_inner_texts() == ["at:", "severity:"]
    # The mark lies on its text: the same line box as the word in the text area.
    mark_box, area_box = marks.first.bounding_box(), textarea.bounding_box()
    line = textarea.input_value().split("\n").index("    at: soon")
    line_height = float(
        page.evaluate("() => parseFloat(getComputedStyle(document.getElementById('scenario-text')).lineHeight)")
    )
    assert abs(mark_box["y"] - (area_box["y"] + 10 + line * line_height)) < line_height
    page.locator("#error-list .issue", has_text="injects[0].at").click()
    caret = page.evaluate("() => document.getElementById('scenario-text').selectionStart")
    assert textarea.input_value()[caret:].startswith("at: soon")

    textarea.press("End")
    textarea.type(" ")  # typing takes the marks away until the next check puts them back
    assert page.locator("#code-marks mark").count() == 0
    page.locator("#code-marks mark.mark-error").first.wait_for()
    page.screenshot(path="/tmp/editor-marks.png", full_page=True)


def test_a_hebrew_document_is_marked_at_its_place_right_to_left(sign_in, server):
    page = sign_in("instructor", locale="he-IL")
    found = page.request.get(f"{server['url']}/api/scenarios/?q=%D7%A8%D7%99%D7%A7%D7%95%D7%9C").json()
    page.goto(f"{server['url']}/scenarios/{found[0]['id']}/")
    textarea = page.locator("#scenario-text")
    page.locator("#error-list, #warning-list").first.wait_for(state="attached")
    textarea.fill(textarea.input_value().replace('handle: "@noa_news"', 'hendle: "@noa_news"', 1))
    mark = page.locator("#code-marks mark.mark-error", has_text="hendle:")
    mark.wait_for()
    assert page.evaluate("() => getComputedStyle(document.getElementById('code-marks')).direction") == "rtl"
    # The mark is where the word is: on the text area's line of `hendle`, inside the text area.
    line = (
        textarea.input_value()
        .split("\n")
        .index(next(text for text in textarea.input_value().split("\n") if "hendle:" in text))
    )
    page.locator("#error-list .issue", has_text="hendle").click()  # scrolls the text to it; the marks follow
    scrolled = textarea.evaluate("(t) => t.scrollTop")
    box, area = mark.bounding_box(), textarea.bounding_box()
    assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"]
    assert abs(box["y"] - (area["y"] + 10 + line * 20 - scrolled)) < 20
    page.screenshot(path="/tmp/editor-marks-he.png", full_page=True)
