"""The bounds of a scenario document, each defined once: the validator, the JSON Schema, the drills' manual
injects and the plan all read them here. A small document must not become a huge plan: posts and their texts
are counted before anything is rendered (preview, publish, the engine)."""

from django.utils.translation import gettext_noop

from config.limits import MAX_NAME_CHARS, MAX_TITLE_CHARS, MSG_NAME_TOO_LONG, MSG_TITLE_TOO_LONG
from scenarios.spec import MAX_SUBJECT_CHARS
from scenarios.textgen import MAX_FAKER_CHARS

__all__ = [
    "MAX_BURST_COUNT",
    "MAX_CHAIN_STEPS",
    "MAX_FOLLOWERS",
    "MAX_NAME_CHARS",
    "MAX_PLANNED_ITEMS",
    "MAX_PLAN_CHARS",
    "MAX_ROLE_CHARS",
    "MAX_SAFE_INT",
    "MAX_SUBJECT_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_WEIGHT",
    "MSG_NAME_TOO_LONG",
    "MSG_SUBJECT_TOO_LONG",
    "MSG_TEXT_TOO_LONG",
    "MSG_TITLE_TOO_LONG",
    "PLACEHOLDER_CHARS",
]

# Whole numbers a JavaScript editor can hold without rounding them.
MAX_SAFE_INT = 2**53 - 1
MAX_FOLLOWERS = MAX_SAFE_INT
MAX_CHAIN_STEPS = 6
# A chain role's name, as a seat stores it.
MAX_ROLE_CHARS = 40
MAX_WEIGHT = 1000
MAX_BURST_COUNT = 500
# Each inject's text (and each of a burst's texts): a post, not a book.
MAX_TEXT_CHARS = 5000
MSG_TEXT_TOO_LONG = gettext_noop("must be at most 5,000 characters")
# An e-mail's subject line (MAX_SUBJECT_CHARS, from the spec: the plan clips a filled-in subject to it too).
MSG_SUBJECT_TOO_LONG = gettext_noop("must be at most 200 characters")
# Every planned post is generated at preview and published by the engine: bound the work ...
MAX_PLANNED_ITEMS = 5000
# ... and the text it writes: 5,000 posts of 600 characters; two bursts of 500 repeating 5,000 characters is more.
MAX_PLAN_CHARS = 3_000_000
# What one placeholder may become: a name or a handle, or a Faker value (textgen offers only short ones).
PLACEHOLDER_CHARS = max(MAX_NAME_CHARS, MAX_FAKER_CHARS)
