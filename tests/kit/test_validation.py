"""A template and a kit file checked before anything is saved: strict keys, every mistake at once with its path."""

import pytest

from kit.limits import MSG_NAME_TOO_LONG, MSG_TAG_TOO_LONG, MSG_TEMPLATE_TOO_LONG, MSG_TOO_MANY_TAGS
from kit.validation import (
    MSG_EMPTY_SLOT,
    MSG_KIND,
    MSG_KIT_FORMAT,
    MSG_LANGUAGE,
    check_kit,
    check_template,
    kit_document,
)
from scenarios.validation import (
    MSG_BAD_CHARACTERS,
    MSG_BLANK,
    MSG_NOT_LIST,
    MSG_NOT_MAPPING,
    MSG_NOT_STRING,
    MSG_PLATFORM,
    MSG_REQUIRED,
    MSG_UNKNOWN_KEY,
)

GOOD = {
    "name": "Holding statement",
    "kind": "holding",
    "language": "en",
    "platforms": ["x", "facebook"],
    "tags": ["outage"],
    "text": "Hi {persona.handle}, {brand.name} knows about [[the problem]]. Next update at [[time]].",
}


def issues_of(data) -> list[tuple[str, str]]:
    template, issues = check_template(data)
    assert (template is None) == bool(issues)
    return [(issue.path, issue.message) for issue in issues]


def test_a_good_template_is_kept_as_written():
    template, issues = check_template(GOOD)
    assert issues == [] and template.as_dict() == GOOD


def test_platforms_and_tags_may_be_left_out():
    template, _ = check_template({k: v for k, v in GOOD.items() if k not in ("platforms", "tags")})
    assert template.platforms == [] and template.tags == []


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"name": ""}, "name", MSG_BLANK),
        ({"name": "x" * 201}, "name", MSG_NAME_TOO_LONG),
        ({"name": "two\nlines"}, "name", MSG_BAD_CHARACTERS),
        ({"name": 7}, "name", MSG_NOT_STRING),
        ({"kind": "threat"}, "kind", MSG_KIND),
        ({"kind": ["holding"]}, "kind", MSG_KIND),
        ({"language": "EN"}, "language", MSG_LANGUAGE),
        ({"language": "en-US"}, "language", MSG_LANGUAGE),
        ({"language": "english"}, "language", MSG_LANGUAGE),
        ({"platforms": "x"}, "platforms", MSG_NOT_LIST),
        ({"platforms": ["x", "myspace"]}, "platforms[1]", MSG_PLATFORM),
        ({"platforms": ["x", "x"]}, "platforms[1]", "duplicate of platforms[0]"),
        ({"tags": ["ok", "t" * 41]}, "tags[1]", MSG_TAG_TOO_LONG),
        ({"tags": ["tag\u0007"]}, "tags[0]", MSG_BAD_CHARACTERS),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags", MSG_TOO_MANY_TAGS),
        ({"text": ""}, "text", MSG_BLANK),
        ({"text": "x" * 5001}, "text", MSG_TEMPLATE_TOO_LONG),
        ({"text": "Hi {reply.excerpt}"}, "text", "unknown placeholder {reply.excerpt}"),
        ({"text": "Hi [[]] there"}, "text", MSG_EMPTY_SLOT),
        ({"text": "Hi [[   ]] there"}, "text", MSG_EMPTY_SLOT),
        ({"text": "null\u0000byte"}, "text", MSG_BAD_CHARACTERS),
        ({"owner": "me"}, "owner", MSG_UNKNOWN_KEY),
    ],
)
def test_each_mistake_is_said_at_its_path(change, path, message):
    assert issues_of({**GOOD, **change}) == [(path, message)]


def test_text_of_exactly_five_thousand_characters_passes_and_hebrew_slots_count():
    assert issues_of({**GOOD, "text": "x" * 5000}) == []
    assert issues_of({**GOOD, "language": "he", "text": "שלום {persona.name}, [[מה קרה]]בבוקר."}) == []


def test_every_mistake_is_said_at_once():
    paths = [path for path, _ in issues_of({"kind": "x", "language": "EN", "text": "{a} {b}"})]
    assert paths == ["name", "kind", "language", "text", "text"]


def test_a_template_must_be_a_mapping():
    assert issues_of(["name"]) == [("", MSG_NOT_MAPPING)]


def test_a_missing_key_is_required():
    assert issues_of({"name": "A", "kind": "dm", "language": "fr"}) == [("text", MSG_REQUIRED)]


def test_a_kit_file_round_trips_and_reports_items_at_their_paths():
    template, _ = check_template(GOOD)
    templates, issues = check_kit(kit_document([template]))
    assert issues == [] and templates == [template]

    broken = {"format": "crisisdrill-kit/v2", "templates": [GOOD, {**GOOD, "kind": "x"}, GOOD], "extra": 1}
    templates, issues = check_kit(broken)
    assert templates == []
    assert [(i.path, i.message) for i in issues] == [
        ("extra", MSG_UNKNOWN_KEY),
        ("format", MSG_KIT_FORMAT),
        ("templates[1].kind", MSG_KIND),
        ("templates[2].name", "duplicate of templates[0].name"),
    ]
