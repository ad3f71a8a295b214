"""An .xlsx workbook (PROTOCOL section 1.7) back to a scenario document, and where each of its values came from.

The workbook is checked before openpyxl reads it (size, macros, what it unpacks to), read without evaluating
anything (a formula is reported, never calculated), and turned into plain data that the validator then checks like
any YAML document; each path of the document remembers its cell, so every error can name one.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from config.texts import said
from scenarios.validation import MSG_TOO_LARGE
from scenarios.validation.issues import index_path, key_path
from scenarios.workbook.cells import plain_value, split_texts
from scenarios.workbook.layout import (
    KEY,
    LIST_KEYS,
    MACRO_SUFFIXES,
    MACRO_TYPES,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_COLUMNS,
    MAX_WORKBOOK_ROWS,
    MAX_WORKBOOK_SHEETS,
    MAX_WORKBOOK_UNPACKED_BYTES,
    MSG_CELL_ERROR,
    MSG_FORMULA,
    MSG_GIVEN_TWICE,
    MSG_MACROS,
    MSG_NO_COLUMN_NAME,
    MSG_NOT_A_KEY,
    MSG_NOT_A_WORKBOOK,
    MSG_TOO_MANY_COLUMNS,
    MSG_TOO_MANY_ROWS,
    MSG_TOO_MANY_SHEETS,
    MSG_UNKNOWN_SHEET,
    MSG_UNPACKS_TOO_LARGE,
    SHEET_BY_NAME,
    VALUE,
    Sheet,
)

logger = logging.getLogger(__name__)

# A key: names joined by dots, each maybe followed by list indexes (`must_include[0].any`).
_KEY = re.compile(r"[^.\[\]\s][^.\[\]]*(?:\.[^.\[\]\s][^.\[\]]*|\[\d{1,4}\])*")
_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


class WorkbookError(Exception):
    """The workbook cannot be read; `errors` lists every reason as `{path, cell, message}`."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['cell'] or e['path']}: {e['message']}" for e in errors[:5]))


@dataclass
class ReadWorkbook:
    """The document a workbook holds, and the cell (`injects!C5`) each of its paths came from."""

    document: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def cell_of(self, path: str) -> str | None:
        """The cell of `path`, or of its nearest ancestor that has one (a missing key: where its row is)."""
        while path is not None:
            if path in self.cells:
                return self.cells[path]
            path = parent_path(path)
        return None

    def located(self, issues: list[dict]) -> list[dict]:
        """The validator's `{path, message}` issues about this workbook's document, each with its `cell`."""
        return [
            {"path": issue["path"], "cell": self.cell_of(issue["path"]), "message": issue["message"]}
            for issue in issues
        ]

    def refuse(self, path: str, cell: str | None, message: str) -> None:
        self.errors.append({"path": path, "cell": cell, "message": message})


def parent_path(path: str) -> str | None:
    if not path:
        return None
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path[: max(path.rfind("."), path.rfind("["), 0)]


def is_macro_upload(*, name: str = "", content_type: str = "") -> bool:
    return name.lower().endswith(MACRO_SUFFIXES) or content_type.lower() in MACRO_TYPES


def document_from_workbook(data: bytes) -> ReadWorkbook:
    """The document of an .xlsx file; WorkbookError with every problem when it cannot be read."""
    read = ReadWorkbook()
    if len(data) > MAX_WORKBOOK_BYTES:
        read.refuse("", None, MSG_TOO_LARGE)
        raise WorkbookError(read.errors)
    _check_package(read, data)
    if not read.errors:
        _read_sheets(read, data)
    if read.errors:
        raise WorkbookError(read.errors)
    return read


def _check_package(read: ReadWorkbook, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError):
        read.refuse("", None, MSG_NOT_A_WORKBOOK)
        return
    if any("vbaproject" in member.filename.lower() for member in members):
        read.refuse("", None, MSG_MACROS)
    elif sum(member.file_size for member in members) > MAX_WORKBOOK_UNPACKED_BYTES:
        read.refuse("", None, MSG_UNPACKS_TOO_LARGE)


def _read_sheets(read: ReadWorkbook, data: bytes) -> None:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            _read_worksheets(read, workbook)
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file: all mean the same to the author
        logger.info("an uploaded workbook could not be read", exc_info=True)
        read.refuse("", None, MSG_NOT_A_WORKBOOK)


def _read_worksheets(read: ReadWorkbook, workbook) -> None:
    if len(workbook.sheetnames) > MAX_WORKBOOK_SHEETS:
        read.refuse("", None, MSG_TOO_MANY_SHEETS)
        return
    rows_left = MAX_WORKBOOK_ROWS
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()  # the file's own claim of its size may be a lie: read the rows there are
        rows = _rows(read, worksheet, rows_left)
        if rows is None:
            return
        rows_left -= len(rows)
        _read_sheet(read, worksheet.title, rows)


def _rows(read: ReadWorkbook, worksheet, rows_left: int) -> list[list] | None:
    """Each row's cell values (formulas and error cells reported, then None); None past a limit."""
    rows = []
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        if number > rows_left:
            read.refuse("", f"{worksheet.title}!A{number}", MSG_TOO_MANY_ROWS)
            return None
        if len(row) > MAX_WORKBOOK_COLUMNS:
            read.refuse("", f"{worksheet.title}!A{number}", MSG_TOO_MANY_COLUMNS)
            return None
        rows.append([_value(read, cell_ref(worksheet.title, column, number), cell) for column, cell in enumerate(row)])
    return rows


def cell_ref(title: str, column: int, number: int) -> str:
    """`injects!C5` for the 0-based column 2 of row 5."""
    return f"{title}!{get_column_letter(column + 1)}{number}"


def _value(read: ReadWorkbook, ref: str, cell) -> object:
    if cell.data_type == "f":
        read.refuse("", ref, said(MSG_FORMULA, formula=str(getattr(cell.value, "text", cell.value))[:60]))
        return None
    if cell.data_type == "e":
        read.refuse("", ref, said(MSG_CELL_ERROR, error=str(cell.value)[:20]))
        return None
    return plain_value(cell.value)


def _read_sheet(read: ReadWorkbook, title: str, rows: list[list]) -> None:
    sheet = SHEET_BY_NAME.get(title)
    if sheet is None:
        if any(value is not None for row in rows for value in row):
            read.refuse("", f"{title}!A1", MSG_UNKNOWN_SHEET)
        return
    read.cells.setdefault(sheet.base, f"{title}!A1")
    if sheet.rows_are_items:
        _read_items(read, sheet, rows)
    else:
        _read_pairs(read, sheet, rows)


def _read_pairs(read: ReadWorkbook, sheet: Sheet, rows: list[list]) -> None:
    for number, row in enumerate(rows, start=1):
        key, value = [*row, None, None][:2]
        if number == 1 and (key, value) == (KEY, VALUE):
            continue
        for column, extra in enumerate(row[2:], start=2):
            if extra is not None:
                read.refuse(sheet.base, cell_ref(sheet.name, column, number), MSG_NO_COLUMN_NAME)
        if key is None and value is None:
            continue
        name = _key(key)
        if name is None:
            read.refuse(sheet.base, cell_ref(sheet.name, 0, number), MSG_NOT_A_KEY)
        elif value is None:
            read.cells.setdefault(key_path(sheet.base, name), cell_ref(sheet.name, 1, number))
        else:
            _put(read, key_path(sheet.base, name), value, cell_ref(sheet.name, 1, number))


def _key(value: object) -> str | None:
    """A row's key or a column's name, as written (spaces around it dropped); None if it cannot be one."""
    name = value.strip() if isinstance(value, str) else None
    return name if name and _KEY.fullmatch(name) else None


def _read_items(read: ReadWorkbook, sheet: Sheet, rows: list[list]) -> None:
    if not rows:
        return
    header = [_key(name) for name in rows[0]]
    for column, (name, raw) in enumerate(zip(header, rows[0], strict=True)):
        if name is None and raw is not None:
            read.refuse(sheet.base, cell_ref(sheet.name, column, 1), MSG_NOT_A_KEY)
    index = 0
    for number, row in enumerate(rows[1:], start=2):
        if all(value is None for value in row):
            continue  # a blank line between items holds nothing
        item_path = index_path(sheet.base, index)
        read.cells[item_path] = cell_ref(sheet.name, 0, number)
        for column in range(max(len(header), len(row))):
            name = header[column] if column < len(header) else None
            value = row[column] if column < len(row) else None
            ref = cell_ref(sheet.name, column, number)
            if name is None:
                if value is not None and (column >= len(rows[0]) or rows[0][column] is None):
                    read.refuse(item_path, ref, MSG_NO_COLUMN_NAME)
            elif value is None:
                read.cells.setdefault(key_path(item_path, name), ref)  # where a missing value belongs
            else:
                _put(read, key_path(item_path, name), value, ref)
        index += 1


def _put(read: ReadWorkbook, path: str, value: object, ref: str) -> None:
    """Sets `value` at `path` in the document (a list of texts split), remembering its cell for each new part."""
    segments = [int(number) if number else name for number, name in _SEGMENT.findall(path)]
    if isinstance(segments[-1], str) and segments[-1] in LIST_KEYS:
        value = split_texts(value) if isinstance(value, str) else [value]
    container: dict | list = read.document
    walked = ""
    for position, segment in enumerate(segments):
        walked = index_path(walked, segment) if isinstance(segment, int) else key_path(walked, segment)
        last = position == len(segments) - 1
        fresh = value if last else ([] if isinstance(segments[position + 1], int) else {})
        existing = _child(container, segment)
        if existing is None and _fits(container, segment):
            _place(container, segment, fresh)
            read.cells[walked] = ref if last else read.cells.get(walked, ref)
            existing = fresh
        elif last or not isinstance(existing, dict | list) or isinstance(existing, list) != isinstance(fresh, list):
            read.refuse(walked, ref, said(MSG_GIVEN_TWICE, cell=read.cell_of(walked) or ""))
            return
        container = existing


def _child(container: dict | list, segment: str | int) -> object:
    if isinstance(container, dict) and isinstance(segment, str):
        return container.get(segment)
    if isinstance(container, list) and isinstance(segment, int) and segment < len(container):
        return container[segment]
    return None


def _fits(container: dict | list, segment: str | int) -> bool:
    return isinstance(container, dict) == isinstance(segment, str)


def _place(container: dict | list, segment: str | int, value: object) -> None:
    if isinstance(container, dict):
        container[segment] = value
        return
    container.extend([None] * (segment + 1 - len(container)))
    container[segment] = value
