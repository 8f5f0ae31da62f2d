"""`validate` is the gate of `build`: a project it passes must build.

Every fixture project under tests/ (the broken and hostile cases over their base, and
the projects of tests/projects/) that validates without errors is built with
`build --html-only`: the outcome must be outputs or diagnostics, never exit 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import validate
from tests.hostile.fixtures import BASE, Case, load_cases

HERE = Path(__file__).resolve().parent
PROJECTS = sorted(p for p in (HERE / "projects").iterdir() if (p / "report.yaml").is_file())
HOSTILE = load_cases()


def _gate(root: Path) -> None:
    if validate(root).diagnostics.has_errors():
        return  # validate stops it: build never starts
    done = CliRunner().invoke(app, ["build", str(root), "--html-only", "--format", "json"])
    assert done.exit_code in (0, 1), done.output
    assert "Traceback" not in done.output and "internal error" not in done.output
    assert (root / "build").is_dir() == (done.exit_code == 0)


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_case_that_validates_builds(case: Case, tmp_path: Path) -> None:
    _gate(case.materialise(tmp_path))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_project_that_validates_builds(project: Path, tmp_path: Path) -> None:
    root = tmp_path / project.name
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("build", "case.yaml"))
    _gate(root)


def test_the_base_project_validates_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "base"
    shutil.copytree(BASE, root)
    _gate(root)
    assert (root / "build").is_dir()
