"""Severity overrides from report.yaml (`validation: severity:`), applied last.

A project may raise any code (a warning to an error, an info to a warning) and may
lower warnings and infos. Errors, and every disclosure code, can never be lowered.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.diagnostics import promote_warnings as promote_warnings  # its old home
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_UNKNOWN_CODE = Code(
    "config.unknown-code",
    Severity.ERROR,
    "validation.severity names a code that does not exist",
    """
    The `validation: severity:` map in report.yaml changes the severity of diagnostic
    codes. Each key must be a code from this catalogue (`reportgen explain` lists them).
    """,
)
CONFIG_SEVERITY_LOWERED = Code(
    "config.severity-lowered",
    Severity.ERROR,
    "validation.severity tries to lower an error",
    """
    A project may raise any code's severity (a warning to an error, say) and may lower
    warnings and infos. It may not lower an error: errors mean the report is wrong or
    unsafe to publish, and disclosure errors in particular can never be relaxed. To
    suppress fewer figures, change the disclosure policy with an explicit override.
    """,
)

ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def apply_severity(project: Project, diags: DiagnosticList, catalogue: Mapping[str, Code]) -> None:
    """Check the `severity:` map against `catalogue` (every declared code, which the caller
    passes in: the catalogue imports every layer), then re-grade the diagnostics it names."""
    wanted: dict[str, Severity] = {}
    for code, level in project.config.validation.severity.items():
        where = project.where_key(project.config.validation, "severity", code)
        entry = catalogue.get(code)
        if entry is None:
            close = difflib.get_close_matches(code, list(catalogue), n=1)
            diags.emit(
                CONFIG_UNKNOWN_CODE,
                f"'{code}' is not a diagnostic code",
                where,
                f"did you mean '{close[0]}'?" if close else "run 'reportgen explain' for the list",
            )
            continue
        target = Severity(level.value)
        lowering = ORDER[target] < ORDER[entry.severity]
        if lowering and (not entry.lowerable or code.startswith("disclosure.")):
            diags.emit(
                CONFIG_SEVERITY_LOWERED,
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
