"""Reading and checking crisisdrill/v1 documents: what an author sees for each kind of mistake."""

import copy
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.durations import MAX_DURATION_MS, format_duration
from scenarios.spec import DEFAULT_SEED, DEFAULT_WEIGHTS, Condition
from scenarios.validation import (
    MAX_DOCUMENT_BYTES,
    MSG_AT_AFTER_END,
    MSG_AT_OR_WHEN,
    MSG_BAD_CHARACTERS,
    MSG_BLANK,
    MSG_BURST_AFTER_END,
    MSG_BURST_PERSONA,
    MSG_BURST_TEXT,
    MSG_BURST_WHEN,
    MSG_CHAIN_LENGTH,
    MSG_CYCLE,
    MSG_DEADLINE_AFTER_END,
    MSG_DUPLICATE,
    MSG_DUPLICATE_KEY,
    MSG_DURATION,
    MSG_DURATION_NEGATIVE,
    MSG_DURATION_TOO_LONG,
    MSG_FIRST_STEP_SLA,
    MSG_FORMAT,
    MSG_INJECT_KEY,
    MSG_INT_RANGE,
    MSG_INTERNAL,
    MSG_LANGUAGE,
    MSG_NAME_TOO_LONG,
    MSG_NO_INJECTS,
    MSG_NO_PHRASES,
    MSG_NO_TEXTS,
    MSG_NOT_A_DOCUMENT,
    MSG_NOT_BOOL,
    MSG_NOT_INTEGER,
    MSG_NOT_LIST,
    MSG_NOT_MAPPING,
    MSG_NOT_NUMBER,
    MSG_NOT_STRING,
    MSG_NOT_UTF8,
    MSG_NUMBER_RANGE,
    MSG_PERSONA_IN_PERSONA,
    MSG_PERSONA_KEY,
    MSG_PERSONA_UNUSED,
    MSG_PLAN_TOO_LARGE,
    MSG_PLATFORM,
    MSG_POSITIVE,
    MSG_REQUIRED,
    MSG_RESERVED_ROLE,
    MSG_ROLE,
    MSG_SELF_CONDITION,
    MSG_STRAY_BRACE,
    MSG_TEXT_TOO_LONG,
    MSG_TEXTS_WITHOUT_BURST,
    MSG_TITLE_TOO_LONG,
    MSG_TOO_DEEP,
    MSG_TOO_LARGE,
    MSG_TOO_MANY_ITEMS,
    MSG_UNKNOWN_INJECT,
    MSG_UNKNOWN_KEY,
    MSG_UNKNOWN_PERSONA,
    MSG_UNKNOWN_PLACEHOLDER,
    MSG_UNKNOWN_PLATFORM,
    MSG_WATCHES_NO_REPLY,
    MSG_WEIGHTS_SUM,
    MSG_WHEN_FORM,
    MSG_WHEN_MISMATCH,
    MSG_YAML_ANCHOR,
    MSG_YAML_TAG,
    DocumentError,
    Issue,
    dump_document,
    load_document,
    parse_duration,
    scenario_from_document,
    validate,
)
from scenarios.validation import document as document_module
from scenarios.validation.limits import MAX_SAFE_INT

DELETE = object()
SEED_RANGE = MSG_INT_RANGE.format(low=0, high=MAX_SAFE_INT)
FOLLOWERS_RANGE = SEED_RANGE


def change(doc: dict, path: str, value: object) -> dict:
    """Set (or delete, with DELETE) the value at a path such as `injects[2].when.for`."""
    steps = [int(step[1:-1]) if step.startswith("[") else step for step in re.findall(r"\[\d+\]|[^.\[\]]+", path)]
    target = doc
    for step in steps[:-1]:
        target = target.setdefault(step, {}) if isinstance(step, str) else target[step]
    if value is DELETE:
        del target[steps[-1]]
    else:
        target[steps[-1]] = value
    return doc


def issues(result_issues: list[Issue]) -> set[tuple[str, str]]:
    return {(issue.path, issue.message) for issue in result_issues}


def test_the_minimal_document_is_valid_without_warnings(doc):
    result = validate(doc)

    assert result.valid, result.errors
    assert result.warnings == []
    scenario = result.scenario
    assert scenario.title == "Checkout outage"
    assert scenario.duration_ms == 40 * 60_000
    assert [step.sla_ms for step in scenario.chain] == [None, 120_000]
    assert scenario.injects[1].burst.count == 10
    assert scenario.injects[2].when == Condition(kind="unanswered", key="complaint", wait_ms=480_000)


def test_it_applies_defaults(doc):
    for key in ("seed", "personas"):
        del doc[key]
    doc["injects"] = [doc["injects"][1]]

    scenario = validate(doc).scenario

    assert scenario.seed == DEFAULT_SEED
    assert scenario.personas == ()
    assert scenario.allow_self_approval is False
    assert scenario.heat.start == 10
    assert scenario.scoring.weights == DEFAULT_WEIGHTS
    assert scenario.injects[0].requires_response is False


def test_a_scenario_may_weight_detection(doc):
    doc["scoring"] = {"weights": {"detection": 25}}

    assert validate(doc).scenario.scoring.weights["detection"] == 25.0


def test_omitted_weights_keep_their_default(doc):
    doc["scoring"] = {"weights": {"quality": 0, "timeliness": 60}}

    weights = validate(doc).scenario.scoring.weights

    assert weights == {
        "timeliness": 60.0,
        "coverage": 30.0,
        "approval_flow": 15.0,
        "quality": 0.0,
        "first_statement": 0.0,
        "detection": 0.0,
    }


def test_the_first_statement_target_defaults_to_the_response_sla(doc):
    doc["response_sla"] = "10m"

    assert validate(doc).scenario.first_statement_target_ms() == 600_000


def test_a_scenario_may_set_and_weight_its_first_statement_target(doc):
    doc["scoring"] = {"first_statement_within": "1h", "weights": {"first_statement": 20}}

    scenario = validate(doc).scenario

    assert scenario.first_statement_target_ms() == 3_600_000
    assert scenario.scoring.weights["first_statement"] == 20.0


BROKEN = [
    # (what changes, new value, where the error is, what it says)
    ("format", "crisisdrill/v2", "format", MSG_FORMAT),
    ("format", DELETE, "format", MSG_REQUIRED),
    ("title", DELETE, "title", MSG_REQUIRED),
    ("title", "   ", "title", MSG_BLANK),
    ("title", "x" * 201, "title", MSG_TITLE_TOO_LONG),
    ("title", 42, "title", MSG_NOT_STRING),
    ("title", "tab\tis fine but bell \x07 is not", "title", MSG_BAD_CHARACTERS),
    ("title", "a title on\ntwo lines", "title", MSG_BAD_CHARACTERS),
    ("brand.name", "Shop\rLine", "brand.name", MSG_BAD_CHARACTERS),
    ("personas[1].handle", "@dlevi\t", "personas[1].handle", MSG_BAD_CHARACTERS),
    ("description", "bell \x07", "description", MSG_BAD_CHARACTERS),
    ("language", "english", "language", MSG_LANGUAGE),
    ("language", "EN", "language", MSG_LANGUAGE),
    ("colour", "red", "colour", MSG_UNKNOWN_KEY),
    ("description", ["a"], "description", MSG_NOT_STRING),
    ("brand", "ShopLine", "brand", MSG_NOT_MAPPING),
    ("brand.slogan", "Buy!", "brand.slogan", MSG_UNKNOWN_KEY),
    ("brand.handle", DELETE, "brand.handle", MSG_REQUIRED),
    ("duration", "0s", "duration", MSG_POSITIVE),
    ("duration", "forty minutes", "duration", MSG_DURATION),
    ("duration", True, "duration", MSG_DURATION),
    ("duration", "-5m", "duration", MSG_DURATION_NEGATIVE),
    ("duration", "200h", "duration", MSG_DURATION_TOO_LONG),
    ("seed", True, "seed", MSG_NOT_INTEGER),
    ("seed", 7.5, "seed", MSG_NOT_INTEGER),
    ("seed", -1, "seed", SEED_RANGE),
    ("response_sla", DELETE, "response_sla", MSG_REQUIRED),
    ("allow_self_approval", "no", "allow_self_approval", MSG_NOT_BOOL),
    ("approval_chain", [], "approval_chain", MSG_CHAIN_LENGTH),
    (
        "approval_chain",
        [{"role": "drafter"}] + [{"role": f"r{i}", "sla": "1m"} for i in range(6)],
        "approval_chain",
        MSG_CHAIN_LENGTH,
    ),
    ("approval_chain", {"role": "drafter"}, "approval_chain", MSG_NOT_LIST),
    ("approval_chain[0].sla", "1m", "approval_chain[0].sla", MSG_FIRST_STEP_SLA),
    ("approval_chain[1].sla", DELETE, "approval_chain[1].sla", MSG_REQUIRED),
    ("approval_chain[1].sla", "0", "approval_chain[1].sla", MSG_POSITIVE),
    (
        "approval_chain[1].role",
        "drafter",
        "approval_chain[1].role",
        MSG_DUPLICATE.format(path="approval_chain[0].role"),
    ),
    ("approval_chain[1].role", "observer", "approval_chain[1].role", MSG_RESERVED_ROLE),
    ("approval_chain[1].role", "Legal Team", "approval_chain[1].role", MSG_ROLE),
    ("approval_chain[1].role", "r" * 41, "approval_chain[1].role", MSG_ROLE),
    ("approval_chain[1].deadline", "1m", "approval_chain[1].deadline", MSG_UNKNOWN_KEY),
    ("personas", {"customer": {}}, "personas", MSG_NOT_LIST),
    ("personas[1].key", "customer", "personas[1].key", MSG_DUPLICATE.format(path="personas[0].key")),
    ("personas[0].key", "Angry Customer", "personas[0].key", MSG_PERSONA_KEY),
    ("personas[0].kind", DELETE, "personas[0].kind", MSG_REQUIRED),
    ("personas[1].followers", -5, "personas[1].followers", FOLLOWERS_RANGE),
    ("personas[1].followers", True, "personas[1].followers", MSG_NOT_INTEGER),
    (
        "personas[0].name",
        "{persona.name}",
        "personas[0].name",
        MSG_PERSONA_IN_PERSONA.format(placeholder="{persona.name}"),
    ),
    (
        "personas[0].handle",
        "@{faker.seed}",
        "personas[0].handle",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.seed}"),
    ),
    ("injects", [], "injects", MSG_NO_INJECTS),
    ("injects", "complaint", "injects", MSG_NOT_LIST),
    ("injects[0]", "complaint", "injects[0]", MSG_NOT_MAPPING),
    ("injects[0].key", "First_Complaint", "injects[0].key", MSG_INJECT_KEY),
    ("injects[1].key", "complaint", "injects[1].key", MSG_DUPLICATE.format(path="injects[0].key")),
    ("injects[0].at", DELETE, "injects[0]", MSG_AT_OR_WHEN),
    ("injects[0].when", {"heat_above": 50}, "injects[0]", MSG_AT_OR_WHEN),
    ("injects[0].at", "41m", "injects[0].at", MSG_AT_AFTER_END.format(duration="40m")),
    ("injects[0].at", "0:5", "injects[0].at", MSG_DURATION),
    ("injects[1].at", "38m", "injects[1].burst.over", MSG_BURST_AFTER_END.format(end="41m", duration="40m")),
    ("injects[0].platform", "myspace", "injects[0].platform", MSG_PLATFORM),
    ("injects[0].severity", 6, "injects[0].severity", MSG_INT_RANGE.format(low=1, high=5)),
    ("injects[0].severity", True, "injects[0].severity", MSG_NOT_INTEGER),
    ("injects[0].severity", DELETE, "injects[0].severity", MSG_REQUIRED),
    ("injects[0].requires_response", "yes", "injects[0].requires_response", MSG_NOT_BOOL),
    ("injects[0].respond_within", "0s", "injects[0].respond_within", MSG_POSITIVE),
    ("injects[0].persona", DELETE, "injects[0].persona", MSG_REQUIRED),
    ("injects[0].persona", "ghost", "injects[0].persona", MSG_UNKNOWN_PERSONA.format(key="ghost")),
    ("injects[0].text", DELETE, "injects[0].text", MSG_REQUIRED),
    ("injects[0].text", "x" * 5001, "injects[0].text", MSG_TEXT_TOO_LONG),
    ("injects[1].texts", ["ok", "y" * 5001], "injects[1].texts[1]", MSG_TEXT_TOO_LONG),
    ("brand.name", "n" * 121, "brand.name", MSG_NAME_TOO_LONG),
    ("personas[1].name", "n" * 121, "personas[1].name", MSG_NAME_TOO_LONG),
    (
        "injects[0].text",
        "Hi {brand.slogan}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{brand.slogan}"),
    ),
    (
        "injects[0].text",
        "{faker._Generator__config}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker._Generator__config}"),
    ),
    (
        "injects[0].text",
        "{faker.add_provider}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.add_provider}"),
    ),
    (
        "injects[0].text",
        "{faker.random}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.random}"),
    ),
    (
        "injects[0].text",
        "{faker.binary}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.binary}"),
    ),
    (
        "injects[0].text",
        "{faker.pylist}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.pylist}"),
    ),
    # Today's date would make the same scenario say different things on different days.
    (
        "injects[0].text",
        "{faker.date_this_month}",
        "injects[0].text",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.date_this_month}"),
    ),
    ("injects[0].text", "{name}", "injects[0].text", MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{name}")),
    ("injects[0].text", "50% off {today", "injects[0].text", MSG_STRAY_BRACE),
    ("injects[0].text", "a } b", "injects[0].text", MSG_STRAY_BRACE),
    ("injects[0].text", "nul \x00", "injects[0].text", MSG_BAD_CHARACTERS),
    ("injects[0].texts", ["x"], "injects[0].texts", MSG_TEXTS_WITHOUT_BURST),
    ("injects[1].persona", "customer", "injects[1].persona", MSG_BURST_PERSONA),
    ("injects[1].text", "x", "injects[1].text", MSG_BURST_TEXT),
    ("injects[1].texts", [], "injects[1].texts", MSG_NO_TEXTS),
    ("injects[1].texts", DELETE, "injects[1].texts", MSG_REQUIRED),
    ("injects[1].texts", ["ok", 5], "injects[1].texts[1]", MSG_NOT_STRING),
    (
        "injects[1].texts",
        ["{persona.age}"],
        "injects[1].texts[0]",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{persona.age}"),
    ),
    ("injects[1].burst.count", 501, "injects[1].burst.count", MSG_INT_RANGE.format(low=1, high=500)),
    ("injects[1].burst.count", 0, "injects[1].burst.count", MSG_INT_RANGE.format(low=1, high=500)),
    ("injects[1].burst.over", "0s", "injects[1].burst.over", MSG_POSITIVE),
    ("injects[1].burst.persona_kind", DELETE, "injects[1].burst.persona_kind", MSG_REQUIRED),
    ("injects[1].burst.size", 3, "injects[1].burst.size", MSG_UNKNOWN_KEY),
    ("injects[1].when", {"heat_above": 5}, "injects[1].when", MSG_BURST_WHEN),
    ("injects[2].when", {"unanswered": "complaint"}, "injects[2].when.for", MSG_REQUIRED),
    ("injects[2].when", {"answered": "complaint"}, "injects[2].when.delay", MSG_REQUIRED),
    (
        "injects[2].when",
        {"unanswered": "ghost", "for": "1m"},
        "injects[2].when.unanswered",
        MSG_UNKNOWN_INJECT.format(key="ghost"),
    ),
    ("injects[2].when", {"unanswered": "trending", "for": "1m"}, "injects[2].when.unanswered", MSG_SELF_CONDITION),
    (
        "injects[2].when",
        {"unanswered": "complaint", "delay": "1m"},
        "injects[2].when.delay",
        MSG_WHEN_MISMATCH.format(key="delay", kind="unanswered"),
    ),
    (
        "injects[2].when",
        {"heat_above": 50, "for": "1m"},
        "injects[2].when.for",
        MSG_WHEN_MISMATCH.format(key="for", kind="heat_above"),
    ),
    (
        "injects[2].when",
        {"answered": "complaint", "unanswered": "complaint", "for": "1m"},
        "injects[2].when",
        MSG_WHEN_FORM,
    ),
    ("injects[2].when", {}, "injects[2].when", MSG_WHEN_FORM),
    ("injects[2].when", {"after": "complaint"}, "injects[2].when.after", MSG_UNKNOWN_KEY),
    ("injects[2].when", "complaint", "injects[2].when", MSG_NOT_MAPPING),
    ("injects[2].when.for", "soon", "injects[2].when.for", MSG_DURATION),
    (
        "injects[2].when",
        {"heat_above": 120},
        "injects[2].when.heat_above",
        MSG_NUMBER_RANGE.format(low=0, high=100),
    ),
    ("injects[2].when", {"heat_above": "hot"}, "injects[2].when.heat_above", MSG_NOT_NUMBER),
    ("injects[2].when", {"heat_above": True}, "injects[2].when.heat_above", MSG_NOT_NUMBER),
    ("heat", [1], "heat", MSG_NOT_MAPPING),
    ("heat.start", 150, "heat.start", MSG_NUMBER_RANGE.format(low=0, high=100)),
    ("heat.warmth", 1, "heat.warmth", MSG_UNKNOWN_KEY),
    ("heat.decay_per_min", -1, "heat.decay_per_min", MSG_NUMBER_RANGE.format(low=0, high=100)),
    ("heat.per_severity", float("nan"), "heat.per_severity", MSG_NOT_NUMBER),
    ("scoring.weights", dict.fromkeys(DEFAULT_WEIGHTS, 0), "scoring.weights", MSG_WEIGHTS_SUM),
    ("scoring.weights.speed", 1, "scoring.weights.speed", MSG_UNKNOWN_KEY),
    (
        "scoring.weights.first_statement",
        -5,
        "scoring.weights.first_statement",
        MSG_NUMBER_RANGE.format(low=0, high=1000),
    ),
    ("scoring.first_statement_within", "soon", "scoring.first_statement_within", MSG_DURATION),
    ("scoring.first_statement_within", "0s", "scoring.first_statement_within", MSG_POSITIVE),
    ("scoring.first_statement_within", "-5m", "scoring.first_statement_within", MSG_DURATION_NEGATIVE),
    ("scoring.first_statement_within", "200h", "scoring.first_statement_within", MSG_DURATION_TOO_LONG),
    ("scoring.weights.quality", -1, "scoring.weights.quality", MSG_NUMBER_RANGE.format(low=0, high=1000)),
    ("scoring.must_include", [{"label": "apology", "any": []}], "scoring.must_include[0].any", MSG_NO_PHRASES),
    ("scoring.must_include", [{"any": ["sorry"]}], "scoring.must_include[0].label", MSG_REQUIRED),
    (
        "scoring.must_include",
        [{"label": "a", "any": ["sorry", 1]}],
        "scoring.must_include[0].any[1]",
        MSG_NOT_STRING,
    ),
    ("scoring.must_avoid", ["no comment", ""], "scoring.must_avoid[1]", MSG_BLANK),
    ("scoring.max_length", {"myspace": 100}, "scoring.max_length.myspace", MSG_UNKNOWN_PLATFORM),
    ("scoring.max_length", {"x": 0}, "scoring.max_length.x", MSG_INT_RANGE.format(low=1, high=MAX_SAFE_INT)),
    ("scoring.rubric", [], "scoring.rubric", MSG_UNKNOWN_KEY),
]


@pytest.mark.parametrize(("where", "value", "path", "message"), BROKEN, ids=lambda v: v if isinstance(v, str) else "")
def test_it_reports_each_mistake_where_it_is(doc, where, value, path, message):
    result = validate(change(doc, where, value))

    assert not result.valid
    assert result.scenario is None
    assert (path, message) in issues(result.errors), result.errors


def test_the_broken_table_is_large_enough():
    assert len(BROKEN) >= 35


def test_it_reports_every_mistake_at_once(doc):
    doc.update(format="crisisdrill/v0", language="english", duration="soon", color="blue")
    doc["approval_chain"][0]["sla"] = "1m"
    doc["personas"][1]["followers"] = -1
    doc["injects"][0].update(at="2h", severity=9, text="{faker.nope}")
    doc["injects"][1]["burst"]["count"] = 0
    doc["injects"][2]["when"] = {"unanswered": "ghost", "for": "1m"}
    doc["heat"] = {"start": 101}

    result = validate(doc)

    # The duration is unreadable, so nothing is "after the end": no guessing on broken input.
    assert issues(result.errors) == {
        ("format", MSG_FORMAT),
        ("language", MSG_LANGUAGE),
        ("duration", MSG_DURATION),
        ("color", MSG_UNKNOWN_KEY),
        ("approval_chain[0].sla", MSG_FIRST_STEP_SLA),
        ("personas[1].followers", FOLLOWERS_RANGE),
        ("injects[0].severity", MSG_INT_RANGE.format(low=1, high=5)),
        ("injects[0].text", MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.nope}")),
        ("injects[1].burst.count", MSG_INT_RANGE.format(low=1, high=500)),
        ("injects[2].when.unanswered", MSG_UNKNOWN_INJECT.format(key="ghost")),
        ("heat.start", MSG_NUMBER_RANGE.format(low=0, high=100)),
    }


def test_it_reports_each_inject_of_a_condition_cycle(doc):
    doc["injects"].append(
        {"key": "reply-storm", "when": {"unanswered": "trending", "for": "1m"}, "platform": "x"}
        | {"persona": "reporter", "text": "?", "severity": 2, "requires_response": True}
    )
    doc["injects"][2]["when"] = {"answered": "reply-storm", "delay": "1m"}

    result = validate(doc)

    assert issues(result.errors) == {
        ("injects[2].when", MSG_CYCLE.format(cycle="trending -> reply-storm -> trending")),
        ("injects[3].when", MSG_CYCLE.format(cycle="reply-storm -> trending -> reply-storm")),
    }


def test_an_inject_waiting_on_a_cycle_is_not_itself_reported(doc):
    doc["injects"][0].pop("at")
    doc["injects"][0]["when"] = {"answered": "trending", "delay": "1m"}
    doc["injects"].append({"key": "later", "when": {"heat_above": 90}, "platform": "x"})
    doc["injects"][3] |= {"persona": "reporter", "text": "?", "severity": 1}

    result = validate(doc)

    assert {issue.path for issue in result.errors} == {"injects[0].when", "injects[2].when"}


def test_it_refuses_more_planned_posts_than_the_engine_takes(doc):
    burst = doc["injects"][1]
    doc["injects"] = [burst | {"key": f"burst-{i}", "burst": burst["burst"] | {"count": 500}} for i in range(11)]

    result = validate(doc)

    assert ("injects[10].burst.count", MSG_TOO_MANY_ITEMS.format(count=5500, limit=5000)) in issues(result.errors)


def test_a_small_document_cannot_plan_a_huge_drill_the_burst_that_crosses_the_limit_is_named(doc):
    # Four bursts of 500 repeating a 2,000-character text: 4 million characters from a document of a few KB.
    burst = doc["injects"][1]
    big = {"count": 500, "over": "3m", "persona_kind": "customer"}
    doc["injects"] = [burst | {"key": f"burst-{i}", "burst": big, "texts": ["z" * 2000]} for i in range(4)]

    result = validate(doc)

    assert ("injects[3].burst.count", MSG_PLAN_TOO_LARGE.format(chars=4_000_000, limit=3_000_000)) in issues(
        result.errors
    )


class TestWarnings:
    def test_a_reply_due_after_the_end_is_a_warning(self, doc):
        doc["injects"][0]["at"] = "38m"

        result = validate(doc)

        assert result.valid
        assert issues(result.warnings) == {("injects[0]", MSG_DEADLINE_AFTER_END.format(due="43m", duration="40m"))}

    def test_the_response_sla_is_the_default_deadline(self, doc):
        del doc["injects"][0]["respond_within"]
        doc["injects"][0]["at"] = "31m"

        result = validate(doc)

        assert issues(result.warnings) == {("injects[0]", MSG_DEADLINE_AFTER_END.format(due="41m", duration="40m"))}

    def test_an_unused_persona_is_a_warning(self, doc):
        doc["personas"].append({"key": "mayor", "kind": "official", "name": "The Mayor", "handle": "@mayor"})

        result = validate(doc)

        assert result.valid
        assert issues(result.warnings) == {("personas[2]", MSG_PERSONA_UNUSED)}

    def test_waiting_for_a_reply_nobody_has_to_give_is_a_warning(self, doc):
        doc["injects"][2]["when"] = {"answered": "pile-on", "delay": "1m"}

        result = validate(doc)

        assert result.valid
        assert issues(result.warnings) == {("injects[2].when.answered", MSG_WATCHES_NO_REPLY.format(key="pile-on"))}


class TestPlaceholders:
    @pytest.mark.parametrize(
        "text",
        [
            "{brand.name} {brand.handle}",
            "{persona.name} ({persona.handle})",
            "{faker.city} {faker.word}",
            "{{literal}}",
        ],
    )
    def test_known_placeholders_pass(self, doc, text):
        doc["injects"][0]["text"] = text

        assert validate(doc).valid

    def test_faker_methods_are_checked_in_the_scenarios_locale(self, doc):
        # Italian cities come from a set whose order changes between processes: not offered there.
        doc["injects"][0]["text"] = "{faker.city}"
        doc["language"] = "it"

        result = validate(doc)

        assert issues(result.errors) == {
            ("injects[0].text", MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.city}"))
        }

    def test_each_unknown_placeholder_is_named_once(self, doc):
        doc["injects"][0]["text"] = "{a.b} {a.b} {faker.nope}"

        result = validate(doc)

        assert [issue.message for issue in result.errors] == [
            MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{a.b}"),
            MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{faker.nope}"),
        ]


class TestSharedScenarios:
    def test_they_validate_without_errors(self, shared_scenarios):
        for name, data in shared_scenarios.items():
            result = validate(load_document(data))

            assert result.errors == [], name
            assert result.scenario is not None

    def test_scenario_from_document_reads_them(self, shared_scenarios):
        scenario = scenario_from_document(load_document(shared_scenarios["food-recall.he.yaml"]))

        assert scenario.language == "he"
        assert scenario.brand_name == "מחלבות הגליל"
        assert scenario.inject("ministry-notice").when == Condition(kind="heat_above", threshold=60.0)

    def test_the_pure_python_yaml_reader_gives_the_same_documents(self, shared_scenarios):
        for data in shared_scenarios.values():
            source = data.decode()

            assert document_module._load_yaml(source, document_module.PYTHON_LOADER) == load_document(data)


def test_scenario_from_document_raises_with_every_error(doc):
    doc.update(title="", duration="never")

    with pytest.raises(DocumentError) as caught:
        scenario_from_document(doc)

    assert issues(caught.value.errors) == {("title", MSG_BLANK), ("duration", MSG_DURATION)}
    assert caught.value.errors[0].as_dict() == {"path": "title", "message": MSG_BLANK}


class TestLoadDocument:
    def test_it_reads_yaml_and_json(self, doc):
        assert load_document(dump_document(doc, "yaml"), fmt="yaml") == doc
        assert load_document(json.dumps(doc), fmt="json") == doc
        assert load_document(json.dumps(doc).encode()) == doc

    def test_yaml_1_1_surprises_stay_strings(self):
        text = "language: no\nduration: 0:05:00\nday: 2024-01-01\na: yes\nb: off\nc: TRUE\nd: 010\ne: 1_000\nf: .inf\n"

        doc = load_document(text)

        assert doc == {
            "language": "no",
            "duration": "0:05:00",
            "day": "2024-01-01",
            "a": "yes",
            "b": "off",
            "c": True,
            "d": 10,
            "e": "1_000",
            "f": ".inf",
        }

    def test_norwegian_validates_as_a_language(self, doc):
        text = dump_document(doc, "yaml").replace("language: en", "language: no")

        assert validate(load_document(text)).scenario.language == "no"

    def test_a_clock_duration_reaches_the_duration_parser(self, doc):
        text = dump_document(doc, "yaml").replace("duration: 40m", "duration: 0:40:00")

        assert validate(load_document(text)).scenario.duration_ms == 40 * 60_000

    @pytest.mark.parametrize(
        "text",
        [
            "a: &x 1\nb: *x\n",
            "a: &x [1, 2]\n",
            # Billion laughs: refused at the first anchor, before anything is expanded.
            'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\n',
        ],
    )
    def test_it_refuses_anchors_and_aliases(self, text):
        with pytest.raises(DocumentError) as caught:
            load_document(text)

        assert caught.value.errors == [Issue("", MSG_YAML_ANCHOR.format(line=1, column=4), (1, 4))]

    @pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!binary", "!!timestamp", "!custom"])
    def test_it_refuses_explicit_tags(self, tag):
        with pytest.raises(DocumentError) as caught:
            load_document(f"a: {tag} x\n")

        [error] = caught.value.errors
        assert error.message.startswith(MSG_YAML_TAG.split("{")[0])

    def test_a_duplicate_key_is_reported_at_its_path(self, doc):
        text = dump_document(doc, "yaml").replace("text: '{brand.name} failures trend'", "text: a\n  text: b")

        with pytest.raises(DocumentError) as caught:
            load_document(text)

        assert caught.value.errors == [Issue("injects[2].text", MSG_DUPLICATE_KEY)]

    def test_a_duplicate_json_key_is_reported_at_its_path(self):
        text = '{"injects": [{"key": "a"}, {"key": "b", "text": "x", "text": "y"}], "title": 1, "title": 2}'

        with pytest.raises(DocumentError) as caught:
            load_document(text)

        assert issues(caught.value.errors) == {("injects[1].text", MSG_DUPLICATE_KEY), ("title", MSG_DUPLICATE_KEY)}

    @pytest.mark.parametrize("as_bytes", [True, False])
    def test_it_refuses_documents_over_1_mib(self, as_bytes):
        text = "title: " + "x" * MAX_DOCUMENT_BYTES
        with pytest.raises(DocumentError) as caught:
            load_document(text.encode() if as_bytes else text)

        assert caught.value.errors == [Issue("", MSG_TOO_LARGE)]

    def test_the_limit_counts_bytes_not_characters(self):
        text = "title: " + "א" * (MAX_DOCUMENT_BYTES // 2)  # two bytes each in UTF-8

        with pytest.raises(DocumentError):
            load_document(text)

    def test_it_refuses_bytes_that_are_not_utf8(self):
        with pytest.raises(DocumentError) as caught:
            load_document("title: café".encode("latin-1"))

        assert caught.value.errors == [Issue("", MSG_NOT_UTF8)]

    def test_it_accepts_a_byte_order_mark(self):
        assert load_document("\ufefftitle: x".encode()) == {"title": "x"}

    @pytest.mark.parametrize("text", ["- a\n- b\n", "just text", "", "42", "[1, 2]"])
    def test_the_top_level_must_be_a_mapping(self, text):
        with pytest.raises(DocumentError) as caught:
            load_document(text)

        assert caught.value.errors == [Issue("", MSG_NOT_A_DOCUMENT)]

    def test_invalid_yaml_says_where(self):
        with pytest.raises(DocumentError) as caught:
            load_document("title: ok\ninjects: [a, b\n")

        [error] = caught.value.errors
        assert re.fullmatch(r"invalid YAML at line 3, column 1: .+", error.message), error.message

    def test_invalid_json_says_where(self):
        with pytest.raises(DocumentError) as caught:
            load_document('{\n  "title": "x",\n}', fmt="json")

        assert caught.value.errors[0].message.startswith("invalid JSON at line 3, column 1: ")

    @pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}'])
    def test_json_constants_that_are_not_numbers_are_refused(self, text):
        with pytest.raises(DocumentError):
            load_document(text, fmt="json")

    @pytest.mark.parametrize("text", ["a: " + "[" * 5000, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"])
    def test_hostile_nesting_is_refused(self, text):
        with pytest.raises(DocumentError) as caught:
            load_document(text)

        assert caught.value.errors[0].message == MSG_TOO_DEEP

    def test_several_yaml_documents_are_refused(self):
        with pytest.raises(DocumentError):
            load_document("title: a\n---\ntitle: b\n")

    def test_an_unknown_format_is_a_programming_error(self):
        with pytest.raises(ValueError):
            load_document("a: 1", fmt="toml")
        with pytest.raises(ValueError):
            dump_document({}, "toml")


DURATIONS = [
    ("45s", 45_000),
    ("5m", 300_000),
    ("1h30m", 5_400_000),
    ("2h", 7_200_000),
    ("1m30s", 90_000),
    ("1h 30m", 5_400_000),
    ("1.5s", 1_500),
    (" 5m ", 300_000),
    (90, 90_000),
    (1.5, 1_500),
    ("90", 90_000),
    ("0", 0),
    (0, 0),
    ("0:05:00", 300_000),
    ("1:02:03", 3_723_000),
    ("5:00", 300_000),
    ("90:00", 5_400_000),
    ("168h", MAX_DURATION_MS),
]


@pytest.mark.parametrize(("value", "ms"), DURATIONS)
def test_parse_duration_reads_every_form(value, ms):
    assert parse_duration(value) == ms


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5m", MSG_DURATION_NEGATIVE),
        (-1, MSG_DURATION_NEGATIVE),
        (-0.5, MSG_DURATION_NEGATIVE),
        (True, MSG_DURATION),
        (False, MSG_DURATION),
        (None, MSG_DURATION),
        ([5], MSG_DURATION),
        ("", MSG_DURATION),
        ("5 minutes", MSG_DURATION),
        ("1m1h", MSG_DURATION),
        ("h", MSG_DURATION),
        ("5:5", MSG_DURATION),
        ("1:60", MSG_DURATION),
        ("0:60:00", MSG_DURATION),
        ("1e3", MSG_DURATION),
        (float("inf"), MSG_DURATION),
        (float("nan"), MSG_DURATION),
        ("9" * 5000, MSG_DURATION),
        ("169h", MSG_DURATION_TOO_LONG),
        (10**100, MSG_DURATION_TOO_LONG),
    ],
)
def test_parse_duration_refuses_with_a_clear_message(value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_duration(value)


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "0s"), (45_000, "45s"), (5_400_000, "1h30m"), (1_500, "1.5s"), (3_601_000, "1h1s")]
)
def test_format_duration_writes_the_short_form(ms, text):
    assert format_duration(ms) == text


@given(st.integers(min_value=0, max_value=MAX_DURATION_MS))
def test_format_duration_reads_back(ms):
    assert parse_duration(format_duration(ms)) == ms


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
top_level_keys = st.sampled_from(
    [
        *("format", "title", "language", "brand", "duration", "seed", "response_sla", "approval_chain"),
        *("personas", "injects", "heat", "scoring", "description", "allow_self_approval", "other"),
    ]
)


def assert_well_formed(result) -> None:
    assert result.valid == (result.scenario is not None) == (result.errors == [])
    assert all(isinstance(i.path, str) and isinstance(i.message, str) for i in result.errors + result.warnings)
    assert MSG_INTERNAL not in {issue.message for issue in result.errors}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | st.dictionaries(top_level_keys, json_values))
def test_validate_never_raises_on_arbitrary_data(value):
    result = validate(value)

    assert_well_formed(result)
    assert not result.valid


def paths_of(value: object, path: str = "") -> list[str]:
    if isinstance(value, dict):
        children = [(f"{path}.{k}" if path else k, v) for k, v in value.items()]
    elif isinstance(value, list):
        children = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    else:
        return []
    return [p for child, v in children for p in [child, *paths_of(v, child)]]


def scalar_paths_of(doc: dict) -> list[str]:
    return [p for p in paths_of(doc) if not paths_of(_value_at(doc, p)) and not isinstance(_value_at(doc, p), list)]


def _value_at(doc: dict, path: str) -> object:
    value = doc
    for step in re.findall(r"\[\d+\]|[^.\[\]]+", path):
        value = value[int(step[1:-1])] if step.startswith("[") else value[step]
    return value


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_gives_errors_not_exceptions(doc, data):
    fresh = copy.deepcopy(doc)  # the fixture is shared by every example
    path = data.draw(st.sampled_from(paths_of(fresh)))
    value = data.draw(json_values)

    result = validate(change(fresh, path, value))

    assert_well_formed(result)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_list_in_place_of_a_plain_value_is_reported_at_its_path(doc, data):
    fresh = copy.deepcopy(doc)
    path = data.draw(st.sampled_from(scalar_paths_of(fresh)))
    value = data.draw(st.lists(json_values, max_size=3))

    result = validate(change(fresh, path, value))

    assert path in {issue.path for issue in result.errors}
