"""The build, as one readable function per command.

load -> validate -> derive -> render -> write. Each stage is a module with a
narrow interface; this file only strings them together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.checks import run_checks
from reportgen.checks.narrative import check_references
from reportgen.derive import Derived, derive
from reportgen.diagnostics import DiagnosticList
from reportgen.project import Project, load_project

log = logging.getLogger(__name__)


@dataclass
class ValidationResult:
    """A loaded project with every diagnostic found in it."""

    diagnostics: DiagnosticList
    project: Project | None = None
    derived: Derived | None = None


@dataclass
class BuildResult:
    """What a build wrote (nothing, when validation found errors)."""

    validation: ValidationResult
    outputs: list[Path] = field(default_factory=list)

    @property
    def diagnostics(self) -> DiagnosticList:
        return self.validation.diagnostics


def validate(root: Path) -> ValidationResult:
    """Load, check and derive; collect every problem in one pass."""
    diags = DiagnosticList()
    project = load_project(root, diags)
    if project is None:
        return ValidationResult(diags)
    run_checks(project, diags)
    derived = derive(project)
    check_references(project, derived, diags)
    return ValidationResult(diags, project, derived)


def build(
    root: Path, out_dir: Path | None = None, *, html: bool | None = None, pdf: bool | None = None
) -> BuildResult:
    """Validate, then render and write the outputs report.yaml asks for."""
    result = validate(root)
    if result.diagnostics.has_errors() or result.project is None or result.derived is None:
        return BuildResult(result)
    project, derived = result.project, result.derived
    outputs_cfg = project.config.outputs
    want_html = outputs_cfg.html if html is None else html
    want_pdf = outputs_cfg.pdf if pdf is None else pdf

    from reportgen.render.html import render_report
    from reportgen.write import write_outputs

    page = render_report(project, derived)
    outputs: dict[str, bytes] = {}
    if want_html:
        outputs[f"{outputs_cfg.basename}.html"] = page.encode("utf-8")
    if want_pdf:
        from reportgen.render.pdf import render_pdf

        outputs[f"{outputs_cfg.basename}.pdf"] = render_pdf(page, project.root)
    out = (out_dir or project.root / "build").resolve()
    write_outputs(out, outputs, _input_files(project))
    return BuildResult(result, [out / name for name in outputs])


def _input_files(project: Project) -> dict[str, bytes]:
    """Every file that shaped the report, for the manifest."""
    root = project.root
    files: dict[str, bytes] = {}
    for folder in ("content", "data", "templates"):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
    files["report.yaml"] = (root / "report.yaml").read_bytes()
    return files
