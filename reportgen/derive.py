"""Derive stage: validated records -> figures, references and block view models.

Every total, rate, share and year-on-year change a reader sees is computed here,
once, and handed to the templates as text. Narrative references (`{{ ... }}`) and
blocks resolve against the two dictionaries this module builds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen import figures
from reportgen.diagnostics import Location
from reportgen.disclosure import DisclosureControl
from reportgen.ledger import (
    FigureLedger,
    FigureTable,
    Measure,
    TimePeriod,
    describe,
    sum_of,
    where_all,
)
from reportgen.load.tables import CrossTab
from reportgen.model.budget import Budget
from reportgen.model.common import Rag
from reportgen.model.controls import Disclosure
from reportgen.model.feedback import Feedback
from reportgen.model.governance import Attendance, Governance
from reportgen.model.indicators import Better, Indicator, Indicators
from reportgen.model.partners import Partners
from reportgen.model.priorities import Priorities, Theme
from reportgen.model.reviews import Audit, Recommendation, Reviews
from reportgen.model.tables import Tables
from reportgen.project import Project, TrainingData
from reportgen.views import (
    Block,
    Card,
    CardPart,
    CardsView,
    Cell,
    ChartSpec,
    ListItem,
    ListView,
    Series,
    TableView,
    Tile,
    TilesView,
)

# A fact the source does not state (a status it never printed) is shown as this, never
# made up.
NOT_STATED = "Not stated"
RAG_WORDS = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.COMPLETE: "Complete",
    Rag.NOT_STARTED: "Not started",
}


@dataclass
class Derived:
    """What narrative and templates can use: inline references and blocks."""

    references: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, Block | ChartSpec] = field(default_factory=dict)
    # The disclosure policy in force and every figure it withheld (reportgen.disclosure).
    disclosure: DisclosureControl = field(default_factory=DisclosureControl)
    # Every published figure with its source, after disclosure control (reportgen.ledger).
    ledger: FigureLedger = field(default_factory=FigureLedger)
    # The "at a glance" page, built (and checked) once by the pipeline (reportgen.glance).
    glance: TilesView | None = None

    def add_block(self, kind: str, target: str, block: Block | ChartSpec) -> None:
        self.blocks[f"{kind} {target}"] = block


def slug(text: str) -> str:
    """'Requires improvement' -> 'requires_improvement'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def derive(project: Project) -> Derived:
    """Compute every figure, reference and block the report can show."""
    out = Derived()
    cfg = project.config
    out.disclosure = DisclosureControl.from_policy(cfg.validation.disclosure)
    out.references.update(
        {
            "disclosure.legend": out.disclosure.legend,
            "disclosure.symbol": out.disclosure.symbol,
            "partnership.name": cfg.partnership.name,
            "partnership.short_name": cfg.partnership.short_name,
        }
    )
    if project.period is not None:  # an undated kind has no period to quote
        out.references.update(
            {
                "period.label": project.period.label,
                "period.previous": project.period.shifted(-1),
                "period.next": project.period.shifted(1),
            }
        )
    steps: list[tuple[str, type, Callable[..., None]]] = [
        ("indicators", Indicators, _indicators),
        ("budget", Budget, _budget),
        ("governance", Governance, _governance),
        ("priorities", Priorities, _priorities),
        ("reviews", Reviews, _reviews),
        ("tables", Tables, _tables),
        ("partners", Partners, _partners),
        ("feedback", Feedback, _feedback),
    ]
    for name, kind, step in steps:
        data = project.dataset(name, kind)
        if data is not None:
            step(project, data, out)
    _training(project, out)
    from reportgen.activity import publish_activity

    publish_activity(project, out.ledger)
    return out


# --- indicators -----------------------------------------------------------------


def _value(ind: Indicator, value: Decimal) -> str:
    return figures.by_unit(ind.unit.value, value)


def _trend(ind: Indicator) -> str:
    if ind.prior is None or ind.value == ind.prior:
        return "same" if ind.prior is not None else "neutral"
    if ind.better is Better.NEITHER:
        return "neutral"
    up = ind.value > ind.prior
    return "better" if up == (ind.better is Better.HIGHER) else "worse"


def _indicators(project: Project, data: Indicators, out: Derived) -> None:
    cfg = project.config
    prior_label = project.dated.shifted(-1)
    # Small counts of children are withheld everywhere they appear (disclosure policy).
    hidden, hidden_prior = out.disclosure.indicators(project, data)
    symbol = out.disclosure.symbol

    def now(ind: Indicator) -> str:
        return symbol if ind.id in hidden else _value(ind, ind.value)

    def before(ind: Indicator, prior: Decimal) -> str:
        return symbol if ind.id in hidden_prior else _value(ind, prior)

    def moved(ind: Indicator, prior: Decimal) -> str:
        words, _ = figures.change_words(ind.unit.value, ind.value, prior)
        return words.removesuffix(_value(ind, prior)) + before(ind, prior)

    def masked(ind: Indicator) -> bool:
        return ind.id in hidden or ind.id in hidden_prior

    def values(
        members: list[Indicator], prior: bool = False
    ) -> tuple[list[float | None], dict[int, str]]:
        shown: list[float | None] = []
        marks: dict[int, str] = {}
        for k, i in enumerate(members):
            value = i.prior if prior else i.value
            if (i.id in hidden_prior) if prior else (i.id in hidden):
                shown.append(None)
                marks[k] = symbol
            else:
                shown.append(figures.plot(value) if value is not None else None)
        return shown, marks

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

    area_names = {a.id: a.name for a in cfg.partnership.areas}
    several_areas = len(area_names) > 1

    def label(ind: Indicator) -> str:
        # With two or more areas, a figure must say which area it belongs to.
        text = ind.label
        if several_areas and ind.area:
            text += f" ({area_names.get(ind.area, ind.area)})"
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
                "tiles", f"indicator.{ind.id}", TilesView(f"tile-{ind.id}", label(ind), tiles[-1:])
            )
        out.add_block(
            "tiles", f"indicators.{group.id}", TilesView(f"tiles-{group.id}", group.title, tiles)
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
                Cell(label(ind) + (f" ({ind.note})" if ind.note else "")),
                Cell(now(ind), numeric=True),
            ]
            if has_prior:
                if ind.prior is None:
                    row += [Cell("–", True), Cell("–", True)]
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
                    row += [Cell(before(ind, ind.prior), True), Cell(text, True)]
            for c in comp_ids:
                found = ind.comparators.get(c)
                row.append(Cell(_value(ind, found.value) if found else "–", True))
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
                f"table-{group.id}",
                group.title,
                columns,
                rows,
                None,
                note,
                "; ".join(sources) or None,
            ),
        )

        # A chart compares like with like: one unit per chart.
        units = {i.unit.value for i in members}
        if len(units) == 1:
            unit = units.pop()
            if comp_ids:
                series = [Series(project.dated.label, *values(members))]
                series += [
                    Series(
                        cfg.comparators[c],
                        [
                            figures.plot(i.comparators[c].value) if c in i.comparators else None
                            for i in members
                        ],
                    )
                    for c in comp_ids
                ]
            else:
                series = [Series(project.dated.label, *values(members))]
                if has_prior:
                    series.insert(0, Series(prior_label, *values(members, prior=True)))
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
            },
            {
                u: Measure(_axis_label(u), u)
                for u in ("count", "percent", "rate_per_10k", "money", "number")
            },
            filter_hints={"comparator": "The reporting area's own figure, or a benchmark"},
        )
    )
    groups = {g.id: g.title for g in data.groups}
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    own = "Reporting area"
    for i, ind in enumerate(data.indicators):

        def filters(whose: str, ind: Indicator = ind) -> list[tuple[str, str]]:
            return [
                ("indicator_group", groups.get(ind.group, ind.group)),
                ("indicator", ind.id),
                ("indicator_label", ind.label),
                ("comparator", whose),
            ]

        unit = ind.unit.value
        at = project.locate("indicators", "indicators", i, "value")
        ledger.add(
            f"indicator.{ind.id}",
            "indicators",
            unit,
            ind.value,
            filters(own),
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
                [project.locate("indicators", "indicators", i, "prior")],
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
                [project.locate("indicators", "indicators", i, "comparators", comp_id)],
                time=now.of_label(comp.period or ind.period),
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


# --- budget ---------------------------------------------------------------------


def _budget(project: Project, data: Budget, out: Derived) -> None:
    income_total = sum((line.amount for line in data.income.lines), Decimal(0))
    budget_total = sum((line.budget for line in data.expenditure.lines), Decimal(0))
    spend_total = sum((line.spend for line in data.expenditure.lines), Decimal(0))
    grants_total = sum((g.amount for g in data.grants), Decimal(0))
    reserves_total = sum((r.amount for r in data.reserves_used), Decimal(0))
    # What was available to spend: this year's contributions plus draws on reserves.
    balance = income_total + reserves_total - spend_total
    difference = spend_total - budget_total
    if difference > 0:
        position = f"{figures.money(difference)} over budget"
    elif difference < 0:
        position = f"{figures.money(-difference)} under budget"
    else:
        position = "on budget"
    out.references.update(
        {
            "budget.income.total": figures.money(income_total),
            "budget.expenditure.budget": figures.money(budget_total),
            "budget.expenditure.spend": figures.money(spend_total),
            "budget.expenditure.difference": figures.money(abs(difference)),
            "budget.expenditure.position": position,
            "budget.grants.total": figures.money(grants_total),
            "budget.reserves.total": figures.money(reserves_total),
            "budget.balance": _balance_words(balance),
        }
    )
    summary = [[Cell("Partner contributions"), Cell(figures.money(income_total), True)]]
    if data.reserves_used:
        summary.append([Cell("Drawn from reserves"), Cell(figures.money(reserves_total), True)])
    summary.append([Cell("Year-end spend"), Cell(figures.money(spend_total), True)])
    out.add_block(
        "table",
        "budget.summary",
        TableView(
            "table-budget-summary",
            f"Budget summary, {data.year}",
            ["Item", "Amount"],
            summary,
            [Cell("Balance"), Cell(_balance_words(balance), True)],
            note="Balance is contributions plus reserves used, minus spend.",
        ),
    )
    out.add_block(
        "table",
        "budget.reserves",
        TableView(
            "table-budget-reserves",
            f"Use of reserves, {data.year}",
            ["Purpose", "Amount"],
            [[Cell(r.purpose), Cell(figures.money(r.amount), True)] for r in data.reserves_used],
            [Cell("Total"), Cell(figures.money(reserves_total), True)],
        ),
    )
    year = data.year
    out.add_block(
        "table",
        "budget.income",
        TableView(
            "table-budget-income",
            f"Income by contributor, {year}",
            ["Contributor", "Amount", "Share of income"],
            [
                [
                    Cell(line.contributor + (f" ({line.note})" if line.note else "")),
                    Cell(figures.money(line.amount), True),
                    Cell(figures.share(line.amount, income_total, 1), True),
                ]
                for line in data.income.lines
            ],
            [Cell("Total"), Cell(figures.money(income_total), True), Cell("100.0%", True)],
        ),
    )
    out.add_block(
        "chart",
        "budget.income",
        ChartSpec(
            "chart-budget-income",
            f"Income by contributor, {year}",
            "hbar",
            [line.contributor for line in data.income.lines],
            [Series("Income", [figures.plot(line.amount) for line in data.income.lines])],
            "money",
            "Amount (£)",
        ),
    )
    out.add_block(
        "table",
        "budget.expenditure",
        TableView(
            "table-budget-expenditure",
            f"Budget and year-end spend, {year}",
            ["Expenditure type", "Full-year budget", "Year-end spend", "Variance"],
            [
                [
                    Cell(line.item + (f" ({line.note})" if line.note else "")),
                    Cell(figures.money(line.budget), True),
                    Cell(figures.money(line.spend), True),
                    Cell(figures.money(line.spend - line.budget), True),
                ]
                for line in data.expenditure.lines
            ],
            [
                Cell("Total"),
                Cell(figures.money(budget_total), True),
                Cell(figures.money(spend_total), True),
                Cell(figures.money(difference), True),
            ],
            note="Variance is spend minus budget: a positive figure is an overspend.",
        ),
    )
    out.add_block(
        "chart",
        "budget.expenditure",
        ChartSpec(
            "chart-budget-expenditure",
            f"Budget and year-end spend, {year}",
            "hbar",
            [line.item for line in data.expenditure.lines],
            [
                Series(
                    "Full-year budget",
                    [figures.plot(line.budget) for line in data.expenditure.lines],
                ),
                Series(
                    "Year-end spend", [figures.plot(line.spend) for line in data.expenditure.lines]
                ),
            ],
            "money",
            "Amount (£)",
        ),
    )
    out.add_block(
        "table",
        "budget.grants",
        TableView(
            "table-budget-grants",
            "One-off grants",
            ["Grant", "Funder", "Amount", "Received", "Spent", "Used for"],
            [
                [
                    Cell(g.name),
                    Cell(g.funder),
                    Cell(figures.money(g.amount), True),
                    Cell(g.received or "–"),
                    Cell(g.spent or "–"),
                    Cell("; ".join(g.uses) or "–"),
                ]
                for g in data.grants
            ],
        ),
    )
    out.add_block(
        "list",
        "budget.in_kind",
        ListView(
            "list-in-kind",
            None,
            [ListItem(k.contribution, k.partner) for k in data.in_kind],
        ),
    )
    _publish_budget(project, data, out)


def _publish_budget(project: Project, data: Budget, out: Derived) -> None:
    money = "money"
    ledger = out.ledger
    ledger.table(
        FigureTable(
            "budget",
            f"Partnership budget, {data.year}",
            {"budget_part": "Part of the budget", "budget_line": "Line"},
            {
                "amount": Measure("Amount (£)", money),
                "share_of_income": Measure("Share of income (%)", "percent"),
                "budget": Measure("Full-year budget (£)", money),
                "spend": Measure("Year-end spend (£)", money),
                "variance": Measure("Variance: spend minus budget (£)", money),
            },
            time=TimePeriod.of_dates(project.dated.start, project.dated.end).of_label(data.year),
        )
    )

    def at(*path: str | int) -> Location:
        return project.locate("budget", *path)

    def add(
        id: str,
        part: str,
        line: str,
        measure: str,
        value: Decimal,
        where: list[Location],
        how: str | None = None,
    ) -> None:
        ledger.add(
            id,
            "budget",
            measure,
            value,
            [("budget_part", part), ("budget_line", line)],
            where,
            derivation=how,
        )

    income = data.income.lines
    income_total = sum((line.amount for line in income), Decimal(0))
    income_at = [at("income", "lines", i, "amount") for i in range(len(income))]
    for i, line in enumerate(income):
        key = f"budget.income.{slug(line.contributor)}"
        add(key, "Income", line.contributor, "amount", line.amount, [income_at[i]])
        if income_total:
            add(
                f"{key}.share",
                "Income",
                line.contributor,
                "share_of_income",
                (line.amount * 100 / income_total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                [income_at[i]],
                f"{describe(income_at[i])} as a share of the {sum_of(income_at)}",
            )
    add(
        "budget.income.total",
        "Income",
        "Total",
        "amount",
        income_total,
        income_at,
        sum_of(income_at),
    )
    spend_lines = data.expenditure.lines
    budget_at = [at("expenditure", "lines", i, "budget") for i in range(len(spend_lines))]
    spend_at = [at("expenditure", "lines", i, "spend") for i in range(len(spend_lines))]
    for i, e in enumerate(spend_lines):
        key = f"budget.expenditure.{slug(e.item)}"
        add(f"{key}.budget", "Expenditure", e.item, "budget", e.budget, [budget_at[i]])
        add(f"{key}.spend", "Expenditure", e.item, "spend", e.spend, [spend_at[i]])
        add(
            f"{key}.variance",
            "Expenditure",
            e.item,
            "variance",
            e.spend - e.budget,
            [spend_at[i], budget_at[i]],
            f"spend minus budget: {describe(spend_at[i])} minus {describe(budget_at[i])}",
        )
    budget_total = sum((e.budget for e in spend_lines), Decimal(0))
    spend_total = sum((e.spend for e in spend_lines), Decimal(0))
    add(
        "budget.expenditure.budget",
        "Expenditure",
        "Total",
        "budget",
        budget_total,
        budget_at,
        sum_of(budget_at),
    )
    add(
        "budget.expenditure.spend",
        "Expenditure",
        "Total",
        "spend",
        spend_total,
        spend_at,
        sum_of(spend_at),
    )
    add(
        "budget.expenditure.variance",
        "Expenditure",
        "Total",
        "variance",
        spend_total - budget_total,
        [*spend_at, *budget_at],
        f"total spend minus total budget ({sum_of(spend_at)}, minus the {sum_of(budget_at)})",
    )
    grants_at = [at("grants", i, "amount") for i in range(len(data.grants))]
    for i, g in enumerate(data.grants):
        add(
            f"budget.grants.{slug(g.name)}",
            "One-off grants",
            g.name,
            "amount",
            g.amount,
            [grants_at[i]],
        )
    if data.grants:
        add(
            "budget.grants.total",
            "One-off grants",
            "Total",
            "amount",
            sum((g.amount for g in data.grants), Decimal(0)),
            grants_at,
            sum_of(grants_at),
        )
    reserves_at = [at("reserves_used", i, "amount") for i in range(len(data.reserves_used))]
    for i, r in enumerate(data.reserves_used):
        add(
            f"budget.reserves.{slug(r.purpose)}",
            "Reserves used",
            r.purpose,
            "amount",
            r.amount,
            [reserves_at[i]],
        )
    reserves_total = sum((r.amount for r in data.reserves_used), Decimal(0))
    if data.reserves_used:
        add(
            "budget.reserves.total",
            "Reserves used",
            "Total",
            "amount",
            reserves_total,
            reserves_at,
            sum_of(reserves_at),
        )
    add(
        "budget.balance",
        "Balance",
        "Total",
        "amount",
        income_total + reserves_total - spend_total,
        [*income_at, *reserves_at, *spend_at],
        "income plus reserves used, minus spend: the "
        + "; the ".join(sum_of(x) for x in (income_at, reserves_at, spend_at) if x),
    )


def _balance_words(balance: Decimal) -> str:
    if balance > 0:
        return f"{figures.money(balance)} surplus"
    if balance < 0:
        return f"{figures.money(-balance)} deficit"
    return "balanced (£0)"


# --- governance -----------------------------------------------------------------

_ATTENDANCE_WORDS = {
    Attendance.PRESENT: "Present",
    Attendance.APOLOGIES: "Apologies",
    Attendance.ABSENT: "Absent",
    Attendance.NOT_REQUIRED: "Not required",
}


def _governance(project: Project, data: Governance, out: Derived) -> None:
    partner_names = {p.id: p.name for p in data.partners}
    group_names = {g.id: g.name for g in data.groups}

    def org(name: str) -> str:
        return partner_names.get(name, name)

    def when(start: object, end: object) -> str:
        if start and end:
            return f"{_date(start)} to {_date(end)}"
        if start:
            return f"from {_date(start)}"
        if end:
            return f"until {_date(end)}"
        return "Whole year"

    out.references["governance.members"] = figures.count(len(data.members))
    out.references["governance.groups"] = figures.count(len(data.groups))
    out.add_block(
        "table",
        "governance.partners",
        TableView(
            "table-partners",
            "Partner organisations",
            ["Organisation", "Type", "Lead safeguarding partner", "Delegated safeguarding partner"],
            [
                [
                    Cell(p.name),
                    Cell(p.type.value.replace("_", " ").capitalize().replace("Icb", "ICB")),
                    Cell(p.lead or "–"),
                    Cell(p.delegate or "–"),
                ]
                for p in data.partners
            ],
        ),
    )
    out.add_block(
        "table",
        "governance.members",
        TableView(
            "table-members",
            "Members",
            ["Name", "Role", "Organisation", "Group", "Served"],
            [
                [
                    Cell(m.name),
                    Cell(m.role),
                    Cell(org(m.organisation)),
                    Cell(group_names.get(m.group, m.group)),
                    Cell(when(m.start, m.end)),
                ]
                for m in data.members
            ],
        ),
    )
    for group in data.groups:
        members = [m for m in data.members if m.group == group.id]
        if members:
            out.add_block(
                "table",
                f"governance.members.{group.id}",
                TableView(
                    f"table-members-{group.id}",
                    f"Members of the {group.name}",
                    ["Name", "Role", "Organisation", "Served"],
                    [
                        [
                            Cell(m.name),
                            Cell(m.role),
                            Cell(org(m.organisation)),
                            Cell(when(m.start, m.end)),
                        ]
                        for m in members
                    ],
                ),
            )
    items = []
    for g in data.groups:
        status = {"new": " (new)", "stood_down": " (stood down)"}.get(g.status.value, "")
        extra = []
        if g.chair:
            extra.append(f"Chair: {g.chair}.")
        if g.changed:
            verb = "Stood down" if g.status.value == "stood_down" else "Started"
            extra.append(f"{verb} {_date(g.changed)}.")
        items.append(ListItem(" ".join([g.purpose, *extra]), g.name + status))
    out.add_block("list", "governance.groups", ListView("list-groups", None, items))

    for group in data.groups:
        meetings = sorted((m for m in data.meetings if m.group == group.id), key=lambda m: m.date)
        if not meetings:
            continue
        orgs: list[str] = []
        for m in meetings:
            orgs += [o for o in m.attendance if o not in orgs]
        rows = []
        for o in orgs:
            marks = [m.attendance.get(o) for m in meetings]
            expected = [a for a in marks if a is not None and a is not Attendance.NOT_REQUIRED]
            present = sum(a is Attendance.PRESENT for a in expected)
            _publish_attendance(project, data, group.name, org(o), o, meetings, out)
            rows.append(
                [Cell(org(o))]
                + [Cell(_ATTENDANCE_WORDS[a] if a else "–") for a in marks]
                + [Cell(figures.share(present, len(expected)) if expected else "n/a", True)]
            )
        out.add_block(
            "table",
            f"governance.attendance.{group.id}",
            TableView(
                f"table-attendance-{group.id}",
                f"Attendance at {group.name} meetings",
                ["Organisation", *[_date(m.date) for m in meetings], "Attendance"],
                rows,
                note="Attendance is meetings attended as a share of meetings the "
                "organisation was expected at.",
            ),
        )


def _publish_attendance(
    project: Project,
    data: Governance,
    group: str,
    name: str,
    org_id: str,
    meetings: list[Any],
    out: Derived,
) -> None:
    """One organisation's attendance at one group's meetings, in figures."""
    ledger = out.ledger
    ledger.table(
        FigureTable(
            "attendance",
            "Attendance at partnership meetings, by organisation",
            {"meeting_group": "Group", "organisation": "Organisation"},
            {
                "meetings_expected": Measure("Meetings expected at", "count"),
                "meetings_attended": Measure("Meetings attended", "count"),
                "attendance_rate": Measure("Attendance rate (%)", "percent"),
            },
        )
    )
    index = {id(m): i for i, m in enumerate(data.meetings)}
    locs = [
        project.locate("governance", "meetings", index[id(m)], "attendance", org_id)
        for m in meetings
        if m.attendance.get(org_id) not in (None, Attendance.NOT_REQUIRED)
    ]
    marks = [m.attendance.get(org_id) for m in meetings]
    expected = [a for a in marks if a is not None and a is not Attendance.NOT_REQUIRED]
    present = sum(a is Attendance.PRESENT for a in expected)
    filt = [("meeting_group", group), ("organisation", name)]
    base = f"governance.attendance.{slug(group)}.{slug(name)}"
    how = f"meetings marked for this organisation at {where_all(locs)}" if locs else None
    ledger.add(
        f"{base}.expected",
        "attendance",
        "meetings_expected",
        len(expected),
        filt,
        locs,
        derivation=f"count of {how}" if how else None,
    )
    ledger.add(
        f"{base}.attended",
        "attendance",
        "meetings_attended",
        present,
        filt,
        locs,
        derivation=f"count of 'present' among {how}" if how else None,
    )
    rate = (
        (Decimal(present) * 100 / len(expected)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if expected
        else None
    )
    ledger.add(
        f"{base}.rate",
        "attendance",
        "attendance_rate",
        rate,
        filt,
        locs,
        derivation="meetings attended as a share of meetings expected at",
    )


def _date(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


# --- priorities -----------------------------------------------------------------


def _theme_items(themes: list[Theme]) -> list[ListItem]:
    return [
        ListItem(t.description or "", t.title) if t.description else ListItem(t.title)
        for t in themes
    ]


def _priorities(project: Project, data: Priorities, out: Derived) -> None:
    next_label = project.dated.shifted(1)
    cards: list[Card] = []
    for p in data.priorities:
        parts = [
            CardPart("Why this is a priority", p.rationale),
            CardPart(f"Progress in {project.dated.label}", None, list(p.progress)),
        ]
        if p.planned_impact:  # not stated: no heading over nothing
            parts.insert(1, CardPart("What we want to achieve", p.planned_impact))
        parts.append(
            CardPart("Evidence of impact", None, list(p.impact))
            if p.impact
            else CardPart(
                "Evidence of impact", "No evidence of impact on children has been recorded yet."
            )
        )
        if p.status_note:
            parts.append(CardPart("Status", p.status_note))
        if p.next_year:
            parts.append(CardPart(f"Focus for {next_label}", None, list(p.next_year)))
        elif not p.continues:
            parts.append(CardPart(f"Focus for {next_label}", "This priority ends this year."))
        meta = []
        if p.joint_with:
            meta.append(("Shared with", p.joint_with))
        if p.strands:
            meta.append(("Covers", "; ".join(p.strands)))
        status = RAG_WORDS[p.status] if p.status else None  # None: the report gives none
        card = Card(f"priority-{p.id}", p.title, status, meta, parts)
        cards.append(card)
        out.add_block(
            "cards", f"priorities.{p.id}", CardsView(f"cards-priority-{p.id}", None, [card])
        )
    out.add_block("cards", "priorities", CardsView("cards-priorities", None, cards))
    out.add_block(
        "list", "priorities.themes", ListView("list-themes", None, _theme_items(data.themes))
    )
    if data.next_year:
        ny = data.next_year
        out.add_block(
            "list", "next_year.themes", ListView("list-next-themes", None, _theme_items(ny.themes))
        )
        out.add_block(
            "list",
            "next_year.priorities",
            ListView("list-next-priorities", None, _theme_items(ny.priorities)),
        )
        out.add_block(
            "list",
            "next_year.actions",
            ListView(
                "list-next-actions",
                None,
                [ListItem(a.description, a.title) for a in ny.actions],
                ordered=True,
            ),
        )


# --- training -------------------------------------------------------------------


def _counts_and_rate(label: str, counts: list[int], part: int, whole: int) -> list[Cell]:
    """A table row: its label, its counts, then `part` as a share of `whole`."""
    cells = [Cell(figures.count(n), True) for n in counts]
    return [Cell(label), *cells, Cell(figures.share(part, whole), True)]


def _training(project: Project, out: Derived) -> None:
    data = project.training
    if data is None:
        return
    spec = data.spec
    courses = data.courses
    occurrences = sum(c.occurrences for c in courses)
    bookings = sum(c.bookings for c in courses)
    attended = sum(c.attended for c in courses)
    refs = out.references
    refs.update(
        {
            "training.courses": figures.count(len(courses)),
            "training.occurrences": figures.count(occurrences),
            "training.bookings": figures.count(bookings),
            "training.attended": figures.count(attended),
            "training.no_shows": figures.count(bookings - attended),
            "training.attendance_rate": figures.share(attended, bookings),
        }
    )
    if spec.prior_bookings is not None:
        refs["training.prior_bookings"] = figures.count(spec.prior_bookings)
    period = f"{_date(spec.start)} to {_date(spec.end)}"
    out.add_block(
        "table",
        "training.courses",
        TableView(
            "table-training-courses",
            f"Multi-agency training courses, {period}",
            ["Course", "Sessions", "Bookings", "Attended", "Attendance rate"],
            [
                _counts_and_rate(
                    c.course, [c.occurrences, c.bookings, c.attended], c.attended, c.bookings
                )
                for c in courses
            ],
            _counts_and_rate("Total", [occurrences, bookings, attended], attended, bookings),
        ),
    )
    out.add_block(
        "chart",
        "training.courses",
        ChartSpec(
            "chart-training-courses",
            f"Bookings and attendance by course, {period}",
            "hbar",
            [c.course for c in courses],
            [
                Series("Bookings", [figures.plot(c.bookings) for c in courses]),
                Series("Attended", [figures.plot(c.attended) for c in courses]),
            ],
            "count",
            "People",
        ),
    )
    t = spec.totals
    summary_rows: list[list[Cell]] = []
    for label, typed, computed in [
        ("Events offered", t.events, None),
        ("Sessions run", t.occurrences, occurrences),
        ("Places offered", t.places, None),
        ("Bookings", t.bookings, bookings),
        ("Attended", t.attended, attended),
        ("Cancellations", t.cancellations, None),
        ("Did not attend (including cancellations)", None, bookings - attended),
    ]:
        value = computed if computed is not None else typed
        if value is not None:
            summary_rows.append([Cell(label), Cell(figures.count(value), True)])
    summary_rows.append([Cell("Attendance rate"), Cell(figures.share(attended, bookings), True)])
    if spec.prior_bookings is not None:
        summary_rows.append(
            [Cell("Bookings last year"), Cell(figures.count(spec.prior_bookings), True)]
        )
    out.add_block(
        "table",
        "training.summary",
        TableView(
            "table-training-summary",
            f"Training overview, {period}",
            ["Measure", "Number"],
            summary_rows,
        ),
    )
    if data.elearning:
        sums = {
            k: sum(getattr(m, k) for m in data.elearning)
            for k in ("bookings", "started", "passed", "ongoing")
        }
        for k, v in sums.items():
            refs[f"training.elearning.{k}"] = figures.count(v)
        out.add_block(
            "table",
            "training.elearning",
            TableView(
                "table-training-elearning",
                "E-learning modules",
                ["Module", "Bookings", "Started", "Passed", "Ongoing", "Pass rate"],
                [
                    _counts_and_rate(
                        m.module, [m.bookings, m.started, m.passed, m.ongoing], m.passed, m.bookings
                    )
                    for m in data.elearning
                ],
                _counts_and_rate("Total", list(sums.values()), sums["passed"], sums["bookings"]),
            ),
        )
    if data.organisations:
        orgs = data.organisations
        ob = sum(o.bookings for o in orgs)
        oa = sum(o.attended for o in orgs)
        out.add_block(
            "table",
            "training.organisations",
            TableView(
                "table-training-organisations",
                "Bookings and attendance by type of organisation",
                ["Organisation type", "Bookings", "Attended", "Attendance rate"],
                [
                    _counts_and_rate(
                        o.organisation_type, [o.bookings, o.attended], o.attended, o.bookings
                    )
                    for o in orgs
                ],
                _counts_and_rate("Total", [ob, oa], oa, ob),
            ),
        )
        out.add_block(
            "chart",
            "training.organisations",
            ChartSpec(
                "chart-training-organisations",
                "Bookings and attendance by type of organisation",
                "hbar",
                [o.organisation_type for o in orgs],
                [
                    Series("Bookings", [figures.plot(o.bookings) for o in orgs]),
                    Series("Attended", [figures.plot(o.attended) for o in orgs]),
                ],
                "count",
                "People",
            ),
        )
    out.add_block(
        "list",
        "training.evaluation",
        ListView(
            "list-training-evaluation",
            None,
            [
                ListItem(
                    f"{'about ' if e.approximate else ''}{figures.percent(e.percent)}", e.label
                )
                for e in spec.evaluation
            ],
        ),
    )
    _publish_training(project, data, out)
    out.add_block(
        "list",
        "training.quotes",
        ListView(
            "list-training-quotes",
            None,
            [
                ListItem(f"“{q.text}” ({q.who}{f', {q.course}' if q.course else ''})")
                for q in spec.quotes
            ],
        ),
    )


def _publish_training(project: Project, data: TrainingData, out: Derived) -> None:
    spec = data.spec
    ledger = out.ledger
    counts = (
        "occurrences",
        "bookings",
        "attended",
        "cancellations",
        "started",
        "passed",
        "ongoing",
    )
    ledger.table(
        FigureTable(
            "training",
            "Multi-agency training: courses, e-learning and attendance by organisation",
            {
                "training_part": "Part of the training offer",
                "training_item": "Course, module or measure",
            },
            {
                **{k: Measure(k.capitalize().replace("_", " "), "count") for k in counts},
                "events": Measure("Events offered", "count"),
                "places": Measure("Places offered", "count"),
                "attendance_rate": Measure("Attendance rate (%)", "percent"),
                "pass_rate": Measure("Pass rate (%)", "percent"),
                "percent": Measure("Per cent", "percent"),
            },
            time=TimePeriod.of_dates(spec.start, spec.end),
        )
    )

    def rate(part: int, whole: int) -> Decimal | None:
        return (
            (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else None
        )

    def rows(
        part: str,
        key: str,
        label_field: str,
        records: list[Any],
        measures: list[str],
        rate_name: str,
        rate_of: tuple[str, str],
    ) -> None:
        smap = data.positions.get(key)

        def at(i: int, column: str) -> Location:
            return smap.locate((i, column)) if smap else project.locate("training", key)

        for i, r in enumerate(records):
            item = str(getattr(r, label_field))
            base = f"training.{part}.{slug(item)}"
            filt = [("training_part", part.capitalize()), ("training_item", item)]
            for m in measures:
                ledger.add(f"{base}.{m}", "training", m, getattr(r, m), filt, [at(i, m)])
            p, w = rate_of
            ledger.add(
                f"{base}.{rate_name}",
                "training",
                rate_name,
                rate(getattr(r, p), getattr(r, w)),
                filt,
                [at(i, p), at(i, w)],
                derivation=f"{describe(at(i, p))} as a share of {describe(at(i, w))}",
            )
        filt = [("training_part", part.capitalize()), ("training_item", "Total")]
        totals = {m: sum(getattr(r, m) for r in records) for m in measures}
        for m in measures:
            locs = [at(i, m) for i in range(len(records))]
            ledger.add(
                f"training.{part}.total.{m}",
                "training",
                m,
                totals[m],
                filt,
                locs,
                derivation=sum_of(locs),
            )
        p, w = rate_of
        ledger.add(
            f"training.{part}.total.{rate_name}",
            "training",
            rate_name,
            rate(totals[p], totals[w]),
            filt,
            derivation=f"total {p} as a share of total {w}",
        )

    rows(
        "courses",
        "courses_file",
        "course",
        data.courses,
        ["occurrences", "bookings", "attended"],
        "attendance_rate",
        ("attended", "bookings"),
    )
    if data.elearning:
        rows(
            "e-learning",
            "elearning_file",
            "module",
            data.elearning,
            ["bookings", "started", "passed", "ongoing"],
            "pass_rate",
            ("passed", "bookings"),
        )
    if data.organisations:
        rows(
            "organisations",
            "organisations_file",
            "organisation_type",
            data.organisations,
            ["bookings", "attended"],
            "attendance_rate",
            ("attended", "bookings"),
        )
    t = spec.totals
    typed = [("events", t.events), ("places", t.places), ("cancellations", t.cancellations)]
    filt = [("training_part", "Summary"), ("training_item", "Total")]
    for name, value in typed:
        if value is not None:
            ledger.add(
                f"training.{name}",
                "training",
                name,
                value,
                filt,
                [project.locate("training", "totals", name)],
            )
    if spec.prior_bookings is not None:
        ledger.add(
            "training.prior_bookings",
            "training",
            "bookings",
            spec.prior_bookings,
            filt,
            [project.locate("training", "prior_bookings")],
            time=TimePeriod.of_dates(spec.start, spec.end).shifted(-1),
        )
    for i, e in enumerate(spec.evaluation):
        ledger.add(
            f"training.evaluation.{slug(e.label)}",
            "training",
            "percent",
            e.percent,
            [("training_part", "Evaluation"), ("training_item", e.label)],
            [project.locate("training", "evaluation", i, "percent")],
        )


# --- reviews and audits -----------------------------------------------------------


def _recommendation_rows(recs: list[Recommendation], source: str) -> list[list[Cell]]:
    return [
        [
            Cell(r.text),
            Cell(source),
            Cell(r.owner or "–"),
            Cell(RAG_WORDS[r.status], badge=RAG_WORDS[r.status]) if r.status else Cell(NOT_STATED),
            Cell(r.evidence or "–"),
        ]
        for r in recs
    ]


def _reviews(project: Project, data: Reviews, out: Derived) -> None:
    refs = out.references
    # Serious incidents and the children in reviews are counts of children: the policy applies.
    shown = out.disclosure.count
    if data.notifications:
        n = data.notifications

        def at(key: str) -> Location:
            return project.locate("reviews", "notifications", key)

        refs["reviews.notifications.incidents"] = shown(
            n.incidents, at("incidents"), "serious incident notifications"
        )
        refs["reviews.notifications.children"] = shown(
            n.children, at("children"), "children in serious incident notifications"
        )
        if n.prior_incidents is not None:
            refs["reviews.notifications.prior_incidents"] = shown(
                n.prior_incidents, at("prior_incidents"), "notifications last year"
            )
    kinds = {
        "rapid_review": "Rapid review",
        "lcspr": "Local child safeguarding practice review",
        "thematic": "Thematic review",
        "national": "National review",
    }
    cards = []
    tracker: list[list[Cell]] = []
    for r in data.reviews:
        meta = [("Type", kinds[r.kind.value])]
        if r.started:
            meta.append(("Started", _date(r.started)))
        if r.completed:
            meta.append(("Completed", _date(r.completed)))
        if r.children is not None:
            where = project.locate("reviews", "reviews", data.reviews.index(r), "children")
            children = shown(r.children, where, f"review '{r.id}': children")
            meta.append(("Children", children))
            refs[f"review.{r.id}.children"] = children  # the narrative quotes it too
        parts = [CardPart("What it looked at", r.summary)]
        if r.findings:
            parts.append(CardPart("Main findings", None, list(r.findings)))
        table = None
        if r.recommendations:
            rows = _recommendation_rows(r.recommendations, r.title)
            tracker += rows
            table = TableView(
                f"table-recs-{r.id}",
                f"Recommendations: {r.title}",
                ["Recommendation", "Owner", "Status", "Evidence"],
                [[row[0], *row[2:]] for row in rows],  # the card already names the review
            )
        cards.append(Card(f"review-{r.id}", r.title, None, meta, parts, table))
        refs[f"review.{r.id}.recommendations"] = figures.count(len(r.recommendations))
    out.add_block("cards", "reviews", CardsView("cards-reviews", None, cards))

    audit_cards = []
    for i, a in enumerate(data.audits):
        refs[f"audit.{a.id}.cases"] = figures.count(a.cases)
        # Audited cases are children's: grades of a few cases are withheld, as in any table.
        withheld = _withheld_grades(project, i, a, out)
        rows = []
        for j, g in enumerate(a.gradings):
            if j in withheld:
                pct = cases = out.disclosure.symbol
            elif g.cases is not None:
                pct = figures.share(g.cases, a.cases)
                cases = figures.count(g.cases)
            elif g.percent is None:
                continue  # neither given: an error of validate (checks/consistency.py)
            else:
                pct = figures.percent(g.percent)
                cases = figures.count(
                    (g.percent * a.cases / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                )
            refs[f"audit.{a.id}.{slug(g.grade)}"] = pct
            rows.append([Cell(g.grade), Cell(cases, True), Cell(pct, True)])
        table = TableView(
            f"table-audit-{a.id}",
            f"Grading of cases: {a.title}",
            ["Grade", "Cases", "Share of cases"],
            rows,
            [Cell("Total"), Cell(figures.count(a.cases), True), Cell("100%", True)],
        )
        out.add_block("table", f"audits.{a.id}", table)
        out.add_block(
            "chart",
            f"audits.{a.id}",
            ChartSpec(
                f"chart-audit-{a.id}",
                f"Grading of cases: {a.title}",
                "hbar",
                [g.grade for g in a.gradings],
                [
                    Series(
                        "Share of cases",
                        [
                            None
                            if j in withheld
                            else figures.plot(Decimal(g.cases) * 100 / a.cases)
                            if g.cases is not None and a.cases
                            else (figures.plot(g.percent) if g.percent is not None else None)
                            for j, g in enumerate(a.gradings)
                        ],
                        {j: out.disclosure.symbol for j in withheld},
                    )
                ],
                "percent",
                "Per cent of cases",
            ),
        )
        meta = [("Cases audited", figures.count(a.cases))]
        if a.completed:
            meta.append(("Completed", _date(a.completed)))
        parts = []
        if a.strengths:
            parts.append(CardPart("What worked well", None, list(a.strengths)))
        if a.improvements:
            parts.append(CardPart("What needs to improve", None, list(a.improvements)))
        if a.recommendations:
            parts.append(CardPart("Recommendations", None, [r.text for r in a.recommendations]))
            tracker += _recommendation_rows(a.recommendations, a.title)
        card = Card(f"audit-{a.id}", a.title, None, meta, parts, table if a.gradings else None)
        audit_cards.append(card)
        out.add_block("cards", f"audits.{a.id}", CardsView(f"cards-audit-{a.id}", None, [card]))
    out.add_block("cards", "audits", CardsView("cards-audits", None, audit_cards))
    _publish_reviews(project, data, out)
    out.add_block(
        "table",
        "reviews.recommendations",
        TableView(
            "table-recommendations",
            "Recommendations from reviews and audits, and their status",
            ["Recommendation", "From", "Owner", "Status", "Evidence"],
            tracker,
        ),
    )
    out.add_block(
        "list",
        "reviews.briefings",
        ListView("list-briefings", None, [ListItem(b) for b in data.briefings]),
    )
    out.add_block(
        "list",
        "reviews.events",
        ListView(
            "list-events",
            None,
            [
                ListItem(
                    e.title
                    + (f" ({_date(e.date)})" if e.date else "")
                    + (
                        f": {figures.count(e.attendees)} attended"
                        if e.attendees is not None
                        else ""
                    )
                )
                for e in data.events
            ],
        ),
    )


def _withheld_grades(project: Project, index: int, audit: Audit, out: Derived) -> set[int]:
    """Grades of an audit whose cases (or share) the disclosure policy withholds."""
    grades = [
        (
            g.grade,
            g.cases
            if g.cases is not None
            else int((g.percent * audit.cases / 100).quantize(Decimal(1), ROUND_HALF_UP))
            if g.percent is not None
            else None,
        )
        for g in audit.gradings
    ]
    at = project.locate("reviews", "audits", index, "gradings")
    return out.disclosure.gradings(audit.id, grades, audit.cases, at)


def _publish_reviews(project: Project, data: Reviews, out: Derived) -> None:
    ledger = out.ledger
    control = out.disclosure
    ledger.table(
        FigureTable(
            "reviews",
            "Serious incident notifications, reviews and multi-agency audits",
            {
                "review_kind": "Kind",
                "review": "Notifications, review or audit",
                "breakdown": "Breakdown",
            },
            {
                "serious_incidents": Measure("Serious incident notifications", "count"),
                "children": Measure("Children", "count"),
                "recommendations": Measure("Recommendations", "count"),
                "cases": Measure("Cases", "count"),
                "share_of_cases": Measure("Share of cases (%)", "percent"),
            },
        )
    )
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    if data.notifications:
        n = data.notifications
        filt = [
            ("review_kind", "Notifications"),
            ("review", "Serious incident notifications"),
            ("breakdown", "Total"),
        ]
        # Counts of children: withheld exactly as the pages withhold them (reportgen.disclosure).
        for key, measure, value, time in [
            ("incidents", "serious_incidents", n.incidents, now),
            ("children", "children", n.children, now),
            ("prior_incidents", "serious_incidents", n.prior_incidents, now.shifted(-1)),
        ]:
            if value is not None:
                ledger.add(
                    f"reviews.notifications.{key}",
                    "reviews",
                    measure,
                    value,
                    filt,
                    [project.locate("reviews", "notifications", key)],
                    withheld=control.is_small(value),
                    time=time,
                )
    for i, r in enumerate(data.reviews):
        filt = [
            ("review_kind", r.kind.value.replace("_", " ").capitalize()),
            ("review", r.title),
            ("breakdown", "Total"),
        ]
        if r.children is not None:
            ledger.add(
                f"review.{r.id}.children",
                "reviews",
                "children",
                r.children,
                filt,
                [project.locate("reviews", "reviews", i, "children")],
                withheld=control.is_small(r.children),
            )
        where = project.locate("reviews", "reviews", i, "recommendations")
        ledger.add(
            f"review.{r.id}.recommendations",
            "reviews",
            "recommendations",
            len(r.recommendations),
            filt,
            [where],
            derivation=f"number of recommendations listed at {describe(where)}",
        )
    for i, a in enumerate(data.audits):
        cases_at = project.locate("reviews", "audits", i, "cases")
        filt = [("review_kind", "Audit"), ("review", a.title)]
        withheld = _withheld_grades(project, i, a, out)
        ledger.add(
            f"audit.{a.id}.cases",
            "reviews",
            "cases",
            a.cases,
            [*filt, ("breakdown", "Total")],
            [cases_at],
        )
        for j, g in enumerate(a.gradings):
            gf = [*filt, ("breakdown", g.grade)]
            g_at = project.locate("reviews", "audits", i, "gradings", j)
            if g.cases is not None:
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}.cases",
                    "reviews",
                    "cases",
                    g.cases,
                    gf,
                    [g_at],
                    withheld=j in withheld,
                )
                share = (Decimal(g.cases) * 100 / a.cases).quantize(Decimal("0.1"), ROUND_HALF_UP)
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}",
                    "reviews",
                    "share_of_cases",
                    share if a.cases else None,
                    gf,
                    [g_at, cases_at],
                    derivation=f"{describe(g_at)} as a share of {describe(cases_at)}",
                    withheld=j in withheld,
                )
            elif g.percent is not None:
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}",
                    "reviews",
                    "share_of_cases",
                    g.percent,
                    gf,
                    [g_at],
                    withheld=j in withheld,
                )


# --- generic tables -------------------------------------------------------------


def _tables(project: Project, data: Tables, out: Derived) -> None:
    for spec in data.tables:
        tab = project.crosstabs.get(spec.id)
        if tab is None:
            continue
        # Small counts of children, and cells that would reveal them, are withheld.
        hidden: set[tuple[int, int]] = set()
        if spec.disclosure is Disclosure.CHILDREN:
            where = project.locate("tables", "tables", data.tables.index(spec), "file")
            hidden = out.disclosure.crosstab(spec.id, tab, spec.column_totals, where)
        symbol = out.disclosure.symbol
        single = len(tab.columns) == 1
        rows, cols = len(tab.rows), len(tab.columns)
        grand = (rows, 0) if single else (rows, cols)
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
                f"chart-{spec.id}",
                spec.title,
                "hbar",
                [label for label, _ in tab.rows],
                [
                    Series(
                        tab.columns[0] if single else "Total",
                        [
                            None if k in hidden else figures.plot(sum(v))
                            for k, (_, v) in zip(keys, tab.rows, strict=True)
                        ],
                        {r: symbol for r, k in enumerate(keys) if k in hidden},
                    )
                ],
                "count",
                "Number",
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

    def show(key: tuple[int, int], value: int) -> Cell:
        return Cell(symbol if key in withheld else figures.count(value), True)

    show_row_totals = row_totals and n_cols > 1
    columns = [tab.row_header, *tab.columns] + (["Total"] if show_row_totals else [])
    rows = []
    for r, (label, values) in enumerate(tab.rows):
        cells = [Cell(label)] + [show((r, c), v) for c, v in enumerate(values)]
        if show_row_totals:
            cells.append(show((r, n_cols), sum(values)))
        rows.append(cells)
    totals = None
    if column_totals:
        col_sums = [sum(values[i] for _, values in tab.rows) for i in range(n_cols)]
        totals = [Cell("Total")] + [show((n_rows, c), v) for c, v in enumerate(col_sums)]
        if show_row_totals:
            totals.append(show((n_rows, n_cols), sum(col_sums)))
    return TableView(f"table-{table_id}", title, columns, rows, totals, note, source)


# --- partners -------------------------------------------------------------------


def _partners(project: Project, data: Partners, out: Derived) -> None:
    cards = []
    for c in data.contributions:
        parts = [
            CardPart(heading, None, list(items))
            for heading, items in [
                ("What we did", c.evidence),
                ("Impact for children", c.impact),
                ("What we learned", c.learning),
                ("Challenges", c.challenges),
            ]
            if items
        ]
        cards.append(Card(f"agency-{slug(c.agency)}", c.agency, None, [], parts))
    out.add_block("cards", "partners.contributions", CardsView("cards-contributions", None, cards))
    inspections = []
    for i in data.inspections:
        meta = [("Inspectorate", i.inspectorate)]
        if i.visited:
            meta.append(("Inspected", _date(i.visited)))
        if i.published:
            meta.append(("Published", _date(i.published)))
        if i.judgement:
            meta.append(("Judgement", i.judgement))
        parts = []
        if i.strengths:
            parts.append(CardPart("Strengths", None, list(i.strengths)))
        if i.improvements:
            parts.append(CardPart("Areas for improvement", None, list(i.improvements)))
        inspections.append(Card(f"inspection-{i.id}", i.title, None, meta, parts))
    out.add_block(
        "cards", "partners.inspections", CardsView("cards-inspections", None, inspections)
    )
    messages = [
        Card(
            f"messages-{slug(m.audience)}",
            f"For {m.audience}",
            None,
            [],
            [CardPart("Key messages", None, list(m.messages))],
        )
        for m in data.key_messages
    ]
    out.add_block("cards", "partners.key_messages", CardsView("cards-key-messages", None, messages))
    rows = []
    for r in data.reach:
        value = ("about " if r.approximate else "") + figures.count(r.value)
        out.references[f"reach.{r.id}"] = value
        change = "–"
        if r.prior is not None:
            change = figures.change_words("count", Decimal(r.value), Decimal(r.prior))[0]
        rows.append([Cell(r.label), Cell(value, True), Cell(change)])
    out.add_block(
        "table",
        "partners.reach",
        TableView(
            "table-reach",
            "Communication and engagement reach",
            ["Measure", "This year", "Against last year"],
            rows,
        ),
    )


# --- feedback from children and families ------------------------------------------


def _feedback(project: Project, data: Feedback, out: Derived) -> None:
    out.references["feedback.count"] = figures.count(len(data.feedback))
    out.add_block(
        "table",
        "feedback",
        TableView(
            "table-feedback",
            "You said, we did: what children and families told us and what changed",
            ["Who told us", "You said", "We did"],
            [
                [
                    Cell(f.who + (f" ({f.how})" if f.how else "")),
                    Cell(f.you_said),
                    Cell(f.we_did or "Nothing has changed yet."),
                ]
                for f in data.feedback
            ],
        ),
    )
    out.add_block(
        "list",
        "feedback",
        ListView(
            "list-feedback",
            None,
            [
                ListItem(
                    f"You said: {f.you_said} We did: {f.we_did or 'nothing has changed yet.'}",
                    f.who,
                )
                for f in data.feedback
            ],
        ),
    )
