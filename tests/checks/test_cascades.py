"""A file with errors is reported once, where it is wrong: nothing cascades into others.

Each case makes one business-manager mistake in a fresh `reportgen init` project and
checks that every error and warning is in the file that was touched, and that one
note says how many other checks waited for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Severity
from reportgen.pipeline import validate
from tests.conftest import edit_once


def test_a_fresh_project_has_no_skipped_checks(fresh: Path) -> None:
    result = validate(fresh)
    assert not result.diagnostics.has_errors()
    assert not [d for d in result.diagnostics if d.code == "load.checks-skipped"]


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        # A bad indicator value: the glance page's figures are not "unknown" in report.yaml.
        ("data/indicators.yaml", "    value: 9250", "    value: lots"),
        ("data/indicators.yaml", "    value: 9250", "    value: 2.5"),
        # A bad cell: the totals typed in training.yaml are not "wrong", no empty chart.
        ("data/training-courses.csv", "Working with neglect,4,120", "Working with neglect,4,12o"),
        # A bad total in training.yaml: the checklist does not call the file missing.
        ("data/training.yaml", "  bookings: 520", "  bookings: abc"),
        # A bad table cell: its chart is not "empty".
        ("data/tables/contacts-by-source.csv", "Police,820", "Police,82o"),
    ],
)
def test_one_mistake_is_reported_only_in_its_own_file(
    fresh: Path, rel: str, old: str, new: str
) -> None:
    edit_once(fresh, rel, old, new)
    diags = validate(fresh).diagnostics
    loud = [d for d in diags if d.severity is not Severity.INFO]
    assert loud, "the mistake itself must be reported"
    assert all(d.severity is Severity.ERROR for d in loud), [d.format_text() for d in loud]
    assert {d.location.path for d in loud if d.location} == {rel}, [d.format_text() for d in diags]
    (skipped,) = [d for d in diags if d.code == "load.checks-skipped"]
    assert skipped.location is not None and skipped.location.path == rel
    # One bad row or item leaves the rest loaded, so as few as one check may wait.
    assert skipped.message.endswith(
        (
            f"other checks skipped because {rel} has errors",
            f"other check skipped because {rel} has errors",
        )
    )
    assert int(skipped.message.split()[0]) >= 1
    assert not [d for d in diags if d.code.startswith("completeness.")]


def test_capitalised_csv_headers_are_one_note_not_six_errors(fresh: Path) -> None:
    edit_once(
        fresh,
        "data/training-courses.csv",
        "course,occurrences,bookings,attended,cancellations",
        "Course,Occurrences,Bookings,Attended, Cancellations",
    )
    diags = validate(fresh).diagnostics
    assert not diags.has_errors(), [d.format_text() for d in diags]
    (note,) = [d for d in diags if d.location and d.location.path == "data/training-courses.csv"]
    assert note.code == "csv.header-case"
    assert note.severity is Severity.INFO
    assert "'Course' as 'course'" in note.message
    assert "'Cancellations' as 'cancellations'" in note.message


def test_spaced_headers_match_underscored_columns(fresh: Path) -> None:
    edit_once(
        fresh,
        "data/training-by-organisation.csv",
        "organisation_type,",
        "Organisation type,",
    )
    diags = validate(fresh).diagnostics
    assert not diags.has_errors(), [d.format_text() for d in diags]
    assert [d.code for d in diags if d.code.startswith("csv.")] == ["csv.header-case"]
