"""Severity overrides from report.yaml (`validation: severity:`), applied last.

A project may raise any code (a warning to an error, an info to a warning) and may
lower warnings and infos. Errors, and every disclosure code, can never be lowered.
"""

from __future__ import annotations

from dataclasses import replace

from reportgen.diagnostics import DiagnosticList, Severity
from reportgen.project import Project

ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def apply_severity(project: Project, diags: DiagnosticList) -> None:
    """Check the `severity:` map, then re-grade the diagnostics it names."""
    if not project.config.validation.severity:
        return
    # Here: only a project that re-grades codes needs the catalogue of them.
    import difflib

    from reportgen.catalogue import CATALOGUE

    wanted: dict[str, Severity] = {}
    for code, level in project.config.validation.severity.items():
        where = project.config_map.locate_key(("validation", "severity", code))
        entry = CATALOGUE.get(code)
        if entry is None:
            close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
            diags.error(
                "config.unknown-code",
                f"'{code}' is not a diagnostic code",
                where,
                f"did you mean '{close[0]}'?" if close else "run 'reportgen explain' for the list",
            )
            continue
        target = Severity(level.value)
        lowering = ORDER[target] < ORDER[entry.severity]
        if lowering and (not entry.lowerable or code.startswith("disclosure.")):
            diags.error(
                "config.severity-lowered",
                f"'{code}' is an error and cannot be lowered to {target.value}",
                where,
                "remove this line: a project can raise severities, not lower errors",
            )
            continue
        wanted[code] = target
    if not wanted:
        return
    regraded = []
    for d in diags.items:
        grade = wanted.get(d.code)
        if grade is not None and (
            ORDER[grade] > ORDER[d.severity] or d.severity is not Severity.ERROR
        ):
            d = replace(d, severity=grade)
        regraded.append(d)
    diags.items = regraded


def promote_warnings(diags: DiagnosticList) -> DiagnosticList:
    """`--strict`: every warning becomes an error."""
    return DiagnosticList(
        [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in diags.items
        ]
    )
