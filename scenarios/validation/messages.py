"""Every message a scenario author can see, as constants the tests import.

Formatted ones take their values through `str.format` with the names shown in braces.
"""

# Messages raised by the duration parser and the template reader, re-exported with the rest.
from scenarios.durations import MSG_DURATION as MSG_DURATION
from scenarios.durations import MSG_DURATION_NEGATIVE as MSG_DURATION_NEGATIVE
from scenarios.durations import MSG_DURATION_TOO_LONG as MSG_DURATION_TOO_LONG
from scenarios.spec import FORMAT, PLATFORMS
from scenarios.textgen import MSG_STRAY_BRACE as MSG_STRAY_BRACE

# Reading the file (path "" unless a better one is known).
MSG_TOO_LARGE = "the document is larger than 1 MiB"
MSG_NOT_UTF8 = "the document is not UTF-8 text"
MSG_INVALID_YAML = "invalid YAML at line {line}, column {column}: {problem}"
MSG_INVALID_JSON = "invalid JSON at line {line}, column {column}: {problem}"
MSG_INVALID_JSON_VALUE = "invalid JSON: {problem}"
MSG_YAML_ANCHOR = "YAML anchors and aliases are not allowed (line {line}, column {column})"
MSG_YAML_TAG = "the YAML tag {tag} is not allowed (line {line}, column {column})"
MSG_TOO_DEEP = "the document is nested too deeply"
MSG_DUPLICATE_KEY = "duplicate key"
MSG_NOT_A_DOCUMENT = "the document must be a mapping of keys such as format, title and injects"

# Shapes and types.
MSG_UNKNOWN_KEY = "unknown key"
MSG_REQUIRED = "required"
MSG_NOT_MAPPING = "must be a mapping"
MSG_NOT_LIST = "must be a list"
MSG_NOT_STRING = "must be a string"
MSG_NOT_BOOL = "must be true or false"
MSG_NOT_INTEGER = "must be a whole number"
MSG_NOT_NUMBER = "must be a number"
MSG_INT_RANGE = "must be a whole number from {low} to {high}"
MSG_NUMBER_RANGE = "must be a number from {low} to {high}"
MSG_BLANK = "must not be blank"
MSG_TOO_LONG = "must be at most {limit} characters"
MSG_BAD_CHARACTERS = "contains control characters or invalid Unicode"
MSG_POSITIVE = "must be more than 0"
MSG_DUPLICATE = "duplicate of {path}"

# The scenario.
MSG_FORMAT = f"must be {FORMAT}"
MSG_LANGUAGE = "must be a language tag such as en, he, fr or pt-BR"
MSG_CHAIN_LENGTH = "must have 1 to 6 steps"
MSG_ROLE = "must start with a-z and use only a-z, 0-9, _ and - (at most 50 characters)"
MSG_RESERVED_ROLE = "observer is reserved for people who watch the drill"
MSG_FIRST_STEP_SLA = "the first step is the author and has no SLA"
MSG_PERSONA_KEY = "must use only a-z, 0-9, _ and - (at most 50 characters)"
MSG_INJECT_KEY = "must use only a-z, 0-9 and - (at most 50 characters)"
MSG_NO_INJECTS = "must list at least one inject"
MSG_TOO_MANY_ITEMS = "plans {count} posts (injects and burst items); at most {limit} are allowed"
MSG_AT_OR_WHEN = "give exactly one of at and when"
MSG_PLATFORM = "must be one of " + ", ".join(PLATFORMS)
MSG_UNKNOWN_PERSONA = "unknown persona {key}"
MSG_AT_AFTER_END = "comes after the end of the drill ({duration})"
MSG_BURST_AFTER_END = "the burst runs until {end}, after the end of the drill ({duration})"
MSG_BURST_PERSONA = "a burst draws its own personas: remove persona"
MSG_BURST_TEXT = "a burst takes texts, not text"
MSG_BURST_WHEN = "a burst needs at, not when"
MSG_NO_TEXTS = "must list at least one text"
MSG_NO_PHRASES = "must list at least one phrase"
MSG_TEXTS_WITHOUT_BURST = "texts is only for bursts: use text"
MSG_WHEN_FORM = "give one of {unanswered: KEY, for: DUR}, {answered: KEY, delay: DUR} or {heat_above: N}"
MSG_WHEN_MISMATCH = "{key} does not go with {kind}"
MSG_UNKNOWN_INJECT = "unknown inject {key}"
MSG_SELF_CONDITION = "an inject cannot wait for itself"
MSG_CYCLE = "condition cycle: {cycle}"
MSG_UNKNOWN_PLACEHOLDER = "unknown placeholder {placeholder}"
MSG_PERSONA_IN_PERSONA = "{placeholder} cannot be used in a persona's own name or handle"
MSG_WEIGHTS_SUM = "at least one weight must be more than 0"
MSG_UNKNOWN_PLATFORM = "unknown platform: use one of " + ", ".join(PLATFORMS)
MSG_INTERNAL = "the document could not be checked; please report this scenario"

# Warnings: valid, but probably not what the author meant.
MSG_DEADLINE_AFTER_END = "the reply is due at {due}, after the end of the drill ({duration})"
MSG_PERSONA_UNUSED = "no inject uses this persona"
MSG_WATCHES_NO_REPLY = "{key} does not require a response"

# Every MSG_* name, imported ones included, is part of scenarios.validation's public API.
__all__ = sorted(name for name in dir() if name.startswith("MSG_"))
