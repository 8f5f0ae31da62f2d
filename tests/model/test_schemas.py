"""Schemas through `load_project`: every problem named, placed and explained.

Line numbers refer to MINIMAL_CONFIG and BUDGET in tests/conftest.py, counted by hand:
report.yaml has `partnership:` on 1, `short_name` on 3, `title` on 7, `period:` on 8
(`label` 9, `start` 10, `end` 11) and the section's `file:` on 15; budget.yaml has the
Housing line (5500) on 17-18, the CSC note on 14 and `total: 194600` on 21.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic, DiagnosticList
from reportgen.model.budget import Budget
from reportgen.project import Project, load_project
from tests.conftest import BUDGET, MINIMAL_CONFIG, ProjectWriter

Where = tuple[str, str, int | None, int | None]

# Three courses of the Newham 2024/25 programme.
TRAINING = """\
start: 2024-04-01
end: 2025-03-31
courses_file: data/training-courses.csv
"""
COURSES = """\
course,occurrences,bookings,attended,cancellations
Chemsex,1,7,5,
Forced Marriage,1,19,9,
Information Sharing,3,28,15,
"""


def _load(
    write_project: ProjectWriter, files: dict[str, str]
) -> tuple[Project | None, DiagnosticList]:
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    return project, diags


def _where(d: Diagnostic) -> Where:
    assert d.location is not None
    return (d.code, d.location.path, d.location.line, d.location.column)


def _one(diags: DiagnosticList, code: str) -> Diagnostic:
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, [d.format_text() for d in diags]
    return found[0]


def test_minimal_project_loads_without_diagnostics(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project, diags = _load(write_project, minimal_files)
    assert list(diags) == []
    assert project is not None
    budget = project.dataset("budget", Budget)
    assert budget is not None
    assert [line.contributor for line in budget.income.lines][4] == "LBN - CSC"
    assert sum(line.amount for line in budget.income.lines) == Decimal(194600)
    assert budget.income.total == Decimal(194600)
    assert budget.expenditure.total_spend == Decimal(196000)
    assert project.failed == {}
    assert set(project.narrative) == {"budget"}


# --- unknown keys -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "line", "column", "key", "suggestion"),
    [
        ("report.yaml", "title: Annual", "titel: Annual", 8, 1, "titel", "title"),
        ("report.yaml", "  short_name: NSCP", "  shortname: NSCP", 3, 3, "shortname", "short_name"),
        ("report.yaml", "    file: content/", "    flie: content/", 16, 5, "flie", "file"),
        ("data/budget.yaml", "      amount: 5500", "      amont: 5500", 18, 7, "amont", "amount"),
        ("data/budget.yaml", "      note: not", "      notes: not", 14, 7, "notes", "note"),
        ("data/budget.yaml", "  total: 194600", "  totl: 194600", 21, 3, "totl", "total"),
        (
            "data/budget.yaml",
            "  total_spend:",
            "  total_spent:",
            37,
            3,
            "total_spent",
            "total_spend",
        ),
    ],
)
def test_unknown_key_with_did_you_mean_at_the_key(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    rel: str,
    old: str,
    new: str,
    line: int,
    column: int,
    key: str,
    suggestion: str,
) -> None:
    files = dict(minimal_files)
    assert files[rel].count(old) == 1
    files[rel] = files[rel].replace(old, new)
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.unknown-key")
    assert _where(diag) == ("schema.unknown-key", rel, line, column)
    assert diag.message == f"unknown key '{key}'"
    assert diag.hint == f"did you mean '{suggestion}'?"


def test_unknown_key_without_close_match_lists_allowed_keys(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/budget.yaml"] = BUDGET + "carried_forward: 1200\n"
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.unknown-key")
    assert _where(diag) == ("schema.unknown-key", "data/budget.yaml", 38, 1)
    assert diag.hint == (
        "allowed keys here: expenditure, grants, history, in_kind, income, reserves_used, year"
    )


# --- missing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "remove", "line", "column", "message"),
    [
        ("report.yaml", "  short_name: NSCP\n", 1, 1, "'short_name' is required in partnership"),
        ("report.yaml", "  start: 2024-04-01\n", 9, 1, "'start' is required in period"),
        ("report.yaml", "title: Annual Report 2024/25\n", 1, 1, "'title' is required"),
        (
            "data/budget.yaml",
            "      amount: 5500\n",
            17,
            7,
            "'amount' is required in income › lines #7",
        ),
        (
            "data/budget.yaml",
            "      spend: 4000\n",
            33,
            7,
            "'spend' is required in expenditure › lines #4",
        ),
    ],
)
def test_missing_required_field(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    rel: str,
    remove: str,
    line: int,
    column: int,
    message: str,
) -> None:
    files = dict(minimal_files)
    assert files[rel].count(remove) == 1
    files[rel] = files[rel].replace(remove, "")
    project, diags = _load(write_project, files)
    diag = _one(diags, "schema.missing")
    assert _where(diag) == ("schema.missing", rel, line, column)
    assert diag.message == message
    assert len(diags) == 1
    if rel == "report.yaml":
        assert project is None  # nothing else can be read without the config
    else:
        # A field missing from a budget line leaves out that line, not the whole file
        # (load/salvage.py); the totals it belongs to are then skipped.
        assert project is not None and "budget" not in project.failed
        part, lines, number = re.split(r" › | #", message.rsplit(" in ", 1)[1])  # income › lines #7
        assert project.dropped["budget"] == [(part, lines, int(number) - 1)]


# --- invalid values ---------------------------------------------------------------


GOVERNANCE = """\
partners:
  - id: lbn
    name: London Borough of Newham
    type: local_authority
  - id: police
    name: Metropolitan Police
    type: police
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragment"),
    [
        ("type: local_authority", "type: council", 4, 11, "partners #1 › type: input should be"),
        ("type: police", "type: Police", 7, 11, "partners #2 › type: input should be"),
    ],
)
def test_invalid_enum_lists_the_choices(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    line: int,
    column: int,
    fragment: str,
) -> None:
    files = {**minimal_files, "data/governance.yaml": GOVERNANCE.replace(old, new)}
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.invalid")
    assert _where(diag) == ("schema.invalid", "data/governance.yaml", line, column)
    assert fragment in diag.message
    for word in ("'local_authority'", "'icb'", "'police'", "'relevant_agency'"):
        assert word in diag.message
    assert diag.hint == "use one of the listed words exactly, in lower case"


@pytest.mark.parametrize("written", ["2025-02-30", "31/03/2025", "2025-3-31", "March 2025"])
def test_invalid_date(
    write_project: ProjectWriter, minimal_files: dict[str, str], written: str
) -> None:
    files = dict(minimal_files)
    files["report.yaml"] = MINIMAL_CONFIG.replace("end: 2025-03-31", f"end: {written}")
    project, diags = _load(write_project, files)
    assert project is None
    diag = _one(diags, "schema.invalid")
    assert _where(diag) == ("schema.invalid", "report.yaml", 12, 8)  # '  end: ' is 7
    assert diag.message.startswith("period › end: ")
    assert diag.hint == "write dates as YYYY-MM-DD, e.g. 2025-03-31"


def test_period_end_before_start(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["report.yaml"] = MINIMAL_CONFIG.replace("end: 2025-03-31", "end: 2024-03-31")
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.invalid")
    assert _where(diag) == ("schema.invalid", "report.yaml", 9, 1)
    assert "period end 2024-03-31 is not after its start 2024-04-01" in diag.message


@pytest.mark.parametrize(
    ("rel", "old", "new", "line", "column", "fragment"),
    [
        ("report.yaml", "label: 2024/25", "label: 2024-25", 10, 10, "expected a year label"),
        ("report.yaml", "label: 2024/25", "label: 2024/26", 10, 10, "did you mean 2024/25?"),
        (
            "data/budget.yaml",
            "amount: 5500",
            "amount: five thousand",
            18,
            15,
            "expected an amount of money",
        ),
        (
            "data/budget.yaml",
            "total: 194600",
            "total: 194600.005",
            21,
            10,
            "at most 2 decimal places",
        ),
        (
            "data/budget.yaml",
            "spend: 153000",
            "spend: yes please",
            26,
            14,
            "expected an amount of money",
        ),
    ],
)
def test_invalid_value_at_its_line(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    rel: str,
    old: str,
    new: str,
    line: int,
    column: int,
    fragment: str,
) -> None:
    files = dict(minimal_files)
    assert files[rel].count(old) == 1
    files[rel] = files[rel].replace(old, new)
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.invalid")
    assert _where(diag) == ("schema.invalid", rel, line, column)
    assert fragment in diag.message


def test_wrong_shape_gets_a_hint(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["report.yaml"] = MINIMAL_CONFIG.replace(
        "sections:\n  - id: budget\n    title: Budget\n    file: content/budget.md\n",
        "sections: content/budget.md\n",
    )
    _, diags = _load(write_project, files)
    diag = _one(diags, "schema.invalid")
    assert _where(diag) == ("schema.invalid", "report.yaml", 13, 11)
    assert diag.message == "sections: input should be a valid list"
    assert diag.hint == "start each item on its own line with '- '"


def test_every_schema_problem_in_a_file_is_reported(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/budget.yaml"] = (
        BUDGET.replace("year: 2024/25", "year: 2024-25")
        .replace("      amount: 5500", "      amont: 5500")
        .replace("spend: 4000", "spend: four thousand")
    )
    _, diags = _load(write_project, files)
    assert sorted(_where(d) for d in diags) == [
        ("schema.invalid", "data/budget.yaml", 1, 7),
        ("schema.invalid", "data/budget.yaml", 35, 14),
        ("schema.missing", "data/budget.yaml", 17, 7),
        ("schema.unknown-key", "data/budget.yaml", 18, 7),
    ]


def test_empty_data_file(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    project, diags = _load(write_project, {**minimal_files, "data/budget.yaml": "# to do\n"})
    diag = _one(diags, "schema.empty-file")
    assert _where(diag) == ("schema.empty-file", "data/budget.yaml", 1, 1)
    assert project is not None and project.failed == {"budget": "data/budget.yaml"}


def test_child_population_accepts_a_count_with_commas(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["report.yaml"] = MINIMAL_CONFIG.replace(
        "      name: London Borough of Newham\n",
        "      name: London Borough of Newham\n      child_population: 95,000\n",
    )
    project, diags = _load(write_project, files)
    assert list(diags) == []
    assert project is not None
    assert project.config.partnership.areas[0].child_population == 95000


# --- CSV rows validated against their schema -------------------------------------


def _training_files(minimal_files: dict[str, str], courses: str) -> dict[str, str]:
    return {
        **minimal_files,
        "data/training.yaml": TRAINING,
        "data/training-courses.csv": courses,
    }


def test_valid_course_rows_load(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project, diags = _load(write_project, _training_files(minimal_files, COURSES))
    assert list(diags) == []
    assert project is not None and project.training is not None
    courses = project.training.courses
    assert [(c.course, c.bookings, c.attended) for c in courses] == [
        ("Chemsex", 7, 5),
        ("Forced Marriage", 19, 9),
        ("Information Sharing", 28, 15),
    ]
    assert courses[0].cancellations is None  # a blank cell means 'no value'


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "field", "message"),
    [
        (
            "Chemsex,1,7,5,",
            "Chemsex,1,7,five,",
            2,
            4,
            "attended",
            "'attended': expected a whole number",
        ),
        (
            "Forced Marriage,1,19,9,",
            "Forced Marriage,1,19,-9,",
            3,
            4,
            "attended",
            "'attended': expected zero or more",
        ),
        (
            "Information Sharing,3,28,15,",
            "Information Sharing,2.5,28,15,",
            4,
            2,
            "occurrences",
            "'occurrences': expected a whole number",
        ),
        (
            "Forced Marriage,1,19,9,",
            "Forced Marriage,1,,9,",
            3,
            3,
            "bookings",
            "'bookings' is empty",
        ),
        (
            "Chemsex,1,7,5,",
            "Chemsex,1,7,5,two",
            2,
            5,
            "cancellations",
            "'cancellations': expected a whole number",
        ),
    ],
)
def test_invalid_csv_cell_names_row_and_field(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    row: int,
    column: int,
    field: str,
    message: str,
) -> None:
    _, diags = _load(write_project, _training_files(minimal_files, COURSES.replace(old, new)))
    diag = _one(diags, "csv.invalid-cell")
    assert diag.location is not None
    loc = diag.location
    assert (loc.path, loc.line, loc.column, loc.row, loc.field) == (
        "data/training-courses.csv",
        row,
        column,
        row,
        field,
    )
    assert diag.message.startswith(message)
    assert len(diags) == 1


def test_every_invalid_cell_is_reported(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    courses = COURSES.replace("Chemsex,1,7,5,", "Chemsex,one,7,5,").replace(
        "Information Sharing,3,28,15,", "Information Sharing,3,28,fifteen,"
    )
    project, diags = _load(write_project, _training_files(minimal_files, courses))
    assert [(d.code, d.location.row, d.location.field) for d in diags if d.location] == [
        ("csv.invalid-cell", 2, "occurrences"),
        ("csv.invalid-cell", 4, "attended"),
    ]
    assert project is not None and project.training is not None
    # The other rows are kept; the totals checked against the whole table are skipped
    # (project.dropped names the table, project.incomplete() skips what needs it all).
    courses_kept = [c.course for c in project.training.courses]
    assert "Chemsex" not in courses_kept and "Information Sharing" not in courses_kept
    assert len(courses_kept) == COURSES.strip().count("\n") - 2
    assert project.failed == {}
    assert project.dropped_files == {"training.courses_file": "data/training-courses.csv"}


def test_missing_csv_column(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    courses = COURSES.replace("attended,cancellations", "attendance,cancellations")
    project, diags = _load(write_project, _training_files(minimal_files, courses))
    missing = _one(diags, "csv.missing-column")
    assert missing.location is not None
    assert (missing.location.path, missing.location.line, missing.location.row) == (
        "data/training-courses.csv",
        1,
        1,
    )
    assert missing.message == "column 'attended' is missing"
    assert missing.hint is not None and "course, occurrences, bookings, attended" in missing.hint
    unknown = _one(diags, "csv.unknown-column")
    assert unknown.location is not None
    assert (unknown.location.line, unknown.location.column, unknown.location.field) == (
        1,
        4,
        "attendance",
    )
    assert unknown.hint == "did you mean 'attended'?"
    assert project is not None and project.training is not None
    assert project.training.courses == []


def test_missing_optional_csv_column_is_fine(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    courses = "course,occurrences,bookings,attended\nChemsex,1,7,5\n"
    project, diags = _load(write_project, _training_files(minimal_files, courses))
    assert list(diags) == []
    assert project is not None and project.training is not None
    assert project.training.courses[0].cancellations is None


def test_training_csv_not_found(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files, "data/training.yaml": TRAINING}
    _, diags = _load(write_project, files)
    diag = _one(diags, "data.file-not-found")
    # 'courses_file: ' is 14 characters, on line 3 of training.yaml.
    assert _where(diag) == ("data.file-not-found", "data/training.yaml", 3, 15)
    assert "data/training-courses.csv" in diag.message


def test_section_file_not_found(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {k: v for k, v in minimal_files.items() if k != "content/budget.md"}
    project, diags = _load(write_project, files)
    diag = _one(diags, "content.file-not-found")
    assert _where(diag) == ("content.file-not-found", "report.yaml", 16, 11)
    assert "content/budget.md" in diag.message
    assert project is not None and project.narrative == {}


def test_no_config(tmp_path: Path) -> None:
    diags = DiagnosticList()
    assert load_project(tmp_path, diags) is None
    diag = _one(diags, "config.not-found")
    assert diag.location is not None and diag.location.path == "report.yaml"
