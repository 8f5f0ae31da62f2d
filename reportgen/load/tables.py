"""Tables read from CSV files or workbook sheets: rows of records, or a table of counts.

A file of records (training courses, say) has one model record per row; a generic
table (`data/tables.yaml`) has a label column and columns of counts.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.diagnostics import Code, Diagnostic, DiagnosticList, Location, Severity
from reportgen.load.csv_source import CsvTable, cell_advice, load_csv
from reportgen.load.positions import Origins, SourceMap
from reportgen.model.common import count_problem, parse_count

# The diagnostic codes this module emits; reportgen.catalogue collects them.
XLSX_NOT_A_WORKBOOK = Code(
    "xlsx.not-a-workbook",
    Severity.WARNING,
    "A sheet or range is given for a file that is not a workbook",
    "`sheet:` and `range:` only apply to .xlsx workbooks; they are ignored for a CSV file.",
)
CSV_HEADER_CASE = Code(
    "csv.header-case",
    Severity.INFO,
    "CSV column names were read without regard to capitals and spaces",
    """
    A spreadsheet heading such as `Course` or `Organisation type` is read as the
    column `course` / `organisation_type`. Nothing needs doing; the note says how
    each heading was read so you can write them that way and silence it.
    """,
)
CSV_MISSING_COLUMN = Code(
    "csv.missing-column",
    Severity.ERROR,
    "A required CSV column is missing",
    "The header row must include every required column of the table's schema.",
)
CSV_UNKNOWN_COLUMN = Code(
    "csv.unknown-column",
    Severity.ERROR,
    "A CSV column is not part of the table's schema",
    "Check the spelling of the column name (the message suggests the nearest one).",
)
CSV_INVALID_CELL = Code(
    "csv.invalid-cell",
    Severity.ERROR,
    "A CSV cell has the wrong type or is empty",
    "The cell must hold the kind of value its column needs, e.g. a whole number.",
)
TABLE_SHAPE = Code(
    "table.shape",
    Severity.ERROR,
    "A CSV table has no columns of figures",
    "A generic table needs a label column and at least one column of counts.",
)
TABLE_NOT_A_COUNT = Code(
    "table.not-a-count",
    Severity.ERROR,
    "A cell of a CSV table is not a whole number",
    """
    Write counts as whole numbers and leave no cell blank (use 0). The rest of the table
    is still read and checked; the totals that need the cell are not checked, and the
    table shows the cell as typed (never a different figure) until it is corrected.
    """,
)

M = TypeVar("M", bound=BaseModel)


@dataclass
class CrossTab:
    """A generic table read from CSV: row labels, column labels and counts."""

    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    typed_row_totals: list[int] | None  # the CSV's own 'Total' column, if any
    typed_column_totals: list[int] | None  # the CSV's own 'Total' row, if any
    typed_grand_total: int | None  # the Total row's value in the Total column, if any
    source_map: SourceMap
    record_index: list[int]  # CSV record index of each row, for positions
    total_record: int | None  # CSV record index of the 'Total' row
    total_column: str | None  # name of the CSV's 'Total' column
    # Cells that are not counts (their error is reported), by (CSV record index, column),
    # as typed: their place in `rows` and the typed totals holds 0, which nothing may use.
    unreadable: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)

    def unknown(self) -> set[tuple[int, int]]:
        """Cells (row, column) whose value needs an unreadable cell, totals included: a
        data cell, its row's and column's totals and the grand total (row `len(rows)`,
        column `len(columns)`, as the table prints them)."""
        keys: set[tuple[int, int]] = set()
        n_rows, n_cols = len(self.rows), len(self.columns)
        rows = {record: r for r, record in enumerate(self.record_index)}
        for record, column in self.unreadable:
            if record not in rows or column not in self.columns:
                continue  # a typed total: the figures shown are computed, not it
            r, c = rows[record], self.columns.index(column)
            keys |= {(r, c), (r, n_cols), (n_rows, c), (n_rows, n_cols)}
        return keys

    def as_typed(self, r: int, c: int) -> str | None:
        """The text of the data cell at (row, column) when it could not be read, else None."""
        return self.unreadable.get((self.record_index[r], self.columns[c]))


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_table(
    root: Path, rel: str, sheet: str | None = None, cell_range: str | None = None
) -> tuple[CsvTable | None, list[Diagnostic]]:
    """A CSV file, or one sheet (and range) of an Excel workbook, as rows of text."""
    if rel.lower().endswith(WORKBOOK_SUFFIXES):
        from reportgen.load.xlsx_source import load_xlsx

        return load_xlsx(root / rel, rel, sheet, cell_range)
    table, problems = load_csv(root / rel, rel)
    if sheet is not None or cell_range is not None:
        problems.append(
            XLSX_NOT_A_WORKBOOK.diagnostic(
                f"'{rel}' is not an .xlsx workbook, so it has no sheet or range",
                Location(rel),
                "delete `sheet:` and `range:`, or name the .xlsx workbook",
            )
        )
    return table, problems


def load_rows(
    root: Path,
    rel: str,
    model: type[M],
    diags: DiagnosticList,
    sheet: str | None = None,
    cell_range: str | None = None,
    origins: Origins | None = None,
) -> tuple[list[M], SourceMap | None]:
    """Load a CSV file (or workbook sheet) whose every row is one `model` record.

    Each record's origin (its row, each field at its cell) goes into `origins`."""
    table, problems = load_table(root, rel, sheet, cell_range)
    diags.extend(problems)
    if table is None:
        return [], None
    expected = list(model.model_fields)
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    table = _match_header_case(table, expected, diags)
    for name in required:
        if name not in table.header:
            diags.emit(
                CSV_MISSING_COLUMN,
                f"column '{name}' is missing",
                Location(rel, table.source_map.locate(()).line, row=1),
                "the header row must include: " + ", ".join(expected),
            )
    for i, name in enumerate(table.header, start=1):
        if name and name not in expected:
            close = difflib.get_close_matches(name, expected, n=1)
            diags.emit(
                CSV_UNKNOWN_COLUMN,
                f"unknown column '{name}'",
                Location(rel, table.source_map.locate(()).line, i, row=1, field=name),
                f"did you mean '{close[0]}'?"
                if close
                else "columns allowed: " + ", ".join(expected),
            )
    if any(name not in table.header for name in required):
        return [], table.source_map
    rows: list[M] = []
    for index, record in enumerate(table.records):
        # A blank cell in a CSV means 'no value', as in a spreadsheet.
        values = {k: (v if v != "" else None) for k, v in record.items() if k in expected}
        try:
            row = model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                column = str(err["loc"][0]) if err["loc"] else ""
                where = table.source_map.nearest((index, column))
                if err["type"] == "missing" or values.get(column) is None:
                    msg = f"'{column}' is empty"
                    hint = "fill in this cell"
                else:
                    msg = f"'{column}': " + str(err["msg"]).removeprefix("Value error, ")
                    advice = cell_advice(str(values.get(column) or ""))
                    hint = f"{advice[0]}: {advice[1]}" if advice else ""
                diags.emit(CSV_INVALID_CELL, msg, where, hint or None)
            continue
        rows.append(row)
        if origins is not None:
            origins.record(row, table.source_map, (index,))
    return rows, table.source_map


def header_key(name: str) -> str:
    """A column name as a key: capitals, spaces and dashes do not matter."""
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def _match_header_case(table: CsvTable, expected: list[str], diags: DiagnosticList) -> CsvTable:
    """Read 'Course' or 'Organisation type' as the column `course` / `organisation_type`.

    Spreadsheets capitalise headings; one note says how they were read, instead of an
    unknown and a missing column for each of them.
    """
    by_key = {header_key(name): name for name in expected}
    rename = {
        name: by_key[header_key(name)]
        for name in table.header
        if name not in expected and header_key(name) in by_key
    }
    targets = [rename.get(name, name) for name in table.header]
    if not rename or len(set(targets)) != len(targets):
        return table  # nothing to do, or two columns would become one: reported as they are
    read_as = ", ".join(f"'{old}' as '{new}'" for old, new in rename.items())
    diags.emit(
        CSV_HEADER_CASE,
        f"column names are read without regard to capitals and spaces: {read_as}",
        Location(table.path, table.source_map.locate(()).line, row=1),
        "nothing to do; to silence this note, write the column names as: " + ", ".join(targets),
    )
    smap = SourceMap(table.path)
    for path, loc in table.source_map.positions.items():
        if len(path) == 2 and isinstance(path[1], str) and path[1] in rename:
            path = (path[0], rename[path[1]])
            loc = dataclasses.replace(loc, field=rename[str(loc.field)])
        smap.record(path, loc)
    records = [{rename.get(k, k): v for k, v in record.items()} for record in table.records]
    return CsvTable(table.path, targets, records, smap)


def load_crosstab(
    root: Path,
    rel: str,
    diags: DiagnosticList,
    sheet: str | None = None,
    cell_range: str | None = None,
) -> CrossTab | None:
    """Load a generic table: first column labels, other columns whole numbers."""
    table, problems = load_table(root, rel, sheet, cell_range)
    diags.extend(problems)
    if table is None:
        return None
    return crosstab_from_csv(table, diags)


def crosstab_from_csv(table: CsvTable, diags: DiagnosticList) -> CrossTab | None:
    if len(table.header) < 2:
        diags.emit(
            TABLE_SHAPE,
            "a table needs a label column and at least one column of figures",
            table.source_map.locate(()),
        )
        return None
    row_header, *columns = table.header
    total_col = next((i for i, c in enumerate(columns) if c.lower() == "total"), None)
    data_columns = [c for i, c in enumerate(columns) if i != total_col]
    rows: list[tuple[str, list[int]]] = []
    typed_row_totals: list[int] = []
    typed_column_totals: list[int] | None = None
    typed_grand_total: int | None = None
    record_index: list[int] = []
    total_record: int | None = None
    unreadable: dict[tuple[int, str], str] = {}
    for index, record in enumerate(table.records):
        label = record[row_header]
        values: list[int] = []
        for column in columns:
            cell = record[column]
            # The same reading as a Count field: '1,2,3' is not 123, '9.250' is refused.
            try:
                values.append(parse_count(cell) if cell.strip() else _blank(cell))
            except ValueError as exc:
                advice = cell_advice(cell)
                diags.emit(
                    TABLE_NOT_A_COUNT,
                    str(exc),
                    table.source_map.locate((index, column)),
                    f"{advice[0]}: {advice[1]}"
                    if advice and not count_problem(cell)
                    else "write counts as whole numbers, such as 1,286",
                )
                # One bad cell keeps the table: the cell is marked, not read as 0.
                unreadable[(index, column)] = cell
                values.append(0)
        row_total = values.pop(total_col) if total_col is not None else None
        if label.lower() == "total":
            typed_column_totals = values
            typed_grand_total = row_total
            total_record = index
        else:
            rows.append((label, values))
            record_index.append(index)
            if row_total is not None:
                typed_row_totals.append(row_total)
    return CrossTab(
        row_header=row_header,
        columns=data_columns,
        rows=rows,
        typed_row_totals=typed_row_totals if total_col is not None else None,
        typed_grand_total=typed_grand_total,
        typed_column_totals=typed_column_totals,
        source_map=table.source_map,
        record_index=record_index,
        total_record=total_record,
        total_column=columns[total_col] if total_col is not None else None,
        unreadable=unreadable,
    )


def _blank(cell: str) -> int:
    raise ValueError("expected a whole number, got an empty cell")
