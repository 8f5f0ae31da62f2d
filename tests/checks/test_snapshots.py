"""Older periods left in: headings naming last year in words, snapshots of mixed dates.

A fresh `reportgen init` project covers 2025/26; its indicators cp_plans and cin are
both counted at 31 March 2026 (group 'children').
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic
from reportgen.pipeline import validate


def _found(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in validate(root).diagnostics if d.code == code]


def _add_heading(root: Path, heading: str) -> None:
    path = root / "content" / "02-arrangements.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n## {heading}\n\nText.\n")


@pytest.mark.parametrize(
    "heading", ["Our year, 2024 to 2025", "April 2024 to March 2025", "Apr 2023 – Mar 2024"]
)
def test_a_heading_naming_last_year_in_words_is_caught(fresh: Path, heading: str) -> None:
    _add_heading(fresh, heading)
    (found,) = _found(fresh, "dates.stale-heading")
    assert "but the report covers 2025 to 2026" in found.message


@pytest.mark.parametrize(
    "heading",
    [
        "Our year, 2025 to 2026",
        "April 2025 to March 2026",
        "Contacts from 2023 to 2026 compared",  # a comparison names other years on purpose
        "Plans from 2020 to 2030",  # not one year
    ],
)
def test_headings_for_this_year_or_comparisons_are_not_flagged(fresh: Path, heading: str) -> None:
    _add_heading(fresh, heading)
    assert not _found(fresh, "dates.stale-heading")


SECOND = """
  - id: looked_after
    label: children in care
    group: children
    unit: count
    value: 280
    as_at: {day}
"""


def _with_second(root: Path, day: str, extra: str = "") -> None:
    path = root / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    as_at: 2026-03-31\n" in text  # cp_plans, group children
    path.write_text(text + SECOND.format(day=day) + extra, encoding="utf-8")


def test_figures_of_one_snapshot_date_are_not_flagged(fresh: Path) -> None:
    _with_second(fresh, "2026-03-31")
    assert not _found(fresh, "dates.mixed-snapshot")


def test_an_older_figure_in_a_snapshot_group_is_caught(fresh: Path) -> None:
    # 30 September 2025 is inside the period, so only the snapshot's other date shows it.
    _with_second(fresh, "2025-09-30")
    (found,) = _found(fresh, "dates.mixed-snapshot")
    assert "'looked_after'" in found.message
    assert "30 September 2025" in found.message and "31 March 2026" in found.message
    assert found.location is not None and found.location.path == "data/indicators.yaml"


def test_an_older_figure_marked_prior_is_not_flagged(fresh: Path) -> None:
    _with_second(fresh, "2025-09-30", "    timing: prior\n")
    assert not _found(fresh, "dates.mixed-snapshot")
