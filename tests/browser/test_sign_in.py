import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_instructor_signs_in_and_sees_what_to_do_next(sign_in, server):
    page = sign_in("instructor")
    assert page.locator("h2", has_text="Write a scenario").is_visible()
    page.screenshot(path=str(server["log"].parent / "home.png"))


def test_the_language_switch_makes_hebrew_right_to_left(sign_in):
    page = sign_in("alice")
    page.select_option("#language", "he")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
