"""Small rules behind the checks, one at a time."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from reportgen import pipeline
from reportgen.checks.arithmetic import possible_share, unit_of
from reportgen.checks.periods import _LABEL, label_start
from reportgen.checks.text import mask_refs
from tests.conftest import ProjectWriter


@pytest.mark.parametrize(
    ("percent", "cases", "possible"),
    [
        ("56", 7, False),  # AR 1216: 4 of 7 is 57%
        ("57", 7, True),
        ("57.1", 7, True),
        ("33", 10, False),
        ("40", 10, True),
        ("0", 3, True),
        ("100", 3, True),
        ("12.5", 8, True),
    ],
)
def test_possible_share(percent: str, cases: int, possible: bool) -> None:
    assert possible_share(Decimal(percent), cases) is possible


def test_unit_of_the_last_digit() -> None:
    assert unit_of(Decimal("32.1")) == Decimal("0.1")
    assert unit_of(Decimal("57")) == 1
    assert unit_of(Decimal("4.90")) == Decimal("0.01")


@pytest.mark.parametrize(
    ("text", "first"),
    [("2024/25", 2024), ("2024-25", 2024), ("2024–25", 2024), ("2024/2025", 2024),
     ("2023-26", None), ("2099/00", 2099)],
)  # fmt: skip
def test_year_labels(text: str, first: int | None) -> None:
    match = _LABEL.fullmatch(text)
    assert match is not None
    assert label_start(match) == first


def test_masked_references_keep_offsets_and_have_no_words() -> None:
    text = "We spent {{ budget.expenditure.spend }} this year."
    masked = mask_refs(text)
    assert len(masked) == len(text)
    assert masked.index("this year") == text.index("this year")
    assert not re.search(r"[A-Za-z0-9]", masked[9:38])


def test_a_warning_can_be_lowered_to_an_info(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files}
    files["report.yaml"] += (
        "  data: false\n"  # no open data export, so no ONS code is needed
        "validation:\n  profile: none\n  severity:\n    data.overspend-unexplained: info\n"
    )
    result = pipeline.validate(write_project(files))
    (diag,) = result.diagnostics
    assert (diag.code, diag.severity.value) == ("data.overspend-unexplained", "info")


def test_a_balance_brought_forward_explains_an_overspend(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files}
    files["report.yaml"] += "validation:\n  profile: none\n"
    files["data/budget.yaml"] = files["data/budget.yaml"].replace(
        "  total: 194600\n", "  total: 194600\n  brought_forward: 1400\n"
    )
    assert list(pipeline.validate(write_project(files)).diagnostics) == []


def test_a_variance_note_explains_an_overspend(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files}
    files["report.yaml"] += "validation:\n  profile: none\n"
    files["data/budget.yaml"] += "  variance_note: The £1,400 was met by the council at year end.\n"
    assert list(pipeline.validate(write_project(files)).diagnostics) == []


def test_impossible_dates_and_huge_counts_do_not_crash(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    reviews = """\
events:
  - title: Conference (January 0000)
audits:
  - id: big
    title: A very large audit
    cases: 99999999
    gradings:
      - grade: Good
        percent: 33.3
"""
    files = {**minimal_files, "data/reviews.yaml": reviews}
    files["report.yaml"] += "validation:\n  profile: none\n"
    files["content/budget.md"] += (
        "\nWe will meet in January 0000. See [x](" + "a" * 5000 + ".pdf).\n"
    )
    result = pipeline.validate(write_project(files))
    codes = {d.code for d in result.diagnostics}
    assert "dates.outside-period" not in codes
    assert "data.percent-impossible" not in codes


def test_a_profile_with_a_bad_pattern_is_a_schema_error(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    profile = """\
id: ours
title: Ours
items:
  - id: x
    requirement: must
    title: X
    description: X.
    hint: Add X.
    evidence:
      - heading: "scrutiny("
        label: a heading
"""
    files = {**minimal_files, "checks/p.yaml": profile}
    files["report.yaml"] += "validation:\n  profile: checks/p.yaml\n"
    result = pipeline.validate(write_project(files))
    (diag,) = [d for d in result.diagnostics if d.code == "schema.invalid"]
    assert "not a valid regular expression" in diag.message
    assert diag.location is not None and diag.location.path == "checks/p.yaml"


def test_year_labels_in_data_name_the_report_year(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Each label the schema marks as a year is checked, with its own message; a figure
    # marked as another year's (timing: comparator) is not.
    indicators = """\
groups:
  - id: children
    title: Children
indicators:
  - id: supported
    label: Children supported
    group: children
    unit: count
    value: 3502
    period: 2023/24
    prior: 3400
    prior_period: 2022-23
  - id: national
    label: National rate
    group: children
    unit: count
    value: 10
    period: 2021/22
    timing: comparator
"""
    priorities = """\
priorities:
  - id: csa
    title: Child sexual abuse
    rationale: Rapid reviews kept raising concerns.
    planned_impact: Children get a joined-up response.
    progress:
      - An audit of the response was completed.
    status: green
next_year:
  period: 2024/25
"""
    files = {
        **minimal_files,
        "data/indicators.yaml": indicators,
        "data/priorities.yaml": priorities,
    }
    files["report.yaml"] += "validation:\n  profile: none\n"
    files["data/budget.yaml"] = files["data/budget.yaml"].replace("2024/25", "2023/24", 1)
    result = pipeline.validate(write_project(files))
    found = []
    for d in result.diagnostics:
        if d.code == "dates.wrong-year":
            assert d.location is not None
            found.append((d.location.path, d.location.line, d.message, d.hint))
    assert sorted(found) == [
        (
            "data/budget.yaml",
            1,
            "the budget is for 2023/24 but the report covers 2024/25",
            "use this year's budget, or correct the year",
        ),
        (
            "data/indicators.yaml",
            10,
            "indicator 'supported': the figure is for 2023/24, expected 2024/25",
            "use the figure for the right year, or mark it 'timing: comparator'",
        ),
        (
            "data/indicators.yaml",
            12,
            "indicator 'supported': the previous figure is for 2022-23, expected 2023/24",
            "use the figure for the right year, or mark it 'timing: comparator'",
        ),
        (
            "data/priorities.yaml",
            10,
            "next year's plan is labelled 2024/25; the year after 2024/25 is 2025/26",
            "correct the year label",
        ),
    ]
