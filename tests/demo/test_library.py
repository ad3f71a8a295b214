"""The project's own demo library: valid, in English, Hebrew and French, and together using the whole format."""

import dataclasses
import re

import pytest

from demo.seed import LIBRARY_DIR, library_paths
from scenarios.reactions import EXCERPT_CHARS, plan_reaction, reaction_kind
from scenarios.rubric import check_reply
from scenarios.spec import BACKLASH, PLATFORMS, SUPPORT
from scenarios.textgen import BRAND_FIELDS, PERSONA_FIELDS, parse_template
from scenarios.validation import load_document, validate
from scenarios.validation.checks import HEAT_FIELDS, PERSONA_REQUIRED, SCORING_KEYS, TOP_OPTIONAL, TOP_REQUIRED
from scenarios.validation.injects import BURST_REQUIRED, INJECT_OPTIONAL, INJECT_REQUIRED, WHEN_WAITS
from scenarios.validation.reactions import REACTION_KEYS, REPLY_EXCERPT

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
    crowd = [r for document in DOCUMENTS.values() for r in document.get("reactions", {}).values()]
    assert set().union(*crowd) == set(REACTION_KEYS)
    assert any("{" + REPLY_EXCERPT + "}" in text for reaction in crowd for text in reaction["texts"])


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


# The living crowd (PROTOCOL sections 1.3 to 1.5), shown by the library in each of its languages.
LANGUAGES = ("en", "he", "fr")
EARLY_SHARE = 0.1  # a signal comes within the first tenth of its scenario...
NOISE_WINDOW_MS = 120_000  # ...with an ordinary post (no signal, no reply needed) this close to it
# Short words only one of the two Latin-script languages uses, to tell an English text from a French one.
FUNCTION_WORDS = {
    "en": {"the", "you", "your", "my", "is", "are", "to", "of", "this", "that", "not", "and", "for", "it", "we", "i"},
    "fr": {"le", "la", "les", "de", "des", "du", "pas", "vous", "nous", "est", "et", "un", "une", "mon", "ma", "je"},
}
HEBREW = re.compile(r"[\u05d0-\u05ea]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Per language, a reply a hurried team might let through, and a careful one, each meant for X.
REPLIES = {
    "en": (
        "This was an isolated incident and there is no evidence of misuse. Thank you for your patience.",
        "We are sorry. Please reset your password and watch for e-mails asking for your passport; we will share an"
        " update at 3 pm.",
    ),
    "he": (
        "בית החולים פועל כרגיל והכול תחת שליטה. מדובר בשביתה פוליטית של הוועד.",
        "אנחנו מצטערים על הדחייה ומבינים את הכעס. המוקד שלנו ייצור קשר עם כל מטופל כדי לקבוע מועד חדש.",
    ),
    "fr": (
        "Un problème mineur touche actuellement l'application. Tout est sous contrôle, merci de votre patience.",
        "Nous sommes désolés : l'application est en panne depuis ce matin. Nos équipes travaillent au"
        " rétablissement. Prochain point à 10 h.",
    ),
}


# Every library scenario with reactions; each one must show the whole living crowd.
CROWD = sorted(name for name, document in DOCUMENTS.items() if "reactions" in document)


def crowd_scenario(name):
    return validate(DOCUMENTS[name]).scenario


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_scenario_with_the_living_crowd(language):
    assert any(DOCUMENTS[name]["language"] == language for name in CROWD), language


@pytest.mark.parametrize("name", CROWD)
def test_it_has_backlash_support_and_a_backlash_condition(name):
    scenario = crowd_scenario(name)
    assert scenario.reactions.backlash.texts and scenario.reactions.support.texts, "its own texts"
    assert any(i.when is not None and i.when.kind == BACKLASH for i in scenario.injects)


@pytest.mark.parametrize("name", CROWD)
def test_its_signal_is_a_quiet_early_post_among_ordinary_ones(name):
    scenario = crowd_scenario(name)
    timed = [i for i in scenario.injects if i.at_ms is not None]
    signals = [i for i in timed if i.signal]
    assert signals
    for signal in signals:
        assert signal.at_ms <= scenario.duration_ms * EARLY_SHARE
        assert any(
            abs(i.at_ms - signal.at_ms) <= NOISE_WINDOW_MS
            for i in timed
            if not i.signal and not i.requires_response and i.burst is None
        )


@pytest.mark.parametrize("name", CROWD)
def test_a_tone_deaf_reply_breaks_the_rubric_and_sets_off_the_backlash(name):
    scenario = crowd_scenario(name)
    tone_deaf, careful = REPLIES[scenario.language]
    assert check_reply(tone_deaf, "x", scenario.scoring).forbidden, "the tone itself is a must_avoid phrase"
    assert reaction_kind(scenario, tone_deaf, "x") == BACKLASH
    assert reaction_kind(scenario, careful, "x") == SUPPORT


def own_words(text, language):
    words = re.findall(r"\w+", text.lower())
    return sum(word in FUNCTION_WORDS[language] for word in words)


def literal_text(template):
    return "".join(literal for literal, _ in parse_template(template))


@pytest.mark.parametrize("name", CROWD)
@pytest.mark.parametrize("kind", [BACKLASH, SUPPORT])
def test_reaction_texts_are_written_in_the_scenario_language(name, kind):
    scenario = crowd_scenario(name)
    texts = [literal_text(text) for text in getattr(scenario.reactions, kind).texts]
    if scenario.language == "he":
        assert all(HEBREW.search(text) and not LATIN.search(text) for text in texts), texts
        return
    # A short comment may have no function word at all: English or French is told over the whole set.
    other = "fr" if scenario.language == "en" else "en"
    assert not any(HEBREW.search(text) for text in texts)
    assert own_words(" ".join(texts), scenario.language) > 2 * own_words(" ".join(texts), other), texts


@pytest.mark.parametrize("name", CROWD)
@pytest.mark.parametrize("kind", [BACKLASH, SUPPORT])
def test_every_reaction_text_renders_each_placeholder(name, kind):
    scenario = crowd_scenario(name)
    reply = REPLIES[scenario.language][0 if kind == BACKLASH else 1]
    reaction = getattr(scenario.reactions, kind)
    # As many comments as texts: each text is used once before any repeats.
    whole = dataclasses.replace(
        scenario,
        reactions=dataclasses.replace(
            scenario.reactions, **{kind: dataclasses.replace(reaction, count=len(reaction.texts))}
        ),
    )
    values = {"brand.name": scenario.brand_name, "brand.handle": scenario.brand_handle}
    values["reply.excerpt"] = reply[:EXCERPT_CHARS]
    expected = {
        "".join(literal + (values[field] if field else "") for literal, field in parse_template(text))
        for text in reaction.texts
    }

    items = plan_reaction(whole, kind=kind, response_id=1, text=reply, platform="x", published_ms=0)

    assert {item.text for item in items} == expected


def test_flagging_the_signal_in_time_counts_in_some_overall_score():
    # Detection is shown, not counted, unless a scenario weights it (PROTOCOL section 4): the library weights it.
    assert any(validate(document).scenario.scoring.weights["detection"] > 0 for document in DOCUMENTS.values())
