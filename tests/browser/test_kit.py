"""The crisis kit page in a real browser: an instructor filters, writes a template (refused with an empty slot,
then saved), duplicates and deletes it, imports a kit file; a participant only reads; Hebrew reads right to left."""

import pytest

pytestmark = pytest.mark.browser

KIT_FILE = b"""\
format: crisisdrill-kit/v1
templates:
  - name: Browser import
    kind: other
    language: en
    text: Imported from a file, [[a slot]].
"""


def card(page, name: str):
    return page.locator(".kit-card", has=page.locator(".kit-name", has_text=name))


def test_an_instructor_writes_duplicates_deletes_and_imports(sign_in, server, tmp_path):
    page = sign_in("instructor")
    page.click("nav >> text=Crisis kit")
    page.wait_for_url(f"{server['url']}/templates/")
    assert page.locator(".kit-card").count() >= 18  # the seeded kit

    page.select_option("#filter-kind", "apology")
    page.wait_for_url("**/templates/?*kind=apology*")
    assert sorted(page.locator(".kit-name").all_inner_texts()) == ["Apology", "Excuses", "התנצלות"]
    page.select_option("#filter-language", "he")
    page.wait_for_url("**language=he*")
    assert page.locator(".kit-name").all_inner_texts() == ["התנצלות"]
    assert card(page, "התנצלות").locator(".kit-text").get_attribute("dir") == "rtl"

    page.click("#new-template")
    page.fill("#name", "Browser statement")
    page.select_option("#kind", "update")
    page.fill("#template-language", "en")
    page.check("input[name=platforms][value=x]")
    page.fill("#tags", "browser, outage")
    page.fill("#text", "Hi {persona.name}, an update: [[]].")
    page.click("#save-template")
    error = page.locator(".field-error")
    error.filter(has_text="a slot [[...]] must say what to fill in").wait_for()
    assert page.locator("#name").input_value() == "Browser statement"  # what was typed is kept

    page.fill("#text", "Hi {persona.name}, an update: [[what changed]].")
    page.click("#save-template")
    page.wait_for_url(f"{server['url']}/templates/")
    saved = card(page, "Browser statement")
    assert saved.locator("mark.slot").inner_text() == "[[what changed]]"
    assert "Template saved." in page.locator(".messages").inner_text()

    saved.locator("button", has_text="Duplicate").click()
    page.wait_for_url("**/templates/*/")
    assert page.locator("#name").input_value() == "Browser statement (copy)"
    page.click(".back-link")
    page.once("dialog", lambda dialog: dialog.accept())
    card(page, "Browser statement (copy)").locator("button", has_text="Delete").click()
    page.locator(".messages", has_text="Deleted").wait_for()
    assert card(page, "Browser statement (copy)").count() == 0

    kit = tmp_path / "kit.yaml"
    kit.write_bytes(KIT_FILE)
    page.set_input_files("#import-file", str(kit))
    assert page.locator(".file-name").inner_text() == "kit.yaml"
    page.click("#import-submit")
    page.locator(".messages", has_text="Imported: 1 template added, 0 updated.").wait_for()
    assert card(page, "Browser import").count() == 1

    with page.expect_download() as download:
        page.click("#export-kit")
    assert "Browser import" in download.value.path().read_text(encoding="utf-8")


def test_a_participant_reads_the_kit_only(sign_in, server):
    page = sign_in("alice")
    page.goto(f"{server['url']}/templates/?q=direct message")
    page.locator(".kit-card").first.wait_for()
    assert page.locator("#new-template, .import-form, .kit-card-actions").count() == 0
    page.goto(f"{server['url']}/templates/new/")
    assert page.locator("#template-form").count() == 0


def test_the_kit_reads_right_to_left_in_hebrew(sign_in, server):
    page = sign_in("instructor", locale="he-IL")
    page.goto(f"{server['url']}/templates/?language=he")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "ערכת משבר"
    head = page.locator(".page-head h1").bounding_box()
    assert head["x"] > 600  # the title sits on the right
    page.screenshot(path="/tmp/kit-he.png", full_page=True)


def test_the_form_says_its_errors_in_hebrew(sign_in, server):
    page = sign_in("instructor", locale="he-IL")
    page.goto(f"{server['url']}/templates/new/")
    page.fill("#name", "הודעה חדשה")
    page.fill("#template-language", "HE")
    page.fill("#text", "שלום {persona.name}, [[]]")
    page.click("#save-template")
    page.locator(".field-error", has_text="משבצת [[...]] חייבת לומר מה למלא").wait_for()
    assert page.locator("#template-language").get_attribute("aria-invalid") == "true"
    page.screenshot(path="/tmp/kit-form-he.png", full_page=True)
