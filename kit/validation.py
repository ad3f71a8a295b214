"""A response template and a kit file checked before anything is saved (PROTOCOL section 2): strict keys, and every
mistake at once with its path, like the scenario validator (whose readers and messages it shares). Pure: what
needs the database (a name already taken, the 500 templates of an organization) is the services' part."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from config.texts import said
from kit.limits import (
    MAX_TAG_CHARS,
    MAX_TAGS,
    MAX_TEMPLATE_CHARS,
    MAX_TEMPLATE_NAME_CHARS,
    MSG_NAME_TOO_LONG,
    MSG_TAG_TOO_LONG,
    MSG_TEMPLATE_TOO_LONG,
    MSG_TOO_MANY_TAGS,
)
from kit.models import TemplateKind
from kit.text import slots, unknown_placeholders
from scenarios.spec import PLATFORMS
from scenarios.validation.fields import MISSING, Report, field, mapping, sequence, text, unique
from scenarios.validation.issues import Issue, index_path, key_path
from scenarios.validation.messages import MSG_PLATFORM, MSG_UNKNOWN_PLACEHOLDER

KIT_FORMAT = "crisisdrill-kit/v1"
REQUIRED_KEYS = ("name", "kind", "language", "text")
OPTIONAL_KEYS = ("platforms", "tags")
# A BCP-47 primary language subtag: the language alone (en, he, fr), no region.
_LANGUAGE = re.compile(r"[a-z]{2,3}")

# The same sentence as the format's platforms (one translation): its placeholder only lists the words allowed.
MSG_KIND = said(gettext_noop("must be one of {platforms}"), platforms=", ".join(TemplateKind.values))
MSG_LANGUAGE = gettext_noop("must be a language subtag of 2 or 3 lowercase letters, such as en, he or fr")
MSG_EMPTY_SLOT = gettext_noop("a slot [[...]] must say what to fill in")
MSG_KIT_FORMAT = said(gettext_noop("must be {format}"), format=KIT_FORMAT)


@dataclass(frozen=True)
class TemplateData:
    """A template as the services store it."""

    name: str
    kind: str
    language: str
    platforms: list[str]
    tags: list[str]
    text: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "language": self.language,
            "platforms": list(self.platforms),
            "tags": list(self.tags),
            "text": self.text,
        }


def check_template(data: object, path: str = "") -> tuple[TemplateData | None, list[Issue]]:
    """The template, or None and every mistake; paths under `path` (`templates[2].text` in a kit file)."""
    report = Report()
    template = _template(report, data, path)
    return (None if report.errors else template), report.errors


def check_kit(document: object) -> tuple[list[TemplateData], list[Issue]]:
    """A kit file: `{format: crisisdrill-kit/v1, templates: [...]}`, names unique within it."""
    report = Report()
    top = mapping(report, document, "", required=("format", "templates"))
    if top is None:
        return [], report.errors
    kit_format = field(top, "format")
    if kit_format is not MISSING and kit_format != KIT_FORMAT:
        report.error("format", MSG_KIT_FORMAT)
    templates, names = [], {}
    for index, item in enumerate(sequence(report, field(top, "templates"), "templates") or []):
        item_path = index_path("templates", index)
        template = _template(report, item, item_path)
        if template is not None:
            unique(report, template.name, key_path(item_path, "name"), names)
            templates.append(template)
    return ([] if report.errors else templates), report.errors


def kit_document(templates: list[TemplateData]) -> dict:
    """The kit file of `templates`, as export writes it and check_kit reads it back."""
    return {"format": KIT_FORMAT, "templates": [template.as_dict() for template in templates]}


def _template(report: Report, data: object, path: str) -> TemplateData | None:
    if data is MISSING or data is None:
        data = {}  # `- ` alone in a YAML list: said as its missing keys
    errors_before = len(report.errors)
    top = mapping(report, data, path, required=REQUIRED_KEYS, optional=OPTIONAL_KEYS)
    if top is None:
        return None
    name = text(
        report,
        field(top, "name"),
        key_path(path, "name"),
        multiline=False,
        limit=(MAX_TEMPLATE_NAME_CHARS, MSG_NAME_TOO_LONG),
    )
    kind = _kind(report, field(top, "kind"), key_path(path, "kind"))
    language = text(
        report,
        field(top, "language"),
        key_path(path, "language"),
        multiline=False,
        pattern=_LANGUAGE,
        pattern_message=MSG_LANGUAGE,
    )
    platforms = _platforms(report, field(top, "platforms"), key_path(path, "platforms"))
    tags = _tags(report, field(top, "tags"), key_path(path, "tags"))
    body = _text(report, field(top, "text"), key_path(path, "text"))
    if len(report.errors) > errors_before:
        return None
    return TemplateData(name=name, kind=kind, language=language, platforms=platforms, tags=tags, text=body)


def _kind(report: Report, value: object, path: str) -> str | None:
    if value is MISSING:
        return None
    if value not in TemplateKind.values:
        report.error(path, MSG_KIND)
        return None
    return value


def _platforms(report: Report, value: object, path: str) -> list[str]:
    """Empty (or left out): the template fits every platform."""
    found, seen = [], {}
    for index, platform in enumerate(sequence(report, value, path) or []):
        item_path = index_path(path, index)
        if not isinstance(platform, str) or platform not in PLATFORMS:
            report.error(item_path, MSG_PLATFORM)
            continue
        unique(report, platform, item_path, seen)
        found.append(platform)
    return found


def _tags(report: Report, value: object, path: str) -> list[str]:
    items = sequence(report, value, path) or []
    if len(items) > MAX_TAGS:
        report.error(path, MSG_TOO_MANY_TAGS)
        return []
    found, seen = [], {}
    for index, tag in enumerate(items):
        item_path = index_path(path, index)
        tag = text(report, tag, item_path, multiline=False, limit=(MAX_TAG_CHARS, MSG_TAG_TOO_LONG))
        if tag is not None:
            unique(report, tag, item_path, seen)
            found.append(tag)
    return found


def _text(report: Report, value: object, path: str) -> str | None:
    body = text(report, value, path, limit=(MAX_TEMPLATE_CHARS, MSG_TEMPLATE_TOO_LONG))
    if body is None:
        return None
    for name in dict.fromkeys(unknown_placeholders(body)):  # each unknown name said once, in order
        shown = name if len(name) <= 60 else name[:57] + "..."
        report.error(path, said(MSG_UNKNOWN_PLACEHOLDER, placeholder="{" + shown + "}"))
    if any(not label.strip() for label in slots(body)):
        report.error(path, MSG_EMPTY_SLOT)
    return body
