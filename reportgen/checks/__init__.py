"""Cross-record checks that a schema alone cannot express.

`run_checks` runs on the loaded project, before derive; `run_report_checks` runs on
what derive made (links, the disclosure legend, the completeness checklist). Each
module declares the codes it emits (`reportgen.catalogue` collects them).
"""

from __future__ import annotations

from reportgen.checks.arithmetic import check_arithmetic
from reportgen.checks.completeness import Checklist, check_completeness
from reportgen.checks.consistency import check_consistency
from reportgen.checks.disclosure import check_counts_in_text, check_legend, check_policy
from reportgen.checks.hygiene import check_hygiene
from reportgen.checks.links import check_links
from reportgen.checks.periods import check_periods
from reportgen.checks.text import all_items
from reportgen.checks.totals import check_totals
from reportgen.derive import Derived
from reportgen.diagnostics import DiagnosticList
from reportgen.project import Project


def run_checks(project: Project, diags: DiagnosticList) -> None:
    """Run every check on a loaded project, adding what they find to `diags`."""
    check_consistency(project, diags)
    check_totals(project, diags)
    check_arithmetic(project, diags)
    items = list(all_items(project))  # every text, gathered once for the checks of words
    check_periods(project, items, diags)
    check_hygiene(project, items, diags)
    check_policy(project, diags)
    check_counts_in_text(project, items, diags)


def run_report_checks(
    project: Project, derived: Derived, diags: DiagnosticList
) -> Checklist | None:
    """Checks on the derived report; returns the completeness checklist (if a profile)."""
    check_links(project, derived, diags)
    check_legend(project, derived, diags)
    return check_completeness(project, derived, diags)


__all__ = ["Checklist", "run_checks", "run_report_checks"]
