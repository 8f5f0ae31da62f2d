"""One document against another: `reportgen validate A B` with published arrangements
and an annual report of the same partnership.

The arrangements say what each partner is expected to pay; the annual report's budget
says what each paid. A partner that paid a different amount (or nothing) is reported
at the annual report's income line, with the expected amount and where it is written.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.arrangements import Arrangements, FundingLine
from reportgen.model.budget import Budget, IncomeLine
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
ACROSS_INCOME_DIFFERS = Code(
    "across.income-differs",
    Severity.WARNING,
    "A partner paid another amount than the arrangements expected",
    """
    Given published arrangements and an annual report of the same partnership
    (`reportgen validate ARRANGEMENTS REPORT`), each partner's income line in the annual
    report's budget is compared with what the arrangements expected it to pay (lines
    matched by `partner:` id, or else by the contributor's name). A difference is not an
    error, but a reader of the annual report should be told why: say so in the budget
    section (and in `note:` of the line), or correct whichever figure is wrong.
    """,
)


def _key(partner: str | None, contributor: str) -> str:
    return partner or " ".join(contributor.lower().split())


def cross_check(projects: list[Project], diags: dict[str, DiagnosticList]) -> None:
    """Compare each arrangements project with each annual report of the same partnership;
    what is found goes into the annual report's list (`diags`, by project root)."""
    for plan in projects:
        expected = plan.dataset("arrangements", Arrangements)
        if expected is None or expected.funding is None:
            continue
        for report in projects:
            budget = report.dataset("budget", Budget)
            same = report.config.partnership.name == plan.config.partnership.name
            if budget is None or not same or report is plan:
                continue
            year = expected.funding.year
            if year is not None and year != budget.year:
                continue  # another year's funding: nothing to compare
            _income(plan, expected, report, budget, diags[str(report.root)])


def _income(
    plan: Project,
    expected: Arrangements,
    report: Project,
    budget: Budget,
    diags: DiagnosticList,
) -> None:
    assert expected.funding is not None
    # Per partner: the sum of its lines, and its first line (where it is reported).
    planned: dict[str, tuple[Decimal, FundingLine]] = {}
    for line in expected.funding.lines:
        key = _key(line.partner, line.contributor)
        amount, first = planned.get(key, (Decimal(0), line))
        planned[key] = (amount + line.amount, first)
    paid: dict[str, tuple[Decimal, IncomeLine]] = {}
    for income in budget.income.lines:
        key = _key(income.partner, income.contributor)
        total, first_paid = paid.get(key, (Decimal(0), income))
        paid[key] = (total + income.amount, first_paid)
    for key, (amount, first) in planned.items():
        name = first.contributor
        source = plan.where(first, "amount")
        where_planned = f"{plan.root.name}/{source}"
        if key not in paid:
            diags.emit(
                ACROSS_INCOME_DIFFERS,
                f"the arrangements expected {figures.money(amount)} from {name} "
                f"({where_planned}), but the budget has no income line for it",
                report.where(budget, "income"),
                "add the partner's income line (with `partner:`), or say why it paid nothing",
            )
            continue
        actual, paid_at = paid[key]
        if actual == amount:
            continue
        gap = actual - amount
        word = "less" if gap < 0 else "more"
        diags.emit(
            ACROSS_INCOME_DIFFERS,
            f"{name} paid {figures.money(actual)}, {figures.money(abs(gap))} {word} than the "
            f"{figures.money(amount)} the arrangements expected ({where_planned})",
            report.where(paid_at, "amount"),
            "say in the budget section why the amount differs (and in the line's `note:`), "
            "or correct the figure that is wrong",
        )


__all__ = ["ACROSS_INCOME_DIFFERS", "cross_check"]
