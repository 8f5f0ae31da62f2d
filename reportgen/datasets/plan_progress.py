"""data/plan-progress.yaml: an annual report's progress on the business plan's outcome
rows (the plan is data/plan.yaml, the plan project's own file).

The dataset's declaration (`DATASET`, at the end) and its derive step; its checks are
the plan's (reportgen/checks/business_plan.py: a row with no progress reported is a
warning, an entry naming no row an error)."""

from __future__ import annotations

from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.words import RAG_WORDS
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.plan import BusinessPlan, PlanProgress
from reportgen.project import Project
from reportgen.views import Cell, TableView


def derive_plan_progress(project: Project, progress: PlanProgress, out: Derived) -> None:
    plan = project.dataset("plan", BusinessPlan)
    if plan is None:
        return  # reported by the checks
    reported = {p.outcome: p for p in progress.progress}
    rows = []
    for row_id, _entry, row, _path in plan.outcome_rows():
        said = reported.get(row_id)
        status = RAG_WORDS[said.status] if said is not None and said.status else None
        text = said.progress if said is not None else "No progress reported"
        if said is not None and said.evidence:
            text += f" Evidence: {said.evidence}"
        rows.append(
            [
                Cell(text=f"**{row_id}** {row.timeframe}", lines=tuple(row.outcomes)),
                Cell(text=status or "–", badge=status),
                Cell(text=text),
            ]
        )
    out.add_block(
        "table",
        "plan_progress",
        TableView(
            id="table-plan-progress",
            caption="Progress on the business plan's outcomes",
            columns=["Outcome", "Status", "Progress this year"],
            rows=rows,
        ),
    )


DATASET = Dataset(
    name="plan_progress",
    file="data/plan-progress.yaml",
    schema=PlanProgress,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="Progress this year on each outcome row of the business plan (data/plan.yaml).",
    blocks=(
        Offered(
            names=("table plan_progress",),
            gives="each outcome row of the plan with its status and this year's progress",
        ),
    ),
    derive=derive_plan_progress,
    # A reference into it needs the plan as well.
    sources=lambda _target: ("plan_progress", "plan"),
)
