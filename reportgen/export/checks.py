"""Checks that only matter when the open data export is on."""

from __future__ import annotations

from reportgen.diagnostics import DiagnosticList
from reportgen.project import Project


def check_export(project: Project, diags: DiagnosticList) -> None:
    """Every area needs its ONS code, which each row of the export carries."""
    cfg = project.config
    if not cfg.outputs.data or project.period is None:
        return  # no export asked for, or none made: open data is dated
    for i, area in enumerate(cfg.partnership.areas):
        if area.ons_code is None:
            # A note, not a warning: `init` cannot know the code, and a new project must
            # pass `validate --strict`; the export says "not available" meanwhile.
            diags.info(
                "config.ons-code-missing",
                f"area '{area.id}' has no ons_code, which the open data export needs",
                project.config_map.locate(("partnership", "areas", i, "id")),
                "add its ONS local authority code, e.g. `ons_code: E09000025` for Newham, "
                "or switch the export off with `outputs: data: false`",
            )


__all__ = ["check_export"]
