"""The crisisdrill/v1 scenario document: reading it safely, checking it, and writing it back.

`load_document` turns YAML or JSON text into plain data (refusing what is unsafe), `validate` turns
plain data into a `Scenario` or the list of every problem with a path, and `dump_document` writes a
document for export so that `load_document` reads it back equal. Pure: no Django, no database.
"""

from scenarios.durations import parse_duration
from scenarios.validation import limits, messages
from scenarios.validation.checks import scenario_from_document, validate
from scenarios.validation.document import MAX_DOCUMENT_BYTES, dump_document, load_document
from scenarios.validation.issues import DocumentError, Issue, Result
from scenarios.validation.limits import *  # noqa: F403  (every bound is public)
from scenarios.validation.messages import *  # noqa: F403  (every MSG_* constant is public)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "DocumentError",
    "Issue",
    "Result",
    "dump_document",
    "load_document",
    "parse_duration",
    "scenario_from_document",
    "validate",
    *messages.__all__,
    *limits.__all__,
]
