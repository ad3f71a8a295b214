"""Export then import gives back the same document and the same scenario (PROTOCOL: import(export(s)))."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.limits import has_bad_characters
from scenarios.spec import DEFAULT_WEIGHTS, PLATFORMS, SENTIMENTS
from scenarios.textgen import plan_scenario
from scenarios.validation import dump_document, load_document, validate

FORMATS = ("yaml", "json")
# Strings that YAML 1.1, YAML 1.2 or JSON would read as something else if written bare.
TRICKY = [
    *("no", "yes", "off", "true", "NULL", "~", "0:05:00", "2024-01-01", "010", "1e5", ".inf", "0x1F", "1_000"),
    *("- dash", "key: value", "#hash", "'quoted'", '"dq"', "@handle", "*star", "&amp", "!bang", "% pct"),
    *("|pipe", ">gt", "  spaced  ", "multi\nline\ntext", "tab\tinside", "cr\rhere", "trailing\n", "…", "\u2028sep"),
    *("Checkout en panne : désolé, on s'en occupe !", "Ça coûte 5 € — à l'œil", "ريكول الحليب", "🚀 launch"),
    *("ריקול חלב בעקבות חשד לזיהום", "מחלבות הגליל", "שלום, אני כותבת כתבה על חשד לזיהום"),
]
# Everything printable: validation refuses control characters and lone surrogates.
printable = st.characters(exclude_categories=("Cs", "Cc"))
free_text = (st.text(printable, min_size=1, max_size=30) | st.sampled_from(TRICKY)).filter(str.strip)
brace_free_text = free_text.map(lambda s: s.replace("{", "(").replace("}", ")"))
# Titles, brand and persona names are one line: no tab, no line break.
line_text = free_text.filter(lambda s: not has_bad_characters(s, multiline=False))
brace_free_line_text = brace_free_text.filter(lambda s: not has_bad_characters(s, multiline=False))
placeholders = st.sampled_from(
    ["", " {brand.name}", " {brand.handle}", " {{literal}}", " {faker.word}", "{faker.name}"]
)
persona_placeholders = st.sampled_from(["", " {persona.name}", " {persona.handle}"])
keys = st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
roles = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True).filter(lambda role: role != "observer")
numbers = st.integers(0, 100) | st.floats(0, 100, allow_nan=False)


@st.composite
def durations(draw, low_s: int, high_s: int) -> object:
    """A duration between the bounds, written in any of the document's forms."""
    seconds = draw(st.integers(low_s, high_s))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    units = f"{hours}h" * bool(hours) + f"{minutes}m" * bool(minutes) + f"{secs}s" * bool(secs) or "0s"
    forms = [seconds, str(seconds), f"{seconds}s", units, f"{hours}:{minutes:02d}:{secs:02d}"]
    return draw(st.sampled_from(forms)), seconds


@st.composite
def templates(draw, persona_ok: bool) -> str:
    extra = draw(persona_placeholders) if persona_ok else ""
    return draw(brace_free_text if persona_ok else brace_free_line_text) + draw(placeholders) + extra


@st.composite
def subjects(draw) -> str:
    """An e-mail's subject: one line, placeholders allowed as in its text."""
    return draw(brace_free_line_text) + draw(placeholders) + draw(persona_placeholders)


@st.composite
def personas(draw) -> list[dict]:
    persona_keys = draw(st.lists(st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True), max_size=3, unique=True))
    found = []
    for key in persona_keys:
        persona = {
            "key": key,
            "kind": draw(free_text),
            "name": draw(templates(False)),
            "handle": draw(templates(False)),
        }
        if draw(st.booleans()):
            persona["followers"] = draw(st.integers(0, 2**53 - 1))
        found.append(persona)
    return found


@st.composite
def injects(draw, duration_s: int, persona_keys: list[str], backlash_ok: bool = False) -> list[dict]:
    inject_keys = draw(st.lists(keys, min_size=1, max_size=5, unique=True))
    found = []
    for index, key in enumerate(inject_keys):
        kinds = ["burst"] + ["timed"] * bool(persona_keys) + ["conditional"] * bool(persona_keys and index)
        kind = draw(st.sampled_from(kinds))
        inject = {"key": key, "platform": draw(st.sampled_from(PLATFORMS)), "severity": draw(st.integers(1, 5))}
        if kind == "burst":
            at, at_s = draw(durations(0, duration_s - 1))
            over, _ = draw(durations(1, duration_s - at_s))
            texts = draw(st.lists(templates(True), min_size=1, max_size=3))
            inject |= {"at": at, "burst": {"count": draw(st.integers(1, 20)), "over": over, "persona_kind": "x"}}
            inject["texts"] = texts
        else:
            inject |= {"persona": draw(st.sampled_from(persona_keys)), "text": draw(templates(True))}
            inject |= (
                {"at": draw(durations(0, duration_s))[0]}
                if kind == "timed"
                else {"when": draw(conditions(found, backlash_ok))}
            )
        if draw(st.booleans()):
            inject["requires_response"] = draw(st.booleans())
        if draw(st.booleans()):
            inject["respond_within"] = draw(durations(1, 3600))[0]
        if inject["platform"] == "email" and draw(st.booleans()):
            inject["subject"] = draw(subjects())
        if kind != "burst" and draw(st.booleans()):
            inject["signal"] = draw(st.booleans())
        if draw(st.booleans()):
            inject["sentiment"] = draw(st.sampled_from(SENTIMENTS))
        found.append(inject)
    return found


def conditions(earlier: list[dict], backlash_ok: bool) -> st.SearchStrategy:
    # Waiting only on earlier injects keeps conditions free of cycles.
    watched = st.sampled_from([inject["key"] for inject in earlier])
    wait = st.builds(lambda pair: pair[0], durations(0, 600))
    found = (
        st.fixed_dictionaries({"unanswered": watched, "for": wait})
        | st.fixed_dictionaries({"answered": watched, "delay": wait})
        | st.fixed_dictionaries({"heat_above": numbers})
    )
    # A backlash condition only in a scenario with reactions (else it is an error).
    return found | st.fixed_dictionaries({"backlash": st.just(True), "delay": wait}) if backlash_ok else found


def reactions() -> st.SearchStrategy:
    """Section 1.4's reactions: each field optional (defaults), texts may quote the reply."""
    texts = st.lists(st.builds(str.__add__, templates(True), st.sampled_from(["", " {reply.excerpt}"])), min_size=1)
    reaction = st.fixed_dictionaries(
        {},
        optional={
            "count": st.integers(1, 200),
            "over": st.builds(lambda pair: pair[0], durations(1, 600)),
            "severity": st.integers(1, 5),
            "heat": numbers,
            "persona_kind": keys,
            "texts": texts,
        },
    )
    return st.fixed_dictionaries({}, optional={"backlash": reaction, "support": reaction})


@st.composite
def scorings(draw) -> dict:
    weights = st.dictionaries(st.sampled_from(list(DEFAULT_WEIGHTS)), numbers)
    optional = {
        "weights": weights.filter(lambda w: sum({**DEFAULT_WEIGHTS, **w}.values()) > 0),
        "must_include": st.lists(
            st.fixed_dictionaries({"label": free_text, "any": st.lists(free_text, min_size=1, max_size=3)})
        ),
        "must_avoid": st.lists(free_text, max_size=3),
        "max_length": st.dictionaries(st.sampled_from(PLATFORMS), st.integers(1, 10_000)),
        "first_statement_within": durations(1, 86_400).map(lambda written_and_s: written_and_s[0]),
    }
    return draw(st.fixed_dictionaries({}, optional=optional))


def evaluations() -> st.SearchStrategy:
    """Section 1.6's tasks: unique keys, a task, sometimes a capability (one line)."""
    task = st.fixed_dictionaries(
        {"key": keys, "task": free_text}, optional={"capability": line_text.filter(lambda c: len(c) <= 100)}
    )
    return st.lists(task, max_size=4, unique_by=lambda t: t["key"])


@st.composite
def documents(draw) -> dict:
    """A valid crisisdrill/v1 document, keys in the order an author would write them."""
    duration, duration_s = draw(durations(60, 4 * 3600))
    chain_roles = draw(st.lists(roles, min_size=1, max_size=6, unique=True))
    cast = draw(personas())
    crowd = draw(st.none() | reactions())
    doc = {
        "format": "crisisdrill/v1",
        "title": draw(line_text.filter(lambda title: len(title) <= 200)),
        "language": draw(st.sampled_from(["en", "he", "fr", "de", "ar", "pt-BR", "es-419", "xx"])),
        "brand": {"name": draw(line_text), "handle": draw(line_text)},
        "duration": duration,
        "response_sla": draw(durations(1, 3600))[0],
        "approval_chain": [{"role": chain_roles[0]}]
        + [{"role": role, "sla": draw(durations(1, 600))[0]} for role in chain_roles[1:]],
        "personas": cast,
        "injects": draw(injects(duration_s, [persona["key"] for persona in cast], backlash_ok=crowd is not None)),
    }
    if crowd is not None:
        doc["reactions"] = crowd
    optional = {
        "description": st.text(printable, max_size=40) | st.sampled_from(TRICKY),
        "seed": st.integers(0, 2**53 - 1),
        "allow_self_approval": st.booleans(),
        "heat": st.fixed_dictionaries(
            {}, optional={"start": numbers, "per_severity": numbers, "decay_per_min": numbers}
        ),
        "scoring": scorings(),
        "evaluation": evaluations(),
    }
    return doc | draw(st.fixed_dictionaries({}, optional=optional))


ROUND_TRIP = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(documents(), st.sampled_from(FORMATS))
def test_export_then_import_gives_the_same_document(doc, fmt):
    text = dump_document(doc, fmt)

    assert load_document(text, fmt=fmt) == doc
    assert load_document(text) == doc  # "auto" tells JSON from YAML
    assert load_document(text.encode()) == doc


@ROUND_TRIP
@given(documents(), st.sampled_from(FORMATS))
def test_export_then_import_gives_the_same_scenario(doc, fmt):
    original = validate(doc)
    again = load_document(dump_document(doc, fmt))

    assert original.errors == []  # the strategy makes valid documents only
    assert validate(again).scenario == original.scenario


plain_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(printable, max_size=20)
    | st.sampled_from(TRICKY)
)
plain_data = st.recursive(
    plain_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(printable, max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(printable, max_size=10) | st.sampled_from(TRICKY), plain_data, max_size=6))
def test_any_plain_data_survives_a_yaml_round_trip(data):
    assert load_document(dump_document(data, "yaml"), fmt="yaml") == data


def test_yaml_export_is_readable(shared_scenarios):
    doc = load_document(shared_scenarios["food-recall.he.yaml"])
    doc["scoring"]["must_avoid"] = doc["scoring"]["must_include"][0]["any"]  # the same list twice

    text = dump_document(doc, "yaml")

    assert "מחלבות הגליל" in text  # not \u escapes
    assert "&id" not in text and "*id" not in text  # no anchors, even for shared objects
    assert text.index("format:") < text.index("title:") < text.index("injects:")  # the author's order
    assert load_document(text) == doc


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_shared_scenarios_survive_export_and_import(shared_scenarios, fmt):
    for name, data in shared_scenarios.items():
        doc = load_document(data)
        again = load_document(dump_document(doc, fmt))

        assert again == doc, name
        scenario = validate(again).scenario
        assert scenario == validate(doc).scenario, name
        assert plan_scenario(scenario) == plan_scenario(validate(doc).scenario), name
