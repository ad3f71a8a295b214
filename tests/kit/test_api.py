"""The crisis kit over REST: instructors write, every member reads, other organizations get 404; bad input is a 400
with its path and nothing is written; a kit file imports whole or not at all and round-trips through export."""

import pytest
import yaml

from kit.limits import MAX_TEMPLATES, MSG_KIT_TOO_LARGE, MSG_TOO_MANY_TEMPLATES
from kit.models import ResponseTemplate
from kit.services import MSG_INVALID_KIT, MSG_NAME_TAKEN, template_create
from kit.validation import MSG_EMPTY_SLOT, MSG_KIND, MSG_LANGUAGE
from scenarios.api import MSG_BAD_TEXT_FORMAT
from scenarios.validation import MSG_PLATFORM, MSG_UNKNOWN_KEY, MSG_YAML_ANCHOR

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Holding statement",
    "kind": "holding",
    "language": "en",
    "platforms": ["x"],
    "tags": ["outage"],
    "text": "Hi {persona.handle}, we know about [[the problem]] and will update you by [[time]].",
}
KIT = """\
format: crisisdrill-kit/v1
templates:
  - name: Apology
    kind: apology
    language: en
    text: We are sorry, {persona.name}. [[what went wrong]]
  - name: Excuses
    kind: apology
    language: fr
    platforms: [facebook]
    tags: [service]
    text: Nous sommes désolés, {persona.name}. [[ce qui s'est passé]]
"""


@pytest.fixture
def template(cast):
    return template_create(by=cast.instructor, data=BODY)


def post_kit(client, text: str, content_type: str = "application/yaml"):
    return client.post("/api/templates/import/", text.encode(), content_type=content_type)


# ---- who may do what ------------------------------------------------------------------------------------

ACTIONS = {
    "list": lambda c, t: c.get("/api/templates/"),
    "read": lambda c, t: c.get(f"/api/templates/{t.pk}/"),
    "create": lambda c, t: c.post("/api/templates/", {**BODY, "name": "New"}, format="json"),
    "update": lambda c, t: c.put(f"/api/templates/{t.pk}/", {**BODY, "name": "Renamed"}, format="json"),
    "patch": lambda c, t: c.patch(f"/api/templates/{t.pk}/", {"name": "Patched"}, format="json"),
    "delete": lambda c, t: c.delete(f"/api/templates/{t.pk}/"),
    "duplicate": lambda c, t: c.post(f"/api/templates/{t.pk}/duplicate/"),
    "import": lambda c, t: post_kit(c, KIT),
    "export": lambda c, t: c.get("/api/templates/export/"),
}
# The rival instructor lists and exports their own (empty) library; the cast's templates are 404 to them.
STATUS = {
    "instructor": {
        "list": 200, "read": 200, "create": 201, "update": 200, "patch": 200, "delete": 204, "duplicate": 201,
        "import": 200, "export": 200,
    },
    "alice": {
        "list": 200, "read": 200, "create": 403, "update": 403, "patch": 403, "delete": 403, "duplicate": 403,
        "import": 403, "export": 200,
    },
    "olivia": {
        "list": 200, "read": 200, "create": 403, "update": 403, "patch": 403, "delete": 403, "duplicate": 403,
        "import": 403, "export": 200,
    },
    "rival": {
        "list": 200, "read": 404, "create": 201, "update": 404, "patch": 404, "delete": 404, "duplicate": 404,
        "import": 200, "export": 200,
    },
}  # fmt: skip
WRITES = {"create", "update", "patch", "delete", "duplicate", "import"}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", STATUS)
def test_permissions(cast, template, who, action):
    before = list(ResponseTemplate.objects.filter(organization=cast.org).values())
    response = ACTIONS[action](cast.client(getattr(cast, who)), template)
    assert response.status_code == STATUS[who][action], response.content
    if action in WRITES and response.status_code >= 400:
        assert list(ResponseTemplate.objects.filter(organization=cast.org).values()) == before


def test_signed_out_people_are_refused(cast, template):
    assert cast.client(None).get("/api/templates/").status_code in (401, 403)


def test_the_rival_never_sees_another_organizations_templates(cast, template):
    client = cast.client(cast.rival)
    assert client.get("/api/templates/").json() == []
    assert yaml.safe_load(client.get("/api/templates/export/").content)["templates"] == []


def test_a_participant_reads_the_whole_template(cast, template):
    body = cast.client(cast.alice).get(f"/api/templates/{template.pk}/").json()
    assert body == {"id": template.pk, **BODY}


# ---- filters --------------------------------------------------------------------------------------------


@pytest.fixture
def library(cast):
    rows = [
        ("Tweet apology", "apology", "en", ["x"], ["outage"], "Sorry about the outage."),
        ("Any apology", "apology", "en", [], ["privacy"], "We apologise for the data leak."),
        ("Mise à jour", "update", "fr", ["facebook"], ["outage"], "Le service revient."),
        ("הודעה לתקשורת", "media", "he", ["news"], [], "הודעה רשמית על התקלה."),
    ]
    for name, kind, language, platforms, tags, text in rows:
        data = {"name": name, "kind": kind, "language": language, "platforms": platforms, "tags": tags, "text": text}
        template_create(by=cast.instructor, data=data)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["Any apology", "Mise à jour", "Tweet apology", "הודעה לתקשורת"]),
        ("?kind=apology", ["Any apology", "Tweet apology"]),
        ("?language=fr", ["Mise à jour"]),
        ("?platform=x", ["Any apology", "Tweet apology"]),  # no platforms: fits every platform
        ("?tag=outage", ["Mise à jour", "Tweet apology"]),
        ("?q=leak", ["Any apology"]),  # the text
        ("?q=tweet", ["Tweet apology"]),  # the name, any case
        ("?q=התקלה", ["הודעה לתקשורת"]),
        ("?kind=apology&platform=x&tag=outage", ["Tweet apology"]),
        ("?kind=&language=&platform=&tag=&q=", ["Any apology", "Mise à jour", "Tweet apology", "הודעה לתקשורת"]),
    ],
)
def test_the_list_filters(cast, library, query, names):
    response = cast.client(cast.olivia).get(f"/api/templates/{query}")
    assert [t["name"] for t in response.json()] == names


@pytest.mark.parametrize(
    ("query", "path"), [("?kind=threat", "kind"), ("?platform=myspace", "platform"), ("?colour=red", "colour")]
)
def test_a_bad_filter_is_a_400_with_its_path(cast, query, path):
    response = cast.client(cast.instructor).get(f"/api/templates/{query}")
    assert response.status_code == 400 and [e["path"] for e in response.json()["errors"]] == [path]


# ---- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"kind": "threat"}, "kind", MSG_KIND),
        ({"language": "english"}, "language", MSG_LANGUAGE),
        ({"platforms": ["myspace"]}, "platforms[0]", MSG_PLATFORM),
        ({"text": "x" * 5001}, "text", "must be at most 5,000 characters"),
        ({"text": "Hi {customer.name}"}, "text", "unknown placeholder {customer.name}"),
        ({"text": "Hi [[]]"}, "text", MSG_EMPTY_SLOT),
        ({"id": 3}, "id", MSG_UNKNOWN_KEY),
    ],
)
@pytest.mark.parametrize("method", ["post", "put"])
def test_bad_input_is_a_400_with_its_path_and_nothing_is_written(cast, template, method, change, path, message):
    client = cast.client(cast.instructor)
    url = "/api/templates/" if method == "post" else f"/api/templates/{template.pk}/"
    response = getattr(client, method)(url, {**BODY, "name": "Other", **change}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"path": path, "message": message}]
    assert list(ResponseTemplate.objects.values_list("name", flat=True)) == ["Holding statement"]


@pytest.mark.parametrize("body", [[1, 2], "text", None])
def test_a_body_that_is_not_an_object_is_a_400(cast, body):
    response = cast.client(cast.instructor).post("/api/templates/", body, format="json")
    assert response.status_code == 400 and ResponseTemplate.objects.count() == 0


def test_a_name_taken_is_a_400_on_name(cast, template):
    client = cast.client(cast.instructor)
    other = client.post("/api/templates/", {**BODY, "name": "Other"}, format="json").json()
    for response in (
        client.post("/api/templates/", BODY, format="json"),
        client.put(f"/api/templates/{other['id']}/", BODY, format="json"),
        client.patch(f"/api/templates/{other['id']}/", {"name": BODY["name"]}, format="json"),
    ):
        assert response.status_code == 400
        assert response.json()["errors"] == [{"path": "name", "message": MSG_NAME_TAKEN}]
    assert sorted(ResponseTemplate.objects.values_list("name", flat=True)) == ["Holding statement", "Other"]


def test_the_same_name_in_another_organization_is_fine(cast, template):
    response = cast.client(cast.rival).post("/api/templates/", BODY, format="json")
    assert response.status_code == 201


def test_patch_changes_only_what_it_names(cast, template):
    response = cast.client(cast.instructor).patch(f"/api/templates/{template.pk}/", {"tags": []}, format="json")
    assert response.json() == {"id": template.pk, **BODY, "tags": []}


@pytest.fixture
def full_library(cast):
    ResponseTemplate.objects.bulk_create(
        ResponseTemplate(organization=cast.org, name=f"T{i}", kind="other", language="en", text="t")
        for i in range(MAX_TEMPLATES)
    )


@pytest.mark.parametrize(
    "action",
    [
        lambda c: c.post("/api/templates/", BODY, format="json"),
        lambda c: c.post(f"/api/templates/{ResponseTemplate.objects.first().pk}/duplicate/"),
        lambda c: post_kit(c, KIT),
    ],
    ids=["create", "duplicate", "import"],
)
def test_an_organization_keeps_at_most_500_templates(cast, full_library, action):
    response = action(cast.client(cast.instructor))
    assert response.status_code == 400 and response.json()["detail"] == MSG_TOO_MANY_TEMPLATES
    assert ResponseTemplate.objects.count() == MAX_TEMPLATES


def test_a_full_library_still_takes_a_kit_that_only_updates(cast, full_library):
    kit = "format: crisisdrill-kit/v1\ntemplates:\n  - {name: T1, kind: dm, language: en, text: Write to us.}\n"
    response = post_kit(cast.client(cast.instructor), kit)
    assert response.status_code == 200 and [t["name"] for t in response.json()["updated"]] == ["T1"]


# ---- duplicate ------------------------------------------------------------------------------------------


def test_duplicate_copies_under_a_free_name(cast, template):
    client = cast.client(cast.instructor)
    first = client.post(f"/api/templates/{template.pk}/duplicate/").json()
    second = client.post(f"/api/templates/{template.pk}/duplicate/").json()
    assert first == {**BODY, "id": first["id"], "name": "Holding statement (copy)"}
    assert second["name"] == "Holding statement (copy 2)"


def test_duplicate_names_in_the_callers_language_and_fits_200_characters(cast):
    long = template_create(by=cast.instructor, data={**BODY, "name": "n" * 200})
    client = cast.client(cast.instructor)
    copy = client.post(f"/api/templates/{long.pk}/duplicate/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert copy["name"].endswith(" (copie)") and len(copy["name"]) == 200


# ---- import and export ----------------------------------------------------------------------------------


def test_import_then_export_gives_the_same_library(cast):
    client = cast.client(cast.instructor)
    response = post_kit(client, KIT)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["created"]] == ["Apology", "Excuses"]
    exported = client.get("/api/templates/export/")
    assert exported["Content-Type"].startswith("application/yaml")
    assert "attachment" in exported["Content-Disposition"]
    assert yaml.safe_load(exported.content) == yaml.safe_load(KIT) | {
        "templates": [{"platforms": [], "tags": [], **t} for t in yaml.safe_load(KIT)["templates"]]
    }
    again = post_kit(client, exported.content.decode())
    assert again.json() == {"created": [], "updated": []}
    as_json = client.get("/api/templates/export/?format=json")
    assert post_kit(client, as_json.content.decode(), "application/json").json() == {"created": [], "updated": []}


def test_import_updates_a_template_of_the_same_name(cast, template):
    kit = (
        f"format: crisisdrill-kit/v1\ntemplates:\n  - {{name: {BODY['name']}, kind: update, language: en, text: New}}\n"
    )
    response = post_kit(cast.client(cast.instructor), kit)
    assert [t["id"] for t in response.json()["updated"]] == [template.pk]
    template.refresh_from_db()
    assert (template.kind, template.text, template.platforms) == ("update", "New", [])


@pytest.mark.parametrize(
    ("kit", "paths"),
    [
        (KIT.replace("kind: apology\n    language: fr", "kind: sorry\n    language: fr"), ["templates[1].kind"]),
        (KIT.replace("[[what went wrong]]", "[[]]"), ["templates[0].text"]),
        (KIT.replace("name: Excuses", "name: Apology"), ["templates[1].name"]),
        (KIT.replace("    tags: [service]\n", "    tags: [service]\n    owner: me\n"), ["templates[1].owner"]),
        (KIT.replace("crisisdrill-kit/v1", "crisisdrill/v1"), ["format"]),
        ("format: crisisdrill-kit/v1\ntemplates: &a []\nother: *a\n", [""]),  # anchors refused
        ("format: crisisdrill-kit/v1\nformat: crisisdrill-kit/v1\ntemplates: []\n", ["format"]),
        ("- just a list\n", [""]),
        ("templates: [\n", [""]),
    ],
    ids=["kind", "empty-slot", "duplicate-name", "unknown-key", "format", "anchor", "duplicate-key", "list", "syntax"],
)
def test_a_bad_kit_is_refused_whole_with_paths(cast, template, kit, paths):
    response = post_kit(cast.client(cast.instructor), kit)
    assert response.status_code == 400, response.content
    assert [e["path"] for e in response.json()["errors"]] == paths
    assert list(ResponseTemplate.objects.values_list("name", flat=True)) == ["Holding statement"]


def test_an_anchor_is_said_as_such(cast):
    response = post_kit(cast.client(cast.instructor), "format: &f crisisdrill-kit/v1\ntemplates: []\n")
    assert response.json()["errors"][0]["message"] == MSG_YAML_ANCHOR.format(line=1, column=9)
    assert response.json()["detail"] == MSG_INVALID_KIT


def test_a_kit_file_over_2_mib_is_a_413(cast):
    response = post_kit(cast.client(cast.instructor), KIT + "#" + "x" * (2 * 1024 * 1024))
    assert response.status_code == 413 and ResponseTemplate.objects.count() == 0
    assert response.json()["detail"] in (MSG_KIT_TOO_LARGE, "The request body is larger than 2 MiB.")


def test_a_multipart_kit_file_imports(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kit.yaml", KIT.encode(), content_type="application/yaml")
    response = cast.client(cast.instructor).post("/api/templates/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200 and ResponseTemplate.objects.count() == 2


def test_a_kit_file_between_1_and_2_mib_imports(cast):
    # Bigger than a scenario document may be (1 MiB): a whole library of long templates still round-trips.
    items = [{"name": f"T{i}", "kind": "other", "language": "en", "text": "x" * 5000} for i in range(300)]
    text = yaml.safe_dump({"format": "crisisdrill-kit/v1", "templates": items}, width=10_000)
    assert 1024 * 1024 < len(text.encode()) < 2 * 1024 * 1024
    response = post_kit(cast.client(cast.instructor), text)
    assert response.status_code == 200 and ResponseTemplate.objects.count() == 300


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", ""])
def test_a_kit_exports_as_text_only(cast, template, fmt):
    response = cast.client(cast.instructor).get(f"/api/templates/export/?format={fmt}")

    assert response.status_code == 400  # a scenario may be a workbook; a kit may not (it was a 500: the fuzzer)
    assert response.json()["errors"] == [{"path": "format", "message": MSG_BAD_TEXT_FORMAT}]
