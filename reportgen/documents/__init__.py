"""What the documents of other kinds than the annual report derive and check.

One module per data file of those kinds (`arrangements.py` for data/arrangements.yaml,
`business_plan.py` for data/plan.yaml, `plan_progress.py` for an annual report's
data/plan-progress.yaml), each with its checks, the figures, references
and blocks it offers narrative, and the diagnostic codes it emits. Each does nothing in
a project without its file, so the pipeline calls them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.derive import Derived
    from reportgen.diagnostics import DiagnosticList
    from reportgen.project import Project


def check_documents(project: Project, diags: DiagnosticList) -> None:
    """Run the checks of every document dataset the project has."""
    from reportgen.documents import arrangements, business_plan, plan_progress

    arrangements.check(project, diags)
    business_plan.check(project, diags)
    plan_progress.check(project, diags)


def derive_documents(project: Project, out: Derived) -> None:
    """Add the references and blocks of every document dataset the project has."""
    from reportgen.documents import arrangements, business_plan, plan_progress

    arrangements.derive(project, out)
    business_plan.derive(project, out)
    plan_progress.derive(project, out)
