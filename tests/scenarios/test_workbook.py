"""The spreadsheet form of a scenario (PROTOCOL 1.7): export then import gives the same scenario, each broken cell
is named with its document path, texts stay texts, and hostile workbooks are refused before anything is read."""

import copy
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from scenarios.validation import (
    MSG_DURATION,
    MSG_INT_RANGE,
    MSG_NOT_BOOL,
    MSG_PLATFORM,
    MSG_REQUIRED,
    MSG_TOO_LARGE,
    MSG_UNKNOWN_KEY,
    load_document,
    validate,
)
from scenarios.workbook import (
    MAX_WORKBOOK_ROWS,
    MAX_WORKBOOK_SHEETS,
    MAX_WORKBOOK_UNPACKED_BYTES,
    WorkbookError,
    document_from_workbook,
    workbook_from_document,
)
from scenarios.workbook.cells import join_texts, split_texts
from scenarios.workbook.layout import (
    MSG_CELL_ERROR,
    MSG_FORMULA,
    MSG_GIVEN_TWICE,
    MSG_MACROS,
    MSG_NO_COLUMN_NAME,
    MSG_NOT_A_WORKBOOK,
    MSG_TOO_MANY_ROWS,
    MSG_TOO_MANY_SHEETS,
    MSG_UNKNOWN_SHEET,
    MSG_UNPACKS_TOO_LARGE,
    SHEETS,
)
from tests.scenarios.test_roundtrip import ROUND_TRIP, documents


def reread(data: bytes) -> dict:
    return document_from_workbook(data).document


def edited(document: dict, edit) -> bytes:
    """The document's workbook after `edit(workbook)`, as a trainer would change it in a spreadsheet."""
    workbook = load_workbook(io.BytesIO(workbook_from_document(document)))
    edit(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def issues_of(data: bytes) -> list[dict]:
    """What an import would answer: the workbook's own refusals, or the validator's errors with their cells."""
    try:
        read = document_from_workbook(data)
    except WorkbookError as exc:
        return exc.errors
    return read.located([issue.as_dict() for issue in validate(read.document).errors])


@ROUND_TRIP
@given(documents())
def test_export_then_import_gives_the_same_scenario(doc):
    again = reread(workbook_from_document(doc))

    assert validate(doc).errors == []
    assert validate(again).scenario == validate(doc).scenario


def test_the_shared_scenarios_and_the_demo_library_come_back_identical(shared_scenarios):
    from tests.scenarios.test_schema import DEMO_LIBRARY

    texts = [*shared_scenarios.values(), *(path.read_bytes() for path in DEMO_LIBRARY)]
    for text in texts:
        doc = load_document(text)
        assert reread(workbook_from_document(doc)) == doc


def test_the_sheets_are_those_of_the_protocol(doc):
    workbook = load_workbook(io.BytesIO(workbook_from_document(doc)))

    assert workbook.sheetnames == [
        "scenario",
        "chain",
        "personas",
        "injects",
        "evaluation",
        "scoring",
        "heat",
        "reactions",
    ]
    rows = {row[0]: row[1] for row in workbook["scenario"].iter_rows(values_only=True)}
    assert rows["key"] == "value" and rows["brand.handle"] == "@shopline" and rows["duration"] == "40m"
    injects = list(workbook["injects"].iter_rows(values_only=True))
    assert injects[0][:3] == ("key", "at", "when.unanswered")
    header = injects[0]
    assert injects[2][header.index("burst.count")] == 10
    assert injects[2][header.index("texts")] == "Same here {brand.handle} | {persona.name} here: still broken"
    assert injects[3][header.index("when.unanswered")] == "complaint"


def test_hebrew_and_french_text_survive(doc):
    doc["title"] = "ריקול חלב בעקבות חשד לזיהום"
    doc["injects"][0]["text"] = "Ça coûte 5 € — à l'œil, {brand.name}"
    doc["injects"][1]["texts"] = ["מחלבות הגליל", "Checkout en panne : désolé"]

    assert reread(workbook_from_document(doc)) == doc


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "=1|2"])
def test_text_that_looks_like_a_formula_is_written_as_text(doc, text):
    doc["injects"][0]["text"] = text
    doc["title"] = text

    data = workbook_from_document(doc)
    workbook = load_workbook(io.BytesIO(data))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value == text]
    assert len(cells) == 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert reread(data) == doc


def test_line_breaks_carriage_returns_and_escapes_survive(doc):
    doc["description"] = "one\r\ntwo\rthree _x000D_ literally\n"
    doc["injects"][1]["texts"] = ["a | b", "back\\slash |", "  spaced  ", "x\\|y"]

    assert reread(workbook_from_document(doc)) == doc


@pytest.mark.parametrize(
    ("cell", "texts"),
    [("a|b", ["a", "b"]), ("a | b", ["a", "b"]), ("one", ["one"]), ("a \\| b", ["a | b"]), ("c:\\dir", ["c:\\dir"])],
)
def test_a_cell_of_texts_reads_as_people_type_it(cell, texts):
    assert split_texts(cell) == texts
    assert split_texts(join_texts(texts)) == texts


def set_cell(sheet: str, ref: str, value):
    def edit(workbook):
        workbook[sheet][ref] = value

    return edit


# (sheet, cell, value typed, path, message): one broken cell per kind of column.
BROKEN_CELLS = [
    ("injects", "B2", "soon", "injects[0].at", MSG_DURATION),
    ("injects", "I2", "myspace", "injects[0].platform", MSG_PLATFORM),
    ("injects", "K2", 9, "injects[0].severity", MSG_INT_RANGE.format(low=1, high=5)),
    ("injects", "L2", "yes", "injects[0].requires_response", MSG_NOT_BOOL),
    ("injects", "R3", 0, "injects[1].burst.count", MSG_INT_RANGE.format(low=1, high=500)),
    ("injects", "K3", None, "injects[1].severity", MSG_REQUIRED),
    ("chain", "B3", "later", "approval_chain[1].sla", MSG_DURATION),
    ("personas", "E3", -5, "personas[1].followers", MSG_INT_RANGE.format(low=0, high=2**53 - 1)),
    ("scenario", "B5", "forty", "duration", MSG_DURATION),
    ("scenario", "A10", "colour", "colour", MSG_UNKNOWN_KEY),
]


@pytest.mark.parametrize(("sheet", "ref", "value", "path", "message"), BROKEN_CELLS)
def test_a_broken_cell_is_named_with_its_path(doc, sheet, ref, value, path, message):
    if ref == "A10":
        edit = lambda workbook: workbook["scenario"].append(["colour", "red"])  # noqa: E731
        ref = "B10"
    else:
        edit = set_cell(sheet, ref, value)

    found = issues_of(edited(doc, edit))

    assert {"path": path, "cell": f"{sheet}!{ref}", "message": message} in found, found


def test_a_missing_column_is_named_at_its_row(doc):
    def drop_severity(workbook):
        workbook["injects"]["K1"] = None
        for row in range(2, 5):
            workbook["injects"][f"K{row}"] = None

    found = issues_of(edited(doc, drop_severity))

    assert {"path": "injects[0].severity", "cell": "injects!A2", "message": MSG_REQUIRED} in found


def test_a_missing_sheet_is_reported_at_the_scenario_sheet(doc):
    found = issues_of(edited(doc, lambda workbook: workbook.remove(workbook["injects"])))

    assert found == [{"path": "injects", "cell": "scenario!A1", "message": MSG_REQUIRED}]


def test_formulas_are_reported_never_calculated(doc):
    def formulas(workbook):
        workbook["injects"]["K2"] = "=2+1"
        workbook["scenario"]["B3"] = '=CONCAT("a","b")'

    found = issues_of(edited(doc, formulas))

    assert [(issue["cell"], issue["message"]) for issue in found] == [
        ("scenario!B3", MSG_FORMULA.format(formula='=CONCAT("a","b")')),
        ("injects!K2", MSG_FORMULA.format(formula="=2+1")),
    ]


def test_error_cells_are_reported(doc):
    def error(workbook):
        cell = workbook["injects"]["K2"]
        cell.value, cell.data_type = "#DIV/0!", "e"

    assert [issue["message"] for issue in issues_of(edited(doc, error))] == [MSG_CELL_ERROR.format(error="#DIV/0!")]


def test_a_value_given_twice_is_reported_with_both_cells(doc):
    found = issues_of(edited(doc, lambda workbook: workbook["scenario"].append(["title", "Again"])))

    assert found == [{"path": "title", "cell": "scenario!B10", "message": MSG_GIVEN_TWICE.format(cell="scenario!B3")}]


def test_values_without_a_column_name_and_unknown_sheets_are_reported(doc):
    def stray(workbook):
        workbook["injects"]["Z2"] = "note to self"
        workbook.create_sheet("notes")["A1"] = "remember"
        workbook.create_sheet("Sheet1")  # empty: holds nothing

    found = issues_of(edited(doc, stray))

    assert {(issue["cell"], issue["message"]) for issue in found} == {
        ("injects!Z2", MSG_NO_COLUMN_NAME),
        ("notes!A1", MSG_UNKNOWN_SHEET),
    }


def refusal(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        document_from_workbook(data)
    return [issue["message"] for issue in caught.value.errors]


def test_a_workbook_over_one_mebibyte_is_refused():
    assert refusal(b"PK" + b"\0" * (1024 * 1024)) == [MSG_TOO_LARGE]


def test_more_sheets_than_allowed_are_refused(doc):
    def many(workbook):
        for number in range(MAX_WORKBOOK_SHEETS + 1 - len(SHEETS)):
            workbook.create_sheet(f"extra{number}")

    assert refusal(edited(doc, many)) == [MSG_TOO_MANY_SHEETS]


def test_more_rows_than_allowed_are_refused(doc):
    def long(workbook):
        workbook["evaluation"][f"A{MAX_WORKBOOK_ROWS}"] = "late"

    assert refusal(edited(doc, long)) == [MSG_TOO_MANY_ROWS]


def test_a_macro_enabled_workbook_is_refused(doc):
    data = io.BytesIO(workbook_from_document(doc))
    with zipfile.ZipFile(data, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")

    assert refusal(data.getvalue()) == [MSG_MACROS]


@pytest.mark.parametrize("data", [b"format: crisisdrill/v1\n", b"PK\x03\x04 broken", b""])
def test_a_file_that_is_no_workbook_is_refused(data):
    assert refusal(data) == [MSG_NOT_A_WORKBOOK]


def test_a_zip_that_is_no_workbook_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as package:
        package.writestr("hello.txt", "hi")

    assert refusal(data.getvalue()) == [MSG_NOT_A_WORKBOOK]


def test_a_sheet_typed_by_hand_with_blank_lines_and_a_time_reads(doc):
    workbook = Workbook()
    scenario = workbook.active
    scenario.title = "scenario"
    for key in ("format", "title", "language", "duration", "response_sla", "brand.name", "brand.handle"):
        value = doc[key] if "." not in key else doc["brand"][key.split(".")[1]]
        scenario.append([key, value])
    scenario["B4"].value = __import__("datetime").time(0, 40)  # a spreadsheet makes 0:40:00 a time
    chain = workbook.create_sheet("chain")
    chain.append(["role", "sla"])
    chain.append(["drafter"])
    injects = workbook.create_sheet("injects")
    injects.append(["key", "at", "platform", "persona", "text", "severity", "burst.count", "burst.over"])
    injects.append([])
    injects.append(["crowd", "1m", "x", None, None, 1, 5, "2m"])
    injects["I1"], injects["I3"] = "burst.persona_kind", "customer"
    injects["J1"], injects["J3"] = "texts", "Down again|Fix it"
    output = io.BytesIO()
    workbook.save(output)

    read = reread(output.getvalue())

    assert read["duration"] == "0:40:00"
    assert read["injects"] == [
        {
            "key": "crowd",
            "at": "1m",
            "platform": "x",
            "severity": 1,
            "burst": {"count": 5, "over": "2m", "persona_kind": "customer"},
            "texts": ["Down again", "Fix it"],
        }
    ]
    assert validate(read).valid, validate(read).errors


def test_reactions_with_their_defaults_keep_meaning_so(doc):
    doc["reactions"] = {"backlash": {}, "support": {"count": 4}}
    doc["injects"][2]["when"] = {"backlash": True, "delay": "2m"}

    again = reread(workbook_from_document(copy.deepcopy(doc)))

    assert validate(again).scenario == validate(doc).scenario


def test_a_workbook_whose_sheet_is_cut_short_is_refused_not_a_crash(doc):
    source = zipfile.ZipFile(io.BytesIO(workbook_from_document(doc)))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as package:
        for member in source.infolist():
            body = source.read(member)
            package.writestr(member, body[: len(body) // 2] if member.filename.endswith("sheet4.xml") else body)

    assert refusal(damaged.getvalue()) == [MSG_NOT_A_WORKBOOK]


def test_a_hebrew_scenarios_sheets_read_right_to_left(doc):
    hebrew = load_workbook(io.BytesIO(workbook_from_document({**doc, "language": "he"})))
    english = load_workbook(io.BytesIO(workbook_from_document(doc)))

    assert all(sheet.sheet_view.rightToLeft for sheet in hebrew)
    assert not any(sheet.sheet_view.rightToLeft for sheet in english)


cell_values = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)
)
cell_values = cell_values | st.sampled_from(["key", "value", "injects[0].at", "a.b[3]", "[0]", "x | y", "when.for"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from([sheet.name for sheet in SHEETS]), st.integers(1, 6), st.integers(1, 6), cell_values),
        min_size=1,
        max_size=25,
    )
)
def test_any_cells_give_a_document_or_refusals_never_a_crash(cells):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, row, column, value in cells:
        sheet = workbook[name] if name in workbook.sheetnames else workbook.create_sheet(name)
        target = sheet.cell(row=row, column=column)
        target.value = value
        if isinstance(value, str):
            target.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)

    found = issues_of(output.getvalue())

    assert all(set(issue) == {"path", "cell", "message"} for issue in found)


def test_a_stored_document_with_odd_keys_and_characters_still_exports(doc):
    doc["injects"][0]["bell\x07"] = "ring\x07 \ufffe"
    doc["scoring"] = {"odd\x1f": ["\x00"]}

    assert reread(workbook_from_document(doc)) == doc


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(doc):
    data = io.BytesIO(workbook_from_document(doc))
    with zipfile.ZipFile(data, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/padding.bin", b"\0" * (MAX_WORKBOOK_UNPACKED_BYTES + 1))

    assert len(data.getvalue()) < 1024 * 1024
    assert refusal(data.getvalue()) == [MSG_UNPACKS_TOO_LARGE]
