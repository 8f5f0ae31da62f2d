"""data/tables.yaml: CSV tables of counts, with computed totals.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from reportgen import figures
from reportgen.checks import totals
from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.diagnostics import Location
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    sum_of,
)
from reportgen.load.tables import CrossTab
from reportgen.model.controls import Disclosure
from reportgen.model.tables import Tables
from reportgen.project import Project, load_table_files
from reportgen.views import (
    Cell,
    ChartSpec,
    Series,
    TableView,
)

# Shown for a total that needs a cell that could not be read.
_UNKNOWN = "?"


def derive_tables(project: Project, data: Tables, out: Derived) -> None:
    for spec in data.tables:
        tab = project.crosstabs.get(spec.id)
        if tab is None:
            continue
        # Small counts of children, and cells that would reveal them, are withheld.
        hidden: set[tuple[int, int]] = set()
        if spec.disclosure is Disclosure.CHILDREN:
            where = project.where(spec, "file")
            hidden = out.disclosure.crosstab(spec.id, tab, spec.column_totals, where)
        symbol = out.disclosure.symbol
        single = len(tab.columns) == 1
        rows, cols = len(tab.rows), len(tab.columns)
        grand = (rows, 0) if single else (rows, cols)
        unknown = tab.unknown()
        # A total that needs an unreadable cell is not offered (load_table_files marks it
        # failed, so a reference to it waits for the cell's error to be fixed).
        if grand not in unknown:
            out.references[f"table.{spec.id}.total"] = (
                symbol if grand in hidden else figures.count(_grand_total(tab))
            )
        note = spec.note
        if hidden:
            note = f"{note} {out.disclosure.legend}" if note else out.disclosure.legend
        out.add_block(
            "table",
            f"tables.{spec.id}",
            _crosstab_view(
                spec.id,
                spec.title,
                tab,
                spec.row_totals,
                spec.column_totals,
                note,
                spec.source,
                hidden,
                symbol,
            ),
        )
        _publish_crosstab(project, spec.id, spec.title, tab, spec.column_totals, hidden, out)
        # The chart shows each row's total (a one-column table: the cell itself).
        keys = [(r, 0) if single else (r, cols) for r in range(rows)]
        out.add_block(
            "chart",
            f"tables.{spec.id}",
            ChartSpec(
                id=f"chart-{spec.id}",
                title=spec.title,
                kind="hbar",
                categories=[label for label, _ in tab.rows],
                series=[
                    Series(
                        name=tab.columns[0] if single else "Total",
                        values=[
                            None if k in hidden or k in unknown else figures.plot(sum(v))
                            for k, (_, v) in zip(keys, tab.rows, strict=True)
                        ],
                        marks={
                            r: symbol if k in hidden else _UNKNOWN
                            for r, k in enumerate(keys)
                            if k in hidden or k in unknown
                        },
                    )
                ],
                unit="count",
                value_axis="Number",
            ),
        )


def _publish_crosstab(
    project: Project,
    table_id: str,
    title: str,
    tab: CrossTab,
    column_totals: bool,
    hidden: set[tuple[int, int]],
    out: Derived,
) -> None:
    """Every published cell of a CSV table; `hidden` cells are withheld (disclosure)."""
    ledger = out.ledger
    ledger.table(
        FigureTable(
            "tables",
            "Tables of the report (CSV tables in data/tables/)",
            {"table": "Table", "row": "Row", "column": "Column"},
            {"count": Measure("Number", "count")},
        )
    )
    n_rows, n_cols = len(tab.rows), len(tab.columns)
    single = n_cols == 1
    unknown = tab.unknown()  # not published: a cell not read, or a total that needs one

    def at(r: int, c: int) -> Location:
        return tab.source_map.locate((tab.record_index[r], tab.columns[c]))

    def add(
        key: tuple[int, int],
        row: str,
        column: str,
        value: int,
        locs: list[Location],
        how: str | None,
    ) -> None:
        if key in unknown:
            return
        name = f"table.{table_id}.{slug(row)}.{slug(column)}"
        ledger.add(
            name,
            "tables",
            "count",
            value,
            [("table", title), ("row", row), ("column", column)],
            locs,
            derivation=how,
            withheld=key in hidden,
        )

    for r, (label, values) in enumerate(tab.rows):
        for c, value in enumerate(values):
            add((r, c), label, tab.columns[c], value, [at(r, c)], None)
        if not single:
            locs = [at(r, c) for c in range(n_cols)]
            add((r, n_cols), label, "Total", sum(values), locs, sum_of(locs))
    if column_totals and not single:
        for c in range(n_cols):
            locs = [at(r, c) for r in range(n_rows)]
            total = sum(values[c] for _, values in tab.rows)
            add((n_rows, c), "Total", tab.columns[c], total, locs, sum_of(locs))
    # The grand total is quoted as `table.ID.total` whether or not the table prints it.
    locs = [at(r, c) for r in range(n_rows) for c in range(n_cols)]
    grand = (n_rows, 0) if single else (n_rows, n_cols)
    if grand in unknown:
        return
    ledger.add(
        f"table.{table_id}.total",
        "tables",
        "count",
        _grand_total(tab),
        [("table", title), ("row", "Total"), ("column", "Total")],
        locs,
        derivation=sum_of(locs),
        withheld=grand in hidden,
    )


def _grand_total(tab: CrossTab) -> int:
    return sum(sum(values) for _, values in tab.rows)


def _crosstab_view(
    table_id: str,
    title: str,
    tab: CrossTab,
    row_totals: bool,
    column_totals: bool,
    note: str | None,
    source: str | None,
    hidden: set[tuple[int, int]] | None = None,
    symbol: str = "c",
) -> TableView:
    """The table's cells; `hidden` cells (row, column; totals last) show `symbol`."""
    withheld = hidden or set()
    n_rows, n_cols = len(tab.rows), len(tab.columns)
    unknown = tab.unknown()

    def show(key: tuple[int, int], value: int) -> Cell:
        # A cell that is not a count shows as typed, and a total that needs it as
        # unknown: never a figure read another way (its error stops the build anyway).
        if key in unknown:
            typed = tab.as_typed(*key) if key[0] < n_rows and key[1] < n_cols else None
            return Cell(text=typed if typed is not None else _UNKNOWN, numeric=True)
        return Cell(text=symbol if key in withheld else figures.count(value), numeric=True)

    show_row_totals = row_totals and n_cols > 1
    columns = [tab.row_header, *tab.columns] + (["Total"] if show_row_totals else [])
    rows = []
    for r, (label, values) in enumerate(tab.rows):
        cells = [Cell(text=label)] + [show((r, c), v) for c, v in enumerate(values)]
        if show_row_totals:
            cells.append(show((r, n_cols), sum(values)))
        rows.append(cells)
    totals = None
    if column_totals:
        col_sums = [sum(values[i] for _, values in tab.rows) for i in range(n_cols)]
        totals = [Cell(text="Total")] + [show((n_rows, c), v) for c, v in enumerate(col_sums)]
        if show_row_totals:
            totals.append(show((n_rows, n_cols), sum(col_sums)))
    return TableView(
        id=f"table-{table_id}",
        caption=title,
        columns=columns,
        rows=rows,
        totals=totals,
        note=note,
        source=source,
    )


def _sources(target: str) -> tuple[str, ...]:
    """A table's names depend on tables.yaml and on the table's own CSV file."""
    table = target.partition(".")[2].split(".")[0]
    if not table:
        return ("tables",)
    # `table.ID.total` also waits for a cell of the table that could not be read.
    total = (f"tables.{table}.total",) if target.endswith(".total") else ()
    return ("tables", f"tables.{table}", *total)


DATASET = Dataset(
    name="tables",
    file="data/tables.yaml",
    schema=Tables,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="Tables of counts kept as CSV or spreadsheet files, with computed totals.",
    references=(
        Offered(names=("table.ID.total",), gives="grand total of a CSV table", example="37"),
    ),
    blocks=(
        Offered(
            names=("table tables.ID", "chart tables.ID"), gives="a CSV table with computed totals"
        ),
    ),
    derive=derive_tables,
    attach=load_table_files,  # each table's CSV file or sheet
    sources=_sources,
    checks=(totals._crosstabs,),
)
