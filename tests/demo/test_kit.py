"""The demo organization's crisis kit: valid, six kinds in English, Hebrew and French, seeded once."""

import io

import pytest
from django.core.management import call_command

from demo.seed import kit_paths
from kit.models import ResponseTemplate, TemplateKind
from kit.text import placeholders, slots
from kit.validation import check_kit
from scenarios.validation import load_document

KITS = {path.name: load_document(path.read_bytes()) for path in kit_paths()}
SEEDED_KINDS = {"holding", "apology", "update", "correction", "media", "dm"}


@pytest.mark.parametrize("name", sorted(KITS))
def test_each_kit_file_is_valid_and_covers_the_six_kinds_in_its_language(name):
    templates, issues = check_kit(KITS[name])
    assert issues == []
    assert {t.kind for t in templates} == SEEDED_KINDS
    assert {t.language for t in templates} == {name.removesuffix(".yaml")}
    assert all(slots(t.text) for t in templates)  # each leaves the team something to write
    assert any("persona.name" in placeholders(t.text) for t in templates)


def test_the_kit_speaks_english_hebrew_and_french():
    assert sorted(KITS) == ["en.yaml", "fr.yaml", "he.yaml"]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seeding_the_kit_twice_changes_nothing_and_keeps_an_instructors_edit():
    assert "crisis kit templates added: 18" in seed()
    demo = ResponseTemplate.objects.filter(organization__slug="demo")
    assert demo.count() == 18 and not ResponseTemplate.objects.exclude(organization__slug="demo").exists()
    assert set(demo.values_list("kind", flat=True)) == SEEDED_KINDS
    assert TemplateKind.OTHER not in set(demo.values_list("kind", flat=True))
    demo.filter(name="Apology").update(text="Our own words, [[slot]].")
    before = list(demo.order_by("pk").values())
    assert "crisis kit templates added: 0" in seed()
    assert list(demo.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_deleted_kit_template_comes_back_on_the_next_seed():
    seed()
    ResponseTemplate.objects.filter(name="הודעת המתנה").delete()
    assert "crisis kit templates added: 1" in seed()
    assert ResponseTemplate.objects.get(name="הודעת המתנה").language == "he"
