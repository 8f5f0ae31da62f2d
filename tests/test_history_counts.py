"""Earlier years of the budget totals, training and serious incident notifications:
series words, trend charts, the open data, and last year's value given twice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from reportgen import pipeline
from reportgen.ledger import TimePeriod
from reportgen.model.training import Training
from reportgen.views import BlockKey
from tests.conftest import BUDGET, MINIMAL_CONFIG, REPO, ProjectWriter

COURSES_CSV = (REPO / "data" / "training-courses.csv").read_text(encoding="utf-8")

# Made-up earlier years for the tests (the example's sources give none for the budget).
BUDGET_HISTORY = """\
history:
  - period: 2022/23
    income: 180000
    spend: 170000
    source: a test figure
  - period: 2023/24
    income: 190000
"""

TRAINING = """\
start: 2024-09-02
end: 2025-07-31
prior_bookings: 813
courses_file: data/training-courses.csv
history:
  - period: 2022/23
    bookings: 700
    attended: 500
  - period: 2023/24
    attended: 600
"""

REVIEWS = """\
notifications:
  incidents: 12
  children: 14
  prior_incidents: 9
  history:
    - period: 2021/22
      incidents: 7
    - period: 2022/23
      incidents: 8
"""

SECTION = "{{ disclosure.legend }}\n"


def _project(write_project: ProjectWriter, files: dict[str, str]) -> Path:
    return write_project(
        {
            "report.yaml": MINIMAL_CONFIG,
            "data/budget.yaml": BUDGET,
            "content/budget.md": SECTION,
            "data/training-courses.csv": COURSES_CSV,
            **files,
        }
    )


def _validated(root: Path) -> pipeline.ValidationResult:
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    assert result.derived is not None
    return result


def _published(result: pipeline.ValidationResult, id: str) -> tuple[Decimal | None, TimePeriod]:
    assert result.derived is not None
    found = [f for f in result.derived.ledger.figures if f.id == id]
    assert len(found) == 1, id
    assert found[0].time is not None
    return found[0].value, found[0].time


def test_budget_totals_over_the_years(write_project: ProjectWriter) -> None:
    root = _project(write_project, {"data/budget.yaml": BUDGET + BUDGET_HISTORY})
    result = _validated(root)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["budget.income.total.run"] == "up for the second year running"
    assert refs["budget.income.total.lowest"] == "£180,000 in 2022/23"
    assert refs["budget.income.total.since.2022-23"] == "up 8% since 2022/23, from £180,000"
    # Spend has no figure for 2023/24: no run, and the rank names the gap.
    assert "budget.expenditure.spend.run" not in refs
    assert refs["budget.expenditure.spend.rank"] == (
        "the highest of the 2 years with a figure since 2022/23 (none for 2023/24)"
    )
    chart = result.derived.blocks[BlockKey("chart", "budget.expenditure.spend.trend")]
    assert chart.series[0].values == [170000.0, None, 196000.0]  # type: ignore[union-attr]
    # Published with their own financial year; a year not stated is not published.
    assert _published(result, "budget.income.total.history.2023-24") == (
        Decimal(190000),
        TimePeriod("202324", "Financial year"),
    )
    ids = {f.id for f in result.derived.ledger.figures}
    assert "budget.expenditure.spend.history.2023-24" not in ids


def test_training_bookings_and_attendance_over_the_years(write_project: ProjectWriter) -> None:
    root = _project(write_project, {"data/training.yaml": TRAINING})
    result = _validated(root)
    assert result.derived is not None
    refs = result.derived.references
    # 700 (2022/23), 813 (prior_bookings, 2023/24), 805 (the course rows) this year.
    assert refs["training.bookings.run"] == "down on last year"
    assert refs["training.bookings.highest"] == "813 in 2023/24"
    assert refs["training.bookings.years"] == "3"
    # 500, 600, then 560 this year.
    assert refs["training.attended.rank"] == (
        "between the lowest (500 in 2022/23) and the highest (600 in 2023/24)"
    )
    assert refs["training.attended.average"] == "553.3"
    assert BlockKey("chart", "training.attended.trend") in result.derived.blocks
    # Earlier years are published, each with its academic year; last year's bookings
    # only once (as prior_bookings).
    assert _published(result, "training.attended.history.2023-24") == (
        Decimal(600),
        TimePeriod("202324", "Academic year"),
    )
    assert _published(result, "training.bookings.history.2022-23")[0] == Decimal(700)
    ids = {f.id for f in result.derived.ledger.figures}
    assert "training.prior_bookings" in ids


def test_training_history_disagreeing_with_prior_bookings_is_an_error(
    write_project: ProjectWriter,
) -> None:
    broken = TRAINING.replace("    attended: 600\n", "    attended: 600\n    bookings: 812\n")
    root = _project(write_project, {"data/training.yaml": broken})
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "history.prior-disagrees"]
    assert len(found) == 1
    assert found[0].location is not None and found[0].location.path == "data/training.yaml"
    assert "812" in found[0].message and "813" in found[0].message


def test_training_history_agreeing_with_prior_bookings_is_accepted(
    write_project: ProjectWriter,
) -> None:
    same = TRAINING.replace("    attended: 600\n", "    attended: 600\n    bookings: 813\n")
    root = _project(write_project, {"data/training.yaml": same})
    codes = {d.code for d in pipeline.validate(root).diagnostics}
    assert "history.prior-disagrees" not in codes


def test_serious_incidents_over_the_years(write_project: ProjectWriter) -> None:
    root = _project(write_project, {"data/reviews.yaml": REVIEWS})
    result = _validated(root)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["reviews.notifications.incidents.run"] == "up for the third year running"
    assert refs["reviews.notifications.incidents.rank"] == "the highest in 4 years"
    assert refs["reviews.notifications.incidents.first_year"] == "2021/22"
    assert _published(result, "reviews.notifications.incidents.history.2022-23") == (
        Decimal(8),
        TimePeriod("202223", "Financial year"),
    )


def test_a_small_count_of_incidents_makes_every_series_word_the_symbol(
    write_project: ProjectWriter,
) -> None:
    small = REVIEWS.replace("incidents: 7", "incidents: 3")
    root = _project(write_project, {"data/reviews.yaml": small})
    result = _validated(root)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["reviews.notifications.incidents.run"] == "c"
    assert refs["reviews.notifications.incidents.highest"] == "c"
    assert refs["reviews.notifications.incidents.years"] == "4"
    value, _ = _published(result, "reviews.notifications.incidents.history.2021-22")
    assert value is None  # withheld in the open data too


def test_incidents_history_disagreeing_with_prior_is_an_error(
    write_project: ProjectWriter,
) -> None:
    broken = REVIEWS + "    - period: 2023/24\n      incidents: 10\n"
    root = _project(write_project, {"data/reviews.yaml": broken})
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "history.prior-disagrees"]
    assert len(found) == 1
    assert found[0].location is not None and found[0].location.path == "data/reviews.yaml"
    assert "10" in found[0].message and "9" in found[0].message


def test_the_same_year_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="2022/23 is given twice"):
        Training.model_validate(
            {
                "start": "2024-09-02",
                "end": "2025-07-31",
                "history": [
                    {"period": "2022/23", "bookings": 1},
                    {"period": "2022/23", "attended": 1},
                ],
            }
        )
