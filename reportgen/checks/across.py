"""One document against another: `reportgen validate A B` with published arrangements
and an annual report of the same partnership.

The arrangements say what each partner is expected to pay; the annual report's budget
says what each paid. A partner that paid a different amount (or nothing) is reported
at the annual report's income line, with the expected amount and where it is written.
Dates one states and the other claims (when the arrangements were published, when the
independent scrutineer was appointed) and the business unit's posts are compared the
same way: reported at the annual report's field, naming the arrangements' field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportgen import figures
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.arrangements import Arrangements, FundingLine
from reportgen.model.budget import Budget, IncomeLine
from reportgen.model.governance import Governance
from reportgen.model.organisation import BusinessUnit, StatedDate
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

ACROSS_DATE_DIFFERS = Code(
    "across.date-differs",
    Severity.WARNING,
    "A date the annual report states disagrees with the arrangements",
    """
    Given published arrangements and an annual report of the same partnership, the dates
    both speak of are compared: when the arrangements were published (the arrangements'
    `published:` in report.yaml, the annual report's `arrangements_published:` in
    governance.yaml), and when the independent scrutineer was appointed (`scrutiny:` in
    the arrangements' arrangements.yaml and in the annual report's governance.yaml: the
    date or month of `appointed:`, or the date `appoint_by:` promised). A date stated only
    as a month agrees with any day of that month. Correct whichever date is wrong, or say
    in the annual report why it differs (a later version of the arrangements, a delayed
    appointment).
    """,
)
ACROSS_POSTS_DIFFER = Code(
    "across.posts-differ",
    Severity.WARNING,
    "The annual report's business unit differs from the arrangements' establishment",
    """
    Given published arrangements and an annual report of the same partnership, the
    business unit's posts the arrangements set out (`business_unit:` in arrangements.yaml)
    are compared with those the annual report states (`business_unit:` in its
    governance.yaml): the number of posts and their total full-time equivalent (titles
    are often worded differently, so they are listed but not matched). If the team
    changed during the year, say so in the annual report; otherwise correct the posts.
    """,
)


def _key(partner: str | None, contributor: str) -> str:
    return partner or " ".join(contributor.lower().split())


def cross_check(projects: list[Project], diags: dict[str, DiagnosticList]) -> None:
    """Compare each arrangements project with each annual report of the same partnership;
    what is found goes into the annual report's list (`diags`, by project root)."""
    for plan in projects:
        expected = plan.dataset("arrangements", Arrangements)
        if expected is None:
            continue
        for report in projects:
            same = report.config.partnership.name == plan.config.partnership.name
            if not same or report.dataset("arrangements", Arrangements) is not None:
                continue  # another partnership's, or arrangements against arrangements
            found = diags[str(report.root)]
            governance = report.dataset("governance", Governance)
            if governance is not None:
                _dates(plan, expected, report, governance, found)
                _posts(plan, expected, report, governance, found)
            budget = report.dataset("budget", Budget)
            if budget is None or expected.funding is None:
                continue
            year = expected.funding.year
            if year is not None and year != budget.year:
                continue  # another year's funding: nothing to compare
            _income(plan, expected, report, budget, found)


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


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _stated(value: StatedDate) -> str:
    """A stated date as printed: 19 November 2024, or June 2025 for a month."""
    if isinstance(value, dt.date):
        return _day(value)
    return f"{dt.date.fromisoformat(value + '-01'):%B %Y}"


def _when(value: StatedDate) -> str:
    return f"on {_stated(value)}" if isinstance(value, dt.date) else f"in {_stated(value)}"


def _first_day(value: StatedDate) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value + "-01")


def _agree(one: StatedDate, other: StatedDate) -> bool:
    """Equal dates, or a month that holds the other's day (or is the other's month)."""
    if isinstance(one, dt.date) and isinstance(other, dt.date):
        return one == other
    return _first_day(one).strftime("%Y-%m") == _first_day(other).strftime("%Y-%m")


def _dates(
    plan: Project,
    expected: Arrangements,
    report: Project,
    governance: Governance,
    diags: DiagnosticList,
) -> None:
    published = plan.config.published
    stated = governance.arrangements_published
    if published is not None and stated is not None and published != stated:
        where_planned = f"{plan.root.name}/{plan.where(plan.config, 'published')}"
        diags.emit(
            ACROSS_DATE_DIFFERS,
            f"the annual report says the arrangements were published on {_day(stated)}, "
            f"but the arrangements give {_day(published)} ({where_planned})",
            report.where(governance, "arrangements_published"),
            "correct whichever date is wrong, or say which version of the arrangements "
            "the report means",
        )
    mine, theirs = governance.scrutiny, expected.scrutiny
    if mine is None or theirs is None or mine.appointed is None:
        return
    appointed = mine.appointed
    if theirs.appointed is not None and not _agree(appointed, theirs.appointed):
        where_planned = f"{plan.root.name}/{plan.where(theirs, 'appointed')}"
        diags.emit(
            ACROSS_DATE_DIFFERS,
            f"the annual report says the independent scrutineer was appointed "
            f"{_when(appointed)}, but the arrangements say {_stated(theirs.appointed)} "
            f"({where_planned})",
            report.where(mine, "appointed"),
            "correct whichever date is wrong",
        )
    # A promise ("by the end of December 2024") is broken only by a later appointment.
    promised = theirs.appoint_by if theirs.appointed is None else None
    if promised is not None and _first_day(appointed) > promised:
        where_planned = f"{plan.root.name}/{plan.where(theirs, 'appoint_by')}"
        diags.emit(
            ACROSS_DATE_DIFFERS,
            f"the annual report says the independent scrutineer was appointed "
            f"{_when(appointed)}, after {_day(promised)}, the date by which "
            f"the arrangements said one would be ({where_planned})",
            report.where(mine, "appointed"),
            "say in the annual report why the appointment came later than the "
            "arrangements promised, or correct the date that is wrong",
        )


def _establishment(unit: BusinessUnit) -> str:
    posts = "; ".join(f"{post.title} {figures.number(post.fte)}" for post in unit.posts)
    fte = figures.number(sum((post.fte for post in unit.posts), Decimal(0)))
    count = len(unit.posts)
    return f"{count} post{'s' if count != 1 else ''}, {fte} FTE ({posts})"


def _posts(
    plan: Project,
    expected: Arrangements,
    report: Project,
    governance: Governance,
    diags: DiagnosticList,
) -> None:
    planned, stated = expected.business_unit, governance.business_unit
    if planned is None or stated is None:
        return
    fte = sum((post.fte for post in planned.posts), Decimal(0))
    stated_fte = sum((post.fte for post in stated.posts), Decimal(0))
    if len(planned.posts) == len(stated.posts) and fte == stated_fte:
        return
    where_planned = f"{plan.root.name}/{plan.where(planned, 'posts')}"
    diags.emit(
        ACROSS_POSTS_DIFFER,
        f"the annual report states a business unit of {_establishment(stated)}, but the "
        f"arrangements set out {_establishment(planned)} ({where_planned})",
        report.where(stated, "posts"),
        "say in the annual report how the team changed, or correct the posts that are wrong",
    )


__all__ = ["ACROSS_DATE_DIFFERS", "ACROSS_INCOME_DIFFERS", "ACROSS_POSTS_DIFFER", "cross_check"]
