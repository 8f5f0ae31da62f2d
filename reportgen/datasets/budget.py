"""data/budget.yaml: income, spending, grants, reserves and in-kind help.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportgen import figures, history
from reportgen import project as loading
from reportgen.checks import arithmetic, totals
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.earlier import offer_series, series_offered
from reportgen.derived import Derived
from reportgen.diagnostics import Location
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    TimePeriod,
    describe,
    sum_of,
)
from reportgen.model.budget import Budget, IncomeLine
from reportgen.model.errata import with_errata
from reportgen.project import Project
from reportgen.views import (
    Cell,
    ChartSpec,
    ListItem,
    ListView,
    Series,
    TableView,
)

NOT_STATED = "Not stated"


def _income_table(project: Project, data: Budget, income_total: Decimal) -> TableView:
    """Income lines as printed: expected beside received, and areas, only when given."""
    lines = data.income.lines
    with_expected = any(line.expected is not None for line in lines)
    with_area = any(line.area for line in lines)

    def contributor(line: IncomeLine) -> str:
        words = line.contributor + (f" ({line.note})" if line.note else "")
        if line.includes:
            inside = ", ".join(
                i.contributor + (f" {figures.money(i.amount)}" if i.amount is not None else "")
                for i in line.includes
            )
            words += f"; includes {inside}"
        return words

    rows = []
    for line in lines:
        row = [Cell(text=contributor(line))]
        if with_area:
            row.append(Cell(text=project.config.area_label(line.area) if line.area else "–"))
        if with_expected:
            row.append(
                Cell(
                    text=figures.money(line.expected) if line.expected is not None else NOT_STATED,
                    numeric=True,
                )
            )
        row += [
            Cell(text=figures.money(line.amount), numeric=True),
            Cell(text=figures.share(line.amount, income_total, 1), numeric=True),
        ]
        rows.append(row)
    expected = [line.expected for line in lines if line.expected is not None]
    totals = [Cell(text="Total")] + ([Cell(text="")] if with_area else [])
    if with_expected:
        totals.append(Cell(text=figures.money(sum(expected, Decimal(0))), numeric=True))
    totals += [
        Cell(text=figures.money(income_total), numeric=True),
        Cell(text="100.0%", numeric=True),
    ]
    columns = ["Contributor", *(["Area"] if with_area else [])]
    columns += ["Expected", "Received"] if with_expected else ["Amount"]
    return TableView(
        id="table-budget-income",
        caption=f"Income by contributor, {data.year}",
        columns=[*columns, "Share of income"],
        rows=rows,
        totals=totals,
        note=with_errata(None, data.income.total, data.income.total_expected),
    )


def _expenditure_table(data: Budget, spend_total: Decimal) -> TableView:
    """Spend by type; the budget column and variance only when the report gives budgets."""
    lines = data.expenditure.lines
    budgets = [line.budget for line in lines]
    if any(b is None for b in budgets):
        partly = any(b is not None for b in budgets)
        return TableView(
            id="table-budget-expenditure",
            caption=f"Year-end spend, {data.year}",
            columns=["Expenditure type", *(["Full-year budget"] if partly else []), "Spend"],
            rows=[
                [
                    Cell(text=line.item + (f" ({line.note})" if line.note else "")),
                    *(
                        [
                            Cell(
                                text=figures.money(line.budget)
                                if line.budget is not None
                                else NOT_STATED,
                                numeric=True,
                            )
                        ]
                        if partly
                        else []
                    ),
                    Cell(text=figures.money(line.spend), numeric=True),
                ]
                for line in lines
            ],
            totals=[
                Cell(text="Total"),
                *([Cell(text="")] if partly else []),
                Cell(text=figures.money(spend_total), numeric=True),
            ],
            note=with_errata(None, data.expenditure.total_budget, data.expenditure.total_spend),
        )
    budget_total = sum((b for b in budgets if b is not None), Decimal(0))
    return TableView(
        id="table-budget-expenditure",
        caption=f"Budget and year-end spend, {data.year}",
        columns=["Expenditure type", "Full-year budget", "Year-end spend", "Variance"],
        rows=[
            [
                Cell(text=line.item + (f" ({line.note})" if line.note else "")),
                Cell(text=figures.money(line.budget or Decimal(0)), numeric=True),
                Cell(text=figures.money(line.spend), numeric=True),
                Cell(text=figures.money(line.spend - (line.budget or Decimal(0))), numeric=True),
            ]
            for line in lines
        ],
        totals=[
            Cell(text="Total"),
            Cell(text=figures.money(budget_total), numeric=True),
            Cell(text=figures.money(spend_total), numeric=True),
            Cell(text=figures.money(spend_total - budget_total), numeric=True),
        ],
        note=with_errata(
            "Variance is spend minus budget: a positive figure is an overspend.",
            data.expenditure.total_budget,
            data.expenditure.total_spend,
        ),
    )


def derive_budget(project: Project, data: Budget, out: Derived) -> None:
    income_total = sum((line.amount for line in data.income.lines), Decimal(0))
    # A report that prints actuals only has no budget: no budget column, no variance.
    budgets = [line.budget for line in data.expenditure.lines]
    budgeted = all(b is not None for b in budgets)
    budget_total = sum((b for b in budgets if b is not None), Decimal(0))
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
    if budgeted:
        out.references.update(
            {
                "budget.expenditure.budget": figures.money(budget_total),
                "budget.expenditure.difference": figures.money(abs(difference)),
                "budget.expenditure.position": position,
            }
        )
    expected = [line.expected for line in data.income.lines if line.expected is not None]
    if expected:
        out.references["budget.income.expected"] = figures.money(sum(expected, Decimal(0)))
    out.references.update(
        {
            "budget.income.total": figures.money(income_total),
            "budget.expenditure.spend": figures.money(spend_total),
            "budget.grants.total": figures.money(grants_total),
            "budget.reserves.total": figures.money(reserves_total),
            "budget.balance": _balance_words(balance),
        }
    )
    summary = [
        [Cell(text="Partner contributions"), Cell(text=figures.money(income_total), numeric=True)]
    ]
    if data.reserves_used:
        summary.append(
            [
                Cell(text="Drawn from reserves"),
                Cell(text=figures.money(reserves_total), numeric=True),
            ]
        )
    summary.append(
        [Cell(text="Year-end spend"), Cell(text=figures.money(spend_total), numeric=True)]
    )
    out.add_block(
        "table",
        "budget.summary",
        TableView(
            id="table-budget-summary",
            caption=f"Budget summary, {data.year}",
            columns=["Item", "Amount"],
            rows=summary,
            totals=[Cell(text="Balance"), Cell(text=_balance_words(balance), numeric=True)],
            note="Balance is contributions plus reserves used, minus spend.",
        ),
    )
    out.add_block(
        "table",
        "budget.reserves",
        TableView(
            id="table-budget-reserves",
            caption=f"Use of reserves, {data.year}",
            columns=["Purpose", "Amount"],
            rows=[
                [Cell(text=r.purpose), Cell(text=figures.money(r.amount), numeric=True)]
                for r in data.reserves_used
            ],
            totals=[Cell(text="Total"), Cell(text=figures.money(reserves_total), numeric=True)],
        ),
    )
    year = data.year
    out.add_block("table", "budget.income", _income_table(project, data, income_total))
    out.add_block(
        "chart",
        "budget.income",
        ChartSpec(
            id="chart-budget-income",
            title=f"Income by contributor, {year}",
            kind="hbar",
            categories=[line.contributor for line in data.income.lines],
            series=[
                Series(
                    name="Income", values=[figures.plot(line.amount) for line in data.income.lines]
                )
            ],
            unit="money",
            value_axis="Amount (£)",
        ),
    )
    out.add_block("table", "budget.expenditure", _expenditure_table(data, spend_total))
    out.add_block(
        "chart",
        "budget.expenditure",
        ChartSpec(
            id="chart-budget-expenditure",
            title=f"Budget and year-end spend, {year}" if budgeted else f"Spend, {year}",
            kind="hbar",
            categories=[line.item for line in data.expenditure.lines],
            series=[
                *(
                    [
                        Series(
                            name="Full-year budget", values=[figures.plot(b or 0) for b in budgets]
                        )
                    ]
                    if budgeted
                    else []
                ),
                Series(
                    name="Year-end spend",
                    values=[figures.plot(line.spend) for line in data.expenditure.lines],
                ),
            ],
            unit="money",
            value_axis="Amount (£)",
        ),
    )
    out.add_block(
        "table",
        "budget.grants",
        TableView(
            id="table-budget-grants",
            caption="One-off grants",
            columns=["Grant", "Funder", "Amount", "Received", "Spent", "Used for"],
            rows=[
                [
                    Cell(text=g.name),
                    Cell(text=g.funder),
                    Cell(text=figures.money(g.amount), numeric=True),
                    Cell(text=g.received or "–"),
                    Cell(text=g.spent or "–"),
                    Cell(text="; ".join(g.uses) or "–"),
                ]
                for g in data.grants
            ],
        ),
    )
    out.add_block(
        "list",
        "budget.in_kind",
        ListView(
            id="list-in-kind",
            title=None,
            items=[ListItem(text=k.contribution, title=k.partner) for k in data.in_kind],
        ),
    )
    _publish_budget(project, data, out)
    _earlier_years(project, data, income_total, spend_total, out)


def _earlier_years(
    project: Project, data: Budget, income: Decimal, spend: Decimal, out: Derived
) -> None:
    """Total income and spend over the years held: series words, trend charts and the
    earlier years in the open data, each with its own financial year."""
    last = history.year_before(data.year)
    time = TimePeriod.of_dates(project.dated.start, project.dated.end)
    for key, name, value, part, label, measure in [
        ("budget.income.total", "income", income, "Income", "Total income", "amount"),
        ("budget.expenditure.spend", "spend", spend, "Expenditure", "Total spend", "spend"),
    ]:
        earlier = [(y.period, getattr(y, name)) for y in data.history]
        offer_series(
            out, key, label, "money", history.yearly(data.year, value, None, last, earlier)
        )
        for k, (period, held) in enumerate(earlier):
            if held is None:
                continue  # not stated for that year
            out.ledger.add(
                f"{key}.history.{period.replace('/', '-')}",
                "budget",
                measure,
                held,
                [("budget_part", part), ("budget_line", "Total")],
                [project.where(data.history[k], name)],
                time=time.of_label(period),
            )


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

    def add(
        id: str,
        part: str,
        line: str,
        measure: str,
        value: Decimal,
        where: list[Location],
        how: str | None = None,
        area: str | None = None,  # an income line's area, when it has one
    ) -> None:
        ledger.add(
            id,
            "budget",
            measure,
            value,
            [("budget_part", part), ("budget_line", line)],
            where,
            derivation=how,
            area=area,
        )

    income = data.income.lines
    income_total = sum((line.amount for line in income), Decimal(0))
    income_at = [project.where(line, "amount") for line in income]
    for i, line in enumerate(income):
        key = f"budget.income.{slug(line.contributor)}"
        add(key, "Income", line.contributor, "amount", line.amount, [income_at[i]], None, line.area)
        if income_total:
            add(
                f"{key}.share",
                "Income",
                line.contributor,
                "share_of_income",
                (line.amount * 100 / income_total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                [income_at[i]],
                f"{describe(income_at[i])} as a share of the {sum_of(income_at)}",
                line.area,
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
    budget_at = [project.where(e, "budget") for e in spend_lines]
    spend_at = [project.where(e, "spend") for e in spend_lines]
    for i, e in enumerate(spend_lines):
        key = f"budget.expenditure.{slug(e.item)}"
        add(f"{key}.spend", "Expenditure", e.item, "spend", e.spend, [spend_at[i]])
        if e.budget is None:
            continue  # actuals only: no budget and no variance to publish
        add(f"{key}.budget", "Expenditure", e.item, "budget", e.budget, [budget_at[i]])
        add(
            f"{key}.variance",
            "Expenditure",
            e.item,
            "variance",
            e.spend - e.budget,
            [spend_at[i], budget_at[i]],
            f"spend minus budget: {describe(spend_at[i])} minus {describe(budget_at[i])}",
        )
    budgeted = all(e.budget is not None for e in spend_lines)
    budget_total = sum((e.budget for e in spend_lines if e.budget is not None), Decimal(0))
    spend_total = sum((e.spend for e in spend_lines), Decimal(0))
    if budgeted:
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
    if budgeted:
        add(
            "budget.expenditure.variance",
            "Expenditure",
            "Total",
            "variance",
            spend_total - budget_total,
            [*spend_at, *budget_at],
            f"total spend minus total budget ({sum_of(spend_at)}, minus the {sum_of(budget_at)})",
        )
    grants_at = [project.where(g, "amount") for g in data.grants]
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
    reserves_at = [project.where(r, "amount") for r in data.reserves_used]
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


DATASET = Dataset(
    name="budget",
    file="data/budget.yaml",
    schema=Budget,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="Contributions, spending against budget, grants, reserves and in-kind help.",
    references=(
        Offered(names=("budget.income.total",), gives="sum of income lines", example="£194,600"),
        Offered(
            names=("budget.income.expected",),
            gives="sum of the expected (planned) amounts, when the lines give them",
            example="£202,900",
        ),
        Offered(
            names=("budget.expenditure.budget", "budget.expenditure.spend"),
            gives="sums of the budget and spend columns (the budget only when every line "
            "gives one)",
            example="£196,000",
        ),
        Offered(
            names=("budget.expenditure.difference",),
            gives="spend minus budget, no sign (only when every line gives a budget)",
            example="£1,400",
        ),
        Offered(
            names=("budget.expenditure.position",),
            gives="the same in words",
            example="£1,400 over budget",
        ),
        # Series words (reportgen/history.py) over `history` and this year.
        *series_offered(
            ("budget.income.total", "budget.expenditure.spend"),
            {
                "highest": "£194,600 in 2024/25",
                "lowest": "£180,000 in 2022/23",
                "rank": "the highest in 3 years",
                "run": "up for the second year running",
                "average": "£188,200",
                "years": "3",
                "first_year": "2022/23",
                "since.YEAR": "up 8% since 2022/23, from £180,000",
            },
        ),
        Offered(names=("budget.grants.total",), gives="sum of one-off grants", example="£47,300"),
        Offered(names=("budget.reserves.total",), gives="sum of draws on reserves", example="£0"),
        Offered(
            names=("budget.balance",),
            gives="contributions plus reserves used, minus spend, in words",
            example="£1,400 deficit",
        ),
    ),
    blocks=(
        Offered(
            names=("table budget.income", "chart budget.income"), gives="income by contributor"
        ),
        Offered(
            names=("table budget.expenditure", "chart budget.expenditure"),
            gives="budget against spend",
        ),
        Offered(
            names=("chart budget.income.total.trend", "chart budget.expenditure.spend.trend"),
            gives="total income or spend over the years held (a year with no figure is a gap)",
        ),
        Offered(names=("table budget.grants",), gives="one-off grants"),
        Offered(
            names=("table budget.summary",),
            gives="contributions, reserves used, spend and the balance",
        ),
        Offered(names=("table budget.reserves",), gives="draws on reserves"),
        Offered(names=("list budget.in_kind",), gives="in-kind contributions"),
    ),
    derive=derive_budget,
    prepare=loading._budget_lines_from_sheets,  # `lines_from:` a CSV file or sheet
    checks=(totals._budget, arithmetic._overspend),
)
