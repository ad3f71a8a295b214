"""The spreadsheet form in a real browser: download a scenario's workbook from the library, import it back through
the import box, and see a broken workbook's problems as a table naming cells (in Hebrew too)."""

import io
import re

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


def download_workbook(page, title_part: str, tmp_path) -> bytes:
    row = page.locator(".library-table tr", has_text=title_part).first  # other journeys may import copies
    with page.expect_download() as caught:
        row.locator(".workbook-download").click()
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    assert path.suffix == ".xlsx"
    return path.read_bytes()


def import_file(page, path) -> None:
    page.set_input_files("#import-file", str(path))
    page.click("#import-submit")


def test_an_instructor_downloads_a_workbook_and_imports_it_back(sign_in, server, tmp_path):
    page = sign_in("instructor")
    page.goto(f"{server['url']}/scenarios/")
    data = download_workbook(page, "ריקול", tmp_path)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook["scenario"]["B3"].value.startswith("ריקול")

    path = tmp_path / "recall-copy.xlsx"
    path.write_bytes(data)
    import_file(page, path)

    page.wait_for_url(re.compile(r"/scenarios/\d+/$"))
    assert page.locator("#scenario-title").inner_text().startswith("ריקול")
    page.locator("#status-pill", has_text="Valid").wait_for()
    assert page.locator("#export-xlsx").get_attribute("href").endswith("?format=xlsx")


def test_a_broken_workbook_lists_its_cells_in_hebrew(sign_in, server, tmp_path):
    page = sign_in("instructor", locale="he-IL")
    page.goto(f"{server['url']}/scenarios/")
    workbook = load_workbook(io.BytesIO(download_workbook(page, "Checkout", tmp_path)))
    workbook["injects"]["B2"] = "soon"
    path = tmp_path / "broken.xlsx"
    workbook.save(path)

    import_file(page, path)

    table = page.locator(".import-error-table")
    table.wait_for()
    row = table.locator("tbody tr", has_text="injects[0].at")
    assert "injects!B2" in row.inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path="/tmp/workbook-import-he.png", full_page=True)
