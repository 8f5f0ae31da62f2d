"""Loading a whole project: datasets, CSV tables, narrative and where problems are."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic, DiagnosticList, Location
from reportgen.load.csv_source import parse_csv
from reportgen.load.tables import CrossTab, crosstab_from_csv, load_rows
from reportgen.model.training import Course
from reportgen.project import Project, load_project
from tests.conftest import MINIMAL_CONFIG, MODE_OF_DEATH, ProjectWriter

MODE_CSV = "data/tables/cdop-mode-of-death.csv"
MODIFIABLE = """\
factor,cases
"Maternity issues, e.g. late booking, maternal diabetes, low staffing",6
Delayed diagnosis or follow-up,4
Parental smoking,4
"""
TABLES = """\
tables:
  - id: cdop_mode
    title: Mode of death by age group
    file: data/tables/cdop-mode-of-death.csv
  - id: cdop_factors
    title: Modifiable factors
    file: data/tables/cdop-modifiable-factors.csv
"""


def _crosstab(text: str, rel: str = MODE_CSV) -> tuple[CrossTab | None, list[Diagnostic]]:
    table, problems = parse_csv(text, rel)
    assert problems == [] and table is not None
    diags = DiagnosticList()
    return crosstab_from_csv(table, diags), list(diags)


def _load(
    write_project: ProjectWriter, files: dict[str, str]
) -> tuple[Project | None, DiagnosticList]:
    diags = DiagnosticList()
    return load_project(write_project(files), diags), diags


# --- cross-tabs -------------------------------------------------------------------


def test_crosstab_separates_typed_totals_from_data() -> None:
    tab, problems = _crosstab(MODE_OF_DEATH)
    assert problems == []
    assert tab is not None
    assert tab.row_header == "Mode of death"
    assert tab.columns == [
        "≤ 28 days",
        "29 to 364 days",
        "1-4 years",
        "5-9 years",
        "10-14 years",
        "15-17 years",
    ]
    assert tab.rows[0] == ("Palliative care", [2, 1, 0, 0, 1, 0])
    assert tab.rows[1] == ("Treatment withheld", [7, 3, 2, 1, 2, 1])
    assert [label for label, _ in tab.rows][-1] == "Not known"
    assert tab.typed_row_totals == [4, 16, 1, 11, 5, 0]
    assert tab.typed_column_totals == [11, 8, 5, 4, 5, 4]
    assert tab.total_column == "Total"
    assert tab.total_record == 6  # the 7th record
    assert tab.record_index == [0, 1, 2, 3, 4, 5]


def test_crosstab_single_column_without_totals() -> None:
    tab, problems = _crosstab(MODIFIABLE, "data/tables/cdop-modifiable-factors.csv")
    assert problems == []
    assert tab is not None
    assert tab.columns == ["cases"]
    assert tab.rows[0] == (
        "Maternity issues, e.g. late booking, maternal diabetes, low staffing",
        [6],
    )
    assert tab.typed_row_totals is None
    assert tab.typed_column_totals is None
    assert tab.total_record is None


@pytest.mark.parametrize("label", ["TOTAL", "total", "Total"])
def test_crosstab_total_row_is_matched_without_case(label: str) -> None:
    tab, _ = _crosstab(f"factor,cases\nParental smoking,4\n{label},4\n")
    assert tab is not None
    assert tab.rows == [("Parental smoking", [4])]
    assert tab.typed_column_totals == [4]


def test_crosstab_accepts_thousands_separators() -> None:
    tab, _ = _crosstab('measure,contacts\nContacts to CSC,"18,423"\n')
    assert tab is not None
    assert tab.rows == [("Contacts to CSC", [18423])]


@pytest.mark.parametrize(
    ("cell", "row", "column", "field"),
    [
        ("", 4, 6, "10-14 years"),  # blank: the hint says to write 0
        ("one", 4, 6, "10-14 years"),
        ("-1", 4, 6, "10-14 years"),
        ("2.5", 4, 6, "10-14 years"),
        ("9.250", 4, 6, "10-14 years"),
    ],
)
def test_crosstab_cell_that_is_not_a_count(cell: str, row: int, column: int, field: str) -> None:
    text = MODE_OF_DEATH.replace(
        "Brainstem death,0,0,0,0,1,0,1", f"Brainstem death,0,0,0,0,{cell},0,1"
    )
    tab, problems = _crosstab(text)
    (diag,) = problems
    assert diag.code == "table.not-a-count"
    assert diag.location == Location(MODE_CSV, row, column, row=row, field=field)
    # The rest of the table is kept; the cell is marked as typed, not read as a figure.
    assert tab is not None and len(tab.rows) == 6
    assert tab.unreadable == {(2, field): cell}
    assert tab.as_typed(2, 4) == cell and tab.as_typed(1, 4) is None
    # The same words as a count anywhere else (reportgen.model.common.parse_count).
    assert ("whole number" in diag.message) or ("cannot be negative" in diag.message)
    assert f"'{cell}'" in diag.message or (not cell and "empty cell" in diag.message)


def test_crosstab_footnote_marker_is_a_diagnostic_not_a_crash() -> None:
    tab, problems = _crosstab(MODIFIABLE.replace("Parental smoking,4", "Parental smoking,4¹"))
    assert tab is not None and tab.unreadable == {(2, "cases"): "4¹"}
    (diag,) = problems
    assert diag.code == "table.not-a-count"
    assert diag.location is not None
    assert (diag.location.row, diag.location.field) == (4, "cases")  # header is row 1


def test_crosstab_needs_a_column_of_figures() -> None:
    tab, problems = _crosstab("factor\nParental smoking\n")
    assert tab is None
    (diag,) = problems
    assert diag.code == "table.shape"
    assert diag.location == Location(MODE_CSV, 1, row=1)


def test_tables_are_loaded_into_the_project(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        "data/tables.yaml": TABLES,
        MODE_CSV: MODE_OF_DEATH,
        "data/tables/cdop-modifiable-factors.csv": MODIFIABLE,
    }
    project, diags = _load(write_project, files)
    assert list(diags) == []
    assert project is not None
    assert sorted(project.crosstabs) == ["cdop_factors", "cdop_mode"]
    assert sum(sum(v) for _, v in project.crosstabs["cdop_mode"].rows) == 37


def test_table_file_not_found(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    files = {**minimal_files, "data/tables.yaml": TABLES, MODE_CSV: MODE_OF_DEATH}
    project, diags = _load(write_project, files)
    (diag,) = list(diags)
    assert diag.code == "data.file-not-found"
    # The second table's 'file:' is on line 7; '    file: ' is 10 characters.
    assert diag.location == Location("data/tables.yaml", 7, 11)
    assert project is not None and sorted(project.crosstabs) == ["cdop_mode"]


# --- CSV rows against a schema ---------------------------------------------------


def test_load_rows_treats_blank_cells_as_missing(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "courses.csv").write_text(
        "course,occurrences,bookings,attended,cancellations\n"
        "Chemsex,1,7,5,\n"
        "Online Harms,1,10,6,2\n",
        encoding="utf-8",
    )
    diags = DiagnosticList()
    rows, smap = load_rows(tmp_path, "data/courses.csv", Course, diags)
    assert list(diags) == []
    assert [(r.course, r.cancellations) for r in rows] == [("Chemsex", None), ("Online Harms", 2)]
    assert smap is not None
    assert smap.locate((1, "cancellations")) == Location(
        "data/courses.csv", 3, 5, row=3, field="cancellations"
    )


# --- project-level behaviour --------------------------------------------------------


def test_absent_datasets_are_simply_not_loaded(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project, diags = _load(write_project, minimal_files)
    assert list(diags) == []
    assert project is not None
    assert sorted(project.datasets) == ["budget"]
    assert project.training is None
    assert project.crosstabs == {}


def test_nearest_in_absent_dataset_names_its_file(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project, _ = _load(write_project, minimal_files)
    assert project is not None
    assert project.nearest("indicators", "indicators", 0, "id") == Location("data/indicators.yaml")
    assert project.nearest("budget", "income", "total") == Location("data/budget.yaml", 21, 10)


def test_failed_datasets_are_recorded_and_others_still_load(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        # Not a list: an error outside every list item fails the file (one inside a list
        # item leaves out only that item: tests/load/test_salvage.py).
        "data/governance.yaml": "partners: lbn\n",
        "data/priorities.yaml": "priorities: [\n",
    }
    project, diags = _load(write_project, files)
    assert project is not None
    assert project.failed == {
        "governance": "data/governance.yaml",
        "priorities": "data/priorities.yaml",
    }
    assert sorted(project.datasets) == ["budget"]
    assert sorted((d.code, d.location.path) for d in diags if d.location) == [
        ("schema.invalid", "data/governance.yaml"),
        ("yaml.syntax", "data/priorities.yaml"),
    ]


def test_config_error_stops_loading(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        "report.yaml": MINIMAL_CONFIG.replace("label: 2024/25", "label: 2024-25"),
        "data/governance.yaml": "partners:\n  - id: lbn\n    type: council\n",
    }
    project, diags = _load(write_project, files)
    assert project is None
    # Only report.yaml is reported: data files need a valid config to be read.
    assert [(d.code, d.location.path, d.location.line) for d in diags if d.location] == [
        ("schema.invalid", "report.yaml", 10)
    ]


def test_unknown_key_inside_comparator_gets_a_hint(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    ind = (
        "groups:\n  - id: rates\n    title: Rates\n"
        "indicators:\n  - id: cp_rate\n    label: Child protection plans\n    group: rates\n"
        "    unit: rate_per_10k\n    value: 32.1\n    comparators:\n"
        "      statistical_neighbours:\n        valu: 39.7\n        period: 2023/24\n"
    )
    _, diags = _load(write_project, {**minimal_files, "data/indicators.yaml": ind})
    (diag,) = [d for d in diags if d.code == "schema.unknown-key"]
    assert diag.location == Location("data/indicators.yaml", 12, 9)
    assert diag.hint == "did you mean 'value'?"


def test_section_file_outside_the_project_is_refused(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "outside.md").write_text("Not part of the report.\n", encoding="utf-8")
    config = MINIMAL_CONFIG.replace("file: content/budget.md", "file: ../outside.md")
    project, diags = _load(write_project, {**minimal_files, "report.yaml": config})
    assert project is not None
    assert "budget" not in project.narrative
    errors = [d for d in diags.errors if d.location and d.location.path == "report.yaml"]
    assert [d.location.line for d in errors if d.location] == [16]
