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


def test_this_years_plan_with_errors_is_not_read_as_a_plan_that_says_nothing(
    write_project: ProjectWriter, tmp_path: Path
) -> None:
    root = _projects(write_project, tmp_path)
    (root / "data/priorities.yaml").write_text("priorities: [\n", encoding="utf-8")
    diagnostics = list(pipeline.validate(root).diagnostics)
    # The file's own error is reported; last year's items are not each said unreported.
    assert any(
        d.severity.value == "error" and d.location and d.location.path == "data/priorities.yaml"
        for d in diagnostics
    )
    assert "history.plan-not-reported" not in [d.code for d in diagnostics]


def test_with_no_plan_this_year_an_unreported_item_points_at_last_year_in_report_yaml(
    write_project: ProjectWriter, tmp_path: Path
) -> None:
    root = _projects(write_project, tmp_path)
    (root / "data/priorities.yaml").unlink()
    found = [
        d for d in pipeline.validate(root).diagnostics if d.code == "history.plan-not-reported"
    ]
    assert found, "last year's data set item is mentioned nowhere this year"
    for d in found:  # a place to click: the line that names last year's project
        assert d.location is not None and d.location.path == "report.yaml"
        assert d.location.line is not None
        lines = (root / "report.yaml").read_text(encoding="utf-8").splitlines()
        assert "../last" in lines[d.location.line - 1]


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


EXPORT_CSV = """\
time_period,time_identifier,geographic_level,indicator_group,indicator,indicator_label,comparator,count,percent
202324,Financial year,Local authority,Children,cic,Children in care,Reporting area,426,z
202324,Financial year,Local authority,Children,cic,Children in care,England,83630,z
202324,Financial year,Local authority,Children,uasc,Unaccompanied children,Reporting area,c,z
"""
EXPORT_INDICATORS = """\
groups:
  - id: children
    title: Children
indicators:
  - id: cic
    label: Children in care
    group: children
    unit: count
    value: 404
    prior: 427
    prior_period: 2023/24
  - id: uasc
    label: Unaccompanied children
    group: children
    unit: count
    value: 26
    prior: 32
    prior_period: 2023/24
"""


def test_prior_values_are_checked_against_last_years_data_export(
    write_project: ProjectWriter,
) -> None:
    config = MINIMAL_CONFIG + "last_year:\n  export: last/data\n"
    root = write_project(
        {
            "report.yaml": config.replace("budget.md", "snapshot.md"),
            "data/indicators.yaml": EXPORT_INDICATORS,
            "content/snapshot.md": "Text.\n",
            "last/data/indicators.csv": EXPORT_CSV,
        }
    )
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "history.prior-mismatch"]
    # cic differs; uasc was withheld (c) in the export, so there is nothing to compare.
    assert len(found) == 1, [d.format_text() for d in found]
    assert found[0].message == (
        "indicator 'cic': 2023/24 is 427 here, but last year's data export published 426 "
        "(last/data/indicators.csv row 2)"
    )
    assert found[0].location is not None and found[0].location.path == "data/indicators.yaml"


def test_last_years_files_are_inputs_of_this_report() -> None:
    from reportgen.diagnostics import DiagnosticList
    from reportgen.project import load_project, project_files
    from tests.conftest import REPO

    project = load_project(REPO, DiagnosticList())
    assert project is not None
    files = project_files(project)
    # A change to last year's report changes what validate says: the build cache and
    # serve's watcher must see it.
    assert "archive/2023-24/data/indicators.yaml" in files
    assert "archive/2023-24/report.yaml" in files


def test_warnings_in_a_file_not_reviewed_fold_into_its_one_item_errors_do_not(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
) -> None:
    config = minimal_files["report.yaml"] + (
        "last_year:\n  not_reviewed:\n    - content/budget.md\n"
    )
    root = write_project(
        {
            **minimal_files,
            "report.yaml": config,
            "content/budget.md": minimal_files["content/budget.md"]
            + "\nThe total for next year is TBC.\n\nWe spent {{ budget.nothing }}.\n",
        }
    )
    diags = list(pipeline.validate(root).diagnostics)
    ready = [d for d in diags if d.code == "ready.not-reviewed"]
    assert len(ready) == 1
    assert ready[0].message.startswith("content/budget.md is carried over from 2023/24")
    assert "wait for that: content.placeholder" in ready[0].message
    assert not [d for d in diags if d.code == "content.placeholder"]  # folded
    unresolved = [d for d in diags if d.code == "content.unresolved-reference"]
    assert len(unresolved) == 1 and unresolved[0].severity.value == "error"  # never folded


def test_the_plan_matcher_agrees_with_difflib_ratio_on_every_pair() -> None:
    """The prefilter (real_quick_ratio, quick_ratio, one indexed matcher per text of
    last year's plan) only saves time: its verdicts are exactly ratio's."""
    from difflib import SequenceMatcher

    from reportgen.lastyear import _alike, _normal

    root = Path(__file__).resolve().parent.parent
    texts = [
        _normal(line)
        for name in ("data/priorities.yaml", "archive/2023-24/data/priorities.yaml")
        for line in (root / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += ["safer sleeping campaign", "a safer sleeping campaign with midwives", ""]
    checked = near = 0
    for b in texts[:50]:
        matcher = SequenceMatcher(None, "", b)
        for a in texts[:50]:
            ratio = SequenceMatcher(None, a, b).ratio()
            for need in (0.6, 0.85):
                assert _alike(matcher, a, need) == (ratio >= need), (a, b, need)
                checked += 1
                near += abs(ratio - need) < 0.1
    assert checked >= 5_000 and near > 0  # pairs on both sides of the line were met
