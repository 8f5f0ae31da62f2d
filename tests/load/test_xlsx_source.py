"""Workbooks in: a sheet with a title row and a footnote builds the same table as clean CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from reportgen.diagnostics import DiagnosticList, Location, Severity
from reportgen.load.csv_source import load_csv
from reportgen.load.tables import load_crosstab
from reportgen.load.xlsx_source import column_letters, load_xlsx, parse_range
from reportgen.pipeline import validate

CLEAN = "Source,Under 5,5 to 11\nPolice,820,1140\nSchools,410,1530\n"


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


MESSY: list[list[object]] = [
    ["Contacts by source, 2024/25"],
    [],
    ["Source", "Under 5", "5 to 11"],
    ["Police", 820, 1140],
    ["Schools", 410, 1530.0],
    [],
    ["Source: children's social care records"],
]


def test_a_sheet_with_title_and_footnote_builds_the_same_table_as_clean_csv(
    tmp_path: Path,
) -> None:
    (tmp_path / "clean.csv").write_text(CLEAN, encoding="utf-8")
    _workbook(tmp_path / "book.xlsx", {"Other": [["x"]], "Contacts": MESSY})
    clean_diags, sheet_diags = DiagnosticList(), DiagnosticList()
    clean = load_crosstab(tmp_path, "clean.csv", clean_diags)
    sheet = load_crosstab(tmp_path, "book.xlsx", sheet_diags, "Contacts")
    assert clean is not None and sheet is not None
    assert (sheet.row_header, sheet.columns, sheet.rows) == (
        clean.row_header,
        clean.columns,
        clean.rows,
    )
    assert not clean_diags.items
    assert [d.code for d in sheet_diags] == ["csv.title-row", "csv.note-row"]
    assert not any(d.severity is Severity.ERROR for d in sheet_diags)
    # Locations name the cell as Excel does.
    where = sheet.source_map.locate((1, "5 to 11"))
    assert str(where) == "book.xlsx:Contacts!C5"


def test_a_bad_cell_is_located_at_sheet_and_cell(tmp_path: Path) -> None:
    rows = [r[:] for r in MESSY]
    rows[4] = ["Schools", 410, "9.250"]
    _workbook(tmp_path / "book.xlsx", {"Contacts": rows})
    diags = DiagnosticList()
    tab = load_crosstab(tmp_path, "book.xlsx", diags, "Contacts")
    # The sheet is kept; the cell is marked as typed, not read as a figure.
    assert tab is not None and tab.unreadable == {(1, "5 to 11"): "9.250"}
    (error,) = diags.errors
    assert error.code == "table.not-a-count"
    assert error.location is not None and str(error.location) == "book.xlsx:Contacts!C5"
    assert "type 9250 or 9,250" in error.message


def test_a_range_reads_only_those_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [["ignored", "x", "y", "z"], *[["", *r] for r in MESSY[2:5]]]
    _workbook(tmp_path / "book.xlsx", {"Contacts": rows})
    table, problems = load_xlsx(tmp_path / "book.xlsx", "book.xlsx", "Contacts", "B2:D4")
    assert problems == [] and table is not None
    assert table.header == ["Source", "Under 5", "5 to 11"]
    assert table.source_map.locate((0, "Source")) == Location(
        "book.xlsx", row=3, field="Source", cell="Contacts!B3"
    )


def test_a_missing_sheet_suggests_the_nearest(tmp_path: Path) -> None:
    _workbook(tmp_path / "book.xlsx", {"Income": [["a", "b"]]})
    table, (problem,) = load_xlsx(tmp_path / "book.xlsx", "book.xlsx", "income", None)
    assert table is None
    assert problem.code == "xlsx.sheet-not-found"
    assert problem.hint == "did you mean 'Income'?"


def test_a_workbook_given_as_csv_says_it_is_a_workbook(tmp_path: Path) -> None:
    _workbook(tmp_path / "book.xlsx", {"Contacts": MESSY})
    (tmp_path / "table.csv").write_bytes((tmp_path / "book.xlsx").read_bytes())
    table, (problem,) = load_csv(tmp_path / "table.csv", "table.csv")
    assert table is None
    assert problem.code == "csv.workbook"
    assert problem.message.startswith("this is an Excel workbook")
    assert "UTF-8" not in problem.message


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index: int, letters: str) -> None:
    assert column_letters(index) == letters


def test_parse_range() -> None:
    assert parse_range("B3:F20") == (2, 1, 19, 5)
    assert parse_range("F20:B3") is None
    assert parse_range("B3") is None


def test_budget_lines_from_a_workbook_sheet(
    write_project: object, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    files = dict(minimal_files)
    budget = files["data/budget.yaml"]
    start = budget.index("  lines:")
    end = budget.index("  total:")
    files["data/budget.yaml"] = (
        budget[:start]
        + "  lines_from:\n    file: data/budget.xlsx\n    sheet: Income\n"
        + budget[end:]
    )
    root = write_project(files)  # type: ignore[operator]
    _workbook(
        root / "data/budget.xlsx",
        {
            "Income": [
                ["Partnership income 2024/25"],
                ["Contributor", "Partner", "Amount"],
                ["Council", "lbn", "£1.200"],
            ]
        },
    )
    diags = validate(root).diagnostics
    errors = [d for d in diags.errors if d.location and d.location.path == "data/budget.xlsx"]
    assert [str(d.location) for d in errors] == ["data/budget.xlsx:Income!C3"]
    assert "thousands separator" in errors[0].message
