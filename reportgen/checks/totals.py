"""Typed totals against the sum of their parts (code: data.total-mismatch)."""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.diagnostics import DiagnosticList
from reportgen.model.budget import Budget
from reportgen.project import Project

CODE = "data.total-mismatch"
HINT = "correct the line that is wrong, or delete the typed total: reportgen computes it"


def check_totals(project: Project, diags: DiagnosticList) -> None:
    budget = project.dataset("budget", Budget)
    if budget is not None:
        _budget(project, budget, diags)
    _training(project, diags)
    _crosstabs(project, diags)


def _budget(project: Project, budget: Budget, diags: DiagnosticList) -> None:
    pairs: list[tuple[Decimal | None, Decimal, str, tuple[str, ...]]] = [
        (
            budget.income.total,
            sum((line.amount for line in budget.income.lines), Decimal(0)),
            "income total",
            ("income", "total"),
        ),
        (
            budget.expenditure.total_budget,
            sum((line.budget for line in budget.expenditure.lines), Decimal(0)),
            "expenditure budget total",
            ("expenditure", "total_budget"),
        ),
        (
            budget.expenditure.total_spend,
            sum((line.spend for line in budget.expenditure.lines), Decimal(0)),
            "expenditure spend total",
            ("expenditure", "total_spend"),
        ),
    ]
    for typed, computed, what, path in pairs:
        if typed is not None and typed != computed:
            diags.error(
                CODE,
                f"{what} is typed as {figures.money(typed)} but the lines add up to "
                f"{figures.money(computed)} (difference {figures.money(typed - computed)})",
                project.locate("budget", *path),
                HINT,
            )


def _training(project: Project, diags: DiagnosticList) -> None:
    data = project.training
    if data is None or not data.courses:
        return
    totals = data.spec.totals
    sums = {
        "occurrences": sum(c.occurrences for c in data.courses),
        "bookings": sum(c.bookings for c in data.courses),
        "attended": sum(c.attended for c in data.courses),
    }
    for name, computed in sums.items():
        typed = getattr(totals, name)
        if typed is not None and typed != computed:
            diags.error(
                CODE,
                f"training {name} total is typed as {figures.count(typed)} but the courses in "
                f"{data.spec.courses_file} add up to {figures.count(computed)}",
                project.locate("training", "totals", name),
                HINT,
            )
    if totals.no_shows is not None and totals.bookings is not None and totals.attended is not None:
        expected = totals.bookings - totals.attended
        if totals.no_shows != expected:
            diags.error(
                CODE,
                f"no-shows typed as {totals.no_shows} but bookings minus attended is {expected}",
                project.locate("training", "totals", "no_shows"),
                HINT,
            )


def _crosstabs(project: Project, diags: DiagnosticList) -> None:
    for table_id, tab in project.crosstabs.items():
        if tab.typed_row_totals is not None and tab.total_column is not None:
            for (label, values), typed, record in zip(
                tab.rows, tab.typed_row_totals, tab.record_index, strict=True
            ):
                if sum(values) != typed:
                    diags.error(
                        CODE,
                        f"table '{table_id}': row '{label}' total is {typed} but its cells "
                        f"add up to {sum(values)}",
                        tab.source_map.locate((record, tab.total_column)),
                        HINT,
                    )
        if tab.typed_column_totals is not None and tab.total_record is not None:
            for ci, (col, typed) in enumerate(
                zip(tab.columns, tab.typed_column_totals, strict=True)
            ):
                computed = sum(values[ci] for _, values in tab.rows)
                if computed != typed:
                    diags.error(
                        CODE,
                        f"table '{table_id}': column '{col}' total is {typed} but its cells "
                        f"add up to {computed}",
                        tab.source_map.locate((tab.total_record, col)),
                        HINT,
                    )
