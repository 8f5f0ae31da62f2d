"""`reportgen validate A B`: published arrangements against an annual report of the same
partnership (the two Newham projects of the repository)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.pipeline import validate_together
from tests.conftest import REPO

ARRANGEMENTS = REPO / "examples" / "arrangements"
runner = CliRunner()


def test_planned_and_actual_income_by_partner() -> None:
    plan, report = validate_together([ARRANGEMENTS, REPO])
    assert not any(d.code == "across.income-differs" for d in plan.diagnostics)
    found = [d for d in report.diagnostics if d.code == "across.income-differs"]
    # Only the council's children's social care line differs: £115,000 expected, £107,000
    # paid (data/budget.yaml). Every other partner paid what the arrangements expected.
    assert [(str(d.location), d.message) for d in found] == [
        (
            "data/budget.yaml:26:15",
            "LBN - CSC paid £107,000, £8,000 less than the £115,000 the arrangements "
            "expected (arrangements/data/arrangements.yaml:22:15)",
        )
    ]


def test_a_partner_with_no_income_line_and_another_year(tmp_path: Path) -> None:
    root = tmp_path / "arrangements"
    shutil.copytree(ARRANGEMENTS, root, ignore=shutil.ignore_patterns("build"))
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8")
    extra = "    - contributor: Fire Brigade\n      partner: fire\n      amount: 1000\n"
    data.write_text(text.replace("  lines:\n", "  lines:\n" + extra, 1), encoding="utf-8")
    _plan, report = validate_together([root, REPO])
    messages = [d.message for d in report.diagnostics if d.code == "across.income-differs"]
    assert messages[0].startswith("the arrangements expected £1,000 from Fire Brigade")
    assert messages[0].endswith("but the budget has no income line for it")
    # Funding for another year is not compared with this year's budget.
    data.write_text(text.replace("  year: 2024/25", "  year: 2025/26"), encoding="utf-8")
    _plan, report = validate_together([root, REPO])
    assert not [d for d in report.diagnostics if d.code == "across.income-differs"]


def test_cli_validates_both_and_prints_one_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # paths are printed from the current folder
    result = runner.invoke(app, ["validate", "-q", str(ARRANGEMENTS), str(REPO)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "across.income-differs" in line]
    assert len(lines) == 1 and "LBN - CSC paid £107,000" in lines[0]
    # Each project's own problems, each under its own folder.
    assert "\nexamples/arrangements/data/arrangements.yaml:62:5: warning" in result.output
    assert "\ndata/budget.yaml:26:15: warning[across.income-differs]" in result.output
    strict = runner.invoke(app, ["validate", "--strict", str(ARRANGEMENTS), str(REPO)])
    assert strict.exit_code == 1
    as_json = runner.invoke(app, ["validate", "--format", "json", str(ARRANGEMENTS), str(REPO)])
    document = json.loads(as_json.output)
    codes = [d["code"] for d in document["diagnostics"]]
    assert codes.count("across.income-differs") == 1 and document["valid"] is True
