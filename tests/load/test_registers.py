"""Registers as people keep them: months, labels, meetings not held, n/a, printed rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reportgen import pipeline
from reportgen.load.registers import read_header
from reportgen.model.governance import Attendance, Governance
from tests.conftest import ProjectWriter

GROUPS = """\
groups:
  - id: board
    name: Partnership Board
    purpose: The partners steer the partnership.
"""

GRID = """\
attendance_grids:
  - group: board
    file: data/board.csv
    rate_column: Attendance %
    other_columns: [Representative]
    columns:
      - header: Mar 25
        held: false
        not_held_reason: Not quorate
"""

CSV = (
    'Organisation,Representative,Jun 24,"Dec 24, north area only",2025-02,Mar 25,Attendance %\n'
    "Council,Director of children's services,present,present,apologies,,67%\n"
    "Police,,present,n/a,present,,100%\n"
    "Health,Designated nurse,absent,present,present,,67%\n"
)


def _validate(write_project: ProjectWriter, files: dict[str, str]) -> pipeline.ValidationResult:
    return pipeline.validate(write_project(files))


@pytest.mark.parametrize(
    ("header", "read"),
    [
        ("2024-12-05", ("2024-12-05", None)),
        ("2024-12", ("2024-12", None)),
        ("Dec 24", ("2024-12", None)),
        ("December 2024", ("2024-12", None)),
        ("Dec 24, north area only", ("2024-12", "Dec 24, north area only")),
        ("Spring meeting", ("Spring meeting", None)),
    ],
)
def test_a_meeting_heading_gives_its_date_or_month_and_label(
    header: str, read: tuple[str, str | None]
) -> None:
    assert read_header(header) == read


def test_a_register_as_kept_becomes_meetings_in_printed_order(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = _validate(
        write_project,
        {**minimal_files, "data/governance.yaml": GROUPS + GRID, "data/board.csv": CSV},
    )
    assert not result.diagnostics.has_errors(), result.diagnostics.errors
    assert result.project is not None
    gov = result.project.dataset("governance", Governance)
    assert gov is not None
    june, december, february, march = gov.meetings
    assert (june.date, june.month_only, june.label) == (dt.date(2024, 6, 1), True, None)
    assert december.label == "Dec 24, north area only"
    assert december.attendance["Police"] is Attendance.NOT_APPLICABLE
    assert february.date == dt.date(2025, 2, 1) and february.month_only
    assert (march.held, march.not_held_reason, march.attendance) == (False, "Not quorate", {})
    assert len(gov.held("board")) == 3
    # The representative column is read past; the rate column becomes printed rates.
    assert "Director of children's services" not in june.attendance
    assert [(r.organisation, r.percent) for r in gov.printed_rates] == [
        ("Council", Decimal(67)),
        ("Police", Decimal(100)),
        ("Health", Decimal(67)),
    ]


def test_a_printed_rate_the_marks_do_not_give_is_an_error_at_its_cell(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    wrong = CSV.replace("absent,present,present,,67%", "absent,present,present,,75%")
    result = _validate(
        write_project,
        {**minimal_files, "data/governance.yaml": GROUPS + GRID, "data/board.csv": wrong},
    )
    (error,) = [d for d in result.diagnostics if d.code == "data.attendance-rate-mismatch"]
    assert error.location is not None
    assert (error.location.path, error.location.row, error.location.field) == (
        "data/board.csv",
        4,
        "Attendance %",
    )
    assert "printed as 75% but the marks give 2 of 3 = 66.67%, 67% rounded to the nearest" in (
        error.message
    )


def test_the_rounding_rule_decides_what_a_printed_rate_must_be(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    typed = (
        GROUPS
        + """\
meetings:
  - {group: board, date: 2024-06-04, attendance: {Council: present, Police: present}}
  - {group: board, date: 2024-09-03, attendance: {Council: present, Police: absent}}
  - {group: board, date: 2024-12-03, attendance: {Council: absent, Police: present}}
printed_rates:
  - {group: board, organisation: Council, percent: 66, rounding: whole_down}
  - {group: board, organisation: Police, percent: 66.7, rounding: one_decimal}
  - {group: board, organisation: Police, percent: 66}
"""
    )
    result = _validate(write_project, {**minimal_files, "data/governance.yaml": typed})
    found = [d for d in result.diagnostics if d.code.startswith("data.attendance-rate")]
    assert [(d.code, d.location.line if d.location else None) for d in found] == [
        ("data.attendance-rate-mismatch", 12)
    ]


def test_a_meeting_not_held_cannot_carry_marks(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    typed = GROUPS + (
        "meetings:\n  - group: board\n    date: 2024-06\n    held: false\n"
        "    attendance: {Council: present}\n"
    )
    result = _validate(write_project, {**minimal_files, "data/governance.yaml": typed})
    assert any("not held cannot have attendance" in d.message for d in result.diagnostics.errors)
