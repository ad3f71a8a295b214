"""A scenario document as an .xlsx workbook (PROTOCOL section 1.7), which `read.document_from_workbook` reads back.

Every sheet is written, empty ones with their column names only, so the workbook is also a form to fill in.
Texts are always text cells, and those a spreadsheet could take for a formula carry Excel's quote prefix, so
editing such a cell never turns a post into a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from scenarios.spec import REACTION_DEFAULTS
from scenarios.textgen import text_direction
from scenarios.validation.issues import index_path, key_path
from scenarios.workbook.cells import FORMULA_STARTS, encode_text, join_texts
from scenarios.workbook.layout import KEY, LIST_KEYS, SCENARIO, SHEET_BY_BASE, SHEETS, VALUE, Sheet

BOLD = Font(bold=True)
# Columns people write sentences in get room; the others stay narrow.
WIDE_COLUMNS = {"text": 60, "texts": 60, "task": 50, "subject": 40, "name": 24, "handle": 20, "capability": 24}


def workbook_from_document(document: dict) -> bytes:
    rows = _rows_by_sheet(_leaves(document, ""))
    workbook = Workbook()
    workbook.remove(workbook.active)
    language = document.get("language")
    right_to_left = isinstance(language, str) and text_direction(language) == "rtl"
    for sheet in SHEETS:
        if sheet.rows_are_items:
            _write_items(workbook, sheet, rows[sheet.name])
        else:
            _write_pairs(workbook, sheet, rows[sheet.name])
        workbook[sheet.name].sheet_view.rightToLeft = right_to_left  # a Hebrew script reads from the right
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _leaves(value: object, path: str) -> list[tuple[str, object]]:
    """(path, value) for every scalar of the document; a list of texts is one leaf, a mapping's keys are paths.

    An empty mapping leaves nothing, as its absence means the same, except where it means "with the defaults":
    a reaction (PROTOCOL 1.4). There one default value stands for it.
    """
    if isinstance(value, dict):
        kind = path.removeprefix("reactions").removeprefix(".") or next(iter(REACTION_DEFAULTS))
        if not value and path.startswith("reactions") and kind in REACTION_DEFAULTS:
            return [(f"reactions.{kind}.count", REACTION_DEFAULTS[kind].count)]
        return [leaf for key, child in value.items() for leaf in _leaves(child, key_path(path, key))]
    if isinstance(value, list) and not _is_text_list(path, value):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, index_path(path, index))]
    return [(path, value)]


def _is_text_list(path: str, value: list) -> bool:
    last = path.rsplit(".", 1)[-1]
    return last in LIST_KEYS and not any(isinstance(item, (dict, list)) for item in value)


def _rows_by_sheet(leaves: list[tuple[str, object]]) -> dict[str, dict]:
    """Each leaf in its sheet: list sheets get {item index: {column: value}}, key/value sheets {key: value}."""
    rows: dict[str, dict] = {sheet.name: {} for sheet in SHEETS}
    for path, value in leaves:
        sheet, index, key = _place(path)
        if sheet.rows_are_items:
            rows[sheet.name].setdefault(index, {})[key] = value
        else:
            rows[sheet.name][key] = value
    return rows


def _place(path: str) -> tuple[Sheet, int | None, str]:
    """The sheet, item index and column (or row key) of a leaf; the `scenario` sheet takes what fits nowhere."""
    top, _, rest = path.partition(".")
    name, bracket, tail = top.partition("[")
    sheet = SHEET_BY_BASE.get(name)
    if sheet is not None and sheet.rows_are_items and bracket:
        index, _, after = tail.partition("]")
        column = after.removeprefix(".")
        column = f"{column}.{rest}" if column and rest else column or rest
        if column and index.isdigit() and not after.startswith("["):
            return sheet, int(index), column
    if sheet is not None and not sheet.rows_are_items and sheet.base and not bracket and rest:
        return sheet, None, rest
    return SCENARIO, None, path


def _write_items(workbook: Workbook, sheet: Sheet, items: dict[int, dict]) -> None:
    extra = [column for item in items.values() for column in item if column not in sheet.columns]
    columns = [*sheet.columns, *dict.fromkeys(extra)]
    worksheet = workbook.create_sheet(sheet.name)
    worksheet.append([encode_text(column) for column in columns])
    for cell in worksheet[1]:
        cell.font = BOLD
    for index in range(max(items, default=-1) + 1):
        item = items.get(index, {})
        row = worksheet.max_row + 1
        for number, column in enumerate(columns, start=1):
            if column in item:
                _set(worksheet.cell(row=row, column=number), column, item[column])
    worksheet.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = WIDE_COLUMNS.get(column, 14)


def _write_pairs(workbook: Workbook, sheet: Sheet, pairs: dict[str, object]) -> None:
    worksheet = workbook.create_sheet(sheet.name)
    worksheet.append([KEY, VALUE])
    for cell in worksheet[1]:
        cell.font = BOLD
    order = {key: position for position, key in enumerate(sheet.columns)}
    for key in sorted(pairs, key=lambda key: order.get(key, len(order))):
        row = worksheet.max_row + 1
        worksheet.cell(row=row, column=1).value = encode_text(key)
        _set(worksheet.cell(row=row, column=2), key, pairs[key])
    worksheet.column_dimensions["A"].width = 28
    worksheet.column_dimensions["B"].width = 60


def _set(cell, key: str, value: object) -> None:
    if isinstance(value, list):
        value = join_texts(value)
    if value is None or isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, int | float):
        cell.value = value
        # openpyxl writes numbers with 16 significant digits; a float needs up to 17 to read back the same.
        cell._value = repr(value)
        return
    text = encode_text(str(value))
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever it starts with
    cell.quotePrefix = text.startswith(FORMULA_STARTS)
