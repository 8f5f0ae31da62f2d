"""data/budget.yaml: income, expenditure, grants, reserves and in-kind support."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from reportgen.model.common import (
    EarlierYear,
    Money,
    PeriodLabel,
    Record,
    SheetLines,
    Text,
    empty_list,
    one_per_year,
)
from reportgen.model.errata import ERRATUM_HOW, PrintedMoney
from reportgen.model.meaning import ENTRY_NAME, PROPER_NAME, RefTo, Setting, YearLabel


class IncludedContribution(Record):
    """Another partner's money counted inside an income line."""

    contributor: Annotated[Text, PROPER_NAME] = Field(description="Whose money it is, as printed.")
    partner: Setting | None = Field(None, description="Partner id (optional).")
    amount: Money | None = Field(None, description="How much, when printed (optional).")


class IncomeLine(Record):
    """Money one contributor paid into the partnership budget."""

    contributor: Annotated[Text, PROPER_NAME] = Field(description="Who paid, as printed, e.g. ICB.")
    partner: Setting | None = Field(None, description="Partner id from governance.yaml (optional).")
    amount: Money = Field(description="Amount in pounds, e.g. 50000 or £50,000.")
    area: Annotated[str, RefTo("report", "area")] | None = Field(
        None, description="Area id, when the partnership covers several."
    )
    expected: Money | None = Field(
        None,
        description="Planned (expected) amount for the year, when the report prints it beside "
        "the amount received (optional).",
    )
    includes: list[IncludedContribution] = Field(
        default_factory=empty_list,
        description="Other partners' money counted inside this line, e.g. a council line that "
        "includes a police contribution (checked: no more than the line).",
    )
    note: str | None = Field(None, description="Printed note, e.g. 'not including overheads'.")


class TotalPart(StrEnum):
    """What a printed income total adds up."""

    LINES = "lines"
    RESERVES_USED = "reserves_used"
    BROUGHT_FORWARD = "brought_forward"
    GRANTS = "grants"


class Income(Record):
    """Income lines; a typed total is only checked against their sum."""

    lines: list[IncomeLine] = Field(
        min_length=1,
        description="One line per contributor (or give `lines_from`: columns contributor, "
        "amount, and optionally partner, area, note).",
    )
    lines_from: SheetLines | None = Field(
        None, description="Read the lines from a spreadsheet instead of typing them here."
    )
    total: PrintedMoney | None = Field(
        None, description="Total as printed in the source (checked)." + ERRATUM_HOW
    )
    total_includes: list[TotalPart] = Field(
        default_factory=lambda: [TotalPart.LINES],
        description="What the printed total adds up: lines, reserves_used, brought_forward, "
        "grants (default: the lines only). A total printed with reserves used in it is "
        "checked against lines plus reserves.",
    )
    total_expected: PrintedMoney | None = Field(
        None, description="Total of the expected amounts as printed (checked)." + ERRATUM_HOW
    )
    brought_forward: Money | None = Field(
        None,
        description="Balance carried over from last year and available to spend (not a line, "
        "not in the total).",
    )


class ExpenditureLine(Record):
    """Planned and actual spend on one type of expenditure."""

    item: Text = Field(description="Expenditure type, e.g. Salaries.")
    budget: Money | None = Field(
        None,
        description="Full-year budget (optional: a report that prints actuals only has no "
        "budget column and no variance).",
    )
    spend: Money = Field(description="Year-end spend.")
    note: str | None = Field(None, description="Printed note (optional).")


class Expenditure(Record):
    """Expenditure lines; typed totals are only checked against their sums."""

    lines: list[ExpenditureLine] = Field(
        min_length=1,
        description="One line per type (or give `lines_from`: columns item, budget, spend, "
        "and optionally note).",
    )
    lines_from: SheetLines | None = Field(
        None, description="Read the lines from a spreadsheet instead of typing them here."
    )
    total_budget: PrintedMoney | None = Field(
        None, description="Budget total as printed (checked)." + ERRATUM_HOW
    )
    total_spend: PrintedMoney | None = Field(
        None, description="Spend total as printed (checked)." + ERRATUM_HOW
    )
    variance_note: str | None = Field(
        None,
        description="How an overspend was met, or what an underspend is kept for (optional).",
    )


class Grant(Record):
    """A one-off grant, possibly received in an earlier year."""

    name: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(
        description="What the grant is, as printed."
    )
    funder: Text = Field(description="Who gave it, e.g. Department for Education.")
    amount: Money = Field(description="Amount in pounds.")
    received: PeriodLabel | None = Field(None, description="Year received, e.g. 2023/24.")
    spent: PeriodLabel | None = Field(None, description="Year spent, e.g. 2024/25.")
    uses: list[Text] = Field(default_factory=empty_list, description="What it paid for.")


class ReserveUse(Record):
    """Money drawn from reserves to cover spend."""

    purpose: Text = Field(description="What the reserves paid for.")
    amount: Money = Field(description="Amount in pounds.")


class InKind(Record):
    """Support given in time or resources rather than money."""

    contribution: Annotated[Text, ENTRY_NAME] = Field(
        description="What was given, e.g. chairing subgroups."
    )
    partner: Setting | None = Field(
        None, description="Who gave it (optional: omit for all partners)."
    )


class BudgetYear(EarlierYear):
    """The budget's totals for an earlier year."""

    income: Money | None = Field(None, description="Total income that year (optional).")
    spend: Money | None = Field(None, description="Total year-end spend that year (optional).")


class Budget(Record):
    """The whole of data/budget.yaml."""

    year: Annotated[
        PeriodLabel,
        YearLabel(
            "the budget is for {written} but the report covers {covered}",
            "use this year's budget, or correct the year",
            exact=True,
        ),
    ] = Field(description="Financial year, e.g. 2024/25.")
    income: Income = Field(description="Partner contributions.")
    expenditure: Expenditure = Field(description="Budget and spend by type.")
    grants: list[Grant] = Field(default_factory=empty_list, description="One-off grants.")
    reserves_used: list[ReserveUse] = Field(
        default_factory=empty_list, description="Draws on reserves."
    )
    in_kind: list[InKind] = Field(default_factory=empty_list, description="In-kind contributions.")
    history: Annotated[list[BudgetYear], AfterValidator(one_per_year)] = Field(
        default_factory=empty_list,
        description="Total income and spend for earlier years, each with its period and "
        "source: what series words (`{{ budget.income.total.highest }}`, "
        "`{{ budget.expenditure.spend.run }}`) are made from.",
    )
