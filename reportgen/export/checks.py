"""Checks that only matter when the open data export is on."""

from __future__ import annotations

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_ONS_CODE_MISSING = Code(
    "config.ons-code-missing",
    Severity.INFO,
    "An area has no ONS code for the open data export",
    """
    The open data export (`outputs: data:`, on by default) writes each figure with
    the ONS code of its local authority (`new_la_code`), as the DfE open data
    standards ask. Give each area of report.yaml its `ons_code` (E and 8 digits,
    Newham: E09000025), or switch the export off with `outputs: data: false`. Until
    then the export leaves the code blank, and analysts cannot join it to other data.
    """,
)


def check_export(project: Project, diags: DiagnosticList) -> None:
    """Every area needs its ONS code, which each row of the export carries."""
    cfg = project.config
    if not cfg.outputs.data or project.period is None:
        return  # no export asked for, or none made: open data is dated
    for area in cfg.partnership.areas:
        if area.ons_code is None:
            # A note, not a warning: `init` cannot know the code, and a new project must
            # pass `validate --strict`; the export says "not available" meanwhile.
            diags.emit(
                CONFIG_ONS_CODE_MISSING,
                f"area '{area.id}' has no ons_code, which the open data export needs",
                project.where(area, "id"),
                "add its ONS local authority code, e.g. `ons_code: E09000025` for Newham, "
                "or switch the export off with `outputs: data: false`",
            )


__all__ = ["check_export"]
