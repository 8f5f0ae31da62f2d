"""What `reportgen validate` prints: text with checklist and summaries, JSON, GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.diagnostics import Diagnostic, Location, Severity
from tests.conftest import REPO

runner = CliRunner()
PROJECTS = REPO / "tests" / "projects"


def test_text_output_has_details_checklist_listing_and_summaries() -> None:
    result = runner.invoke(app, ["validate", str(REPO)])
    assert result.exit_code == 0, result.output
    out = result.output
    details = out.index("data/budget.yaml:54:16: warning[data.overspend-unexplained]")
    checklist = out.index("Completeness: Working Together to Safeguard Children 2023")
    listing = out.index("Disclosure control: counts of children from 1 to 5")
    by_file = out.index("Summary by file:")
    by_code = out.index("Summary by code:")
    assert details < checklist < listing < by_file < by_code
    assert "  data/budget.yaml: 1 warning(s)" in out
    assert "  content.change-without-prior: 1 warning(s)" in out
    assert "[x] met     must   reviews: Child safeguarding practice reviews" in out
    assert "0 error(s), 5 warning(s)" in out  # README: the example's known warnings
    assert "report is valid" in out


def test_strict_turns_the_example_warnings_into_errors() -> None:
    result = runner.invoke(app, ["validate", str(REPO), "--strict"])
    assert result.exit_code == 1
    assert "error[data.overspend-unexplained]" in result.output
    assert "5 error(s), 0 warning(s)" in result.output
    assert "report is valid" not in result.output


def test_json_document_shape() -> None:
    result = runner.invoke(app, ["validate", str(REPO), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) == {
        *("schema_version", "command", "valid"),
        *("diagnostics", "summary", "checklist", "disclosure"),
    }
    assert (document["command"], document["valid"]) == ("validate", True)
    summary = document["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (0, 5, 0)
    assert summary["by_file"]["data/budget.yaml"] == {"errors": 0, "warnings": 1, "infos": 0}
    assert document["checklist"]["profile"] == "wt2023"
    item = document["checklist"]["items"][0]
    assert set(item) == {"id", "requirement", "title", "status", "found", "missing"}
    assert document["disclosure"]["withheld"]


def test_github_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    case = PROJECTS / "seed-overspend"
    result = runner.invoke(app, ["validate", str(case), "--format", "github"])
    assert result.exit_code == 0
    rel = case.relative_to(REPO).as_posix()
    assert result.stdout.splitlines()[0] == (
        f"::warning file={rel}/data/budget.yaml,line=36,col=16,"
        "title=data.overspend-unexplained::spend of £196,000 is £1,400 more than income "
        "(£194,600), and the report does not say how it was met [data.overspend-unexplained]"
        "%0Ahint: record reserves_used or income.brought_forward, or explain it in "
        "expenditure.variance_note"
    )


def test_github_errors_fail_and_escape_properties(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECTS / "seed-small-counts")
    result = runner.invoke(app, ["validate", ".", "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=content/deaths.md,line=1,title=disclosure.count-in-text::'3 children'"
    )
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_github_message_escaping() -> None:
    d = Diagnostic(
        "data.total-mismatch",
        "50% off, a: b\nnext",
        Severity.INFO,
        Location("data/a,b:c.yaml", 3),
    )
    assert d.format_github() == (
        "::notice file=data/a%2Cb%3Ac.yaml,line=3,title=data.total-mismatch::"
        "50%25 off, a: b%0Anext [data.total-mismatch]"
    )


def test_raised_severity_fails_the_run() -> None:
    result = runner.invoke(app, ["validate", str(PROJECTS / "config-severity")])
    assert result.exit_code == 1
    assert "content/main.md:1: error[content.placeholder]" in result.output


def test_no_traceback_for_a_broken_profile(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(
        (PROJECTS / "seed-placeholder" / "report.yaml")
        .read_text(encoding="utf-8")
        .replace("profile: none", "profile: checks/p.yaml"),
        encoding="utf-8",
    )
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "thresholds.md").write_text("Thresholds.\n", encoding="utf-8")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "p.yaml").write_text("id: [1\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "checks/p.yaml:" in result.output and "yaml.syntax" in result.output
    assert "Traceback" not in result.output
