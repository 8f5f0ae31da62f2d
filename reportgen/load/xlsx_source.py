"""Read one sheet (or a range of it) of an Excel workbook as a table, keeping Sheet!B7.

python-calamine reads the values Excel saved with the file (a formula's last result),
never evaluates anything and is read-only, so a workbook cannot run code or change.
Rows go through the same `parse_rows` as CSV: title rows, notes, blank rows and
headers are handled alike, and every location names the cell as Excel does.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from pathlib import Path

from reportgen.diagnostics import Code, Diagnostic, Location, Severity
from reportgen.load.csv_source import CsvTable, parse_rows
from reportgen.load.files import read_source

# The diagnostic codes this module emits; reportgen.catalogue collects them.
XLSX_UNREADABLE = Code(
    "xlsx.unreadable",
    Severity.ERROR,
    "A workbook cannot be read",
    "The file is not a readable .xlsx workbook (damaged, or protected by a password).",
)
XLSX_SHEET_NOT_FOUND = Code(
    "xlsx.sheet-not-found",
    Severity.ERROR,
    "A workbook has no sheet of the name given",
    "Check `sheet:` against the sheet tabs; the hint lists the nearest name or all of them.",
)
XLSX_BAD_RANGE = Code(
    "xlsx.bad-range",
    Severity.ERROR,
    "A range of cells is not written as Excel writes one",
    "Write the top-left and bottom-right cells, e.g. `range: A3:E12`.",
)

MAX_BYTES = 5_000_000
_RANGE = re.compile(
    r"^\s*([A-Za-z]{1,3})([1-9][0-9]{0,6})\s*:\s*([A-Za-z]{1,3})([1-9][0-9]{0,6})\s*$"
)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: a column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """'B3:F20' -> (first row, first column, last row, last column), 0-based, or None."""
    match = _RANGE.match(text)
    if not match:
        return None
    r0, r1 = int(match.group(2)) - 1, int(match.group(4)) - 1
    c0, c1 = _column_index(match.group(1)), _column_index(match.group(3))
    if r1 < r0 or c1 < c0:
        return None
    return r0, c0, r1, c1


def cell_text(value: object) -> str:
    """A cell's saved value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # 9250.0 is 9250; 0.1+0.2 saved by Excel as 0.30000000000000004 is 0.3.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def load_xlsx(
    path: Path, rel: str, sheet: str | None, cell_range: str | None, root: Path | None = None
) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Load one sheet of a workbook; return the table or the diagnostics that stop it."""
    raw, problems = read_source(path, rel, MAX_BYTES, root)
    if raw is None:
        return None, problems
    from python_calamine import CalamineWorkbook  # only projects with workbooks need it

    where = Location(rel)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own types for zip, XML and password errors
        return None, [
            XLSX_UNREADABLE.diagnostic(
                f"cannot read this workbook ({type(exc).__name__})",
                location=where,
                hint="open it in Excel and save it again as an .xlsx workbook without a password",
            )
        ]
    name = sheet if sheet is not None else (names[0] if names else "")
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        return None, [
            XLSX_SHEET_NOT_FOUND.diagnostic(
                f"the workbook has no sheet named '{name}'",
                location=where,
                hint=f"did you mean '{close[0]}'?"
                if close
                else "sheets in this workbook: " + ", ".join(names),
            )
        ]
    bounds = (0, 0, 10**9, 10**6)
    if cell_range is not None:
        parsed = parse_range(cell_range)
        if parsed is None:
            return None, [
                XLSX_BAD_RANGE.diagnostic(
                    f"'{cell_range}' is not a range of cells",
                    location=Location(rel, cell=name),
                    hint="write the top-left and bottom-right cells, e.g. A1:D20",
                )
            ]
        bounds = parsed
    r0, c0, r1, c1 = bounds
    # From A1 (not from the first filled cell), so row and column numbers are Excel's.
    grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    rows: list[tuple[int | None, int, list[str]]] = []
    for r, values in enumerate(grid[r0 : r1 + 1], start=r0):
        rows.append((None, r + 1, [cell_text(v) for v in values[c0 : c1 + 1]]))

    def place(_line: int | None, row: int, column: int | None, field: str | None) -> Location:
        col = column_letters(c0 + (column or 1) - 1)
        return Location(rel, None, None, row=row, field=field, cell=f"{name}!{col}{row}")

    return parse_rows(rows, rel, place)
