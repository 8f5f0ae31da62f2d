"""Typed totals against the sum of their parts (code: data.total-mismatch)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from reportgen import figures
from reportgen.checks.errata import settle_misprint
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.load.tables import CrossTab
from reportgen.model.budget import Budget, TotalPart
from reportgen.model.common import Record
from reportgen.model.errata import Misprint, printed_value
from reportgen.model.reviews import Reviews
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_TOTAL_MISMATCH = Code(
    "data.total-mismatch",
    Severity.ERROR,
    "A typed total is not the sum of its parts",
    """
    Totals are computed by reportgen. A total you type (copied from a spreadsheet, say)
    is kept only to be checked, and it must equal the sum of its lines: income and
    expenditure lines, training courses, rows and columns of CSV tables (including the
    grand total), audit grades against cases audited, and indicators listed as the
    `parts` of another. Percentages and rates may differ by rounding. A printed income
    total is checked against what it says it includes (`total_includes`: the lines,
    reserves used, the balance brought forward, grants); another partner's contribution
    counted inside an income line (`includes`) cannot be more than the line; and each
    area's notifications (`by_area`) add up to the whole.
    """,
)
DATA_SHARES_NOT_100 = Code(
    "data.shares-not-100",
    Severity.ERROR,
    "Shares of one whole do not add up to 100%",
    """
    Audit grade shares, and the percentages of an indicator group marked `shares: true`
    (boys and girls, say), are parts of one whole. Published shares are rounded, so a
    total within a point or so of 100 is accepted.
    """,
)

HINT = (
    "correct the line that is wrong, or delete the typed total: reportgen computes it (a "
    "total the source prints wrong is typed as `printed:` with an `erratum:`)"
)


def check_totals(project: Project, diags: DiagnosticList) -> None:
    budget = project.dataset("budget", Budget)
    if budget is not None:
        _budget(project, budget, diags)
    _training(project, diags)
    _crosstabs(project, diags)
    reviews = project.dataset("reviews", Reviews)
    if reviews is not None:
        _audits(project, reviews, diags)
        _notifications(project, reviews, diags)


def _income_total(budget: Budget) -> tuple[Decimal, str]:
    """What the printed income total adds up (`total_includes`), and those parts in words."""
    parts = {
        TotalPart.LINES: ("the lines", (line.amount for line in budget.income.lines)),
        TotalPart.RESERVES_USED: ("reserves used", (r.amount for r in budget.reserves_used)),
        TotalPart.BROUGHT_FORWARD: (
            "the balance brought forward",
            [budget.income.brought_forward or Decimal(0)],
        ),
        TotalPart.GRANTS: ("grants", (g.amount for g in budget.grants)),
    }
    chosen = [parts[p] for p in dict.fromkeys(budget.income.total_includes)]
    computed = sum((sum(amounts, Decimal(0)) for _, amounts in chosen), Decimal(0))
    return computed, " plus ".join(words for words, _ in chosen)


def _budget(project: Project, budget: Budget, diags: DiagnosticList) -> None:
    income, included = _income_total(budget)
    expected = [line.expected for line in budget.income.lines if line.expected is not None]
    budgets = [line.budget for line in budget.expenditure.lines if line.budget is not None]
    # Each with the part of the file its lines are in (a left-out line stops its sum).
    pairs: list[tuple[str, Record, str, Decimal, str, str]] = [
        ("income", budget.income, "total", income, "income total", included),
        (
            "income",
            budget.income,
            "total_expected",
            sum(expected, Decimal(0)),
            "expected income total",
            "the expected amounts",
        ),
        (
            "expenditure",
            budget.expenditure,
            "total_budget",
            sum(budgets, Decimal(0)),
            "expenditure budget total",
            "the lines",
        ),
        (
            "expenditure",
            budget.expenditure,
            "total_spend",
            sum((line.spend for line in budget.expenditure.lines), Decimal(0)),
            "expenditure spend total",
            "the lines",
        ),
    ]
    for part, owner, name, computed, what, parts in pairs:
        figure: Decimal | Misprint | None = getattr(owner, name)
        if figure is None or (name == "total_expected" and not expected):
            continue
        if project.incomplete("budget", part, "lines"):
            continue  # a line was left out for its errors: the sum would be wrong too
        if settle_misprint(
            project, diags, owner, name, computed, what=what, basis=parts, show=figures.money
        ):
            continue
        typed = printed_value(figure)
        if typed != computed:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"{what} is typed as {figures.money(typed)} but {parts} add up to "
                f"{figures.money(computed)} (difference {figures.money(typed - computed)})",
                project.where(owner, name),
                HINT
                if what != "income total"
                else HINT + "; a printed total that includes reserves or grants says so in "
                "income.total_includes",
            )
    for line in budget.income.lines:
        inside = sum((i.amount for i in line.includes if i.amount is not None), Decimal(0))
        if inside > line.amount:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"income line '{line.contributor}' is {figures.money(line.amount)} but the "
                f"contributions it includes add up to {figures.money(inside)}",
                project.where(line, "includes"),
                "an included contribution is part of the line, so no more than it",
            )


def _notifications(project: Project, reviews: Reviews, diags: DiagnosticList) -> None:
    whole = reviews.notifications
    if whole is None or not whole.by_area:
        return
    for name in ("incidents", "children"):
        typed = getattr(whole, name)
        values = [getattr(a, name) for a in whole.by_area]
        if typed is None or any(v is None for v in values):
            continue
        computed = sum(values)
        if computed != typed:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"notifications: {name} is typed as {figures.count(typed)} but the areas "
                f"({', '.join(a.area for a in whole.by_area)}) add up to {figures.count(computed)}",
                project.where(whole, name),
                "correct the area figure or the whole that is wrong",
            )


def _training(project: Project, diags: DiagnosticList) -> None:
    data = project.training
    if data is None or not data.courses:
        return
    if project.incomplete("training.courses_file"):
        return  # a course row was left out for its errors: every sum would be off too
    totals = data.spec.totals
    sums = {
        "occurrences": sum(c.occurrences for c in data.courses),
        "bookings": sum(c.bookings for c in data.courses),
        "attended": sum(c.attended for c in data.courses),
    }
    for name, computed in sums.items():
        typed = getattr(totals, name)
        if typed is not None and typed != computed:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"training {name} total is typed as {figures.count(typed)} but the courses in "
                f"{data.spec.courses_file} add up to {figures.count(computed)}",
                project.where(totals, name),
                HINT,
            )
    if totals.no_shows is not None and totals.bookings is not None and totals.attended is not None:
        expected = totals.bookings - totals.attended
        if totals.no_shows != expected:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"no-shows typed as {figures.count(totals.no_shows)} but bookings minus attended "
                f"is {figures.count(expected)}",
                project.where(totals, "no_shows"),
                HINT,
            )


def _readable(project: Project, tab: CrossTab, cells: list[tuple[int, str]]) -> bool:
    """True when none of `cells` (CSV record, column) failed to read. A total that needs
    one is not checked: its error is reported, and the note on skipped checks counts it."""
    if not any(cell in tab.unreadable for cell in cells):
        return True
    file = tab.source_map.path
    project.skipped[file] = project.skipped.get(file, 0) + 1
    return False


def _crosstabs(project: Project, diags: DiagnosticList) -> None:
    for table_id, tab in project.crosstabs.items():
        readable = partial(_readable, project, tab)
        if tab.typed_row_totals is not None and tab.total_column is not None:
            for (label, values), typed, record in zip(
                tab.rows, tab.typed_row_totals, tab.record_index, strict=True
            ):
                if not readable([(record, c) for c in (tab.total_column, *tab.columns)]):
                    continue
                if sum(values) != typed:
                    diags.emit(
                        DATA_TOTAL_MISMATCH,
                        f"table '{table_id}': row '{label}' total is {figures.number(typed)} but "
                        f"its cells add up to {figures.number(sum(values))}",
                        tab.source_map.locate((record, tab.total_column)),
                        HINT,
                    )
        if (
            tab.typed_grand_total is not None
            and tab.total_record is not None
            and tab.total_column is not None
            and readable(list(tab.unreadable))
        ):
            # The grand total is wrong only if it matches none of the sums it could be
            # checked against: one wrong cell or row total is reported where it is.
            candidates = [sum(sum(values) for _, values in tab.rows)]
            for typed_totals in (tab.typed_row_totals, tab.typed_column_totals):
                if typed_totals is not None:
                    candidates.append(sum(typed_totals))
            computed = candidates[0]
            if tab.typed_grand_total not in candidates:
                diags.emit(
                    DATA_TOTAL_MISMATCH,
                    f"table '{table_id}': grand total is {figures.number(tab.typed_grand_total)} "
                    f"but its cells add up to {figures.number(computed)}",
                    tab.source_map.locate((tab.total_record, tab.total_column)),
                    HINT,
                )
        if tab.typed_column_totals is not None and tab.total_record is not None:
            for ci, (col, typed) in enumerate(
                zip(tab.columns, tab.typed_column_totals, strict=True)
            ):
                if not readable([(r, col) for r in (tab.total_record, *tab.record_index)]):
                    continue
                computed = sum(values[ci] for _, values in tab.rows)
                if computed != typed:
                    diags.emit(
                        DATA_TOTAL_MISMATCH,
                        f"table '{table_id}': column '{col}' total is {figures.number(typed)} but "
                        f"its cells add up to {figures.number(computed)}",
                        tab.source_map.locate((tab.total_record, col)),
                        HINT,
                    )


def _audits(project: Project, reviews: Reviews, diags: DiagnosticList) -> None:
    for i, audit in enumerate(reviews.audits):
        if project.incomplete("reviews", "audits", i, "gradings"):
            continue  # a grade was left out for its errors
        counts = [g.cases for g in audit.gradings if g.cases is not None]
        if (
            audit.cases is not None
            and counts
            and len(counts) == len(audit.gradings)
            and sum(counts) != audit.cases
        ):
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"audit '{audit.id}': the grades add up to {figures.count(sum(counts))} cases "
                f"but {figures.count(audit.cases)} cases were audited",
                project.where(audit, "cases"),
                "every audited case should have exactly one grade",
            )
        shares = [g.percent for g in audit.gradings if g.percent is not None]
        total_share = sum(shares, Decimal(0))
        # Published shares are rounded, so allow one point either way.
        if shares and len(shares) == len(audit.gradings) and abs(total_share - 100) > 1:
            diags.emit(
                DATA_SHARES_NOT_100,
                f"audit '{audit.id}': grade shares add up to {figures.percent(total_share)}, "
                "not 100%",
                project.where(audit, "gradings"),
                "check each grade's percent; give case counts instead if you have them",
            )
