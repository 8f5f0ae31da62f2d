"""Read CSV tables as spreadsheets export them, keeping row numbers.

The header is row 1, so the first record is row 2, as a spreadsheet shows it.
Cells stay strings; the schema decides their type.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reportgen.diagnostics import Diagnostic, Location
from reportgen.load.files import read_source
from reportgen.load.positions import SourceMap

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
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from Excel is dropped
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Diagnostic(
                "csv.encoding",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); "
                "it may have been saved as Windows-1252",
                location=Location(rel, line),
                hint="in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)'",
            )
        ]
    return parse_csv(text, rel)


def parse_csv(text: str, rel: str) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Parse CSV text into records; report header and shape problems together."""
    problems: list[Diagnostic] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    smap = SourceMap(rel)
    # (first line in the file, spreadsheet row number, cells) for every record,
    # blank ones included, so row numbers match what a spreadsheet shows.
    rows: list[tuple[int, int, list[str]]] = []
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
            Diagnostic(
                "csv.syntax",
                f"CSV syntax error: {exc}",
                location=Location(rel, start, row=len(rows) + 1),
                hint='look for a quote (") that is opened but never closed',
            )
        ]
    # Spreadsheets often add empty rows; they carry no data.
    rows = [(n, number, r) for n, number, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return None, [
            Diagnostic(
                "csv.empty",
                "file has no header row",
                location=Location(rel, 1),
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
    smap.record((), Location(rel, header_line, row=header_row))
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        problems.append(
            Diagnostic(
                "csv.delimiter",
                "the header has one column; the file seems to use ';' or tabs, not commas",
                location=Location(rel, header_line, row=header_row),
                hint="export the sheet as 'CSV (Comma delimited)'",
            )
        )
        return None, problems
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if not name:
            problems.append(
                Diagnostic(
                    "csv.blank-header",
                    f"column {i} has no name",
                    location=Location(rel, header_line, i, row=header_row),
                    hint="give every column a name in row 1, or delete the empty column",
                )
            )
        elif name in seen:
            problems.append(
                Diagnostic(
                    "csv.duplicate-header",
                    f"column name '{name}' appears twice",
                    location=Location(rel, header_line, i, row=header_row, field=name),
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
                Diagnostic(
                    "csv.ragged-row",
                    f"row has {len(row)} cells but the header has {len(header)}",
                    location=Location(rel, line, row=row_number),
                    hint="look for a missing or extra comma, or a comma in text without quotes",
                )
            )
            continue
        smap.record((len(records),), Location(rel, line, row=row_number))
        for col, name in enumerate(header, start=1):
            smap.record((len(records), name), Location(rel, line, col, row=row_number, field=name))
        records.append({name: cell.strip() for name, cell in zip(header, row, strict=True)})
    if problems:
        return None, problems
    return CsvTable(rel, header, records, smap), []


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
