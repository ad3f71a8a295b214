"""Plans: what the feed will show, when, from whom, and that the same seed always shows the same."""

import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from faker import Faker
from faker.config import AVAILABLE_LOCALES

from scenarios.spec import Condition
from scenarios.textgen import (
    FAKER_LOCALES,
    Renderer,
    faker_locale,
    faker_methods,
    parse_template,
    plan_scenario,
    preview,
    text_direction,
)
from scenarios.validation import load_document, scenario_from_document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEBREW = re.compile(r"[\u0590-\u05ff]")
PREVIEW_FIELDS = {
    "key", "burst_index", "planned_ms", "platform", "persona", "text", "severity", "requires_response",
    "respond_by_ms", "signal", "sentiment",
}  # fmt: skip


def run_python(script: str, hash_seed: str, stdin: str = "") -> str:
    """stdout of `script` in a fresh interpreter whose sets and dicts of str hash differently."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], input=stdin, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def shared_plan(shared_scenarios, name):
    scenario = scenario_from_document(load_document(shared_scenarios[name]))
    return scenario, plan_scenario(scenario)


class TestSharedScenarios:
    def test_each_gives_a_plan_in_time_order(self, shared_scenarios):
        for name in shared_scenarios:
            scenario, plan = shared_plan(shared_scenarios, name)
            times = [item.planned_ms for item in plan.timed]

            assert times == sorted(times), name
            assert all(0 <= ms <= scenario.duration_ms for ms in times), name
            assert [c.item.key for c in plan.conditional] == [i.key for i in scenario.injects if i.when], name

    def test_the_burst_spreads_40_posts_over_its_window(self, shared_scenarios):
        _, plan = shared_plan(shared_scenarios, "checkout-outage.en.yaml")
        pile_on = [item for item in plan.timed if item.key == "pile-on"]

        assert [item.burst_index for item in pile_on] == list(range(40))
        assert all(4 * 60_000 <= item.planned_ms < 7 * 60_000 for item in pile_on)
        # Each item lands in its own 1/40th of the window: no clumping.
        assert all(
            4 * 60_000 + i * 4_500 <= item.planned_ms < 4 * 60_000 + (i + 1) * 4_500 for i, item in enumerate(pile_on)
        )
        texts = {"Same here @shopline", "Still broken!!", "Lost my cart again", "Anyone else charged twice?"}
        assert {item.text for item in pile_on} <= texts
        assert len({item.persona.name for item in pile_on}) > 30
        assert all(item.persona.handle.startswith("@") and item.persona.kind == "customer" for item in pile_on)
        assert all(20 <= item.persona.followers <= 5000 for item in pile_on)

    def test_the_hebrew_plan_has_hebrew_names(self, shared_scenarios):
        _, plan = shared_plan(shared_scenarios, "food-recall.he.yaml")
        parent = next(item for item in plan.timed if item.key == "worried-parent")
        crowd = [item for item in plan.timed if item.key == "group-shares"]

        assert HEBREW.search(parent.persona.name)
        assert all(HEBREW.search(item.persona.name) for item in crowd)
        assert "מחלבות הגליל" in parent.text

    def test_the_same_persona_keeps_its_name(self, shared_scenarios):
        _, plan = shared_plan(shared_scenarios, "checkout-outage.en.yaml")
        video = next(item for item in plan.timed if item.key == "influencer-video")
        thanks = next(c.item for c in plan.conditional if c.item.key == "thanks")

        assert video.persona == thanks.persona
        assert video.persona.handle == "@dealhunter"

    def test_a_plan_is_identical_on_every_call(self, shared_scenarios):
        for name in shared_scenarios:
            scenario, plan = shared_plan(shared_scenarios, name)

            assert plan_scenario(scenario) == plan
            assert json.dumps(preview(plan_scenario(scenario))) == json.dumps(preview(plan))

    def test_a_plan_is_identical_in_another_process(self, shared_scenarios):
        here = {name: preview(shared_plan(shared_scenarios, name)[1]) for name in shared_scenarios}
        script = (
            "import json, sys\n"
            "from scenarios.validation import load_document, scenario_from_document\n"
            "from scenarios.textgen import plan_scenario, preview\n"
            "documents = json.load(sys.stdin)\n"
            "plans = {name: plan_scenario(scenario_from_document(load_document(text)))\n"
            "         for name, text in documents.items()}\n"
            "print(json.dumps({name: preview(plan) for name, plan in plans.items()}))\n"
        )
        documents = json.dumps({name: data.decode() for name, data in shared_scenarios.items()})

        for hash_seed in ("1", "4242"):
            out = run_python(script, hash_seed, stdin=documents)

            assert json.loads(out) == here

    def test_another_seed_gives_other_words_and_names(self, shared_scenarios):
        scenario, plan = shared_plan(shared_scenarios, "checkout-outage.en.yaml")
        other = plan_scenario(dataclasses.replace(scenario, seed=scenario.seed + 1))

        assert [i.persona.name for i in other.timed] != [i.persona.name for i in plan.timed]
        assert [i.text for i in other.timed] != [i.text for i in plan.timed]
        assert [i.planned_ms for i in other.timed] != [i.planned_ms for i in plan.timed]
        # Only generated things change: the script's own words and times stay.
        fixed = ("first-complaint", 30_000, "Card declined 5 times at ShopLine checkout. Is this a scam?")
        assert (other.timed[0].key, other.timed[0].planned_ms, other.timed[0].text) == fixed


def test_a_scenario_without_seed_uses_the_default_seed(doc):
    del doc["seed"]
    scenario = scenario_from_document(doc)

    assert plan_scenario(scenario) == plan_scenario(dataclasses.replace(scenario, seed=1))


class TestPlan:
    def test_timed_items_sort_by_time_then_document_order(self, doc):
        doc["injects"].insert(0, doc["injects"][0] | {"key": "echo", "at": "4m", "text": "{{echo}}"})
        doc["injects"][2]["burst"]["over"] = "1s"

        plan = plan_scenario(scenario_from_document(doc))

        assert [(i.key, i.burst_index) for i in plan.timed[:4]] == [
            ("complaint", None),
            ("echo", None),
            ("pile-on", 0),
            ("pile-on", 1),
        ]

    def test_deadlines_come_from_respond_within_or_the_sla(self, doc):
        plan = plan_scenario(scenario_from_document(doc))
        complaint = plan.timed[0]
        trending = plan.conditional[0].item

        assert complaint.respond_within_ms == 5 * 60_000
        assert trending.respond_within_ms == 10 * 60_000
        assert trending.planned_ms is None

    def test_burst_texts_speak_as_the_generated_persona(self, doc):
        doc["injects"][1]["texts"] = ["I am {persona.name} ({persona.handle}) {{not a placeholder}}"]

        plan = plan_scenario(scenario_from_document(doc))

        for item in (i for i in plan.timed if i.key == "pile-on"):
            assert item.text == f"I am {item.persona.name} ({item.persona.handle}) {{not a placeholder}}"

    def test_persona_templates_render_once_with_faker(self, doc):
        doc["injects"].append(doc["injects"][0] | {"key": "again", "at": "20m"})

        plan = plan_scenario(scenario_from_document(doc))
        first, again = (i for i in plan.timed if i.key in ("complaint", "again"))

        assert first.persona == again.persona
        assert "{" not in first.persona.name
        assert first.persona.handle.startswith("@") and len(first.persona.handle) > 1

    def test_faker_placeholders_are_filled(self, doc):
        doc["injects"][0]["text"] = "{faker.city}|{faker.pyint}"

        text = plan_scenario(scenario_from_document(doc)).timed[0].text

        city, number = text.split("|")
        assert city and number.isdigit()


class TestPreview:
    def test_it_lists_timed_items_then_conditional_ones(self, doc):
        doc["injects"].append(
            {"key": "heat", "when": {"heat_above": 70}, "platform": "news", "persona": "reporter"}
            | {"text": "Hot", "severity": 2}
        )
        doc["injects"].append(
            {"key": "thanks", "when": {"answered": "complaint", "delay": "2m"}, "platform": "x"}
            | {"persona": "customer", "text": "Thanks", "severity": 1}
        )

        body = preview(plan_scenario(scenario_from_document(doc)))

        first = body["timeline"][0]
        assert set(first) == PREVIEW_FIELDS
        assert first["planned_ms"] == 30_000 and first["respond_by_ms"] == 30_000 + 5 * 60_000
        assert set(first["persona"]) == {"name", "handle", "kind", "followers"}
        assert body["timeline"][1]["respond_by_ms"] is None  # a burst item needs no reply
        assert [entry["when"] for entry in body["conditional"]] == [
            {"unanswered": "complaint", "for_ms": 8 * 60_000},
            {"heat_above": 70.0},
            {"answered": "complaint", "delay_ms": 2 * 60_000},
        ]
        assert all(e["planned_ms"] is None and e["respond_by_ms"] is None for e in body["conditional"])
        json.dumps(body)  # the API sends it as it is

    def test_conditions_are_kept_in_the_plan(self, doc):
        plan = plan_scenario(scenario_from_document(doc))

        assert plan.conditional[0].when == Condition(kind="unanswered", key="complaint", wait_ms=480_000)


class TestTemplates:
    @pytest.mark.parametrize(
        ("template", "segments"),
        [
            ("plain", [("plain", None)]),
            ("Hi {brand.name}!", [("Hi ", "brand.name"), ("!", None)]),
            ("{{x}} {a}{b}", [("{x} ", "a"), ("", "b"), ("", None)]),
            ("{{{brand.name}}}", [("{", "brand.name"), ("}", None)]),
        ],
    )
    def test_parse_template_splits_literals_and_placeholders(self, template, segments):
        assert parse_template(template) == segments

    @pytest.mark.parametrize("template", ["{", "}", "a { b", "{a{b}}", "x}"])
    def test_a_lone_brace_is_an_error(self, template):
        with pytest.raises(ValueError):
            parse_template(template)

    def test_the_renderer_refuses_what_validation_would(self):
        renderer = Renderer(fake=Faker("en_US"), locale="en_US", brand_name="B", brand_handle="@b")

        assert renderer.render("{brand.name} {brand.handle} {{ok}}") == "B @b {ok}"
        for template in ("{faker.seed}", "{persona.name}", "{other}"):
            with pytest.raises(ValueError):
                renderer.render(template)


class TestLocales:
    @pytest.mark.parametrize(
        ("language", "locale"),
        [
            *(("en", "en_US"), ("he", "he_IL"), ("fr", "fr_FR"), ("pt", "pt_PT"), ("pt-BR", "pt_BR")),
            *(("fr-LU", "fr_FR"), ("xx", "en_US"), ("ar", "ar_AA"), ("nb", "no_NO")),
        ],
    )
    def test_faker_locale_follows_the_language(self, language, locale):
        assert faker_locale(language) == locale

    @pytest.mark.parametrize(("language", "direction"), [("he", "rtl"), ("ar-EG", "rtl"), ("fa", "rtl"), ("en", "ltr")])
    def test_text_direction(self, language, direction):
        assert text_direction(language) == direction

    def test_every_mapped_locale_exists_in_faker(self):
        assert set(FAKER_LOCALES.values()) <= set(AVAILABLE_LOCALES)


class TestFakerMethods:
    def test_only_short_plain_values_are_offered(self):
        methods = faker_methods("en_US")

        assert {"name", "city", "company", "catch_phrase", "pyint", "email"} <= methods
        assert methods.isdisjoint({"seed", "seed_instance", "add_provider", "format", "parse", "random"})
        assert methods.isdisjoint({"binary", "zip", "tar", "image", "pylist", "profile", "json", "csv"})
        assert methods.isdisjoint({"date", "date_time", "date_this_month", "year", "unix_time", "credit_card_expire"})
        assert not any(name.startswith("_") for name in methods)

    # The brief's languages; every allowed method must give the same value for a seed on any day...
    STABILITY_LOCALES = ["en_US", "he_IL", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_PT", "nl_NL", "ar_AA"]

    @staticmethod
    def outputs(locale: str) -> dict[str, list[str]]:
        fake, values = Faker(locale), {}
        for name in sorted(faker_methods(locale)):
            values[name] = []
            for seed in range(4):
                fake.seed_instance(seed)
                values[name].append(str(getattr(fake, name)()))
        return values

    def test_allowed_methods_do_not_depend_on_the_date(self):
        time_machine = pytest.importorskip("time_machine")
        for locale in self.STABILITY_LOCALES:
            with time_machine.travel(dt.datetime(2003, 2, 1, tzinfo=dt.UTC), tick=False):
                before = self.outputs(locale)
            with time_machine.travel(dt.datetime(2032, 9, 9, 15, tzinfo=dt.UTC), tick=False):
                after = self.outputs(locale)

            assert before == after, [name for name in before if before[name] != after[name]]

    # ... and in any process, whatever PYTHONHASHSEED orders sets by.
    def test_allowed_methods_do_not_depend_on_hash_randomization(self):
        script = (
            "import json, sys\n"
            "from tests.scenarios.test_textgen import TestFakerMethods as T\n"
            "print(json.dumps({loc: T.outputs(loc) for loc in T.STABILITY_LOCALES}))\n"
        )
        runs = [json.loads(run_python(script, hash_seed)) for hash_seed in ("1", "2")]

        assert runs[0] == runs[1]
