"""Cross-record checks that a schema alone cannot express."""

from __future__ import annotations

from reportgen.checks.consistency import check_consistency
from reportgen.checks.totals import check_totals
from reportgen.diagnostics import DiagnosticList
from reportgen.project import Project


def run_checks(project: Project, diags: DiagnosticList) -> None:
    """Run every check on a loaded project, adding what they find to `diags`."""
    check_consistency(project, diags)
    check_totals(project, diags)
