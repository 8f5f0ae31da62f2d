"""Attendance registers kept as a grid (CSV or a workbook sheet) become meetings."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from reportgen import pipeline
from reportgen.model.governance import Attendance, Governance
from tests.conftest import ProjectWriter

GROUPS = """\
groups:
  - id: executive
    name: Executive
    purpose: The delegated safeguarding partners steer the partnership.
"""

TYPED = (
    GROUPS
    + """\
meetings:
  - group: executive
    date: 2024-05-14
    attendance:
      Council: present
      Police: apologies
      ICB: present
  - group: executive
    date: 2024-09-10
    attendance:
      Council: present
      Police: present
"""
)

GRID: list[list[object]] = [
    ["Executive attendance 2024/25"],
    [],
    ["Organisation", "2024-05-14", "2024-09-10"],
    ["Council", "Present", "present"],
    ["Police", "Apologies", "Present"],
    ["ICB", "present", None],
    [],
    ["Blank: not recorded"],
]


def _workbook(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Executive"
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _governance(root: Path) -> tuple[Governance | None, pipeline.ValidationResult]:
    result = pipeline.validate(root)
    assert result.project is not None
    return result.project.dataset("governance", Governance), result


def test_a_sheet_grid_gives_the_same_meetings_as_typed_yaml(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    typed, _ = _governance(write_project({**minimal_files, "data/governance.yaml": TYPED}))
    root = write_project(
        {
            **minimal_files,
            "data/governance.yaml": GROUPS + "attendance_grids:\n  - group: executive\n"
            "    file: data/attendance.xlsx\n    sheet: Executive\n",
        }
    )
    _workbook(root / "data" / "attendance.xlsx", GRID)
    from_grid, result = _governance(root)
    assert typed is not None and from_grid is not None
    assert from_grid.meetings == typed.meetings
    assert from_grid.meetings[1].attendance == {
        "Council": Attendance.PRESENT,
        "Police": Attendance.PRESENT,
    }  # ICB's blank cell is not recorded, not invented
    assert not result.diagnostics.has_errors()


def test_a_csv_grid_and_a_wrong_mark_is_located_at_its_cell(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        {
            **minimal_files,
            "data/governance.yaml": GROUPS
            + "attendance_grids:\n  - group: executive\n    file: data/attendance.csv\n",
            "data/attendance.csv": "Organisation,2024-05-14,2024-09-10\n"
            "Council,present,present\nPolice,Presnt,absent\n",
        }
    )
    _, result = _governance(root)
    (error,) = result.diagnostics.errors
    assert error.code == "schema.invalid"
    assert error.location is not None
    assert (error.location.path, error.location.row, error.location.field) == (
        "data/attendance.csv",
        3,
        "2024-05-14",
    )


def test_a_meeting_column_that_is_not_a_date_is_located_at_its_header(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        {
            **minimal_files,
            "data/governance.yaml": GROUPS
            + "attendance_grids:\n  - group: executive\n    file: data/attendance.csv\n",
            "data/attendance.csv": "Organisation,2024-05-14,Spring meeting\n"
            "Council,present,present\n",
        }
    )
    _, result = _governance(root)
    (error,) = result.diagnostics.errors
    assert error.location is not None
    assert (error.location.path, error.location.row, error.location.field) == (
        "data/attendance.csv",
        1,
        "Spring meeting",
    )
    assert "YYYY-MM-DD" in (error.hint or "")


def test_attendance_figures_from_a_grid_name_its_cells(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # The derive step asks each meeting where its mark is written: here, a sheet cell.
    root = write_project(
        {
            **minimal_files,
            "data/governance.yaml": GROUPS + "attendance_grids:\n  - group: executive\n"
            "    file: data/attendance.xlsx\n    sheet: Executive\n",
        }
    )
    _workbook(root / "data" / "attendance.xlsx", GRID)
    result = pipeline.validate(root)
    assert result.derived is not None
    figure = result.derived.ledger.find("governance.attendance.executive.police.expected")
    assert figure is not None and figure.value == 2
    assert [loc.cell for loc in figure.sources] == ["Executive!B5", "Executive!C5"]
