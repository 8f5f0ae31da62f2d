"""Tidy CSV in the DfE open data standards ("explore education statistics").

Each ledger table becomes one data file and one `.meta.csv`, as the standards ask:

- the required columns `time_period` (`202425`), `time_identifier` (`Financial year`),
  `geographic_level`, `country_code`, `country_name`, then the geography of each row
  (`region_code`, `region_name`, `new_la_code`, `old_la_code`, `la_name`);
- filter columns (what a row is about) and indicator columns (the figures), each
  described in the metadata file by `col_name`, `col_type` (Filter or Indicator),
  `label`, `indicator_grouping`, `indicator_unit` (`%`, `£` or blank), `indicator_dp`,
  `filter_hint` and `filter_grouping_column`;
- no blank indicator cell: the GSS symbols `c` (withheld to protect confidentiality),
  `x` (not available) and `z` (not applicable: the column does not apply to the row).

Followed from DfE's own screener of the standards (github.com/dfe-analytical-services/
eesyscreener: `data-raw/req_values.R`, `acceptable_values.R`, `geography_df.R`); see
reportgen/docs/open-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.kinds.base import Period
from reportgen.ledger import FigureLedger, FigureTable, PublishedFigure, TimePeriod
from reportgen.model.config import Area, DocumentConfig

WITHHELD = "c"  # GSS: confidential (the report's disclosure policy withheld it)
NOT_AVAILABLE = "x"
NOT_APPLICABLE = "z"
SYMBOLS = (WITHHELD, NOT_AVAILABLE, NOT_APPLICABLE)

COUNTRY = ("E92000001", "England")  # reportgen publishes English partnerships' reports
GEOGRAPHY_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)
# The one level the standards lack: a partnership's figure for all of its areas together.
PARTNERSHIP_LEVEL = "Partnership"
UNIT_SYMBOLS = {"percent": "%", "money": "£"}
META_COLUMNS = (
    "col_name",
    "col_type",
    "label",
    "indicator_grouping",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
)


def number_text(value: Decimal) -> str:
    """A figure as the CSV holds it: plain digits, no thousands separator or exponent."""
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass
class DataRow:
    """One row of a data file and the figures placed in it."""

    geography: tuple[str, ...]
    filters: tuple[tuple[str, str], ...]
    cells: dict[str, PublishedFigure] = field(default_factory=dict)


@dataclass
class DataFile:
    """A data file before it is written: its columns and rows."""

    table: FigureTable
    filters: list[str]
    measures: list[str]
    rows: list[DataRow]

    @property
    def columns(self) -> list[str]:
        return [*GEOGRAPHY_COLUMNS, *self.filters, *self.measures]

    def cell(self, row: DataRow, measure: str) -> str:
        figure = row.cells.get(measure)
        if figure is None:
            return NOT_APPLICABLE
        if figure.withheld:
            return WITHHELD
        if figure.value is None:
            return NOT_AVAILABLE
        return number_text(figure.value)

    def records(self) -> list[list[str]]:
        out = []
        for row in self.rows:
            values = dict(row.filters)
            out.append(
                [
                    *row.geography,
                    *(values.get(f, "Total") for f in self.filters),
                    *(self.cell(row, m) for m in self.measures),
                ]
            )
        return out

    def dp(self, measure: str) -> int:
        places = [
            decimals(r.cells[measure].value)  # type: ignore[arg-type]
            for r in self.rows
            if measure in r.cells and r.cells[measure].value is not None
        ]
        return max(places, default=0)

    def meta_records(self) -> list[list[str]]:
        rows = []
        for name in self.filters:
            label = self.table.filters[name]
            hint = self.table.filter_hints.get(name, "")
            rows.append([name, "Filter", label, "", "", "", hint, ""])
        for name in self.measures:
            m = self.table.measures[name]
            unit = UNIT_SYMBOLS.get(m.unit, "")
            rows.append([name, "Indicator", m.label, "", unit, str(self.dp(name)), "", ""])
        return rows


def geography(config: DocumentConfig, area_id: str | None, time: TimePeriod) -> tuple[str, ...]:
    """The time and geography columns of a row about `area_id` (None: the partnership)."""
    areas = {a.id: a for a in config.partnership.areas}
    area: Area | None = areas.get(area_id) if area_id else None
    if area is None and len(areas) == 1:
        area = next(iter(areas.values()))
    head = (time.time_period, time.time_identifier)
    if area is None:
        return (*head, PARTNERSHIP_LEVEL, *COUNTRY, "", "", "", "", config.partnership.name)
    return (
        *head,
        "Local authority",
        *COUNTRY,
        area.region_code or "",
        area.region_name or "",
        area.ons_code or "",
        area.old_la_code or "",
        area.name,
    )


def data_files(config: DocumentConfig, period: Period, ledger: FigureLedger) -> list[DataFile]:
    """The ledger's figures laid out as tidy rows, one file per table."""
    report_time = TimePeriod.of_dates(period.start, period.end)
    files = []
    for name, table in ledger.tables.items():
        figures = [f for f in ledger.figures if f.table == name]
        if not figures:
            continue
        used = {m for f in figures for m in [f.measure]}
        measures = [m for m in table.measures if m in used]
        rows: list[DataRow] = []
        index: dict[tuple[object, ...], list[DataRow]] = {}
        for f in figures:
            time = f.time or table.time or report_time
            geo = geography(config, f.area, time)
            key = (geo, f.filters)
            # Figures about the same thing share a row; a clash (never expected) gets its own.
            row = next((r for r in index.get(key, []) if f.measure not in r.cells), None)
            if row is None:
                row = DataRow(geo, f.filters)
                rows.append(row)
                index.setdefault(key, []).append(row)
            row.cells[f.measure] = f
        files.append(DataFile(table, list(table.filters), measures, rows))
    return files


__all__ = [
    "GEOGRAPHY_COLUMNS",
    "META_COLUMNS",
    "SYMBOLS",
    "DataFile",
    "data_files",
    "geography",
    "number_text",
]
