"""Cross-record checks that a schema alone cannot express.

`run_checks` runs on the loaded project, before derive; `run_report_checks` runs on
what derive made (links, the disclosure legend, the completeness checklist). Each
module declares the codes it emits (`reportgen.catalogue` collects them).

Each check module is imported where it runs, so `reportgen validate` imports only the
checks it runs: the completeness profile (and its models) only when report.yaml
selects one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.model.validation import NO_PROFILE

if TYPE_CHECKING:
    from reportgen.checks.completeness import Checklist
    from reportgen.derive import Derived
    from reportgen.diagnostics import DiagnosticList
    from reportgen.project import Project


def run_checks(project: Project, diags: DiagnosticList) -> None:
    """Run every check on a loaded project, adding what they find to `diags`."""
    from reportgen.checks.acronyms import check_short_names
    from reportgen.checks.agencies import check_agencies
    from reportgen.checks.arithmetic import check_arithmetic
    from reportgen.checks.arrangements import check_arrangements
    from reportgen.checks.business_plan import check_plan
    from reportgen.checks.claims import check_claims
    from reportgen.checks.consistency import check_consistency
    from reportgen.checks.disclosure import (
        check_audit_shares,
        check_counts_in_text,
        check_policy,
    )
    from reportgen.checks.hygiene import check_hygiene
    from reportgen.checks.lado import check_lado
    from reportgen.checks.periods import check_periods
    from reportgen.checks.printed import check_printed
    from reportgen.checks.registers import check_registers
    from reportgen.checks.snapshots import check_snapshots
    from reportgen.checks.spelling import check_spelling
    from reportgen.checks.text import all_items
    from reportgen.checks.totals import check_totals

    check_consistency(project, diags)
    check_totals(project, diags)
    check_arithmetic(project, diags)
    check_printed(project, diags)
    check_lado(project, diags)
    check_registers(project, diags)
    check_agencies(project, diags)
    items = list(all_items(project))  # every text, gathered once for the checks of words
    check_periods(project, items, diags)
    check_hygiene(project, items, diags)
    check_policy(project, diags)
    check_counts_in_text(project, items, diags)
    check_audit_shares(project, diags)
    check_claims(project, items, diags)
    check_short_names(project, items, diags)
    check_spelling(project, items, diags)
    check_snapshots(project, items, diags)
    check_arrangements(project, diags)  # each does nothing without its data file
    check_plan(project, diags)


def run_report_checks(
    project: Project, derived: Derived, diags: DiagnosticList
) -> Checklist | None:
    """Checks on the derived report; returns the completeness checklist (if a profile)."""
    from reportgen.checks.disclosure import check_legend
    from reportgen.checks.links import check_links

    check_links(project, derived, diags)
    check_legend(project, derived, diags)
    if project.config.validation.profile == NO_PROFILE:
        return None
    from reportgen.checks.completeness import check_completeness

    return check_completeness(project, derived, diags)


def __getattr__(name: str) -> Any:
    """`reportgen.checks.Checklist`, imported only when asked for."""
    if name == "Checklist":
        from reportgen.checks.completeness import Checklist

        return Checklist
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["NO_PROFILE", "Checklist", "run_checks", "run_report_checks"]
