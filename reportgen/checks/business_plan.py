"""Business plans: document control filled in, each priority numbered once; and, in an
annual report, progress reported on every outcome row of the plan.

The datasets (data/plan.yaml, and an annual report's data/plan-progress.yaml) are
declared in reportgen/datasets/plan.py and plan_progress.py."""

from __future__ import annotations

import difflib

from reportgen.checks.consistency import DATA_DUPLICATE_ID, DATA_UNKNOWN_REFERENCE
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.plan import BusinessPlan, PlanProgress
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
PLAN_DOCUMENT_CONTROL_EMPTY = Code(
    "plan.document-control-empty",
    Severity.ERROR,
    "A document-control label of the plan is empty",
    """
    A business plan says who owns it, who wrote it, its version, status and date. A
    label printed with nothing after it ("Document Owner", and then nothing) leaves a
    reader unable to tell whose plan it is or whether it is the approved one. Fill in
    the field under `document_control:` in data/plan.yaml; if the source itself prints
    it empty, list it under `printed_empty:` (plan.document-control-printed-empty).
    """,
)
PLAN_DOCUMENT_CONTROL_PRINTED_EMPTY = Code(
    "plan.document-control-printed-empty",
    Severity.WARNING,
    "A document-control label is printed empty in the source",
    """
    The plan's `document_control: printed_empty:` says the source prints this label
    with nothing after it, so it is typed empty as printed and the plan shows it as not
    stated: a value taken from elsewhere would be made up. Readers still cannot tell
    who owns or wrote the plan; ask its owner, and fill it in if a corrected version
    says.
    """,
)
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

CONTROL_LABELS = {
    "owner": "Document owner",
    "author": "Document author",
    "version": "Version",
    "status": "Status",
    "date": "Date",
}


def check_plan(project: Project, diags: DiagnosticList) -> None:
    """The plan's own checks, then (in an annual report) the progress reported on it."""
    plan = project.dataset("plan", BusinessPlan)
    if plan is not None:
        _document_control(project, plan, diags)
        _numbers(project, plan, diags)
    progress = project.dataset("plan_progress", PlanProgress)
    if progress is not None:
        _progress(project, plan, progress, diags)


def _document_control(project: Project, plan: BusinessPlan, diags: DiagnosticList) -> None:
    control = plan.document_control
    for name, label in CONTROL_LABELS.items():
        value = getattr(control, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in control.printed_empty:
                diags.emit(
                    PLAN_DOCUMENT_CONTROL_PRINTED_EMPTY,
                    f"document control: '{label}' is printed empty in the source; the "
                    "plan shows it as not stated",
                    project.where(control, name),
                    "ask the plan's owner; fill it in if a corrected version says",
                )
                continue
            diags.emit(
                PLAN_DOCUMENT_CONTROL_EMPTY,
                f"document control: '{label}' is empty",
                project.where(control, name),
                f"fill in document_control.{name} in data/plan.yaml (printed empty in the "
                f"source: list it under document_control.printed_empty)",
            )


def _numbers(project: Project, plan: BusinessPlan, diags: DiagnosticList) -> None:
    seen: dict[str, int | None] = {}
    for entry, _path in plan.entries():
        where = project.where(entry, "id")
        if entry.id in seen:
            diags.emit(
                DATA_DUPLICATE_ID,
                f"priority '{entry.id}' is numbered twice (first at line {seen[entry.id]})",
                where,
                "give each priority and part its own number",
            )
        seen.setdefault(entry.id, where.line)


def _progress(
    project: Project, plan: BusinessPlan | None, progress: PlanProgress, diags: DiagnosticList
) -> None:
    if plan is None:
        if not project.blocked("plan"):
            diags.emit(
                DATA_UNKNOWN_REFERENCE,
                "data/plan-progress.yaml reports on a business plan, but there is no "
                "data/plan.yaml",
                project.where(progress, "progress"),
                "add the business plan as data/plan.yaml (the plan project's file)",
            )
        return
    rows = {row_id: row for row_id, _entry, row, _path in plan.outcome_rows()}
    seen: dict[str, int | None] = {}
    for entry in progress.progress:
        where = project.where(entry, "outcome")
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
    for row_id, row in rows.items():
        if row_id not in seen:
            diags.emit(
                PLAN_OUTCOME_NO_PROGRESS,
                f"no progress is reported on outcome row {row_id} of the business plan",
                project.where(row),
                f"add `- outcome: {row_id}` with its progress to data/plan-progress.yaml",
            )
