"""Attendance registers kept as grids (CSV or a workbook sheet) become meetings.

Registers are kept as people keep them: organisations down the first column, one column
per meeting in the order printed, headed by a date, a month ("Dec 24") or a month with
a label ("Dec 24, north area only"); a column may be a meeting that was not held, a
cell may not apply to its row, and a column may hold the printed attendance percentage.
Each meeting column becomes a meeting of `meetings` and each printed percentage a line
of `printed_rates`, located at their cells, so the schema's messages point into the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from reportgen.diagnostics import DiagnosticList
from reportgen.load.positions import SourceMap
from reportgen.load.tables import header_key
from reportgen.project import _sheet_of

# How people write an attendance mark -> the word the schema knows (any capitals).
MARKS = {
    "present": "present",
    "attended": "present",
    "apologies": "apologies",
    "apologies sent": "apologies",
    "absent": "absent",
    "not required": "not_required",
    "not_required": "not_required",
    "n/a": "not_applicable",
    "na": "not_applicable",
    "not applicable": "not_applicable",
    "not_applicable": "not_applicable",
}

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%b"),
        dt.date(2000, number, 1).strftime("%B"),
    )
}
_MONTHS["sept"] = 9
# "Dec 24", "December 2024", "Dec-24", then an optional label after a comma, colon or dash.
_MONTH_HEADER = re.compile(
    r"^(?P<month>[A-Za-z]{3,9})[\s-]+(?P<year>\d{2}|\d{4})(?:\s*[,:(–-]\s*(?P<label>.+?)\)?)?$"
)
_ISO_HEADER = re.compile(r"^(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?:\s*[,:(–-]\s*(?P<label>.+?)\)?)?$")


def read_header(header: str) -> tuple[str, str | None]:
    """A meeting column's heading -> (date as the schema takes it, label or None).

    A heading that is neither a date nor a month is passed on as the date, so the
    schema reports it at its cell.
    """
    text = header.strip()
    iso = _ISO_HEADER.match(text)
    if iso:
        return iso["date"], iso["label"]
    named = _MONTH_HEADER.match(text)
    if named and named["month"].lower() in _MONTHS:
        year = int(named["year"])
        year += 2000 if year < 100 else 0
        month = f"{year:04d}-{_MONTHS[named['month'].lower()]:02d}"
        # "Dec 24" alone is the month; with a label the whole heading is kept as printed.
        return month, (text if named["label"] else None)
    return text, None


def meetings_from_grids(root: Any, data: Any, smap: SourceMap, diags: DiagnosticList) -> None:
    """Turn each `attendance_grids` entry (a register kept as a sheet) into `meetings`."""
    if not isinstance(data, dict) or not isinstance(data.get("attendance_grids"), list):
        return
    meetings = data.setdefault("meetings", [])
    rates = data.setdefault("printed_rates", [])
    if not isinstance(meetings, list) or not isinstance(rates, list):
        return  # the schema reports it
    for g, grid in enumerate(data["attendance_grids"]):
        if not isinstance(grid, dict):
            continue
        group = grid.get("group")
        if not isinstance(group, str):
            continue  # the schema reports the missing field
        where = smap.nearest(("attendance_grids", g, "file"))  # raw data: may be missing
        table = _sheet_of(root, grid, where, "attendance grid file", diags)
        if table is None or len(table.header) < 2:
            continue
        described = _described_columns(grid)
        rate_key = grid.get("rate_column")
        skipped = {header_key(c) for c in grid.get("other_columns") or [] if isinstance(c, str)}
        organisation, *columns = table.header
        rate_column = next(
            (
                c
                for c in columns
                if isinstance(rate_key, str) and header_key(c) == header_key(rate_key)
            ),
            None,
        )
        for column in columns:
            if column == rate_column or header_key(column) in skipped:
                continue
            index = len(meetings)
            spec = described.get(header_key(column), {})
            date, label = read_header(column)
            meeting: dict[str, Any] = {"group": group, "date": spec.get("date", date)}
            if spec.get("label", label):
                meeting["label"] = spec.get("label", label)
            held = spec.get("held", True)
            if held is False or (isinstance(held, str) and held.lower() in ("false", "no")):
                meeting["held"] = False
                if spec.get("not_held_reason"):
                    meeting["not_held_reason"] = spec["not_held_reason"]
            else:
                meeting["attendance"] = _marks(table, organisation, column, index, smap)
            meetings.append(meeting)
            header_cell = table.source_map.locate(("header", column))
            for key in ((), ("group",), ("attendance",), ("date",), ("label",), ("held",)):
                smap.record(("meetings", index, *key), header_cell)
        if rate_column is not None:
            _printed_rates(table, organisation, rate_column, group, grid, rates, smap)


def _described_columns(grid: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The grid's `columns:` entries by heading (their own fields checked by the schema)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in grid.get("columns") or []:
        if isinstance(entry, dict) and isinstance(entry.get("header"), str):
            found[header_key(entry["header"])] = entry
    return found


def _marks(
    table: Any, organisation: str, column: str, index: int, smap: SourceMap
) -> dict[str, str]:
    marks: dict[str, str] = {}
    for row, record in enumerate(table.records):
        mark = record.get(column, "").strip()
        name = record.get(organisation, "").strip()
        if not mark or not name:
            continue  # a blank cell: not recorded, never invented
        marks[name] = MARKS.get(mark.lower(), mark)
        smap.record(("meetings", index, "attendance", name), table.source_map.locate((row, column)))
    return marks


def _printed_rates(
    table: Any,
    organisation: str,
    column: str,
    group: str,
    grid: dict[str, Any],
    rates: list[Any],
    smap: SourceMap,
) -> None:
    for row, record in enumerate(table.records):
        value = record.get(column, "").strip()
        name = record.get(organisation, "").strip()
        if not value or not name:
            continue
        index = len(rates)
        rate: dict[str, Any] = {"group": group, "organisation": name, "percent": value}
        if isinstance(grid.get("rounding"), str):
            rate["rounding"] = grid["rounding"]
        rates.append(rate)
        cell = table.source_map.locate((row, column))
        for key in ((), ("group",), ("organisation",), ("percent",), ("rounding",)):
            smap.record(("printed_rates", index, *key), cell)
