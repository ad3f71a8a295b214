"""Text generation: turns a validated `Scenario` into its `Plan` (times, personas and words of every post).

Everything random comes from one `random.Random(seed)` and one `Faker(locale)` seeded with the same
seed, consumed in a fixed order, so a scenario gives a byte-identical plan on every call, in every
process, on every day. Templates know `{brand.name}`, `{brand.handle}`, `{persona.name}`,
`{persona.handle}` and `{faker.METHOD}`; `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import functools
import inspect
import random
import re
from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext_noop
from faker import Faker

from scenarios.plan import ConditionalItem, Plan, PlannedItem, PlannedPersona, item_data
from scenarios.spec import Condition, Inject, Persona, Scenario

# Language tag (or its primary subtag) -> Faker locale; anything else falls back to en_US.
FAKER_LOCALES = {
    "en": "en_US",
    "he": "he_IL",
    "fr": "fr_FR",
    "de": "de_DE",
    "es": "es_ES",
    "it": "it_IT",
    "pt": "pt_PT",
    "nl": "nl_NL",
    "ar": "ar_AA",
    "ru": "ru_RU",
    "pl": "pl_PL",
    "tr": "tr_TR",
    "ja": "ja_JP",
    "zh": "zh_CN",
    "ko": "ko_KR",
    "sv": "sv_SE",
    "da": "da_DK",
    "fi": "fi_FI",
    "no": "no_NO",
    "nb": "no_NO",
    "cs": "cs_CZ",
    "el": "el_GR",
    "hu": "hu_HU",
    "ro": "ro_RO",
    "uk": "uk_UA",
    "fa": "fa_IR",
    "hi": "hi_IN",
    "id": "id_ID",
    "th": "th_TH",
    "vi": "vi_VN",
    "en-GB": "en_GB",
    "en-AU": "en_AU",
    "en-CA": "en_CA",
    "en-IN": "en_IN",
    "fr-CA": "fr_CA",
    "fr-BE": "fr_BE",
    "fr-CH": "fr_CH",
    "de-AT": "de_AT",
    "de-CH": "de_CH",
    "es-MX": "es_MX",
    "pt-BR": "pt_BR",
    "nl-BE": "nl_BE",
    "zh-TW": "zh_TW",
}
DEFAULT_LOCALE = "en_US"
RTL_LANGUAGES = frozenset({"he", "ar", "fa", "ur", "yi"})

# Faker's own machinery is never a placeholder, whatever a provider exposes.
FAKER_MACHINERY = frozenset(
    {
        "seed", "seed_instance", "seed_locale", "add_provider", "get_providers", "provider", "random",
        "format", "parse", "set_arguments", "del_arguments", "get_arguments", "get_formatter",
        "set_formatter", "generator", "factories", "items", "weights", "locales", "unique", "optional",
    }
)  # fmt: skip
# Slow, huge or needing optional libraries: never the words of a post.
FAKER_HEAVY = frozenset({"binary", "tar", "zip", "image", "json_bytes", "xml", "time_series"})
# Plans must depend on the seed alone. Every method of Faker's date_time providers reads today's date
# and is left out by module; these others read the date, or iterate a set (so they change with
# PYTHONHASHSEED). Found by tests/scenarios/test_textgen.py, which re-checks every allowed method.
FAKER_UNSTABLE = frozenset(
    {
        "credit_card_expire", "credit_card_full", "passport_dates", "passport_dob", "passport_full",
        "passport_gender", "profile", "simple_profile", "ssn", "vat_id",
    }
)  # fmt: skip
FAKER_UNSTABLE_BY_LOCALE = {
    "it_IT": frozenset({"city"}),
    "es_ES": frozenset({"cif", "nie", "nif", "nuss"}),
    "es_MX": frozenset({"curp", "elector_code", "rfc"}),
    "sv_SE": frozenset({"org_id"}),
    "ru_RU": frozenset({"ascii_email", "businesses_ogrn", "individuals_ogrn"}),
    "cs_CZ": frozenset({"birth_number"}),
    "pl_PL": frozenset({"pesel"}),
    "de_DE": frozenset({"rvnr"}),
    "el_GR": frozenset({"tin"}),
    "uk_UA": frozenset({"license_plate", "plate_letter_prefix", "plate_region_code", "diplomatic_license_plate"}),
}
MAX_FAKER_CHARS = 200
_FAKER_RESULTS = (str, int, float, Decimal)

MSG_STRAY_BRACE = gettext_noop("has a lone { or }: write {{ or }} for a literal brace")
BRAND_FIELDS = frozenset({"brand.name", "brand.handle"})
PERSONA_FIELDS = frozenset({"persona.name", "persona.handle"})
# "{{" and "}}" first so they are never read as the start or end of a placeholder.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def faker_locale(language: str) -> str:
    """The Faker locale for a language tag: the tag itself, then its primary subtag, then en_US."""
    return FAKER_LOCALES.get(language) or FAKER_LOCALES.get(language.split("-")[0], DEFAULT_LOCALE)


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@functools.cache
def faker_methods(locale: str) -> frozenset[str]:
    """Names usable as `{faker.NAME}` in `locale`: provider methods callable without arguments that
    return a short plain value and do not depend on the date or on hash randomization."""
    fake = Faker(locale)
    fake.seed_instance(0)
    unstable = FAKER_UNSTABLE | FAKER_UNSTABLE_BY_LOCALE.get(locale, frozenset())
    names = set()
    for provider in fake.factories[0].providers:
        for name in dir(provider):
            if name not in names and name not in unstable and _is_text_method(provider, name):
                names.add(name)
    return frozenset(names)


def _is_text_method(provider: object, name: str) -> bool:
    if name.startswith("_") or name in FAKER_MACHINERY or name in FAKER_HEAVY:
        return False
    method = getattr(provider, name, None)
    if not inspect.ismethod(method) or method.__module__.startswith("faker.providers.date_time"):
        return False
    if not _callable_without_arguments(method):
        return False
    try:
        value = method()
    except Exception:  # a method needing an optional library or a missing locale table is just not offered
        return False
    return isinstance(value, _FAKER_RESULTS) and not isinstance(value, bool) and len(str(value)) <= MAX_FAKER_CHARS


def _callable_without_arguments(method: object) -> bool:
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return all(p.default is not p.empty or p.kind in variadic for p in parameters)


def parse_template(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pairs; ValueError(MSG_STRAY_BRACE) on a lone brace."""
    segments: list[tuple[str, str | None]] = []
    literal: list[str] = []
    position = 0
    for match in _TOKEN.finditer(template):
        literal.append(template[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            literal.append(token[0])
        elif match.group(1) is None:
            raise ValueError(MSG_STRAY_BRACE)
        else:
            segments.append(("".join(literal), match.group(1)))
            literal = []
    literal.append(template[position:])
    segments.append(("".join(literal), None))
    return segments


class Renderer:
    """Fills templates for one scenario, drawing `{faker.*}` values from one seeded Faker."""

    def __init__(self, *, fake: Faker, locale: str, brand_name: str, brand_handle: str) -> None:
        self.fake = fake
        self.allowed = faker_methods(locale)
        self.brand = {"brand.name": brand_name, "brand.handle": brand_handle}

    def render(self, template: str, persona: PlannedPersona | None = None) -> str:
        parts = []
        for literal, name in parse_template(template):
            parts.append(literal)
            if name is not None:
                parts.append(self._value(name, persona))
        return "".join(parts)

    def _value(self, name: str, persona: PlannedPersona | None) -> str:
        if name in self.brand:
            return self.brand[name]
        if name in PERSONA_FIELDS and persona is not None:
            return persona.name if name == "persona.name" else persona.handle
        method = name.removeprefix("faker.")
        if name.startswith("faker.") and method in self.allowed:
            return str(getattr(self.fake, method)())
        raise ValueError(f"unknown placeholder {{{name}}}")


def plan_scenario(scenario: Scenario) -> Plan:
    """The scenario's timeline, deterministic for `scenario.seed` (see the module docstring)."""
    locale = faker_locale(scenario.language)
    fake = Faker(locale)
    fake.seed_instance(scenario.seed)
    rng = random.Random(scenario.seed)
    renderer = Renderer(fake=fake, locale=locale, brand_name=scenario.brand_name, brand_handle=scenario.brand_handle)
    # Personas first, once each: the same persona keeps one name in every inject.
    personas = {p.key: _plan_persona(p, renderer) for p in scenario.personas}
    timed: list[tuple[tuple[int, int, int], PlannedItem]] = []
    conditional: list[ConditionalItem] = []
    for index, inject in enumerate(scenario.injects):
        deadline_ms = scenario.deadline_ms(inject)
        if inject.burst is not None:
            for item in _burst_items(inject, deadline_ms, rng, fake, renderer):
                timed.append(((item.planned_ms, index, item.burst_index), item))
            continue
        persona = personas[inject.persona]
        item = _item(inject, persona, renderer.render(inject.text, persona), inject.at_ms, deadline_ms)
        if inject.subject is not None:  # drawn after the text: scenarios without a subject keep their words
            item = replace(item, subject=renderer.render(inject.subject, persona))
        if inject.when is not None:
            conditional.append(ConditionalItem(when=inject.when, item=item))
        else:
            timed.append(((inject.at_ms, index, -1), item))
    timed.sort(key=lambda pair: pair[0])
    return Plan(timed=tuple(item for _, item in timed), conditional=tuple(conditional))


def _plan_persona(persona: Persona, renderer: Renderer) -> PlannedPersona:
    return PlannedPersona(
        name=renderer.render(persona.name),
        handle=renderer.render(persona.handle),
        kind=persona.kind,
        followers=persona.followers,
    )


def _burst_items(
    inject: Inject, deadline_ms: int, rng: random.Random, fake: Faker, renderer: Renderer
) -> list[PlannedItem]:
    # The draw order (u, name, handle, followers, text) is part of the contract: changing it changes
    # every published scenario's words.
    burst = inject.burst
    items = []
    for index in range(burst.count):
        u = rng.random()
        planned_ms = inject.at_ms + int(burst.over_ms * (index + u) / burst.count)
        persona = PlannedPersona(
            name=fake.name(),
            handle="@" + fake.user_name(),
            kind=burst.persona_kind,
            followers=rng.randint(20, 5000),
        )
        text = renderer.render(rng.choice(inject.texts), persona)
        item = _item(inject, persona, text, planned_ms, deadline_ms, burst_index=index)
        if inject.subject is not None:
            item = replace(item, subject=renderer.render(inject.subject, persona))
        items.append(item)
    return items


def _item(
    inject: Inject,
    persona: PlannedPersona,
    text: str,
    planned_ms: int | None,
    deadline_ms: int,
    burst_index: int | None = None,
) -> PlannedItem:
    return PlannedItem(
        key=inject.key,
        burst_index=burst_index,
        planned_ms=planned_ms,
        platform=inject.platform,
        persona=persona,
        text=text,
        severity=inject.severity,
        requires_response=inject.requires_response,
        respond_within_ms=deadline_ms,
        signal=inject.signal,
        sentiment=inject.sentiment,
    )


def preview(plan: Plan) -> dict:
    """The preview API's body: timed items in order, then conditional injects with their condition."""
    return {
        "timeline": [_preview_item(item) for item in plan.timed],
        "conditional": [
            {**_preview_item(entry.item), "when": _preview_condition(entry.when)} for entry in plan.conditional
        ],
    }


def _preview_item(item: PlannedItem) -> dict:
    # The preview is the instructors' (PROTOCOL section 2): it may say which posts are signals.
    return {**item_data(item, planned_ms=item.planned_ms, shown_ms=item.planned_ms), "signal": item.signal}


def _preview_condition(when: Condition) -> dict:
    if when.kind == "unanswered":
        return {"unanswered": when.key, "for_ms": when.wait_ms}
    if when.kind == "answered":
        return {"answered": when.key, "delay_ms": when.wait_ms}
    return {"heat_above": when.threshold}
