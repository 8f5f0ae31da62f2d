"""`reportgen new-year` on the Newham example, and validate on the project it makes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from reportgen.diagnostics import DiagnosticList, Severity
from reportgen.model.config import ReportConfig
from reportgen.model.indicators import Indicators
from reportgen.model.priorities import Priorities
from reportgen.model.reviews import Reviews
from reportgen.model.training import Training
from reportgen.newyear import NewYearError, new_year, shift_years
from reportgen.project import Project, load_project
from tests.conftest import REPO, copy_project

runner = CliRunner()


def _load(root: Path) -> Project:
    project = load_project(root, DiagnosticList())
    assert project is not None
    return project


@pytest.fixture(scope="module")
def next_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("years") / "2025-26"
    new_year(REPO, target)
    return target


def test_shift_years_moves_every_year_label_on_one() -> None:
    assert shift_years("Our plans for 2025/26") == "Our plans for 2026/27"
    assert shift_years("April 2024 to March 2025") == "April 2025 to March 2026"
    assert shift_years("nscp-annual-report-2024-25") == "nscp-annual-report-2025-26"
    assert (
        shift_years("Working Together 2023 (20235 cases)") == "Working Together 2024 (20235 cases)"
    )


def test_new_project_validates_with_only_needs_review_items(next_year: Path) -> None:
    result = pipeline.validate(next_year)
    problems = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    assert problems, "a new year must list what needs a person"
    assert all(d.code.startswith("ready.") for d in problems), [
        d.format_text() for d in problems if not d.code.startswith("ready.")
    ]
    assert not result.diagnostics.has_errors()
    # Every narrative file once, and nothing listed twice.
    config = _load(next_year).config
    assert isinstance(config, ReportConfig)
    unreviewed = [d for d in problems if d.code == "ready.not-reviewed"]
    assert len(unreviewed) == len(config.sections)
    for section in config.sections:
        assert sum(d.message.startswith(f"{section.file} ") for d in unreviewed) == 1
    assert len({d.message for d in problems}) == len(problems)
    assert any(d.message.startswith("indicator 'cic'") for d in problems)  # a figure to fill


def test_new_project_moves_the_period_and_titles_on(next_year: Path) -> None:
    config = _load(next_year).config
    assert isinstance(config, ReportConfig)
    assert config.period.label == "2025/26"
    assert str(config.period.start) == "2025-04-01" and str(config.period.end) == "2026-03-31"
    assert config.title == "Annual Report 2025/26"
    assert config.outputs.basename == "nscp-annual-report-2025-26"
    assert [s.title for s in config.sections][-1] == "Our plans for 2026/27"


def test_prior_values_are_this_years_values(next_year: Path) -> None:
    old = _load(REPO).dataset("indicators", Indicators)
    new = _load(next_year).dataset("indicators", Indicators)
    assert old is not None and new is not None
    before = {i.id: i for i in old.indicators}
    moved = [i for i in new.indicators if i.prior_period == "2024/25"]
    assert len(moved) >= 20
    for ind in moved:
        assert ind.prior == before[ind.id].value, ind.id
    cic = next(i for i in new.indicators if i.id == "cic")
    # Last year's prior joined the history, in year order, with what was there.
    assert [(h.period, int(h.value)) for h in cic.history] == [("2021/22", 435), ("2023/24", 426)]
    assert str(cic.as_at) == "2026-03-31"


def test_training_and_notification_counts_move_back_a_year(next_year: Path) -> None:
    old_training = _load(REPO).dataset("training", Training)
    new_training = _load(next_year).dataset("training", Training)
    assert old_training is not None and new_training is not None
    # This year's printed bookings are next year's prior; last year's join the history.
    assert new_training.prior_bookings == old_training.totals.bookings
    assert [(h.period, h.bookings) for h in new_training.history] == [
        ("2023/24", old_training.prior_bookings)
    ]
    old_reviews = _load(REPO).dataset("reviews", Reviews)
    new_reviews = _load(next_year).dataset("reviews", Reviews)
    assert old_reviews is not None and new_reviews is not None
    assert old_reviews.notifications is not None and new_reviews.notifications is not None
    assert new_reviews.notifications.prior_incidents == old_reviews.notifications.incidents


def test_priorities_are_last_years_plans(next_year: Path) -> None:
    old = _load(REPO).dataset("priorities", Priorities)
    new = _load(next_year).dataset("priorities", Priorities)
    assert old is not None and old.next_year is not None and new is not None
    assert [p.title for p in new.priorities] == [t.title for t in old.next_year.priorities]
    assert all(
        not p.progress and p.status is not None and p.status.value == "not_started"
        for p in new.priorities
    )
    assert [t.title for t in new.themes] == [t.title for t in old.next_year.themes]
    assert len(new.last_year_plan) == len(old.next_year.actions)
    assert new.last_year_plan[0].startswith(old.next_year.actions[0].title)
    assert new.next_year is None


def test_comments_and_order_are_kept(next_year: Path) -> None:
    text = (next_year / "data/indicators.yaml").read_text(encoding="utf-8")
    assert "# How to read a record:" in text
    assert "# The peak the report names; no figure for 2022/23" in text
    config = (next_year / "report.yaml").read_text(encoding="utf-8")
    assert config.index("partnership:") < config.index("period:") < config.index("sections:")
    assert not (next_year / "archive").exists()  # last year's own archive stays behind
    assert "# Benchmarks used by data/indicators.yaml" in config


def test_open_recommendations_are_carried_with_their_status(next_year: Path) -> None:
    from reportgen.model.reviews import Audit, Review, Reviews

    old = _load(REPO).dataset("reviews", Reviews)
    new = _load(next_year).dataset("reviews", Reviews)
    assert old is not None and new is not None

    def open_recs(data: Reviews) -> dict[str, str | None]:
        # A status the source does not state (None) is not complete: still open.
        records: list[Review | Audit] = [*data.reviews, *data.audits]
        return {
            f"{r.id}.{rec.id}": rec.status.value if rec.status else None
            for r in records
            for rec in r.recommendations
            if rec.status is None or rec.status.value != "complete"
        }

    assert open_recs(new) == open_recs(old)
    assert open_recs(new)


def test_a_changed_prior_names_both_values_and_both_files(next_year: Path, tmp_path: Path) -> None:

    edited = tmp_path / "2025-26"
    shutil.copytree(next_year, edited)
    indicators = edited / "data/indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    assert text.count("    prior: 404\n") == 1
    indicators.write_text(text.replace("    prior: 404\n", "    prior: 405\n"), encoding="utf-8")
    found = [d for d in pipeline.validate(edited).diagnostics if d.code == "history.prior-mismatch"]
    assert len(found) == 1, [d.format_text() for d in found]
    message = found[0].message
    assert "405" in message and "404" in message
    assert found[0].location is not None
    assert found[0].location.path == "data/indicators.yaml"
    config = _load(edited).config
    assert isinstance(config, ReportConfig) and config.last_year is not None
    last = config.last_year.project
    # Last year's file and line, as report.yaml names last year's folder.
    assert re.search(rf"\({re.escape(str(last))}/data/indicators\.yaml:\d+\)$", message), message


def test_new_year_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NewYearError, match="not empty"):
        new_year(REPO, tmp_path / "taken")
    assert (tmp_path / "taken" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no half-made project left


def test_cli_new_year_prints_what_it_carried_reset_and_needs(tmp_path: Path) -> None:
    target = tmp_path / "2025-26"
    result = runner.invoke(app, ["new-year", str(REPO), "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert "created the 2025/26 project" in result.output
    for heading in ("carried:", "reset:", "needs a person:"):
        assert heading in result.output
    assert "18 narrative files, each marked as not yet reviewed" in result.output
    assert (target / "report.yaml").is_file()
    again = runner.invoke(app, ["new-year", str(REPO), "--to", str(target)])
    assert again.exit_code == 1
    assert "not empty" in again.output


def test_cli_validate_says_valid_but_not_ready(next_year: Path) -> None:
    result = runner.invoke(app, ["validate", str(next_year)])
    assert result.exit_code == 0, result.output
    assert "report is valid but not ready: 18 narrative file(s) not reviewed" in result.output


def test_last_years_folder_is_no_text_to_spell(tmp_path: Path) -> None:
    # The folder new-year writes under last_year: (relative, or absolute when the two
    # projects share no folder) is a path, not words: a name like 'ci-clone' is fine.
    source = copy_project(tmp_path / "xqzv-clone")
    target = tmp_path / "next" / "2025-26"
    new_year(source, target)
    result = pipeline.validate(target)
    assert [d.format_text() for d in result.diagnostics if d.code == "content.spelling"] == []
