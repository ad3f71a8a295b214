"""A template's text, pure (PROTOCOL section 2): placeholders filled for the post answered, slots left for the team,
in any script."""

import pytest

from kit.text import fill, placeholder_spans, placeholders, slot_spans, slots, unknown_placeholders

VALUES = {
    "brand.name": "Northwind Air",
    "brand.handle": "@northwindair",
    "persona.name": "Dana Levi",
    "persona.handle": "@dana",
}


def test_known_placeholders_are_filled_and_slots_are_left_for_the_team():
    text = "Hi {persona.handle}, {brand.name} is sorry. [[what happened]] We will update you by [[time]]."

    assert fill(text, VALUES) == ("Hi @dana, Northwind Air is sorry. [[what happened]] We will update you by [[time]].")
    assert slots(text) == ["what happened", "time"]


def test_literal_braces_and_unknown_names_stay_as_written():
    text = "{{not a placeholder}} {reply.excerpt} {brand.handle}"

    assert placeholders(text) == ["reply.excerpt", "brand.handle"]
    assert unknown_placeholders(text) == ["reply.excerpt"]
    assert fill(text, VALUES) == "{not a placeholder} {reply.excerpt} @northwindair"


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("שלום {persona.name}, [[מה קרה]] ונעדכן עד [[שעה]].", ["מה קרה", "שעה"]),
        ("[[שעה]]בבוקר", ["שעה"]),  # a slot glued to a Hebrew word
        ("Bonjour, [[ce qui s'est passé]].", ["ce qui s'est passé"]),
        ("empty [[]] slot", [""]),
        ("not a slot: [single] [[broken\nacross lines]]", []),
    ],
)
def test_slots_in_any_script(text, labels):
    assert slots(text) == labels


def test_slot_spans_point_at_the_brackets_for_the_cursor():
    text = "אנחנו [[מה קרה]] עכשיו"

    ((start, end),) = slot_spans(text)
    assert text[start:end] == "[[מה קרה]]"
    assert fill(text, VALUES) == text


def test_placeholder_spans_point_at_each_name_but_not_at_literal_braces():
    text = "{{x}} שלום {persona.name}"

    ((start, end),) = placeholder_spans(text)
    assert text[start:end] == "{persona.name}"
