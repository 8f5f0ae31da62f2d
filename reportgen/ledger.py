"""The ledger of published figures: every number the report prints, as data.

`reportgen.derive` records each figure here as it computes it, after disclosure
control: a withheld figure is recorded as withheld, without its value, so nothing
built from the ledger (the open data export, its provenance, `explain-figure`) can
reveal it. Each figure keeps where it came from (file and line, or CSV row and
column) and, when it is computed, how.

This is the narrow interface between derive and the export (`reportgen.export`):
the export reads the ledger and the report's configuration, nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.diagnostics import Location

# How a figure's value is measured; the keys match the indicator units of indicators.yaml.
UNITS = ("count", "percent", "rate_per_10k", "money", "number")


@dataclass(frozen=True)
class TimePeriod:
    """A period as the DfE open data standards write it: `202425`, `Financial year`."""

    time_period: str
    time_identifier: str

    def shifted(self, years: int) -> TimePeriod:
        """The same kind of period `years` later (earlier when negative)."""
        start = int(self.time_period[:4]) + years
        if len(self.time_period) == 6:
            return TimePeriod(f"{start}{(start + 1) % 100:02d}", self.time_identifier)
        return TimePeriod(str(start), self.time_identifier)

    @classmethod
    def of_dates(cls, start: dt.date, end: dt.date) -> TimePeriod:
        """April to March is a financial year, September to August an academic year."""
        if start.year == end.year:
            return cls(str(start.year), "Calendar year" if start.month == 1 else "Reporting year")
        code = f"{start.year}{end.year % 100:02d}"
        if start.month == 4:
            return cls(code, "Financial year")
        if start.month in (8, 9):
            return cls(code, "Academic year")
        return cls(str(start.year), "Reporting year")

    def of_label(self, label: str | None) -> TimePeriod:
        """The period a label such as `2023/24` names, of the same kind as this one."""
        match = re.fullmatch(r"(\d{4})/(\d{2})", (label or "").strip())
        if match is None or len(self.time_period) != 6:
            return self
        start = int(match.group(1))
        if (start + 1) % 100 != int(match.group(2)):
            return self
        return TimePeriod(f"{start}{match.group(2)}", self.time_identifier)


@dataclass(frozen=True)
class Measure:
    """An indicator column of an export table: what it measures and in which unit."""

    label: str
    unit: str  # one of UNITS


@dataclass
class FigureTable:
    """One tidy table of the export: its filter columns and indicator columns, in order."""

    name: str  # file stem, e.g. "budget"
    title: str
    filters: dict[str, str]  # column -> label
    measures: dict[str, Measure]
    time: TimePeriod | None = None  # None: the report's period
    filter_hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure. `value` is None when it is withheld or not available."""

    id: str  # dotted, as quoted in narrative where it can be: "budget.income.total"
    table: str
    measure: str
    filters: tuple[tuple[str, str], ...]
    value: Decimal | None
    withheld: bool = False
    time: TimePeriod | None = None  # None: the table's period
    area: str | None = None  # area id; None: the partnership as a whole
    sources: tuple[Location, ...] = ()
    derivation: str | None = None  # how a computed figure is made, e.g. "sum of ..."

    def __post_init__(self) -> None:
        # The raw value of a withheld figure must never reach the ledger.
        if self.withheld and self.value is not None:
            raise ValueError(f"withheld figure {self.id} must not carry its value")

    @property
    def source_text(self) -> str:
        """Where the figure comes from, e.g. `data/budget.yaml line 21`."""
        return where_all(self.sources)

    @property
    def provenance(self) -> str:
        """The derivation when computed, else its source."""
        if self.derivation:
            return self.derivation
        return f"from {self.source_text}" if self.sources else "computed by reportgen"


@dataclass
class FigureLedger:
    """Every figure the report publishes, grouped into tables."""

    tables: dict[str, FigureTable] = field(default_factory=dict)
    figures: list[PublishedFigure] = field(default_factory=list)

    def table(self, spec: FigureTable) -> FigureTable:
        """Declare a table (or extend one already declared with more columns)."""
        known = self.tables.get(spec.name)
        if known is None:
            self.tables[spec.name] = spec
            return spec
        for k, v in spec.filters.items():
            known.filters.setdefault(k, v)
        for m, measure in spec.measures.items():
            known.measures.setdefault(m, measure)
        return known

    def add(
        self,
        id: str,
        table: str,
        measure: str,
        value: Decimal | int | None,
        filters: Sequence[tuple[str, str]],
        sources: Iterable[Location] = (),
        *,
        derivation: str | None = None,
        withheld: bool = False,
        time: TimePeriod | None = None,
        area: str | None = None,
    ) -> None:
        if table not in self.tables or measure not in self.tables[table].measures:
            raise KeyError(f"figure {id}: table {table!r} has no measure {measure!r}")
        number = None if withheld or value is None else Decimal(value)
        self.figures.append(
            PublishedFigure(
                id,
                table,
                measure,
                tuple(filters),
                number,
                withheld,
                time,
                area,
                tuple(sources),
                derivation,
            )
        )

    def find(self, figure_id: str) -> PublishedFigure | None:
        for figure in self.figures:
            if figure.id == figure_id:
                return figure
        return None

    def ids(self) -> list[str]:
        return [f.id for f in self.figures]


def describe(loc: Location) -> str:
    """`data/budget.yaml line 21` or `data/training-courses.csv row 4, column bookings`."""
    if loc.row is not None:
        return f"{loc.path} row {loc.row}" + (f", column {loc.field}" if loc.field else "")
    if loc.line is not None:
        return f"{loc.path} line {loc.line}"
    return loc.path


def _spans(numbers: Iterable[int]) -> str:
    """[12, 13, 14, 19] -> '12-14 and 19'."""
    ordered = sorted(set(numbers))
    runs: list[str] = []
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs[:-1]) + (" and " if len(runs) > 1 else "") + runs[-1]


def where_all(locations: Sequence[Location]) -> str:
    """Several positions in few words: `data/budget.yaml lines 12-19`."""
    by_file: dict[str, list[Location]] = {}
    for loc in locations:
        by_file.setdefault(loc.path, []).append(loc)
    parts = []
    for path, locs in by_file.items():
        rows = [loc.row for loc in locs if loc.row is not None]
        lines = [loc.line for loc in locs if loc.line is not None]
        fields = sorted({loc.field for loc in locs if loc.field})
        if rows:
            word = "row" if len(set(rows)) == 1 else "rows"
            text = f"{path} {word} {_spans(rows)}"
            if fields:
                text += f", column{'s' if len(fields) > 1 else ''} {', '.join(fields)}"
        elif lines:
            text = f"{path} line{'s' if len(set(lines)) > 1 else ''} {_spans(lines)}"
        else:
            text = path
        parts.append(text)
    return "; ".join(parts)


def sum_of(locations: Sequence[Location]) -> str:
    """`sum of data/budget.yaml lines 12-19`."""
    return f"sum of {where_all(locations)}" if locations else "sum of no lines (0)"


__all__ = [
    "UNITS",
    "FigureLedger",
    "FigureTable",
    "Measure",
    "PublishedFigure",
    "TimePeriod",
    "describe",
    "sum_of",
    "where_all",
]
