"""Read CSV tables as spreadsheets export them, keeping row numbers.

The header is row 1, so the first record is row 2, as a spreadsheet shows it.
Cells stay strings; the schema decides their type.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.diagnostics import Code, Diagnostic, Location, Severity
from reportgen.load.files import read_source
from reportgen.load.positions import SourceMap

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CSV_ENCODING = Code(
    "csv.encoding",
    Severity.ERROR,
    "A CSV file is not UTF-8",
    "In Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)'.",
)
CSV_SYNTAX = Code(
    "csv.syntax",
    Severity.ERROR,
    "CSV syntax error",
    "Usually a quote that is opened but never closed.",
)
CSV_EMPTY = Code(
    "csv.empty",
    Severity.ERROR,
    "A CSV file has no header row",
    "The first row must name the columns.",
)
CSV_DELIMITER = Code(
    "csv.delimiter",
    Severity.ERROR,
    "A CSV file is not comma-separated",
    "The header has one column; the file seems to use ';' or tabs. Export as CSV.",
)
CSV_BLANK_HEADER = Code(
    "csv.blank-header",
    Severity.ERROR,
    "A CSV column has no name",
    "Name every column in row 1.",
)
CSV_DUPLICATE_HEADER = Code(
    "csv.duplicate-header",
    Severity.ERROR,
    "Two CSV columns have the same name",
    "Rename one.",
)
CSV_RAGGED_ROW = Code(
    "csv.ragged-row",
    Severity.ERROR,
    "A CSV row has the wrong number of cells",
    "Look for a missing or extra comma, or a comma in text without quotes.",
)
CSV_WORKBOOK = Code(
    "csv.workbook",
    Severity.ERROR,
    "An Excel workbook is given where a CSV file is expected",
    """
    The file is a workbook (.xlsx or .xls), not CSV text. Give it the .xlsx name and
    say which sheet to read (`sheet:`), or save the sheet as 'CSV UTF-8'.
    """,
)
CSV_TITLE_ROW = Code(
    "csv.title-row",
    Severity.INFO,
    "A title row above a table's header was skipped",
    """
    A row with one filled cell above the first row of several (the header) is read as
    the sheet's title and skipped. Nothing needs doing.
    """,
)
CSV_NOTE_ROW = Code(
    "csv.note-row",
    Severity.INFO,
    "A note row under a table was skipped",
    """
    A row with one filled cell under the data, set apart by a blank row, a start such
    as 'Note', 'Source', '*' or '¹', or its length, is read as a footnote and skipped
    (it is not a row of missing figures). Put the note in the YAML `note:` to print it.
    """,
)
CSV_BLANK_ROW = Code(
    "csv.blank-row",
    Severity.ERROR,
    "An empty row inside a table",
    """
    An empty row between the header and the last row of data would split the table;
    delete it, or fill it in if a row of figures is missing.
    """,
)
CSV_TRAILING_BLANK_ROWS = Code(
    "csv.trailing-blank-rows",
    Severity.INFO,
    "Empty rows after a table were skipped",
    "Spreadsheets often export empty rows after the data; they are skipped.",
)

MAX_BYTES = 5_000_000


@dataclass
class CsvTable:
    """A loaded CSV file: header, records (column -> cell) and their positions."""

    path: str
    header: list[str]
    records: list[dict[str, str]]
    source_map: SourceMap

    def row_number(self, index: int) -> int:
        loc = self.source_map.locate((index,))
        return loc.row or index + 2


def load_csv(
    path: Path, rel: str, root: Path | None = None
) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Load one CSV file; return the table or the diagnostics that stop it."""
    raw, problems = read_source(path, rel, MAX_BYTES, root)
    if raw is None:
        return None, problems
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None, [workbook_as_csv(rel)]
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from Excel is dropped
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            CSV_ENCODING.diagnostic(
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); "
                "it may have been saved as Windows-1252",
                location=Location(rel, line),
                hint="in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)'",
            )
        ]
    return parse_csv(text, rel)


def workbook_as_csv(rel: str) -> Diagnostic:
    """An Excel workbook where a CSV file is expected (named .csv, or saved as one)."""
    return CSV_WORKBOOK.diagnostic(
        "this is an Excel workbook, not a CSV file",
        location=Location(rel),
        hint="name the workbook file.xlsx and give its sheet (sheet: Name) in the YAML that "
        "names it, or in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)'",
    )


# Where a cell is, given (first line in the file, spreadsheet row number, column number,
# column name): a CSV line and column, or a workbook's Sheet!B7.
Place = Callable[[int | None, int, int | None, str | None], Location]


def parse_csv(text: str, rel: str) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Parse CSV text into records; report header and shape problems together."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # (first line in the file, spreadsheet row number, cells) for every record,
    # blank ones included, so row numbers match what a spreadsheet shows.
    rows: list[tuple[int | None, int, list[str]]] = []
    start = 1
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            rows.append((start, len(rows) + 1, row))
    except csv.Error as exc:
        return None, [
            CSV_SYNTAX.diagnostic(
                f"CSV syntax error: {exc}",
                location=Location(rel, start, row=len(rows) + 1),
                hint='look for a quote (") that is opened but never closed',
            )
        ]

    def place(line: int | None, row: int, column: int | None, name: str | None) -> Location:
        return Location(rel, line, column, row=row, field=name)

    return parse_rows(rows, rel, place)


def parse_rows(
    rows: list[tuple[int | None, int, list[str]]], rel: str, place: Place
) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Records from a sheet's rows (first line, row number, cells): CSV and workbooks alike."""
    problems: list[Diagnostic] = []
    smap = SourceMap(rel)
    rows, notes = trim_frame(rows, place)
    problems += [d for d in notes if d.severity is Severity.ERROR]
    # Spreadsheets often add empty rows after the data; they carry nothing.
    rows = [(n, number, r) for n, number, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return None, [
            CSV_EMPTY.diagnostic(
                "file has no header row",
                location=place(1, 1, None, None),
                hint="the first row must name the columns",
            )
        ]
    header_line, header_row, header = rows[0]
    header = [h.strip() for h in header]
    # A spreadsheet with a stray cell far to the right exports empty columns on every
    # row, header included. Only then are trailing empty cells an artefact to drop;
    # otherwise an extra cell means a comma inside unquoted text, which must be reported.
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    padded = width < len(header) and all(
        not any(cell.strip() for cell in r[width:]) for _, _, r in rows[1:]
    )
    if padded:
        header = header[:width]
    smap.record((), place(header_line, header_row, None, None))
    for col, name in enumerate(header, start=1):  # each header cell, e.g. a meeting's date
        smap.record(("header", name), place(header_line, header_row, col, name))
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        problems.append(
            CSV_DELIMITER.diagnostic(
                "the header has one column; the file seems to use ';' or tabs, not commas",
                location=place(header_line, header_row, None, None),
                hint="export the sheet as 'CSV (Comma delimited)'",
            )
        )
        return None, problems
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if not name:
            problems.append(
                CSV_BLANK_HEADER.diagnostic(
                    f"column {i} has no name",
                    location=place(header_line, header_row, i, None),
                    hint="give every column a name in row 1, or delete the empty column",
                )
            )
        elif name in seen:
            problems.append(
                CSV_DUPLICATE_HEADER.diagnostic(
                    f"column name '{name}' appears twice",
                    location=place(header_line, header_row, i, name),
                    hint="rename one of the columns",
                )
            )
        seen.add(name)
    records: list[dict[str, str]] = []
    for line, row_number, row in rows[1:]:
        if len(row) != len(header):
            while padded and len(row) > len(header) and not row[-1].strip():
                row = row[:-1]
        if len(row) != len(header):
            problems.append(
                CSV_RAGGED_ROW.diagnostic(
                    f"row has {len(row)} cells but the header has {len(header)}",
                    location=place(line, row_number, None, None),
                    hint="look for a missing or extra comma, or a comma in text without quotes",
                )
            )
            continue
        smap.record((len(records),), place(line, row_number, None, None))
        for col, name in enumerate(header, start=1):
            smap.record((len(records), name), place(line, row_number, col, name))
        records.append({name: cell.strip() for name, cell in zip(header, row, strict=True)})
    if problems:
        return None, problems
    return CsvTable(rel, header, records, smap), notes


# How a note under a table usually starts: "Note:", "Source:", "*", "¹", "(1)", "N.B.".
_NOTE_START = re.compile(
    r"^(notes?\b|sources?\b|n\.?\s?b\b|figures\b|data\b|please\b|excludes?\b|includes?\b"
    r"|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]|\(\d+\)|\[\d+\]|\d+[.)]\s)",
    re.IGNORECASE,
)


def _filled(cells: list[str]) -> list[str]:
    return [cell for cell in cells if cell.strip()]


def trim_frame(
    rows: list[tuple[int | None, int, list[str]]], place: Place
) -> tuple[list[tuple[int | None, int, list[str]]], list[Diagnostic]]:
    """Skip a title above the header and notes under the data; find blank rows inside.

    Sheets exported for people carry a title row ("Contacts by source, 2024/25") and
    footnotes ("Source: ..."). Read as data, a title row becomes a header with empty
    column names and a note a row of missing figures, and the advice ("delete the empty
    column", "write 0") would be wrong. A row with one filled cell above the first row of
    several is a title; one under the last such row is a note when a blank row, a
    note-like start or its length sets it apart from a data row whose figures are empty.
    """
    content = [i for i, (_, _, cells) in enumerate(rows) if _filled(cells)]
    wide = [i for i in content if len(_filled(rows[i][2])) >= 2]
    if not wide:
        return rows, []  # a one-column sheet: nothing to tell apart
    found: list[Diagnostic] = []
    first, last = wide[0], wide[-1]
    for i in content:
        if i < first:
            line, number, cells = rows[i]
            found.append(
                CSV_TITLE_ROW.diagnostic(
                    f"row {number} ('{_filled(cells)[0].strip()[:60]}') looks like a title "
                    "above the table; it is skipped and the table starts on row "
                    f"{rows[first][1]}",
                    place(line, number, None, None),
                    "nothing to do; delete the row if the table should start at the top",
                )
            )
    end = last
    in_notes = False
    for i in content:
        if i <= last:
            continue
        line, number, cells = rows[i]
        text = _filled(cells)[0].strip()
        gap = any(not _filled(rows[j][2]) for j in range(end + 1, i))
        if len(_filled(cells)) == 1 and (
            in_notes or gap or _NOTE_START.match(text) or len(text) > 40 or not cells[0].strip()
        ):
            in_notes = True
            found.append(
                CSV_NOTE_ROW.diagnostic(
                    f"row {number} ('{text[:60]}') looks like a note under the table; "
                    "it is skipped",
                    place(line, number, None, None),
                    "nothing to do; put notes in the YAML `note:` to print them with the table",
                )
            )
        elif not in_notes:
            end = i  # a data row, even if most of its figures are missing
    for i in range(first + 1, end):
        line, number, cells = rows[i]
        if not _filled(cells):
            found.append(
                CSV_BLANK_ROW.diagnostic(
                    f"row {number} is empty, inside the table (between rows {rows[first][1]} "
                    f"and {rows[end][1]})",
                    place(line, number, None, None),
                    "delete the empty row, or fill it in if a row of figures is missing",
                )
            )
    trailing = [rows[i][1] for i in range(end + 1, len(rows)) if not _filled(rows[i][2])]
    if trailing and not in_notes:
        found.append(
            CSV_TRAILING_BLANK_ROWS.diagnostic(
                f"{len(trailing)} empty row{'s' if len(trailing) != 1 else ''} after the "
                f"table (from row {trailing[0]}) skipped",
                place(rows[end + 1][0], trailing[0], None, None),
                "nothing to do; delete them to silence this note",
            )
        )
    return rows[first : end + 1], found


# What spreadsheets put in a cell that holds no figure. Each would otherwise reach the
# schema as text and be reported as "not a number", which does not say what to do.
_ERROR_VALUES = {"#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#num!", "#null!", "#error!"}
_MISSING_VALUES = {"na", "n/a", "n.a.", "null", "none", "nil", "-", "–", "—", "..", "?", "tbc"}
_SUPPRESSED_VALUES = {"*", "x", "[c]", "[x]", "<5", "c", "s", "supp", "suppressed"}


def cell_advice(cell: str) -> tuple[str, str] | None:
    """Explain a spreadsheet cell that is not a plain figure: (what it is, what to do).

    None when the cell is not one of the recognised spreadsheet habits.
    """
    text = cell.strip()
    low = text.lower()
    if not text:
        return ("the cell is empty", "fill in the figure; write 0 if there were none")
    if low in _ERROR_VALUES or (low.startswith("#") and low.endswith(("!", "?", "/a"))):
        return (
            f"'{text}' is a spreadsheet formula error, not a figure",
            "fix the formula in the spreadsheet and export the CSV again",
        )
    if low in _MISSING_VALUES:
        return (
            f"'{text}' marks a figure that is missing",
            "type the figure; if the column is optional, leave the cell empty instead",
        )
    if low in _SUPPRESSED_VALUES:
        return (
            f"'{text}' marks a figure that was withheld",
            "type the figure, or leave the row out of the table if it must not be published",
        )
    if text.endswith("%"):
        return (
            f"'{text}' is a percentage, but this column holds a count",
            "type the count; reportgen works out percentages from the counts",
        )
    if text.startswith(("£", "-£", "$", "€")):
        return (
            f"'{text}' is an amount of money, but this column holds a count",
            "type the count as a whole number such as 260",
        )
    return None
