"""The workbook and the JSON Schema over REST (PROTOCOL 1.7 and section 2): download, upload back, errors with
their cells and nothing saved, who may do what, and the public, cacheable schema."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from scenarios.formats_api import SCHEMA_CACHE_CONTROL
from scenarios.models import Scenario
from scenarios.schema import scenario_schema
from scenarios.services import MSG_INVALID_WORKBOOK
from scenarios.validation import MSG_DURATION, MSG_TOO_LARGE
from scenarios.workbook import XLSX_TYPE
from scenarios.workbook.layout import MSG_FORMULA, MSG_MACROS

pytestmark = pytest.mark.django_db


def download(client, scenario_id: int) -> bytes:
    response = client.get(f"/api/scenarios/{scenario_id}/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="scenario-{scenario_id}.xlsx"'
    return response.content


def upload(client, data: bytes, name: str = "drill.xlsx", content_type: str = XLSX_TYPE):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post("/api/scenarios/import/", {"file": file}, format="multipart")


def with_cell(data: bytes, sheet: str, ref: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet][ref] = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize("fixture", ["outage", "recall"])
def test_a_downloaded_workbook_imports_back_as_the_same_scenario(cast, fixture, request):
    scenario = request.getfixturevalue(fixture).scenario  # the fixtures give the published version
    client = cast.client(cast.instructor)

    response = upload(client, download(client, scenario.pk))

    assert response.status_code == 201, response.content
    assert response.json()["spec"] == scenario.spec
    assert response.json()["title"] == scenario.title


def test_the_workbook_may_be_the_body_itself(cast, outage):
    client = cast.client(cast.instructor)

    response = client.post("/api/scenarios/import/", download(client, outage.scenario_id), content_type=XLSX_TYPE)

    assert response.status_code == 201
    assert response.json()["spec"] == outage.spec


def test_a_file_named_xlsx_is_read_as_a_workbook_whatever_its_type(cast, outage):
    client = cast.client(cast.instructor)

    response = upload(client, download(client, outage.scenario_id), content_type="application/octet-stream")

    assert response.status_code == 201


def test_errors_name_the_path_and_the_cell_and_nothing_is_saved(cast, outage):
    client = cast.client(cast.instructor)
    broken = with_cell(download(client, outage.scenario_id), "injects", "B2", "soon")

    response = upload(client, broken)

    assert response.status_code == 400
    assert response.json()["detail"] == MSG_INVALID_WORKBOOK
    assert response.json()["errors"] == [{"path": "injects[0].at", "cell": "injects!B2", "message": MSG_DURATION}]
    assert Scenario.objects.count() == 1


def test_a_formula_is_refused_with_its_cell(cast, outage):
    client = cast.client(cast.instructor)
    broken = with_cell(download(client, outage.scenario_id), "injects", "K2", "=1+2")

    response = upload(client, broken)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"path": "", "cell": "injects!K2", "message": MSG_FORMULA.format(formula="=1+2")}
    ]
    assert Scenario.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("drill.xlsm", XLSX_TYPE), ("drill.xlsx", "application/vnd.ms-excel.sheet.macroEnabled.12")],
)
def test_a_macro_enabled_file_is_refused_by_its_name_or_type(cast, outage, name, content_type):
    client = cast.client(cast.instructor)

    response = upload(client, download(client, outage.scenario_id), name=name, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "file", "cell": None, "message": MSG_MACROS}]


def test_a_macro_inside_an_xlsx_is_refused(cast, outage):
    client = cast.client(cast.instructor)
    data = io.BytesIO(download(client, outage.scenario_id))
    with zipfile.ZipFile(data, "a") as package:
        package.writestr("xl/vbaProject.bin", b"macros")

    response = upload(client, data.getvalue())

    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "", "cell": None, "message": MSG_MACROS}]


def test_a_workbook_over_one_mebibyte_is_refused_with_400(cast):
    response = upload(cast.client(cast.instructor), b"PK" + b"\0" * (1024 * 1024))

    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": "file", "cell": None, "message": MSG_TOO_LARGE}]
    assert Scenario.objects.count() == 0


# (who, what, status): the workbook follows the same rights as the other forms.
ACCESS = [
    ("instructor", "export", 200),
    ("alice", "export", 404),
    ("olivia", "export", 404),
    ("rival", "export", 404),
    (None, "export", 401),
    ("instructor", "import", 201),
    ("alice", "import", 403),
    ("olivia", "import", 403),
    (None, "import", 401),
]


@pytest.mark.parametrize(("who", "action", "status"), ACCESS)
def test_who_may_download_and_upload_workbooks(cast, outage, who, action, status):
    data = download(cast.client(cast.instructor), outage.scenario_id)
    client = cast.client(getattr(cast, who) if who else None)

    if action == "export":
        response = client.get(f"/api/scenarios/{outage.scenario_id}/export/?format=xlsx")
    else:
        response = upload(client, data)

    assert response.status_code == status


@pytest.mark.parametrize("who", [None, "alice", "instructor"])
def test_the_schema_is_public_and_cacheable(cast, who):
    client = cast.client(getattr(cast, who) if who else None)

    response = client.get("/api/scenarios/schema.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert response["Cache-Control"] == SCHEMA_CACHE_CONTROL
    assert response.json() == scenario_schema()
    again = client.get("/api/scenarios/schema.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"]


# ---- the library and editor pages ----


def page_client(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.instructor)
    return client


def test_the_library_and_the_editor_offer_the_workbook(cast, outage):
    client = page_client(cast)
    link = f'href="/api/scenarios/{outage.scenario_id}/export/?format=xlsx" download'

    assert link in client.get("/scenarios/").content.decode()
    assert link in client.get(f"/scenarios/{outage.scenario_id}/").content.decode()
    assert ".xlsx," in client.get("/scenarios/").content.decode()  # the import box takes workbooks


def test_the_import_box_takes_a_workbook(cast, outage):
    data = download(cast.client(cast.instructor), outage.scenario_id)

    response = page_client(cast).post("/scenarios/import/", {"file": SimpleUploadedFile("drill.xlsx", data)})

    assert response.status_code == 302
    assert Scenario.objects.latest("pk").spec == outage.spec


def test_the_import_box_shows_workbook_errors_as_a_table_with_cells(cast, outage):
    broken = with_cell(download(cast.client(cast.instructor), outage.scenario_id), "injects", "B2", "soon")

    response = page_client(cast).post("/scenarios/import/", {"file": SimpleUploadedFile("drill.xlsx", broken)})
    page = response.content.decode()

    assert response.status_code == 400 and Scenario.objects.count() == 1
    assert '<table class="table import-error-table">' in page
    assert (
        '<code class="issue-path">injects[0].at</code></td><td><code class="issue-cell" dir="ltr">injects!B2</code>'
        in page
    )
