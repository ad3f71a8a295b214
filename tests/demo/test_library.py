"""The project's own demo library: valid, in English, Hebrew and French, and together using the whole format."""

import re

import pytest

from demo.seed import LIBRARY_DIR, library_paths
from scenarios.spec import PLATFORMS
from scenarios.textgen import BRAND_FIELDS, PERSONA_FIELDS, parse_template
from scenarios.validation import load_document, validate
from scenarios.validation.checks import HEAT_FIELDS, PERSONA_REQUIRED, SCORING_KEYS, TOP_OPTIONAL, TOP_REQUIRED
from scenarios.validation.injects import BURST_REQUIRED, INJECT_OPTIONAL, INJECT_REQUIRED, WHEN_WAITS

PATHS = library_paths()
DOCUMENTS = {path.name: load_document(path.read_bytes()) for path in PATHS}
# The duration forms of PROTOCOL section 1: 45s, 5m, 1h30m, 90 (seconds), 0:05:00.
DURATION_FORMS = {
    "seconds": re.compile(r"\d+s"),
    "minutes": re.compile(r"\d+m"),
    "hours": re.compile(r"\d+h(\d+m)?"),
    "clock": re.compile(r"\d+:\d\d:\d\d"),
}


def injects():
    return [inject for document in DOCUMENTS.values() for inject in document["injects"]]


def templates():
    """Every text with placeholders: personas' names and handles, inject texts and burst texts."""
    for document in DOCUMENTS.values():
        for persona in document.get("personas", []):
            yield persona["name"]
            yield persona["handle"]
        for inject in document["injects"]:
            yield from [inject["text"]] if "text" in inject else inject["texts"]
            yield from [inject["subject"]] if "subject" in inject else []


def durations():
    for document in DOCUMENTS.values():
        yield document["duration"]
        yield document["response_sla"]
        yield from (step["sla"] for step in document["approval_chain"] if "sla" in step)
        for inject in document["injects"]:
            yield from (inject[key] for key in ("at", "respond_within") if key in inject)
            yield from (inject["when"][wait] for wait in ("for", "delay") if wait in inject.get("when", {}))
            if "burst" in inject:
                yield inject["burst"]["over"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_demo_scenario_is_valid_without_a_warning(name):
    result = validate(DOCUMENTS[name])
    assert result.errors == [] and result.warnings == []


def test_the_library_speaks_english_hebrew_and_french():
    assert LIBRARY_DIR.is_dir()
    assert sorted(document["language"] for document in DOCUMENTS.values()) == ["en", "fr", "he"]


def test_together_they_use_every_key_of_the_format():
    used_top = set().union(*DOCUMENTS.values())
    assert used_top == set(TOP_REQUIRED + TOP_OPTIONAL)
    assert set().union(*injects()) == set(INJECT_REQUIRED + INJECT_OPTIONAL)
    assert set().union(*(i["burst"] for i in injects() if "burst" in i)) == set(BURST_REQUIRED)
    personas = [p for document in DOCUMENTS.values() for p in document["personas"]]
    assert set().union(*personas) == {*PERSONA_REQUIRED, "followers"}
    assert set().union(*(document["heat"] for document in DOCUMENTS.values())) == set(HEAT_FIELDS)
    assert set().union(*(document["scoring"] for document in DOCUMENTS.values())) == set(SCORING_KEYS)


def test_together_they_use_every_condition_platform_and_placeholder():
    assert {kind for i in injects() if "when" in i for kind in i["when"] if kind in WHEN_WAITS} == set(WHEN_WAITS)
    assert {i["platform"] for i in injects()} == set(PLATFORMS)
    names = {name for text in templates() for _, name in parse_template(text) if name}
    assert names >= BRAND_FIELDS | PERSONA_FIELDS
    assert any(name.startswith("faker.") for name in names)


def test_together_they_show_chains_self_approval_and_every_duration_form():
    assert {document.get("allow_self_approval") for document in DOCUMENTS.values()} >= {True, False}
    roles = {step["role"] for document in DOCUMENTS.values() for step in document["approval_chain"]}
    assert roles - {"drafter", "reviewer", "legal", "spokesperson"}, "a chain of the author's own roles"
    lengths = {len(document["approval_chain"]) for document in DOCUMENTS.values()}
    assert len(lengths) == len(DOCUMENTS), "chains of different lengths"
    written = list(durations())
    assert any(isinstance(value, int) for value in written), "a duration in plain seconds"
    for form, pattern in DURATION_FORMS.items():
        assert any(isinstance(value, str) and pattern.fullmatch(value) for value in written), form


def test_a_press_email_has_a_subject_and_a_quiet_post_early_on_is_a_signal():
    assert any(i["platform"] == "email" and "subject" in i for i in injects())
    signals = [i for i in injects() if i.get("signal")]
    assert signals and all(i["severity"] == 1 and not i.get("requires_response") for i in signals)


def test_a_post_that_needs_no_reply_may_still_be_negative():
    # Sentiment defaults from requires_response (PROTOCOL section 1.3): the library shows a post that overrides it.
    assert any(i.get("sentiment") == "negative" and not i.get("requires_response") for i in injects())
