"""Last year's project as a source of truth: its plan against this year's report."""

from __future__ import annotations

from pathlib import Path

from reportgen import pipeline
from tests.conftest import MINIMAL_CONFIG, ProjectWriter

LAST_YEAR_PLAN = """\
priorities:
  - id: exploitation
    title: Exploitation
    rationale: Harm outside the family.
    planned_impact: Young people are safer.
    progress: [A forum met every week.]
    status: amber
next_year:
  period: 2024/25
  actions:
    - title: A shared multi-agency data set
      description: Build one data set across the partnership to spot trends early.
    - title: Safer sleeping campaign
      description: Run a campaign with midwives and health visitors about safe sleep.
"""
THIS_YEAR_PLAN = """\
priorities:
  - id: exploitation
    title: Exploitation
    rationale: Harm outside the family.
    planned_impact: Young people are safer.
    progress: [The forum kept meeting every week.]
    status: amber
next_year:
  period: 2025/26
  actions:
    - title: A shared multi-agency data-set
      description: Build one data set across the partnership, to spot trends early!
"""


def _projects(write_project: ProjectWriter, tmp_path: Path) -> Path:
    last = tmp_path / "last"
    for rel, text in {
        "report.yaml": MINIMAL_CONFIG.replace("2024/25", "2023/24")
        .replace("2024-04-01", "2023-04-01")
        .replace("2025-03-31", "2024-03-31")
        .replace("budget.md", "plan.md"),
        "data/priorities.yaml": LAST_YEAR_PLAN,
        "content/plan.md": "Our plan.\n",
    }.items():
        (last / rel).parent.mkdir(parents=True, exist_ok=True)
        (last / rel).write_text(text, encoding="utf-8")
    config = MINIMAL_CONFIG.replace("budget.md", "plan.md") + "last_year:\n  project: ../last\n"
    return write_project(
        {
            "report.yaml": config,
            "data/priorities.yaml": THIS_YEAR_PLAN,
            "content/plan.md": "We held a safe sleeping campaign with midwives.\n",
        }
    )


def test_a_plan_item_almost_the_same_as_last_years_is_reported(
    write_project: ProjectWriter, tmp_path: Path
) -> None:
    root = _projects(write_project, tmp_path)
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "history.plan-repeated"]
    assert len(found) == 1, [d.format_text() for d in found]
    assert "'A shared multi-agency data-set'" in found[0].message
    assert "../last/data/priorities.yaml:" in found[0].message
    assert found[0].location is not None and found[0].location.path == "data/priorities.yaml"


def test_an_item_of_last_years_plan_never_mentioned_is_reported(
    write_project: ProjectWriter, tmp_path: Path
) -> None:
    root = _projects(write_project, tmp_path)
    found = [
        d for d in pipeline.validate(root).diagnostics if d.code == "history.plan-not-reported"
    ]
    # The data set is only planned again (next year's plan is no report); the campaign is
    # mentioned in the narrative.
    assert len(found) == 1, [d.format_text() for d in found]
    assert "had 'A shared multi-agency data set'" in found[0].message


def test_a_missing_last_year_folder_is_an_error(write_project: ProjectWriter) -> None:
    config = MINIMAL_CONFIG + "last_year:\n  project: ../nowhere\n"
    root = write_project(
        {
            "report.yaml": config,
            "data/budget.yaml": "",
            "content/budget.md": "Text.\n",
        }
    )
    found = [
        d for d in pipeline.validate(root).diagnostics if d.code == "history.last-year-missing"
    ]
    assert len(found) == 1
    assert found[0].location is not None and found[0].location.path == "report.yaml"
    assert "no such folder" in found[0].message
