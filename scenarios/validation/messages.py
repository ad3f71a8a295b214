"""Every message a scenario author can see, as constants the tests import.

Formatted ones take their values through `str.format` with the names shown in braces.
"""

# Messages raised by the duration parser and the template reader, re-exported with the rest.
from django.utils.translation import gettext_noop

from config.limits import MSG_BAD_CHARACTERS as MSG_BAD_CHARACTERS
from config.texts import said
from scenarios.durations import MSG_DURATION as MSG_DURATION
from scenarios.durations import MSG_DURATION_NEGATIVE as MSG_DURATION_NEGATIVE
from scenarios.durations import MSG_DURATION_TOO_LONG as MSG_DURATION_TOO_LONG
from scenarios.spec import FORMAT, PLATFORMS, SENTIMENTS
from scenarios.textgen import MSG_STRAY_BRACE as MSG_STRAY_BRACE
from scenarios.validation.limits import MSG_NAME_TOO_LONG as MSG_NAME_TOO_LONG
from scenarios.validation.limits import MSG_SUBJECT_TOO_LONG as MSG_SUBJECT_TOO_LONG
from scenarios.validation.limits import MSG_TEXT_TOO_LONG as MSG_TEXT_TOO_LONG
from scenarios.validation.limits import MSG_TITLE_TOO_LONG as MSG_TITLE_TOO_LONG

# Reading the file (path "" unless a better one is known).
MSG_TOO_LARGE = gettext_noop("the document is larger than 1 MiB")
MSG_NOT_UTF8 = gettext_noop("the document is not UTF-8 text")
MSG_INVALID_YAML = gettext_noop("invalid YAML at line {line}, column {column}: {problem}")
MSG_INVALID_JSON = gettext_noop("invalid JSON at line {line}, column {column}: {problem}")
MSG_INVALID_JSON_VALUE = gettext_noop("invalid JSON: {problem}")
MSG_YAML_ANCHOR = gettext_noop("YAML anchors and aliases are not allowed (line {line}, column {column})")
MSG_YAML_TAG = gettext_noop("the YAML tag {tag} is not allowed (line {line}, column {column})")
MSG_TOO_DEEP = gettext_noop("the document is nested too deeply")
MSG_DUPLICATE_KEY = gettext_noop("duplicate key")
MSG_NOT_A_DOCUMENT = gettext_noop("the document must be a mapping of keys such as format, title and injects")

# Shapes and types.
MSG_UNKNOWN_KEY = gettext_noop("unknown key")
MSG_REQUIRED = gettext_noop("required")
MSG_NOT_MAPPING = gettext_noop("must be a mapping")
MSG_NOT_LIST = gettext_noop("must be a list")
MSG_NOT_STRING = gettext_noop("must be a string")
MSG_NOT_BOOL = gettext_noop("must be true or false")
MSG_NOT_INTEGER = gettext_noop("must be a whole number")
MSG_NOT_NUMBER = gettext_noop("must be a number")
MSG_INT_RANGE = gettext_noop("must be a whole number from {low} to {high}")
MSG_NUMBER_RANGE = gettext_noop("must be a number from {low} to {high}")
MSG_BLANK = gettext_noop("must not be blank")
MSG_PLAN_TOO_LARGE = gettext_noop(
    "plans about {chars} characters of post texts (bursts repeat theirs); at most {limit} are allowed"
)
MSG_POSITIVE = gettext_noop("must be more than 0")
MSG_DUPLICATE = gettext_noop("duplicate of {path}")

# The scenario.
MSG_FORMAT = said(gettext_noop("must be {format}"), format=FORMAT)
MSG_LANGUAGE = gettext_noop("must be a language tag such as en, he, fr or pt-BR")
MSG_CHAIN_LENGTH = gettext_noop("must have 1 to 6 steps")
MSG_ROLE = gettext_noop("must start with a-z and use only a-z, 0-9, _ and - (at most 40 characters)")
MSG_RESERVED_ROLE = gettext_noop("observer is reserved for people who watch the drill")
MSG_FIRST_STEP_SLA = gettext_noop("the first step is the author and has no SLA")
MSG_PERSONA_KEY = gettext_noop("must use only a-z, 0-9, _ and - (at most 50 characters)")
MSG_INJECT_KEY = gettext_noop("must use only a-z, 0-9 and - (at most 50 characters)")
MSG_NO_INJECTS = gettext_noop("must list at least one inject")
MSG_TOO_MANY_ITEMS = gettext_noop("plans {count} posts (injects and burst items); at most {limit} are allowed")
MSG_AT_OR_WHEN = gettext_noop("give exactly one of at and when")
MSG_PLATFORM = said(gettext_noop("must be one of {platforms}"), platforms=", ".join(PLATFORMS))
# The same sentence as MSG_PLATFORM (one translation): its placeholder only lists the words allowed.
MSG_SENTIMENT = said(gettext_noop("must be one of {platforms}"), platforms=", ".join(SENTIMENTS))
MSG_UNKNOWN_PERSONA = gettext_noop("unknown persona {key}")
MSG_AT_AFTER_END = gettext_noop("comes after the end of the drill ({duration})")
MSG_BURST_AFTER_END = gettext_noop("the burst runs until {end}, after the end of the drill ({duration})")
MSG_BURST_PERSONA = gettext_noop("a burst draws its own personas: remove persona")
MSG_BURST_TEXT = gettext_noop("a burst takes texts, not text")
MSG_BURST_WHEN = gettext_noop("a burst needs at, not when")
MSG_BURST_SIGNAL = gettext_noop("a burst is the noise, not a signal: mark a single inject as the signal")
MSG_SUBJECT_NOT_EMAIL = gettext_noop("subject is only for email injects")
MSG_NO_TEXTS = gettext_noop("must list at least one text")
MSG_NO_PHRASES = gettext_noop("must list at least one phrase")
MSG_TEXTS_WITHOUT_BURST = gettext_noop("texts is only for bursts: use text")
MSG_WHEN_FORM = gettext_noop("give one of {unanswered: KEY, for: DUR}, {answered: KEY, delay: DUR} or {heat_above: N}")
MSG_WHEN_MISMATCH = gettext_noop("{key} does not go with {kind}")
MSG_UNKNOWN_INJECT = gettext_noop("unknown inject {key}")
MSG_SELF_CONDITION = gettext_noop("an inject cannot wait for itself")
MSG_CYCLE = gettext_noop("condition cycle: {cycle}")
MSG_UNKNOWN_PLACEHOLDER = gettext_noop("unknown placeholder {placeholder}")
MSG_PERSONA_IN_PERSONA = gettext_noop("{placeholder} cannot be used in a persona's own name or handle")
MSG_WEIGHTS_SUM = gettext_noop("at least one weight must be more than 0")
MSG_UNKNOWN_PLATFORM = said(gettext_noop("unknown platform: use one of {platforms}"), platforms=", ".join(PLATFORMS))
MSG_INTERNAL = gettext_noop("the document could not be checked; please report this scenario")

# Warnings: valid, but probably not what the author meant.
MSG_DEADLINE_AFTER_END = gettext_noop("the reply is due at {due}, after the end of the drill ({duration})")
MSG_PERSONA_UNUSED = gettext_noop("no inject uses this persona")
MSG_WATCHES_NO_REPLY = gettext_noop("{key} does not require a response")

# Every MSG_* name, imported ones included, is part of scenarios.validation's public API.
__all__ = sorted(name for name in dir() if name.startswith("MSG_"))
