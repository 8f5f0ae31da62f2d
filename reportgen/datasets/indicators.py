"""data/indicators.yaml: key figures by group, with last year and comparators.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen import figures, history
from reportgen.checks import arithmetic
from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.diagnostics import DiagnosticList
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    TimePeriod,
)
from reportgen.load.indicator_parts import fill_totals_from_parts
from reportgen.load.positions import DataPath, SourceMap
from reportgen.model.controls import Disclosure
from reportgen.model.indicators import Better, Indicator, Indicators, Qualifier
from reportgen.project import Project
from reportgen.views import (
    Cell,
    ChartSpec,
    Series,
    TableView,
    Tile,
    TilesView,
)


def _value(ind: Indicator, value: Decimal) -> str:
    return figures.by_unit(ind.unit.value, value)


# A figure the report does not print exactly keeps its word: "over 10,000", never "10,000".
_QUALIFIED = {
    Qualifier.ABOUT: "about {}",
    Qualifier.OVER: "over {}",
    Qualifier.AT_LEAST: "at least {}",
    Qualifier.UNDER: "under {}",
}


def _qualified(ind: Indicator, shown: str) -> str:
    return _QUALIFIED[ind.qualifier].format(shown) if ind.qualifier else shown


def _trend(ind: Indicator) -> str:
    if ind.prior is None or ind.value == ind.prior:
        return "same" if ind.prior is not None else "neutral"
    if ind.better is Better.NEITHER:
        return "neutral"
    up = ind.value > ind.prior
    return "better" if up == (ind.better is Better.HIGHER) else "worse"


def derive_indicators(project: Project, data: Indicators, out: Derived) -> None:
    cfg = project.config
    prior_label = project.dated.shifted(-1)
    # Small counts of children are withheld everywhere they appear (disclosure policy).
    hidden, hidden_prior = out.disclosure.indicators(project, data)
    symbol = out.disclosure.symbol

    def now(ind: Indicator) -> str:
        return symbol if ind.id in hidden else _qualified(ind, _value(ind, ind.value))

    def before(ind: Indicator, prior: Decimal) -> str:
        return symbol if ind.id in hidden_prior else _value(ind, prior)

    def moved(ind: Indicator, prior: Decimal) -> str:
        words, _ = figures.change_words(ind.unit.value, ind.value, prior)
        return words.removesuffix(_value(ind, prior)) + before(ind, prior)

    def masked(ind: Indicator) -> bool:
        return ind.id in hidden or ind.id in hidden_prior

    def values(name: str, members: list[Indicator], prior: bool = False) -> Series:
        """A series of this year's (or last year's) values, withheld ones marked."""
        shown: list[float | None] = []
        marks: dict[int, str] = {}
        for k, i in enumerate(members):
            value = i.prior if prior else i.value
            if (i.id in hidden_prior) if prior else (i.id in hidden):
                shown.append(None)
                marks[k] = symbol
            else:
                shown.append(figures.plot(value) if value is not None else None)
        return Series(name=name, values=shown, marks=marks)

    for ind in data.indicators:
        key = f"indicator.{ind.id}"
        out.references[key] = now(ind)
        if ind.prior is not None:
            _, diff = figures.change_words(ind.unit.value, ind.value, ind.prior)
            out.references[f"{key}.prior"] = before(ind, ind.prior)
            out.references[f"{key}.change"] = f"{now(ind)}, {moved(ind, ind.prior)}"
            out.references[f"{key}.difference"] = (
                symbol
                if masked(ind)
                else f"{figures.number(diff)} percentage points"
                if ind.unit.value == "percent"
                else _value(ind, diff)
            )
        for comp_id, comp in ind.comparators.items():
            out.references[f"{key}.{comp_id}"] = _value(ind, comp.value)
    _publish_indicators(project, data, out, hidden, hidden_prior)
    _series(project, data, out, hidden, hidden_prior)

    several_areas = len(cfg.partnership.areas) > 1
    # A group whose figures are all of one area (an area's snapshot) names it once, in
    # its title; a mixed group names each figure's area, by its short label.
    mixed = {
        g.id for g in data.groups if len({i.area for i in data.indicators if i.group == g.id}) > 1
    }

    def label(ind: Indicator) -> str:
        # With two or more areas, a figure must say which area it belongs to.
        text = ind.label
        if several_areas and ind.area and ind.group in mixed:
            text += f" ({cfg.area_label(ind.area)})"
        return text

    for group in data.groups:
        members = [i for i in data.indicators if i.group == group.id]
        tiles: list[Tile] = []
        for ind in members:
            change = None
            if ind.prior is not None:
                change = f"{moved(ind, ind.prior)} in {ind.prior_period or prior_label}"
            comparator = None
            if ind.comparators:
                comparator = "; ".join(
                    f"{cfg.comparators[cid]}{f' ({c.period})' if c.period else ''}: "
                    f"{_value(ind, c.value)}"
                    for cid, c in ind.comparators.items()
                    if cid in cfg.comparators
                )
            tiles.append(
                Tile(
                    value=now(ind) + (" per 10,000" if ind.unit.value == "rate_per_10k" else ""),
                    label=label(ind) + (f" ({ind.note})" if ind.note else ""),
                    change=change,
                    comparator=comparator,
                    trend=_trend(ind),  # type: ignore[arg-type]
                )
            )
            # One indicator's tile, for `{{ tiles indicator.ID }}` and the "at a glance" page.
            out.add_block(
                "tiles",
                f"indicator.{ind.id}",
                TilesView(id=f"tile-{ind.id}", title=label(ind), tiles=tiles[-1:]),
            )
        out.add_block(
            "tiles",
            f"indicators.{group.id}",
            TilesView(id=f"tiles-{group.id}", title=group.title, tiles=tiles),
        )

        comp_ids = [c for c in cfg.comparators if any(c in i.comparators for i in members)]
        has_prior = any(i.prior is not None for i in members)
        # Column headings name the period the figures are for, when the group agrees on one.
        periods = {i.period for i in members}
        this_label = (
            periods.pop() if len(periods) == 1 and None not in periods else project.dated.label
        )
        prior_periods = {i.prior_period for i in members if i.prior is not None}
        last_label = (
            prior_periods.pop()
            if len(prior_periods) == 1 and None not in prior_periods
            else prior_label
        )
        columns = ["Indicator", this_label or project.dated.label]
        if has_prior:
            columns += [last_label or prior_label, "Change"]
        columns += [cfg.comparators[c] for c in comp_ids]
        rows: list[list[Cell]] = []
        for ind in members:
            row = [
                Cell(text=label(ind) + (f" ({ind.note})" if ind.note else "")),
                Cell(text=now(ind), numeric=True),
            ]
            if has_prior:
                if ind.prior is None:
                    row += [Cell(text="–", numeric=True), Cell(text="–", numeric=True)]
                else:
                    diff = ind.value - ind.prior
                    text = (
                        f"{figures.signed(diff)} pts"
                        if ind.unit.value == "percent"
                        else (
                            figures.money(diff)
                            if ind.unit.value == "money"
                            else figures.signed(diff)
                        )
                    )
                    text = symbol if masked(ind) else text
                    row += [
                        Cell(text=before(ind, ind.prior), numeric=True),
                        Cell(text=text, numeric=True),
                    ]
            for c in comp_ids:
                found = ind.comparators.get(c)
                row.append(Cell(text=_value(ind, found.value) if found else "–", numeric=True))
            rows.append(row)
        comp_periods = sorted(
            {c.period for i in members for c in i.comparators.values() if c.period}
        )
        note = f"Comparator figures are for {', '.join(comp_periods)}." if comp_periods else None
        sources = sorted({i.source for i in members if i.source})
        out.add_block(
            "table",
            f"indicators.{group.id}",
            TableView(
                id=f"table-{group.id}",
                caption=group.title,
                columns=columns,
                rows=rows,
                totals=None,
                note=note,
                source="; ".join(sources) or None,
            ),
        )

        # A chart compares like with like: one unit per chart.
        units = {i.unit.value for i in members}
        if len(units) == 1:
            unit = units.pop()
            if comp_ids:
                series = [values(project.dated.label, members)]
                series += [
                    Series(
                        name=cfg.comparators[c],
                        values=[
                            figures.plot(i.comparators[c].value) if c in i.comparators else None
                            for i in members
                        ],
                    )
                    for c in comp_ids
                ]
            else:
                series = [values(project.dated.label, members)]
                if has_prior:
                    series.insert(0, values(prior_label, members, prior=True))
            out.add_block(
                "chart",
                f"indicators.{group.id}",
                ChartSpec(
                    id=f"chart-{group.id}",
                    title=group.title,
                    kind="hbar",
                    categories=[label(i) for i in members],
                    series=series,
                    unit=unit,  # type: ignore[arg-type]
                    value_axis=_axis_label(unit),
                ),
            )


def _publish_indicators(
    project: Project, data: Indicators, out: Derived, hidden: set[str], hidden_prior: set[str]
) -> None:
    cfg = project.config
    ledger = out.ledger
    ledger.table(
        FigureTable(
            "indicators",
            "Safeguarding indicators, with last year's values and comparators",
            {
                "indicator_group": "Indicator group",
                "indicator": "Indicator id",
                "indicator_label": "Indicator",
                "comparator": "Whose figure",
                "qualifier": "As printed",
            },
            {
                u: Measure(_axis_label(u), u)
                for u in ("count", "percent", "rate_per_10k", "money", "number")
            },
            filter_hints={
                "comparator": "The reporting area's own figure, or a benchmark",
                # "over 10,000" published as 10000 alone would be read as exact.
                "qualifier": "exact, or how the report qualifies the figure it gives: about, "
                "over, at least, under",
            },
        )
    )
    groups = {g.id: g.title for g in data.groups}
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    own = "Reporting area"
    for ind in data.indicators:

        def filters(
            whose: str, ind: Indicator = ind, qualifier: str = "exact"
        ) -> list[tuple[str, str]]:
            return [
                ("indicator_group", groups.get(ind.group, ind.group)),
                ("indicator", ind.id),
                ("indicator_label", ind.label),
                ("comparator", whose),
                ("qualifier", qualifier),
            ]

        unit = ind.unit.value
        at = project.where(ind, "value")
        ledger.add(
            f"indicator.{ind.id}",
            "indicators",
            unit,
            ind.value,
            filters(
                own,
                qualifier=_QUALIFIED[ind.qualifier].format("").strip()
                if ind.qualifier
                else "exact",
            ),
            [at],
            withheld=ind.id in hidden,
            time=now.of_label(ind.period),
            area=ind.area,
        )
        if ind.prior is not None:
            ledger.add(
                f"indicator.{ind.id}.prior",
                "indicators",
                unit,
                ind.prior,
                filters(own),
                [project.where(ind, "prior")],
                withheld=ind.id in hidden_prior,
                time=now.of_label(ind.prior_period) if ind.prior_period else now.shifted(-1),
                area=ind.area,
            )
        for comp_id, comp in ind.comparators.items():
            ledger.add(
                f"indicator.{ind.id}.{comp_id}",
                "indicators",
                unit,
                comp.value,
                filters(cfg.comparators.get(comp_id, comp_id)),
                [project.where(ind, "comparators", comp_id)],
                time=now.of_label(comp.period or ind.period),
                area=ind.area,
            )


def _series(
    project: Project, data: Indicators, out: Derived, hidden: set[str], hidden_prior: set[str]
) -> None:
    """Each indicator's values over the years: series words, trend chart, open data."""
    groups = {g.id: g for g in data.groups}
    this_year, last_year = project.dated.label, project.dated.shifted(-1)
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    symbol = out.disclosure.symbol
    for ind in data.indicators:
        points = history.series(ind, this_year, last_year)
        if len(points) < 2:
            continue
        group = groups.get(ind.group)
        kind = ind.disclosure or (group.disclosure if group else None) or Disclosure.CHILDREN
        children = ind.unit.value == "count" and kind is Disclosure.CHILDREN
        current = points[-1].period
        earlier = [p for p in ind.history if p.period not in (current, ind.prior_period)]

        def withheld(
            point: history.Point,
            ind: Indicator = ind,
            current: str = current,
            small: bool = children,
        ) -> bool:
            if point.period == current:
                return ind.id in hidden
            if (
                ind.prior is not None
                and point.value == ind.prior
                and point.period == (ind.prior_period or last_year)
            ):
                return ind.id in hidden_prior
            return small and out.disclosure.is_small(int(point.value))

        def shown(value: Decimal, ind: Indicator = ind) -> str:
            return _value(ind, value)

        masked = any(withheld(p) for p in points)
        out.references.update(history.series_references(ind, points, shown, masked, symbol))
        title = f"{ind.label}, {points[0].period} to {points[-1].period}"
        chart = history.trend_chart(
            ind, points, title, figures.plot, withheld, symbol, _axis_label(ind.unit.value)
        )
        if chart is not None:
            out.add_block("chart", f"indicator.{ind.id}.trend", chart)
        for point in ind.history:
            if point not in earlier:
                continue  # the same year as `prior` (checked to agree) is published once
            out.ledger.add(
                f"indicator.{ind.id}.history.{point.period.replace('/', '-')}",
                "indicators",
                ind.unit.value,
                point.value,
                [
                    ("indicator_group", group.title if group else ind.group),
                    ("indicator", ind.id),
                    ("indicator_label", ind.label),
                    ("comparator", "Reporting area"),
                ],
                [project.where(point, "value")],
                withheld=withheld(history.Point(point.period, point.value)),
                time=now.of_label(point.period),
                area=ind.area,
            )


def _axis_label(unit: str) -> str:
    return {
        "count": "Number",
        "money": "Amount (£)",
        "percent": "Per cent",
        "rate_per_10k": "Rate per 10,000 children",
        "number": "Value",
    }[unit]


def _sums_of_parts(root: Path, data: Any, smap: SourceMap, diags: DiagnosticList) -> list[DataPath]:
    """The dataset's `prepare`: an indicator with `parts` and no `value` is their sum; one
    whose sum cannot be worked out (a part's value is wrong) is left out with that part."""
    return [("indicators", index) for index in fill_totals_from_parts(data, smap)]


DATASET = Dataset(
    name="indicators",
    file="data/indicators.yaml",
    schema=Indicators,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="Key figures by group, each with last year's value and comparators.",
    references=(
        Offered(
            names=("indicator.ID",),
            gives="the value in its unit (count `1,286`, percent `53%`, rate `32.1`, "
            "money `£5,000`)",
            example="260",
        ),
        Offered(names=("indicator.ID.prior",), gives="last year's value", example="304"),
        Offered(
            names=("indicator.ID.change",),
            gives="value with its direction against last year",
            example="260, down from 304",
        ),
        Offered(
            names=("indicator.ID.difference",), gives="size of the change, no sign", example="44"
        ),
        Offered(
            names=("indicator.ID.COMPARATOR",),
            gives="a comparator's value, e.g. `indicator.cp_rate.statistical_neighbours`",
            example="39.7",
        ),
        # Series words (reportgen/history.py), for an indicator holding two or more years
        # (`history`, `prior`, this year); a withheld count in the series makes each `c`.
        Offered(
            names=("indicator.ID.highest",),
            gives="the highest value of the years held, and its year",
            example="435 in 2021/22",
        ),
        Offered(
            names=("indicator.ID.lowest",),
            gives="the lowest value of the years held, and its year",
            example="404 in 2024/25",
        ),
        Offered(
            names=("indicator.ID.rank",),
            gives="where this year stands among the years held (names a year with no figure)",
            example="the lowest in 4 years",
        ),
        Offered(
            names=("indicator.ID.run",),
            gives="this year's direction and for how many years running (needs last year)",
            example="down for the second year running",
        ),
        Offered(
            names=("indicator.ID.average",),
            gives="the average of the years held, to one decimal place",
            example="421.7",
        ),
        Offered(names=("indicator.ID.years",), gives="how many years are held", example="3"),
        Offered(
            names=("indicator.ID.first_year",), gives="the earliest year held", example="2021/22"
        ),
        Offered(
            names=("indicator.ID.since.YEAR",),
            gives="the change since an earlier year held, e.g. `indicator.cic.since.2021-22`",
            example="down 7% since 2021/22, from 435",
        ),
    ),
    blocks=(
        Offered(names=("tiles indicators.GROUP",), gives="key-figure tiles for an indicator group"),
        Offered(
            names=("tiles indicator.ID",),
            gives="one indicator's key-figure tile (also used by `at_a_glance` in report.yaml)",
        ),
        Offered(
            names=("table indicators.GROUP",),
            gives="the group as a table with last year and comparators",
        ),
        Offered(
            names=("chart indicators.GROUP",),
            gives="the group against its comparators (or last year)",
        ),
        Offered(
            names=("chart indicator.ID.trend",),
            gives="a line over every year from the first held to this one (a year with no "
            "figure is a gap), with its text alternative and data table",
        ),
    ),
    prepare=_sums_of_parts,  # `parts:` with no `value:`
    derive=derive_indicators,
    checks=(
        arithmetic._indicator_links,
        arithmetic._shares,
        arithmetic._rates,
        arithmetic._narrative_changes,
    ),
)
