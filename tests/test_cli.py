"""The command line through Typer's runner: options, exit codes, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.diagnostics import Diagnostic, Severity
from reportgen.pipeline import validate
from reportgen.validation_report import json_document
from tests.conftest import ProjectWriter

runner = CliRunner()


def test_validate_clean_project_exits_zero(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    assert "report is valid" in result.output


def test_validate_reports_every_error_with_location(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/budget.yaml"] = files["data/budget.yaml"].replace(
        "  total: 194600", "  total: 202900"
    )
    files["content/budget.md"] += "\nWe spent {{ budget.expenditure.spnd }}.\n\n# Heading\n"
    root = write_project(files)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    out = result.output
    # Three independent problems in two files, all reported in one run, with file:line.
    assert "data/budget.yaml:21:10: error[data.total-mismatch]: income total is typed as " in out
    assert "£202,900 but the lines add up to £194,600" in out
    assert "content/budget.md:6: error[content.unresolved-reference]" in out
    assert "did you mean 'budget.expenditure.spend'?" in out
    assert "content/budget.md:8: error[content.heading-level]" in out
    # (the warnings are the budget's unexplained overspend and the completeness checklist)
    assert "\n3 error(s), " in out
    assert "Traceback" not in out


def test_unknown_key_points_at_the_key(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/budget.yaml"] = files["data/budget.yaml"].replace(
        "      amount: 5500", "      amont: 5500"
    )
    result = runner.invoke(app, ["validate", str(write_project(files))])
    assert result.exit_code == 1
    assert "data/budget.yaml:18:7: error[schema.unknown-key]: unknown key 'amont'" in result.output
    assert "did you mean 'amount'?" in result.output


def test_json_output_equals_library_result(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/budget.yaml"] = files["data/budget.yaml"].replace(
        "  total_spend: 196000", "  total_spend: 197000"
    )
    root = write_project(files)
    result = runner.invoke(app, ["validate", str(root), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    library = validate(root)
    assert library.derived is not None
    expected = json_document(
        library.diagnostics.sorted(), library.checklist, library.derived.disclosure, valid=False
    )
    assert document == json.loads(expected)
    (diag,) = [d for d in document["diagnostics"] if d["severity"] == "error"]
    assert diag["code"] == "data.total-mismatch"
    assert diag["location"]["path"] == "data/budget.yaml"
    assert diag["location"]["line"] == 37
    assert document["summary"]["errors"] == 1
    assert document["summary"]["by_code"]["data.total-mismatch"]["errors"] == 1


def test_missing_config_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "config.not-found" in result.output


def test_strict_turns_warnings_into_failure(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: object
) -> None:
    from reportgen import pipeline

    root = write_project(minimal_files)
    original = pipeline.validate

    def with_warning(path: Path) -> pipeline.ValidationResult:
        result = original(path)
        result.diagnostics.add(Diagnostic("test.warning", "a warning", Severity.WARNING))
        return result

    monkeypatch.setattr(pipeline, "validate", with_warning)  # type: ignore[attr-defined]
    assert runner.invoke(app, ["validate", str(root)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(root), "--strict"]).exit_code == 1


def test_internal_error_is_one_line_and_exit_3(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: object
) -> None:
    from reportgen import pipeline

    def boom(path: Path) -> None:
        raise RuntimeError("secret child data")

    monkeypatch.setattr(pipeline, "validate", boom)  # type: ignore[attr-defined]
    root = write_project(minimal_files)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 3
    assert "internal error in reportgen (RuntimeError)" in result.output
    assert "secret child data" not in result.output
    assert "Traceback" not in result.output


def test_build_html_only_writes_page(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    root = write_project(minimal_files)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(root), "--out", str(out), "--html-only"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file()
    assert not (out / "report.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    # The page and the open data export (on by default), never a PDF.
    assert {n for n in manifest["outputs"] if not n.startswith("data/")} == {"report.html"}
    assert "data/datapackage.json" in manifest["outputs"]
    assert "data/budget.yaml" in manifest["inputs"]


def test_build_with_errors_writes_nothing(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    files = dict(minimal_files)
    files["content/budget.md"] += "\n{{ table budget.incme }}\n"
    root = write_project(files)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "content.unknown-block" in result.output
    assert "nothing was written" in result.output
    assert not out.exists()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("reportgen ")
