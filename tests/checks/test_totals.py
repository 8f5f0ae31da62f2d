"""Typed totals are checked against the sum of their parts (data.total-mismatch).

Figures are the Newham 2024/25 seed: income lines sum to £194,600, budget lines to
£194,600 and spend to £196,000; the 26 courses sum to 51 sessions, 805 bookings and
560 attended; the CDOP mode-of-death table sums to 37.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.checks.totals import check_totals
from reportgen.diagnostics import Diagnostic, DiagnosticList
from reportgen.project import Project, load_project
from tests.conftest import BUDGET, MODE_OF_DEATH, REVIEWS, TABLES, ProjectWriter

REPO = Path(__file__).resolve().parents[2]
COURSES_CSV = (REPO / "data" / "training-courses.csv").read_text(encoding="utf-8")

CODE = "data.total-mismatch"
MODE_CSV = "data/tables/cdop-mode-of-death.csv"

TRAINING = """\
start: 2024-04-01
end: 2025-03-31
totals:
  occurrences: 51
  bookings: 805
  attended: 560
  no_shows: 245
prior_bookings: 813
courses_file: data/training-courses.csv
"""


Where = tuple[str, str | None, int | None, int | None, int | None, str | None]


def _files(minimal_files: dict[str, str], changes: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **minimal_files,
        "data/training.yaml": TRAINING,
        "data/training-courses.csv": COURSES_CSV,
        "data/tables.yaml": TABLES,
        MODE_CSV: MODE_OF_DEATH,
        "data/reviews.yaml": REVIEWS,
        **(changes or {}),
    }


def _check(write_project: ProjectWriter, files: dict[str, str]) -> list[Diagnostic]:
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert list(diags) == [], [d.format_text() for d in diags]  # loading alone is clean
    assert isinstance(project, Project)
    check_totals(project, diags)
    return list(diags)


def _where(d: Diagnostic) -> Where:
    loc = d.location
    assert loc is not None
    return (d.code, loc.path, loc.line, loc.column, loc.row, loc.field)


def test_seed_figures_raise_no_false_alarm(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    assert _check(write_project, _files(minimal_files)) == []


def test_budget_without_typed_totals_is_not_checked(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = (
        BUDGET.replace("  total: 194600\n", "")
        .replace("  total_budget: 194600\n", "")
        .replace("  total_spend: 196000\n", "")
    )
    assert _check(write_project, {**minimal_files, "data/budget.yaml": budget}) == []


# --- budget -----------------------------------------------------------------------


def test_income_total_typed_as_expected_income(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # The published arrangements expected £202,900; the lines received add up to £194,600.
    budget = BUDGET.replace("  total: 194600", "  total: 202900")
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert _where(diag) == (CODE, "data/budget.yaml", 21, 10, None, None)
    assert diag.message == (
        "income total is typed as £202,900 but the lines add up to £194,600 (difference £8,300)"
    )
    assert diag.hint is not None and "delete the typed total" in diag.hint


def test_wrong_income_line_is_caught_by_the_typed_total(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # LBN - CSC typed as the expected £115,000 instead of the £107,000 received.
    budget = BUDGET.replace("amount: 107000", "amount: 115000")
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert _where(diag) == (CODE, "data/budget.yaml", 21, 10, None, None)
    assert "lines add up to £202,600" in diag.message
    assert "(difference -£8,000)" in diag.message


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        (
            "  total_budget: 194600",
            "  total_budget: 196000",
            36,
            17,
            "expenditure budget total is typed as £196,000 but the lines add up to "
            "£194,600 (difference £1,400)",
        ),
        (
            "  total_spend: 196000",
            "  total_spend: 194600",
            37,
            16,
            "expenditure spend total is typed as £194,600 but the lines add up to "
            "£196,000 (difference -£1,400)",
        ),
        (
            "      spend: 153000",
            "      spend: 135000",
            37,
            16,
            "expenditure spend total is typed as £196,000 but the lines add up to "
            "£178,000 (difference £18,000)",
        ),
    ],
)
def test_expenditure_totals(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    line: int,
    column: int,
    message: str,
) -> None:
    assert BUDGET.count(old) == 1
    budget = BUDGET.replace(old, new)
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert _where(diag) == (CODE, "data/budget.yaml", line, column, None, None)
    assert diag.message == message


def test_all_budget_totals_reported_together(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = (
        BUDGET.replace("  total: 194600", "  total: 202900")
        .replace("  total_budget: 194600", "  total_budget: 202900")
        .replace("  total_spend: 196000", "  total_spend: 194600")
    )
    diags = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert [(d.code, d.location.line if d.location else None) for d in diags] == [
        (CODE, 21),
        (CODE, 36),
        (CODE, 37),
    ]


# --- training ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  bookings: 805",
            "  bookings: 813",  # last year's figure typed by mistake
            [
                (
                    5,
                    13,
                    "training bookings total is typed as 813 but the courses in "
                    "data/training-courses.csv add up to 805",
                ),
                # no_shows (245) is checked against the typed figures: 813 - 560 = 253.
                (7, 13, "no-shows typed as 245 but bookings minus attended is 253"),
            ],
        ),
        (
            "  attended: 560",
            "  attended: 565",
            [
                (
                    6,
                    13,
                    "training attended total is typed as 565 but the courses in "
                    "data/training-courses.csv add up to 560",
                ),
                (7, 13, "no-shows typed as 245 but bookings minus attended is 240"),
            ],
        ),
        (
            "  occurrences: 51",
            "  occurrences: 50",
            [
                (
                    4,
                    16,
                    "training occurrences total is typed as 50 but the courses in "
                    "data/training-courses.csv add up to 51",
                ),
            ],
        ),
        (
            "  no_shows: 245",
            "  no_shows: 250",
            [(7, 13, "no-shows typed as 250 but bookings minus attended is 245")],
        ),
    ],
)
def test_training_totals_against_courses(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    expected: list[tuple[int, int, str]],
) -> None:
    training = TRAINING.replace(old, new)
    diags = _check(write_project, _files(minimal_files, {"data/training.yaml": training}))
    assert [_where(d) for d in diags] == [
        (CODE, "data/training.yaml", line, column, None, None) for line, column, _ in expected
    ]
    assert [d.message for d in diags] == [message for _, _, message in expected]


def test_wrong_course_row_is_caught_by_typed_totals(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Chemsex: 7 bookings, 5 attended; typing 70 bookings puts the total at 868.
    courses = COURSES_CSV.replace("Chemsex,1,7,5,", "Chemsex,1,70,5,")
    diags = _check(write_project, _files(minimal_files, {"data/training-courses.csv": courses}))
    assert [(d.location.line if d.location else None, d.message) for d in diags] == [
        (
            5,
            "training bookings total is typed as 805 but the courses in "
            "data/training-courses.csv add up to 868",
        )
    ]


# --- cross-tabs -------------------------------------------------------------------


def test_crosstab_row_total_mismatch_at_its_total_cell(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    csv_text = MODE_OF_DEATH.replace(
        "Treatment withheld,7,3,2,1,2,1,16", "Treatment withheld,7,3,2,1,2,1,17"
    )
    files = _files(minimal_files, {MODE_CSV: csv_text})
    (diag,) = _check(write_project, files)
    # Treatment withheld is row 3 of the sheet; 'Total' is its 8th column.
    assert _where(diag) == (CODE, MODE_CSV, 3, 8, 3, "Total")
    assert diag.message == (
        "table 'cdop_mode': row 'Treatment withheld' total is 17 but its cells add up to 16"
    )


def test_crosstab_column_total_mismatch_at_the_total_row(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    csv_text = MODE_OF_DEATH.replace("Total,11,8,5,4,5,4,37", "Total,11,9,5,4,5,4,37")
    files = _files(minimal_files, {MODE_CSV: csv_text})
    (diag,) = _check(write_project, files)
    # The Total row is row 8; '29 to 364 days' is the 3rd column.
    assert _where(diag) == (CODE, MODE_CSV, 8, 3, 8, "29 to 364 days")
    assert diag.message == (
        "table 'cdop_mode': column '29 to 364 days' total is 9 but its cells add up to 8"
    )


def test_crosstab_wrong_cell_breaks_row_and_column(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Found dead or collapsed, 5-9 years: 3 typed as 4.
    csv_text = MODE_OF_DEATH.replace(
        "Found dead or collapsed,0,0,1,3,0,1,5", "Found dead or collapsed,0,0,1,4,0,1,5"
    )
    files = _files(minimal_files, {MODE_CSV: csv_text})
    diags = _check(write_project, files)
    assert [_where(d) for d in diags] == [
        (CODE, MODE_CSV, 6, 8, 6, "Total"),
        (CODE, MODE_CSV, 8, 5, 8, "5-9 years"),
    ]
    assert "row 'Found dead or collapsed' total is 5 but its cells add up to 6" in diags[0].message
    assert "column '5-9 years' total is 4 but its cells add up to 5" in diags[1].message


def test_crosstab_grand_total_mismatch(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    csv_text = MODE_OF_DEATH.replace("Total,11,8,5,4,5,4,37", "Total,11,8,5,4,5,4,38")
    files = _files(minimal_files, {MODE_CSV: csv_text})
    (diag,) = _check(write_project, files)
    assert _where(diag) == (CODE, MODE_CSV, 8, 8, 8, "Total")


def test_crosstab_without_typed_totals_is_not_checked(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    lines = MODE_OF_DEATH.splitlines()
    csv_text = "\n".join(line.rsplit(",", 1)[0] for line in lines[:-1]) + "\n"
    assert csv_text.startswith("Mode of death,≤ 28 days,") and "Total" not in csv_text
    files = _files(minimal_files, {MODE_CSV: csv_text})
    assert _check(write_project, files) == []


# --- audits -----------------------------------------------------------------------


def test_audit_gradings_must_add_up_to_cases(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    reviews = REVIEWS.replace("        cases: 6\n", "        cases: 7\n")
    (diag,) = _check(write_project, _files(minimal_files, {"data/reviews.yaml": reviews}))
    assert diag.code == CODE
    assert diag.location is not None
    assert (diag.location.path, diag.location.line) == ("data/reviews.yaml", 4)


# --- a total the source prints wrong (printed: + erratum:) -------------------------


def test_a_spend_total_printed_wrong_is_a_warning_naming_both_figures(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Typed in flow style, on the line of the key, as a transcriber may.
    budget = BUDGET.replace(
        "  total_spend: 196000",
        '  total_spend: {printed: "£196,300", erratum: "the lines add up to £196,000"}',
    )
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert (diag.code, diag.severity.value) == ("data.known-erratum", "warning")
    assert _where(diag)[1:3] == ("data/budget.yaml", 37)
    assert diag.message == (
        "expenditure spend total is printed as £196,300 but the lines add up to £196,000 "
        "(difference £300); typed as a known erratum: the lines add up to £196,000. "
        "The output shows £196,000"
    )


def test_an_erratum_on_an_income_total_that_agrees_is_stale(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = BUDGET.replace(
        "  total: 194600",
        "  total:\n    printed: 194600\n    erratum: the source's total is wrong",
    )
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    assert (diag.code, diag.severity.value) == ("data.stale-erratum", "error")
    assert _where(diag)[1:4] == ("data/budget.yaml", 22, 14)
    assert "the printed £194,600 is what the lines add up to" in diag.message
