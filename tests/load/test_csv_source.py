"""CSV loader: spreadsheet exports read as text, with row numbers as a spreadsheet shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic, Location, Severity
from reportgen.load.csv_source import CsvTable, load_csv, parse_csv

REL = "data/training-courses.csv"

# Four rows of the Newham 2024/25 course table (training-courses.csv).
COURSES = """\
course,occurrences,bookings,attended,cancellations
Chemsex,1,7,5,
Forced Marriage,1,19,9,
Information Sharing,3,28,15,
Working Together 2023 Awareness Session,4,94,79,
"""


def _ok(text: str) -> CsvTable:
    table, problems = parse_csv(text, REL)
    assert problems == []
    assert table is not None
    return table


def _problems(text: str) -> list[Diagnostic]:
    table, problems = parse_csv(text, REL)
    assert table is None
    assert problems
    return problems


def _where(
    diag: Diagnostic,
) -> tuple[str, str | None, int | None, int | None, int | None, str | None]:
    loc = diag.location
    assert loc is not None
    return (diag.code, loc.path, loc.line, loc.column, loc.row, loc.field)


def test_header_and_records_are_strings() -> None:
    table = _ok(COURSES)
    assert table.header == ["course", "occurrences", "bookings", "attended", "cancellations"]
    assert table.records[0] == {
        "course": "Chemsex",
        "occurrences": "1",
        "bookings": "7",
        "attended": "5",
        "cancellations": "",
    }
    assert [r["bookings"] for r in table.records] == ["7", "19", "28", "94"]


def test_header_is_row_one_and_first_record_is_row_two() -> None:
    table = _ok(COURSES)
    assert table.source_map.locate(()) == Location(REL, 1, row=1)
    assert table.source_map.locate((0,)) == Location(REL, 2, row=2)
    assert [table.row_number(i) for i in range(4)] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("index", "field", "line", "column"),
    [
        (0, "course", 2, 1),
        (0, "attended", 2, 4),
        (2, "bookings", 4, 3),
        (3, "cancellations", 5, 5),
    ],
)
def test_cells_are_located_by_line_column_row_and_field(
    index: int, field: str, line: int, column: int
) -> None:
    loc = _ok(COURSES).source_map.locate((index, field))
    assert loc == Location(REL, line, column, row=line, field=field)


def test_row_after_a_multi_line_cell_keeps_spreadsheet_row_number() -> None:
    text = (
        "course,occurrences,bookings,attended\n"
        '"Crossing the Line\n(criminal exploitation, knife crime and county lines)",1,18,15\n'
        "Online Harms,1,10,6\n"
    )
    table = _ok(text)
    assert table.records[0]["course"] == (
        "Crossing the Line\n(criminal exploitation, knife crime and county lines)"
    )
    # The second record starts on line 4 of the file but is row 3 of the sheet.
    assert table.source_map.locate((1, "bookings")) == Location(REL, 4, 3, row=3, field="bookings")


def test_quoted_commas_stay_in_one_cell() -> None:
    text = 'course,occurrences\n"Working with race, culture and belief systems",1\n'
    assert _ok(text).records == [
        {"course": "Working with race, culture and belief systems", "occurrences": "1"}
    ]


def test_whitespace_around_header_names_and_cells_is_trimmed() -> None:
    table = _ok(" course , bookings \n Chemsex ,  7 \n")
    assert table.header == ["course", "bookings"]
    assert table.records == [{"course": "Chemsex", "bookings": "7"}]


def test_windows_line_endings() -> None:
    table = _ok(COURSES.replace("\n", "\r\n"))
    assert len(table.records) == 4
    assert table.records[3]["attended"] == "79"
    assert table.source_map.locate((3, "attended")) == Location(REL, 5, 4, row=5, field="attended")


# --- files and encodings ---------------------------------------------------------


def test_byte_order_mark_gives_identical_table(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    bom = tmp_path / "bom.csv"
    plain.write_bytes(COURSES.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + COURSES.encode("utf-8"))
    t1, p1 = load_csv(plain, REL)
    t2, p2 = load_csv(bom, REL)
    assert p1 == p2 == []
    assert t1 is not None and t2 is not None
    assert t2.header[0] == "course"  # not '\ufeffcourse'
    assert (t2.header, t2.records) == (t1.header, t1.records)
    assert t2.source_map.positions == t1.source_map.positions


def test_windows_1252_pound_sign_is_an_encoding_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "income.csv"
    text = "contributor,amount\nBarts Health,5000\nHousing,\u00a35500\n"
    path.write_bytes(text.encode("cp1252"))
    table, problems = load_csv(path, "data/income.csv")
    assert table is None
    (diag,) = problems
    assert _where(diag) == ("csv.encoding", "data/income.csv", 3, None, None, None)
    assert "0xa3" in diag.message
    assert diag.hint is not None and "CSV UTF-8" in diag.hint


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    table, problems = load_csv(tmp_path / "absent.csv", REL)
    assert table is None
    assert [(d.code, d.location) for d in problems] == [("load.unreadable", Location(REL))]


@pytest.mark.parametrize("text", ["", "\n\n", ",,,\n,,,\n"])
def test_file_without_header_is_empty(text: str) -> None:
    (diag,) = _problems(text)
    assert _where(diag) == ("csv.empty", REL, 1, None, 1, None)


# --- syntax and shape ------------------------------------------------------------


def test_unmatched_quote_is_a_syntax_error() -> None:
    text = 'course,bookings\nChemsex,7\n"Online Harms,10\n'
    (diag,) = _problems(text)
    # The quote opens on line 3, the last line.
    assert _where(diag) == ("csv.syntax", REL, 3, None, 3, None)
    assert diag.hint is not None and "quote" in diag.hint


def test_unmatched_quote_is_reported_where_it_opens() -> None:
    text = 'course,bookings\n"Chemsex,7\nForced Marriage,19\nInformation Sharing,28\n'
    (diag,) = _problems(text)
    assert _where(diag) == ("csv.syntax", REL, 2, None, 2, None)


def test_text_after_closing_quote_is_a_syntax_error() -> None:
    (diag,) = _problems('course,bookings\n"Chemsex" (online),7\n')
    assert _where(diag) == ("csv.syntax", REL, 2, None, 2, None)


def test_duplicate_header() -> None:
    (diag,) = _problems("course,bookings,attended,bookings\nChemsex,7,5,7\n")
    assert _where(diag) == ("csv.duplicate-header", REL, 1, 4, 1, "bookings")
    assert "'bookings'" in diag.message


def test_blank_header() -> None:
    (diag,) = _problems("course,,attended\nChemsex,7,5\n")
    assert _where(diag) == ("csv.blank-header", REL, 1, 2, 1, None)
    assert "column 2" in diag.message


def test_header_problems_are_all_reported() -> None:
    problems = _problems("course,,bookings,bookings,\nChemsex,1,7,7,x\n")
    assert [_where(d) for d in problems] == [
        ("csv.blank-header", REL, 1, 2, 1, None),
        ("csv.duplicate-header", REL, 1, 4, 1, "bookings"),
        ("csv.blank-header", REL, 1, 5, 1, None),
    ]


@pytest.mark.parametrize(
    ("bad_row", "cells"),
    [
        ("Forced Marriage,1,19\n", 3),
        ("Forced Marriage,1,19,9,,2\n", 6),  # a non-empty extra cell is not tolerated
        ("Working with race, culture and belief systems,1,16,9,0\n", 6),  # comma not quoted
    ],
)
def test_ragged_row_names_its_row(bad_row: str, cells: int) -> None:
    lines = COURSES.splitlines(keepends=True)
    text = "".join([lines[0], lines[1], bad_row, *lines[3:]])
    (diag,) = _problems(text)
    assert _where(diag) == ("csv.ragged-row", REL, 3, None, 3, None)
    assert diag.message == f"row has {cells} cells but the header has 5"


def test_every_ragged_row_is_reported() -> None:
    text = "course,bookings\nChemsex\nForced Marriage,19\nOnline Harms,10,6\n"
    assert [_where(d) for d in _problems(text)] == [
        ("csv.ragged-row", REL, 2, None, 2, None),
        ("csv.ragged-row", REL, 4, None, 4, None),
    ]


def test_trailing_empty_rows_are_ignored_with_a_note() -> None:
    table, problems = parse_csv(COURSES + ",,,,\n\n , , , , \n", REL)
    assert table is not None
    (note,) = problems
    assert _where(note) == ("csv.trailing-blank-rows", REL, 6, None, 6, None)
    assert note.severity is Severity.INFO
    assert note.message == "3 empty rows after the table (from row 6) skipped"
    assert len(table.records) == 4
    assert table.records[-1]["course"] == "Working Together 2023 Awareness Session"


def test_trailing_empty_columns_from_a_padded_export_are_tolerated() -> None:
    # A stray cell far right makes Excel pad every row, the header included.
    lines = COURSES.splitlines()
    text = "\n".join(line + ",," for line in lines) + "\n"
    table = _ok(text)
    assert table.header == _ok(COURSES).header
    assert table.records == _ok(COURSES).records


def test_trailing_empty_cells_on_one_row_are_a_ragged_row() -> None:
    # Without a padded header, an extra cell may be a comma in unquoted text that
    # shifted every value one column right: report it rather than guess.
    text = COURSES.replace("Chemsex,1,7,5,\n", "Chemsex,1,7,5,,,\n")
    (diag,) = _problems(text)
    assert diag.code == "csv.ragged-row"


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_other_delimiters_are_detected(separator: str) -> None:
    text = COURSES.replace(",", separator)
    (diag,) = _problems(text)
    assert _where(diag) == ("csv.delimiter", REL, 1, None, 1, None)
    assert diag.hint is not None and "Comma delimited" in diag.hint


def test_single_column_file_is_not_mistaken_for_another_delimiter() -> None:
    table = _ok("course\nChemsex\nOnline Harms\n")
    assert table.header == ["course"]
    assert [r["course"] for r in table.records] == ["Chemsex", "Online Harms"]


def test_a_blank_row_inside_the_table_is_an_error_at_its_row() -> None:
    text = "course,bookings\nChemsex,7\n\nOnline Harms,10\n"
    (diag,) = _problems(text)
    # In a spreadsheet the blank line is row 3.
    assert _where(diag) == ("csv.blank-row", REL, 3, None, 3, None)
    assert "inside the table" in diag.message
