"""The spreadsheet form of a scenario (PROTOCOL section 1.7): `workbook_from_document` writes the .xlsx file,
`document_from_workbook` reads one back, naming the cell of every problem. Pure: no Django models, no database."""

from scenarios.workbook.layout import (
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_COLUMNS,
    MAX_WORKBOOK_ROWS,
    MAX_WORKBOOK_SHEETS,
    MAX_WORKBOOK_UNPACKED_BYTES,
    XLSX_TYPE,
)
from scenarios.workbook.read import ReadWorkbook, WorkbookError, document_from_workbook, is_macro_upload
from scenarios.workbook.write import workbook_from_document

__all__ = [
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_COLUMNS",
    "MAX_WORKBOOK_ROWS",
    "MAX_WORKBOOK_SHEETS",
    "MAX_WORKBOOK_UNPACKED_BYTES",
    "XLSX_TYPE",
    "ReadWorkbook",
    "WorkbookError",
    "document_from_workbook",
    "is_macro_upload",
    "workbook_from_document",
]
