"""The scenario library and editor pages, and the draft preview the editor calls."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from frontend.scenario_pages import MSG_NO_FILE, MSG_TOO_LARGE, NEW_SCENARIO_TEMPLATE
from scenarios.models import Scenario
from scenarios.services import document_load, scenario_create, scenario_publish
from scenarios.validation import MAX_DOCUMENT_BYTES, dump_document, load_document, validate

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "scenarios"
OUTAGE = (SHARED / "checkout-outage.en.yaml").read_text()
RECALL = (SHARED / "food-recall.he.yaml").read_text()


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def create(cast, text=OUTAGE, user=None) -> Scenario:
    return scenario_create(by=user or cast.instructor, document=document_load(text=text))


def upload(text: str | bytes, name="scenario.yaml") -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="application/yaml")


# ---- who may open the pages ----


@pytest.mark.parametrize(
    ("who", "library", "editor", "new"),
    [
        ("instructor", 200, 200, 200),
        ("alice", 404, 404, 404),
        ("olivia", 404, 404, 404),
        ("rival", 200, 404, 200),  # an instructor, but of another organization: its scenario is not there
    ],
)
def test_only_the_organizations_instructors_open_the_pages(cast, who, library, editor, new):
    scenario = create(cast)
    scenario_publish(by=cast.instructor, scenario=scenario)  # participants see published titles elsewhere
    client = signed_in(getattr(cast, who))
    assert client.get("/scenarios/").status_code == library
    assert client.get(f"/scenarios/{scenario.pk}/").status_code == editor
    assert client.get("/scenarios/new/").status_code == new


def test_a_participant_gets_the_404_page_and_never_the_document(cast):
    scenario = create(cast)
    for path in ("/scenarios/", f"/scenarios/{scenario.pk}/"):
        response = signed_in(cast.alice).get(path)
        page = response.content.decode()
        assert response.status_code == 404 and "Not found" in page
        assert "first-complaint" not in page and "Checkout outage" not in page


def test_a_participant_cannot_import(cast):
    response = signed_in(cast.alice).post("/scenarios/import/", {"file": upload(OUTAGE)})
    assert response.status_code == 404 and Scenario.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(cast):
    response = Client().get("/scenarios/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# ---- the library ----


def test_the_library_lists_title_language_version_and_links_to_the_editor(cast):
    outage = create(cast)
    recall = create(cast, RECALL)
    scenario_publish(by=cast.instructor, scenario=outage)
    page = signed_in(cast.instructor).get("/scenarios/").content.decode()
    assert "Checkout outage on Black Friday" in page and f'href="/scenarios/{outage.pk}/"' in page
    assert f'href="/scenarios/{recall.pk}/" dir="rtl"' in page
    assert ">v1<" in page and "Draft" in page
    assert 'href="/scenarios/new/"' in page and 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"q": "checkout"}, "Checkout outage", "ריקול"),
        ({"language": "he"}, "ריקול", "Checkout outage"),
        ({"q": "checkout", "language": "he"}, "No scenario matches", "Checkout outage on"),
    ],
)
def test_the_library_searches_by_title_and_filters_by_language(cast, params, shown, hidden):
    create(cast)
    create(cast, RECALL)
    page = signed_in(cast.instructor).get("/scenarios/", params).content.decode()
    table = page.split("<table", 1)[-1] if "<table" in page else page
    assert shown in page and hidden not in table


def test_the_library_escapes_titles(cast):
    create(cast, OUTAGE.replace("title: Checkout outage on Black Friday", 'title: "<script>x</script>"'))
    page = signed_in(cast.instructor).get("/scenarios/").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


# ---- importing a file ----


def test_importing_a_file_creates_the_scenario_and_opens_its_editor(cast):
    response = signed_in(cast.instructor).post("/scenarios/import/", {"file": upload(OUTAGE)})
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{scenario.pk}/"
    assert scenario.title == "Checkout outage on Black Friday" and scenario.organization == cast.org


def test_a_json_file_imports_too(cast):
    text = dump_document(load_document(OUTAGE), "json")
    response = signed_in(cast.instructor).post("/scenarios/import/", {"file": upload(text, "s.json")})
    assert response.status_code == 302 and Scenario.objects.count() == 1


def test_an_invalid_file_lists_every_error_with_its_path_and_saves_nothing(cast):
    broken = OUTAGE.replace("at: 30s", "at: soon").replace("severity: 3", "severity: 9")
    response = signed_in(cast.instructor).post("/scenarios/import/", {"file": upload(broken, "broken.yaml")})
    page = response.content.decode()
    assert response.status_code == 400 and Scenario.objects.count() == 0
    assert "broken.yaml was not imported: 2 problems." in page
    assert '<code class="issue-path">injects[0].at</code>' in page
    assert '<code class="issue-path">injects[0].severity</code>' in page
    # Where each one is in the file (PROTOCOL 1.7).
    line = [text.strip() for text in broken.splitlines()].index("at: soon") + 1
    assert f'<span class="issue-line">line {line}, column 5</span>' in page


def test_a_file_that_is_not_yaml_shows_the_reader_error(cast):
    response = signed_in(cast.instructor).post("/scenarios/import/", {"file": upload("title: [unclosed\n")})
    assert response.status_code == 400 and "invalid YAML at line" in response.content.decode()


def test_a_file_over_one_mebibyte_is_refused(cast):
    big = b"# " + b"x" * MAX_DOCUMENT_BYTES
    response = signed_in(cast.instructor).post("/scenarios/import/", {"file": upload(big)})
    assert response.status_code == 413 and MSG_TOO_LARGE in response.content.decode()
    assert Scenario.objects.count() == 0


def test_an_import_without_a_file_says_what_to_do(cast):
    response = signed_in(cast.instructor).post("/scenarios/import/", {})
    assert response.status_code == 400 and MSG_NO_FILE in response.content.decode()


# ---- the editor ----


def test_the_editor_shows_the_document_versions_and_export_links(cast):
    scenario = create(cast)
    scenario_publish(by=cast.instructor, scenario=scenario)
    page = signed_in(cast.instructor).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "key: first-complaint" in page and "at: 30s" in page
    assert f'data-scenario-id="{scenario.pk}"' in page and 'dir="ltr"' in page
    assert f"/api/scenarios/{scenario.pk}/export/?format=yaml" in page
    assert f"/api/scenarios/{scenario.pk}/export/?format=json" in page
    assert 'id="versions"' in page and ">v1<" in page
    assert 'src="/static/frontend/js/scenario-editor.js"' in page and "<script>" not in page


def test_a_hebrew_scenario_is_edited_right_to_left_on_an_english_page(cast):
    scenario = create(cast, RECALL)
    page = signed_in(cast.instructor).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert '<textarea id="scenario-text" dir="rtl"' in page


def test_the_new_page_starts_from_a_valid_template(cast):
    page = signed_in(cast.instructor).get("/scenarios/new/").content.decode()
    assert "title: New scenario" in page and 'data-scenario-id=""' in page
    result = validate(load_document(NEW_SCENARIO_TEMPLATE))
    assert result.errors == [] and result.warnings == []


def test_the_editor_escapes_the_document(cast):
    scenario = create(cast, OUTAGE.replace("Is this a scam?", "</textarea><script>alert(1)</script>"))
    page = signed_in(cast.instructor).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;/textarea&gt;" in page


# ---- the draft preview the editor shows beside the text ----


def test_the_draft_preview_plans_an_unsaved_document(cast):
    response = cast.client(cast.instructor).post(
        "/api/scenarios/preview/", OUTAGE.encode(), content_type="application/yaml"
    )
    body = response.json()
    assert response.status_code == 200 and Scenario.objects.count() == 0
    first = body["timeline"][0]
    assert (first["key"], first["planned_ms"], first["respond_by_ms"]) == ("first-complaint", 30_000, 330_000)
    assert {item["key"] for item in body["conditional"]} == {"trending", "thanks"}


def test_the_draft_preview_of_an_invalid_document_lists_its_errors(cast):
    broken = OUTAGE.replace("at: 30s", "at: soon")
    response = cast.client(cast.instructor).post(
        "/api/scenarios/preview/", broken.encode(), content_type="application/yaml"
    )
    assert response.status_code == 400
    assert "injects[0].at" in {error["path"] for error in response.json()["errors"]}


@pytest.mark.parametrize("who", ["alice", "olivia"])
def test_the_draft_preview_is_for_instructors_only(cast, who):
    response = cast.client(getattr(cast, who)).post(
        "/api/scenarios/preview/", OUTAGE.encode(), content_type="application/yaml"
    )
    assert response.status_code == 403 and "timeline" not in response.json()


def test_the_schema_documents_the_draft_preview_and_issue_lines(cast):
    schema = signed_in(cast.instructor).get("/api/schema/").content.decode()
    assert "/api/scenarios/preview/:" in schema and "IssueWithLineOutput" in schema


# ---- the editor's calls from a signed-in browser (session cookie + CSRF header) ----


def browser_client(cast) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.instructor)
    client.get("/scenarios/new/")  # sets the csrftoken cookie, as the page does
    return client, client.cookies["csrftoken"].value


def test_the_editor_validates_a_spec_text_with_the_session_and_gets_lines(cast):
    client, token = browser_client(cast)
    text = OUTAGE.replace("at: 30s", "at: soon")
    response = client.post(
        "/api/scenarios/validate/", {"spec": text}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    error = response.json()["errors"][0]
    assert response.status_code == 200 and error["path"] == "injects[0].at"
    assert text.splitlines()[error["line"] - 1].strip() == "at: soon"


def test_the_editor_calls_are_refused_without_the_csrf_header(cast):
    client, _ = browser_client(cast)
    response = client.post("/api/scenarios/preview/", {"spec": OUTAGE}, content_type="application/json")
    assert response.status_code == 403


def test_a_browser_session_may_post_yaml_to_validate(cast):
    client, token = browser_client(cast)
    response = client.post(
        "/api/scenarios/validate/", OUTAGE.encode(), content_type="application/yaml", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
