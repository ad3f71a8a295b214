"""The JSON Schema of crisisdrill/v1 (PROTOCOL 1.7) and the validator agree on structure: over the broken-document
tables, the demo library, the shared examples and generated documents, the schema accepts every document the
validator accepts, and refuses each structural mistake the validator finds, near the same path."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from scenarios.schema import scenario_schema
from scenarios.validation import load_document, validate
from scenarios.validation import messages as m
from scenarios.validation.checks import SCORING_KEYS, TOP_OPTIONAL, TOP_REQUIRED
from scenarios.validation.evaluation import MSG_CAPABILITY_TOO_LONG, MSG_TASK_KEY, MSG_TASK_TOO_LONG
from scenarios.validation.injects import INJECT_OPTIONAL, INJECT_REQUIRED
from scenarios.validation.reactions import MSG_BACKLASH_TRUE, MSG_NO_REACTION_TEXTS
from tests.scenarios import test_reactions_validation, test_subject_and_signal, test_validation
from tests.scenarios.conftest import MINIMAL_DOCUMENT, SHARED_SCENARIOS
from tests.scenarios.test_roundtrip import documents
from tests.scenarios.test_validation import DELETE, change

ROOT = Path(__file__).resolve().parents[2]
DEMO_LIBRARY = sorted((ROOT / "demo" / "scenarios").glob("*.yaml"))
SHARED = sorted(SHARED_SCENARIOS.glob("*.yaml")) + sorted((SHARED_SCENARIOS.parent / "examples").glob("*.yaml"))
# The mistakes of shape, type, key, enum, pattern and range: a schema can say them, so it must.
STRUCTURAL = {
    getattr(message, "msgid", message)
    for message in (
        m.MSG_UNKNOWN_KEY,
        m.MSG_REQUIRED,
        m.MSG_NOT_MAPPING,
        m.MSG_NOT_LIST,
        m.MSG_NOT_STRING,
        m.MSG_NOT_BOOL,
        m.MSG_NOT_INTEGER,
        m.MSG_NOT_NUMBER,
        m.MSG_INT_RANGE,
        m.MSG_NUMBER_RANGE,
        m.MSG_BAD_CHARACTERS,
        m.MSG_FORMAT,
        m.MSG_LANGUAGE,
        m.MSG_ROLE,
        m.MSG_RESERVED_ROLE,
        m.MSG_PERSONA_KEY,
        m.MSG_INJECT_KEY,
        m.MSG_PLATFORM,
        m.MSG_SENTIMENT,
        m.MSG_UNKNOWN_PLATFORM,
        m.MSG_TITLE_TOO_LONG,
        m.MSG_NAME_TOO_LONG,
        m.MSG_TEXT_TOO_LONG,
        m.MSG_SUBJECT_TOO_LONG,
        m.MSG_CHAIN_LENGTH,
        m.MSG_FIRST_STEP_SLA,
        m.MSG_NO_INJECTS,
        m.MSG_NO_TEXTS,
        m.MSG_NO_PHRASES,
        m.MSG_AT_OR_WHEN,
        m.MSG_BURST_PERSONA,
        m.MSG_BURST_TEXT,
        m.MSG_BURST_WHEN,
        m.MSG_BURST_SIGNAL,
        m.MSG_TEXTS_WITHOUT_BURST,
        m.MSG_SUBJECT_NOT_EMAIL,
        m.MSG_WHEN_FORM,
        m.MSG_WHEN_MISMATCH,
        m.MSG_DURATION,
        m.MSG_DURATION_NEGATIVE,
        MSG_BACKLASH_TRUE,
        MSG_NO_REACTION_TEXTS,
        MSG_TASK_KEY,
        MSG_TASK_TOO_LONG,
        MSG_CAPABILITY_TOO_LONG,
    )
}
CHECKER = Draft202012Validator(scenario_schema())


def path_of(error) -> str:
    path = ""
    for step in error.absolute_path:
        path = f"{path}[{step}]" if isinstance(step, int) else f"{path}.{step}" if path else str(step)
    return path


def schema_error_paths(document) -> list[str]:
    return [path_of(error) for error in CHECKER.iter_errors(document)]


def within(path: str, scope: str) -> bool:
    """Whether `path` is `scope` or inside it (`injects[1].at` is inside `injects[1]` and `injects`, not `inject`)."""
    return scope == "" or path == scope or path.startswith((f"{scope}.", f"{scope}["))


def scope_of(path: str) -> str:
    """The object holding `path`'s key: `injects[1]` for `injects[1].at`."""
    cut = max(path.rfind("."), path.rfind("[")) if not path.endswith("]") else path.rindex("[")
    return path[: max(cut, 0)]


def assert_agree(document) -> None:
    json.dumps(document, allow_nan=False)  # the schema speaks of JSON and YAML documents: no NaN
    result = validate(document)
    schema_paths = schema_error_paths(document)
    if result.valid:
        assert schema_paths == [], "the schema refuses a document the validator accepts"
    for issue in result.errors:
        if getattr(issue.message, "msgid", issue.message) in STRUCTURAL:
            scope = scope_of(issue.path)
            assert any(within(path, scope) for path in schema_paths), f"{issue} not refused by the schema"


def broken_documents():
    """Every row of the project's broken-document tables, each as the whole document it makes."""
    email = copy.deepcopy(MINIMAL_DOCUMENT)
    email["injects"][0] |= {"platform": "email", "persona": "reporter", "subject": "Request for comment"}
    crowd = copy.deepcopy(MINIMAL_DOCUMENT) | {"reactions": {"backlash": {}, "support": {}}}
    tables = [
        (MINIMAL_DOCUMENT, test_validation.BROKEN),
        (email, test_subject_and_signal.BROKEN),
        (crowd, test_reactions_validation.BROKEN),
    ]
    for base, table in tables:
        for where, value, path, _ in table:
            if value is DELETE or json.dumps(value, allow_nan=True).find("NaN") < 0:
                yield pytest.param(change(copy.deepcopy(base), where, value), id=f"{where}->{path}")


def test_it_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(scenario_schema())
    assert scenario_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_it_knows_exactly_the_validators_keys():
    properties = scenario_schema()["properties"]
    assert list(properties) == [*TOP_REQUIRED, *TOP_OPTIONAL]
    assert scenario_schema()["required"] == list(TOP_REQUIRED)
    assert list(properties["injects"]["items"]["properties"]) == [*INJECT_REQUIRED, *INJECT_OPTIONAL]
    assert list(properties["scoring"]["properties"]) == list(SCORING_KEYS)


def described_keys(node, where="") -> list[tuple[str, bool]]:
    """(path, has a description) for every key the schema defines, however deep."""
    found = []
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            found.append((f"{where}.{name}", "description" in child))
        for name, child in node.items():
            found += described_keys(child, f"{where}.{name}" if name not in ("properties",) else where)
    elif isinstance(node, list):
        for child in node:
            found += described_keys(child, where)
    return found


def test_every_key_has_a_description():
    keys = described_keys(scenario_schema())
    assert len(keys) > 60
    assert [path for path, has in keys if not has] == []


def test_enums_patterns_and_ranges_are_there():
    properties = scenario_schema()["properties"]
    inject = properties["injects"]["items"]["properties"]
    assert inject["platform"]["enum"] == [
        "x",
        "facebook",
        "instagram",
        "tiktok",
        "linkedin",
        "news",
        "email",
        "internal",
    ]
    assert inject["sentiment"]["enum"] == ["negative", "neutral", "positive"]
    assert (inject["severity"]["minimum"], inject["severity"]["maximum"]) == (1, 5)
    assert inject["key"]["pattern"] == "^[a-z0-9-]{1,50}$"
    assert inject["at"]["anyOf"][0]["pattern"].startswith("^")
    assert inject["burst"]["properties"]["count"]["maximum"] == 500
    assert list(properties["reactions"]["properties"]) == ["backlash", "support"]
    assert properties["heat"]["properties"]["start"]["maximum"] == 100


@pytest.mark.parametrize("document", list(broken_documents()))
def test_the_schema_refuses_what_the_validator_refuses_for_its_structure(document):
    assert_agree(document)


def test_the_broken_tables_hold_structural_mistakes_the_schema_refuses():
    refused = [doc for doc in (p.values[0] for p in broken_documents()) if schema_error_paths(doc)]
    assert len(refused) >= 60


@pytest.mark.parametrize("path", DEMO_LIBRARY + SHARED, ids=lambda p: p.name)
def test_the_demo_library_and_shared_examples_agree(path):
    document = load_document(path.read_bytes())

    assert_agree(document)
    if path.parent.name != "examples":  # the every-key example becomes valid as its issues land
        assert validate(document).valid
        assert schema_error_paths(document) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents())
def test_every_generated_valid_document_is_valid_against_the_schema(document):
    assert_agree(document)


@pytest.mark.parametrize(
    ("where", "value"),
    [("duration", "1h 30m"), ("duration", " 1:00:00 "), ("duration", 3600.5), ("injects[0].at", "5:00"), ("seed", 0)],
)
def test_durations_and_numbers_the_validator_reads_pass(where, value):
    document = change(copy.deepcopy(MINIMAL_DOCUMENT), where, value)
    assert validate(document).valid
    assert schema_error_paths(document) == []
