"""The spreadsheet form of a scenario (PROTOCOL section 1.7): its sheets, their columns, and its bounds.

Key/value sheets hold one document path per row (`brand.name`, `weights.quality`, `backlash.texts`); list sheets
hold one item of a document list per row, under a first row of column names that are paths inside the item
(`burst.count`, `when.unanswered`). Lists of texts share one cell, joined with ` | `.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from scenarios.validation import MAX_DOCUMENT_BYTES


@dataclass(frozen=True)
class Sheet:
    name: str
    base: str  # the document path the sheet holds: "" is the document itself (the `scenario` sheet)
    columns: tuple[str, ...]  # list sheets: the column names, in order; key/value sheets: the rows, in order
    rows_are_items: bool  # a list sheet: one row per item of the list at `base`


KEY, VALUE = "key", "value"
SCENARIO = Sheet(
    "scenario",
    "",
    (
        "format",
        "title",
        "language",
        "description",
        "duration",
        "seed",
        "response_sla",
        "allow_self_approval",
        "brand.name",
        "brand.handle",
    ),
    rows_are_items=False,
)
SHEETS = (
    SCENARIO,
    Sheet("chain", "approval_chain", ("role", "sla"), rows_are_items=True),
    Sheet("personas", "personas", ("key", "kind", "name", "handle", "followers"), rows_are_items=True),
    Sheet(
        "injects",
        "injects",
        (
            "key",
            "at",
            "when.unanswered",
            "when.answered",
            "when.heat_above",
            "when.backlash",
            "when.for",
            "when.delay",
            "platform",
            "persona",
            "severity",
            "requires_response",
            "respond_within",
            "sentiment",
            "signal",
            "subject",
            "text",
            "burst.count",
            "burst.over",
            "burst.persona_kind",
            "texts",
        ),
        rows_are_items=True,
    ),
    Sheet("evaluation", "evaluation", ("key", "task", "capability"), rows_are_items=True),
    Sheet("scoring", "scoring", (), rows_are_items=False),
    Sheet("heat", "heat", (), rows_are_items=False),
    Sheet("reactions", "reactions", (), rows_are_items=False),
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
SHEET_BY_BASE = {sheet.base: sheet for sheet in SHEETS}
# The keys whose value is a list of texts, written in one cell.
LIST_KEYS = frozenset({"texts", "must_avoid", "any"})
SEPARATOR = " | "

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_TYPES = frozenset({"application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.ms-excel"})
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xls")

# A workbook is a document in another form: the same 1 MiB as YAML or JSON (scenarios.validation).
MAX_WORKBOOK_BYTES = MAX_DOCUMENT_BYTES
MAX_WORKBOOK_SHEETS = 20
MAX_WORKBOOK_ROWS = 5000  # every sheet's rows together, headers included
MAX_WORKBOOK_COLUMNS = 50
# What the 1 MiB may unpack to: compressed XML shrinks about tenfold; a zip bomb shrinks a thousandfold.
MAX_WORKBOOK_UNPACKED_BYTES = 32 * MAX_WORKBOOK_BYTES

MSG_NOT_A_WORKBOOK = gettext_noop("the file is not an .xlsx workbook")
MSG_MACROS = gettext_noop("macro-enabled workbooks are refused: save it as .xlsx (Excel Workbook)")
MSG_TOO_MANY_SHEETS = gettext_noop("the workbook has more than 20 sheets")
MSG_TOO_MANY_ROWS = gettext_noop("the workbook has more than 5,000 rows")
MSG_TOO_MANY_COLUMNS = gettext_noop("the sheet has more than 50 columns")
MSG_UNPACKS_TOO_LARGE = gettext_noop("the workbook unpacks to more than 32 MiB")
MSG_UNKNOWN_SHEET = gettext_noop(
    "unknown sheet: use scenario, chain, personas, injects, evaluation, scoring, heat or reactions"
)
MSG_FORMULA = gettext_noop("holds the formula {formula}: formulas are never calculated here, type the value itself")
MSG_CELL_ERROR = gettext_noop("holds the spreadsheet error {error}: type the value itself")
MSG_NO_COLUMN_NAME = gettext_noop("this column has values but no name in the first row")
MSG_NOT_A_KEY = gettext_noop("not a key: use names such as title, brand.name or must_include[0].label")
MSG_GIVEN_TWICE = gettext_noop("given twice: already in {cell}")
