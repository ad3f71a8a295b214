"""The crisis kit pages: every member reads, instructors write through the same services as the API."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from frontend.template_pages import MSG_NO_FILE, text_segments
from kit.models import ResponseTemplate
from kit.services import MSG_NAME_TAKEN, template_create
from kit.validation import MSG_EMPTY_SLOT, MSG_LANGUAGE
from tests.kit.test_api import BODY, KIT

pytestmark = pytest.mark.django_db
FORM = {
    "name": "Holding statement",
    "kind": "holding",
    "language": "en",
    "platforms": ["x", "facebook"],
    "tags": "outage, first-response",
    "text": "Hi {persona.name},\r\nwe are on it: [[what happened]].",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def template(cast):
    return template_create(by=cast.instructor, data=BODY)


PAGES = {
    "library": lambda t: ("get", "/templates/"),
    "new": lambda t: ("get", "/templates/new/"),
    "edit": lambda t: ("get", f"/templates/{t.pk}/"),
    "create": lambda t: ("post", "/templates/new/"),
    "duplicate": lambda t: ("post", f"/templates/{t.pk}/duplicate/"),
    "delete": lambda t: ("post", f"/templates/{t.pk}/delete/"),
    "import": lambda t: ("post", "/templates/import/"),
}
STATUS = {
    "instructor": {
        "library": 200, "new": 200, "edit": 200, "create": 302, "duplicate": 302, "delete": 302, "import": 302,
    },
    "alice": {"library": 200, "new": 404, "edit": 404, "create": 404, "duplicate": 404, "delete": 404, "import": 404},
    "olivia": {"library": 200, "new": 404, "edit": 404, "create": 404, "duplicate": 404, "delete": 404, "import": 404},
    "rival": {"library": 200, "new": 200, "edit": 404, "create": 302, "duplicate": 404, "delete": 404, "import": 302},
}  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", STATUS)
def test_who_may_open_and_post_what(cast, template, who, page):
    method, url = PAGES[page](template)
    data = {"file": SimpleUploadedFile("kit.yaml", KIT.encode())} if page == "import" else {**FORM, "name": "New"}
    before = list(ResponseTemplate.objects.filter(organization=cast.org).values())
    client = signed_in(getattr(cast, who))
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == STATUS[who][page]
    if who != "instructor":
        assert list(ResponseTemplate.objects.filter(organization=cast.org).values()) == before


def test_participants_read_the_kit_without_buttons(cast, template):
    page = shown(signed_in(cast.alice).get("/templates/"))
    assert BODY["name"] in page and '<mark class="slot">[[the problem]]</mark>' in page
    assert "/templates/new/" not in page and "import-form" not in page and "/delete/" not in page
    assert 'href="/templates/"' in page  # the navigation links the kit for every member


def test_the_library_filters_and_searches(cast, template):
    template_create(
        by=cast.instructor,
        data={**BODY, "name": "Excuses", "kind": "apology", "language": "fr", "text": "Désolés.", "tags": []},
    )
    client = signed_in(cast.instructor)

    def names(query: str) -> list[str]:
        page = shown(client.get(f"/templates/{query}"))
        return [name for name in ("Holding statement", "Excuses") if f'dir="auto">{name}</h2>' in page]

    assert names("") == ["Holding statement", "Excuses"]
    assert names("?kind=apology") == ["Excuses"]
    assert names("?language=en") == ["Holding statement"]
    assert names("?platform=x&tag=outage") == ["Holding statement"]
    assert names("?q=problem") == ["Holding statement"]
    assert names("?kind=nonsense") == ["Holding statement", "Excuses"]  # an unknown choice filters nothing


def test_a_form_saves_a_template(cast):
    response = signed_in(cast.instructor).post("/templates/new/", FORM)
    assert response.status_code == 302
    saved = ResponseTemplate.objects.get()
    assert saved.tags == ["outage", "first-response"] and saved.platforms == ["x", "facebook"]
    assert saved.text == "Hi {persona.name},\nwe are on it: [[what happened]]."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"language": "French"}, MSG_LANGUAGE),
        ({"text": "Hi [[]]"}, MSG_EMPTY_SLOT),
        ({"name": BODY["name"]}, MSG_NAME_TAKEN),
    ],
)
def test_a_form_with_a_mistake_says_it_beside_the_field_and_saves_nothing(cast, template, change, message):
    response = signed_in(cast.instructor).post("/templates/new/", {**FORM, "name": "Other"} | change)
    page = shown(response)
    assert response.status_code == 400
    assert f'<p class="field-error">{message}</p>' in page
    template.refresh_from_db()
    assert template.name == BODY["name"] and ResponseTemplate.objects.count() == 1


def test_an_edit_keeps_what_was_typed_after_a_mistake(cast, template):
    page = shown(signed_in(cast.instructor).post(f"/templates/{template.pk}/", {**FORM, "language": "xx-YY"}))
    assert 'value="xx-YY"' in page and "[[what happened]]" in page


def test_duplicate_opens_the_copy_and_delete_removes(cast, template):
    client = signed_in(cast.instructor)
    response = client.post(f"/templates/{template.pk}/duplicate/")
    copy = ResponseTemplate.objects.exclude(pk=template.pk).get()
    assert response["Location"] == f"/templates/{copy.pk}/" and copy.name == "Holding statement (copy)"
    client.post(f"/templates/{copy.pk}/delete/")
    assert list(ResponseTemplate.objects.values_list("pk", flat=True)) == [template.pk]


def test_an_import_with_errors_lists_them_and_imports_nothing(cast):
    broken = KIT.replace("kind: apology\n    language: fr", "kind: sorry\n    language: fr")
    response = signed_in(cast.instructor).post(
        "/templates/import/", {"file": SimpleUploadedFile("k.yaml", broken.encode())}
    )
    assert response.status_code == 400 and "templates[1].kind" in shown(response)
    assert ResponseTemplate.objects.count() == 0
    empty = signed_in(cast.instructor).post("/templates/import/", {})
    assert empty.status_code == 400 and MSG_NO_FILE in shown(empty)


def test_an_import_says_what_it_did(cast):
    client = signed_in(cast.instructor)
    client.post("/templates/import/", {"file": SimpleUploadedFile("k.yaml", KIT.encode())})
    assert "Imported: 2 templates added, 0 updated." in shown(client.get("/templates/"))


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("no slot", [("no slot", "")]),
        ("[[a]] b [[c]]", [("[[a]]", "slot"), (" b ", ""), ("[[c]]", "slot")]),
        ("תיקון: נכתב ש[[הטענה]].", [("תיקון: נכתב ש", ""), ("[[הטענה]]", "slot"), (".", "")]),
        ("{persona.name}, שלום", [("{persona.name}", "placeholder"), (", שלום", "")]),
        ("{{literal}} [[ask {brand.name}]]", [("{{literal}} ", ""), ("[[ask {brand.name}]]", "slot")]),
    ],
)
def test_text_segments_mark_the_slots(text, segments):
    assert text_segments(text) == segments


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [
        ("he", "rtl", ("ערכת משבר", "ייבוא קובץ ערכה", "הודעת המתנה")),
        ("fr", "ltr", ("Trousse de crise", "Dupliquer", "Déclaration d'attente")),
    ],
)
def test_the_kit_page_speaks_hebrew_and_french(cast, template, language, direction, words):
    client = signed_in(cast.instructor)
    client.cookies["django_language"] = language
    page = shown(client.get("/templates/"))
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert all(word in page for word in words) and "Import a kit file" not in page


def test_a_hebrew_template_reads_right_to_left_on_an_english_page(cast):
    template_create(
        by=cast.instructor, data={**BODY, "name": "התנצלות", "language": "he", "text": "סליחה, [[מה קרה]]."}
    )
    page = shown(signed_in(cast.instructor).get("/templates/"))
    assert '<p class="kit-text" dir="rtl" lang="he">סליחה, <mark class="slot">[[מה קרה]]</mark>.</p>' in page


def test_a_placeholder_opening_a_hebrew_text_is_isolated_as_code(cast):
    data = {**BODY, "name": "היי", "language": "he", "text": "{persona.name}, [[מה קרה]]"}
    template_create(by=cast.instructor, data=data)
    page = shown(signed_in(cast.instructor).get("/templates/"))
    assert '<p class="kit-text" dir="rtl" lang="he"><code class="placeholder" dir="ltr">{persona.name}</code>, ' in page
