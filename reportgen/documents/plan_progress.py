"""data/plan-progress.yaml: an annual report's progress on the business plan's outcome rows.

The plan is the partnership's `data/plan.yaml` (the business plan project's file: one
`data/` folder can serve both). Each entry names an outcome row (`1.2`, `3a.1`); a row
with no progress reported is a warning, an entry naming no row an error. Block:
`table plan.progress` (each row's outcomes, status and progress, in the plan's order).
"""

from __future__ import annotations

import difflib

from reportgen.checks.consistency import DATA_DUPLICATE_ID, DATA_UNKNOWN_REFERENCE
from reportgen.derive import RAG_WORDS, Derived
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.documents.business_plan import outcome_rows
from reportgen.model.plan import BusinessPlan, PlanProgress
from reportgen.project import Project
from reportgen.views import Cell, TableView

# The diagnostic codes this module emits; reportgen.catalogue collects them.
PLAN_OUTCOME_NO_PROGRESS = Code(
    "plan.outcome-no-progress",
    Severity.WARNING,
    "An outcome row of the business plan has no progress reported",
    """
    An annual report with the business plan (data/plan.yaml) says, in
    data/plan-progress.yaml, what progress was made on each of the plan's outcome rows.
    A row with no entry leaves the reader not knowing whether anything was done: add
    one (`outcome: 3a.2`, `status:`, `progress:`), saying so if nothing was done yet.
    """,
)


def check(project: Project, diags: DiagnosticList) -> None:
    plan = project.dataset("plan", BusinessPlan)
    progress = project.dataset("plan_progress", PlanProgress)
    if progress is None:
        return
    if plan is None:
        if not project.blocked("plan"):
            diags.emit(
                DATA_UNKNOWN_REFERENCE,
                "data/plan-progress.yaml reports on a business plan, but there is no "
                "data/plan.yaml",
                project.locate("plan_progress", "progress"),
                "add the business plan as data/plan.yaml (the plan project's file)",
            )
        return
    rows = {row_id: path for row_id, _entry, _row, path in outcome_rows(plan)}
    seen: dict[str, int | None] = {}
    for i, entry in enumerate(progress.progress):
        where = project.locate("plan_progress", "progress", i, "outcome")
        if entry.outcome not in rows:
            close = difflib.get_close_matches(entry.outcome, list(rows), n=1)
            diags.emit(
                DATA_UNKNOWN_REFERENCE,
                f"unknown outcome row '{entry.outcome}' of the business plan",
                where,
                f"did you mean '{close[0]}'?" if close else "name a row as 1.2 or 3a.1",
            )
        elif entry.outcome in seen:
            diags.emit(
                DATA_DUPLICATE_ID,
                f"outcome row '{entry.outcome}' is reported twice (first at line "
                f"{seen[entry.outcome]})",
                where,
                "report each outcome row once",
            )
        seen.setdefault(entry.outcome, where.line)
    for row_id, path in rows.items():
        if row_id not in seen:
            diags.emit(
                PLAN_OUTCOME_NO_PROGRESS,
                f"no progress is reported on outcome row {row_id} of the business plan",
                project.locate("plan", *path),
                f"add `- outcome: {row_id}` with its progress to data/plan-progress.yaml",
            )


def derive(project: Project, out: Derived) -> None:
    plan = project.dataset("plan", BusinessPlan)
    progress = project.dataset("plan_progress", PlanProgress)
    if plan is None or progress is None:
        return
    reported = {p.outcome: p for p in progress.progress}
    rows = []
    for row_id, _entry, row, _path in outcome_rows(plan):
        said = reported.get(row_id)
        status = RAG_WORDS[said.status] if said is not None and said.status else None
        text = said.progress if said is not None else "No progress reported"
        if said is not None and said.evidence:
            text += f" Evidence: {said.evidence}"
        rows.append(
            [
                Cell(f"**{row_id}** {row.timeframe}", lines=tuple(row.outcomes)),
                Cell(status or "–", badge=status),
                Cell(text),
            ]
        )
    out.add_block(
        "table",
        "plan.progress",
        TableView(
            "table-plan-progress",
            "Progress on the business plan's outcomes",
            ["Outcome", "Status", "Progress this year"],
            rows,
        ),
    )
