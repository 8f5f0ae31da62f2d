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
from tests.conftest import REPO, ProjectWriter, copy_project

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
    root = copy_project(tmp_path / "arrangements", ARRANGEMENTS)
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


def test_dates_and_posts_of_the_real_pair() -> None:
    plan, report = validate_together([ARRANGEMENTS, REPO])
    assert not any(d.code.startswith("across.") for d in plan.diagnostics)
    found = [
        (d.code, str(d.location), d.message)
        for d in report.diagnostics
        if d.code in {"across.date-differs", "across.posts-differ"}
    ]
    # Both say the arrangements were published on 19 November 2024: nothing to report.
    # The arrangements promised a scrutineer by the end of December 2024; the report says
    # one was appointed in June 2025. The report's business unit (a business manager and a
    # 0.25 training coordinator) is two posts short of the arrangements' four.
    assert found == [
        (
            "across.date-differs",
            "data/governance.yaml:165:14",
            "the annual report says the independent scrutineer was appointed in June 2025, "
            "after 31 December 2024, the date by which the arrangements said one would be "
            "(arrangements/data/arrangements.yaml:105:15)",
        ),
        (
            "across.posts-differ",
            "data/governance.yaml:170:3",
            "the annual report states a business unit of 2 posts, 1.25 FTE (Business manager "
            "1; Training coordinator 0.25), but the arrangements set out 4 posts, 2.25 FTE "
            "(Service Manager 1; Learning and Workforce Development Lead 0.25; Partnership "
            "Coordinator 0.4; Partnership Development Lead 0.6) "
            "(arrangements/data/arrangements.yaml:40:3)",
        ),
    ]


# An annual report of the same partnership that states the arrangements' dates and posts.
GOVERNANCE = """\
arrangements_published: 2024-11-19
scrutiny:
  appointed: {appointed}
business_unit:
  posts:
    - title: Service manager
      fte: 1
    - title: Learning and workforce development lead
      fte: 0.25
    - title: Partnership coordinator
      fte: 0.4
    - title: Partnership development lead
      fte: 0.6
"""


def _seeded(
    tmp_path: Path,
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    appointed: str,
    changes: dict[str, str],
) -> list[tuple[str, str, str]]:
    """The dates' and posts' findings for the example arrangements, with `changes` (old
    text -> new text, in its report.yaml and data/arrangements.yaml), against a small annual
    report that states the same publication date and posts, and a scrutineer appointed on
    `appointed`."""
    root = tmp_path / "arrangements"
    # A fresh copy each call (over the last one), so that a test can seed twice.
    shutil.copytree(ARRANGEMENTS, root, ignore=shutil.ignore_patterns("build"), dirs_exist_ok=True)
    for name in ("report.yaml", "data/arrangements.yaml"):
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    files = dict(minimal_files)
    files["data/governance.yaml"] = GOVERNANCE.format(appointed=appointed)
    _plan, report = validate_together([root, write_project(files)])
    return [
        (d.code, str(d.location), d.message)
        for d in report.diagnostics
        if d.code in {"across.date-differs", "across.posts-differ"}
    ]


def test_agreeing_dates_and_posts_give_nothing(
    tmp_path: Path, write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Appointed on a day before the date the arrangements promised.
    assert _seeded(tmp_path, write_project, minimal_files, "2024-12-02", {}) == []
    # A month agrees with a day of that month.
    stated = {"appoint_by: 2024-12-31": "appointed: 2024-12-02"}
    assert _seeded(tmp_path, write_project, minimal_files, "2024-12", stated) == []


def test_a_publication_date_that_differs(
    tmp_path: Path, write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    later = {"published: 2024-11-19": "published: 2024-11-26"}
    assert _seeded(tmp_path, write_project, minimal_files, "2024-12-02", later) == [
        (
            "across.date-differs",
            "data/governance.yaml:1:25",
            "the annual report says the arrangements were published on 19 November 2024, "
            "but the arrangements give 26 November 2024 (arrangements/report.yaml:15:12)",
        )
    ]


def test_a_scrutineer_appointed_on_another_date(
    tmp_path: Path, write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    stated = {"appoint_by: 2024-12-31": "appointed: 2024-12-02"}
    found = _seeded(tmp_path, write_project, minimal_files, "2025-01", stated)
    assert [(code, where) for code, where, _ in found] == [
        ("across.date-differs", "data/governance.yaml:3:14")
    ]
    assert found[0][2] == (
        "the annual report says the independent scrutineer was appointed in January 2025, "
        "but the arrangements say 2 December 2024 (arrangements/data/arrangements.yaml:105:14)"
    )
    # Appointed later than the date the arrangements promised.
    late = _seeded(tmp_path, write_project, minimal_files, "2025-01-06", {})
    assert [message for _, _, message in late] == [
        "the annual report says the independent scrutineer was appointed on 6 January 2025, "
        "after 31 December 2024, the date by which the arrangements said one would be "
        "(arrangements/data/arrangements.yaml:105:15)"
    ]


def test_a_business_unit_with_another_fte(
    tmp_path: Path, write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    fuller = {"      fte: 0.4\n": "      fte: 0.5\n"}
    found = _seeded(tmp_path, write_project, minimal_files, "2024-12-02", fuller)
    assert [(code, where) for code, where, _ in found] == [
        ("across.posts-differ", "data/governance.yaml:5:3")
    ]
    assert "4 posts, 2.25 FTE (Service manager 1;" in found[0][2]
    assert "set out 4 posts, 2.35 FTE (Service Manager 1;" in found[0][2]


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
