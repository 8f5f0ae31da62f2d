"""The fictional two-area example (examples/two-area/): built for real, HTML and PDF.

It holds what a partnership of two local authorities prints: figures by area with short
labels, budgets as published (actuals only; a total that includes reserves; expected
beside received), derived figures typed as printed, facts the report does not state,
and reviews from notification to publication. Its seeded defects are pinned in
tests/projects/two-area-defects/case.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen import pipeline
from reportgen.model.reviews import status_from_print
from reportgen.views import BlockKey, CardsView, TableView
from tests.conftest import REPO, copy_project

EXAMPLE = REPO / "examples" / "two-area"


@pytest.fixture(scope="module")
def validated() -> pipeline.ValidationResult:
    result = pipeline.validate(EXAMPLE)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    return result


def _table(result: pipeline.ValidationResult, name: str) -> list[list[str]]:
    assert result.derived is not None
    table = result.derived.blocks[BlockKey("table", name)]
    assert isinstance(table, TableView)
    return [table.columns, *([c.text for c in row] for row in table.rows)]


def test_it_validates_with_nothing_worse_than_notes(
    validated: pipeline.ValidationResult,
) -> None:
    # Notes only: a fictional partnership has no ONS codes, and the checklist's
    # recommended items that the example leaves to others (training, feedback) are missing.
    assert {d.severity.value for d in validated.diagnostics} == {"info"}, [
        d.format_text() for d in validated.diagnostics
    ]


def test_it_builds_html_and_a_pdf(tmp_path: Path) -> None:
    result = pipeline.build(EXAMPLE, tmp_path / "out")
    assert not result.diagnostics.has_errors()
    outputs = {p.suffix: p for p in result.outputs}
    html = outputs[".html"].read_text(encoding="utf-8")
    assert "Fernmoor and Coldwater Safeguarding Children Partnership" in html
    text = " ".join(page.extract_text() for page in PdfReader(outputs[".pdf"]).pages)
    assert "Fernmoor in figures" in html and "Coldwater in figures" in html
    # The tracker's own words are printed beside the normalised badge.
    assert "Partially met" in text and "Amber" in text


def test_expenditure_with_actuals_only_has_no_budget_or_variance(
    validated: pipeline.ValidationResult,
) -> None:
    rows = _table(validated, "budget.expenditure")
    assert rows[0] == ["Expenditure type", "Spend"]
    assert validated.derived is not None
    refs = validated.derived.references
    assert "budget.expenditure.position" not in refs and "budget.expenditure.budget" not in refs
    assert refs["budget.expenditure.spend"] == "£268,000"


def test_income_shows_expected_beside_received_with_short_area_labels(
    validated: pipeline.ValidationResult,
) -> None:
    rows = _table(validated, "budget.income")
    assert rows[0] == ["Contributor", "Area", "Expected", "Received", "Share of income"]
    assert rows[1][1] == "Fernmoor" and "includes Police (Fernmoor share) £10,000" in rows[1][0]
    assert rows[3][1] == "–"  # the ICB covers both areas
    assert validated.derived is not None
    assert validated.derived.references["budget.income.expected"] == "£263,000"


def test_what_the_report_does_not_state_is_not_invented(
    validated: pipeline.ValidationResult,
) -> None:
    assert validated.derived is not None
    refs = validated.derived.references
    assert "reviews.notifications.children" not in refs
    assert "audit.neglect-audit.cases" not in refs
    audit = _table(validated, "audits.neglect-audit")
    assert [row[1] for row in audit[1:]] == ["Not stated"] * 3
    cards = validated.derived.blocks[BlockKey("cards", "priorities")]
    assert isinstance(cards, CardsView)
    assert [c.status for c in cards.cards] == [None, "Amber"]
    headings = [p.heading for p in cards.cards[0].parts]
    assert "What we want to achieve" not in headings


def test_the_tracker_keeps_the_printed_status_beside_the_normalised_one(
    validated: pipeline.ValidationResult,
) -> None:
    assert validated.derived is not None
    table = validated.derived.blocks[BlockKey("table", "reviews.recommendations")]
    assert isinstance(table, TableView)
    statuses = {row[0].text: (row[2].text, row[3].text, row[3].badge) for row in table.rows}
    shared = statuses["Give health visitors and the hospital one shared record of concerns."]
    assert shared == ("Integrated Care Board, Coldwater Hospital", "Partially met", "Amber")
    missing = statuses["Hold a return conversation every time a child goes missing from school."]
    assert missing[1:] == ("On track", "Green")


def test_review_cards_show_the_lifecycle(validated: pipeline.ValidationResult) -> None:
    assert validated.derived is not None
    cards = validated.derived.blocks[BlockKey("cards", "reviews")]
    assert isinstance(cards, CardsView)
    meta = {c.id: dict(c.meta) for c in cards.cards}
    assert meta["review-child-m"]["Stage"] == "Published, 12 November 2024"
    assert meta["review-baby-t"]["Area"] == "Coldwater"
    assert meta["review-rr-fernmoor-october"]["Decision"] == "No local review"


def test_an_area_snapshot_labels_figures_without_repeating_the_area(
    validated: pipeline.ValidationResult,
) -> None:
    rows = _table(validated, "indicators.fernmoor")
    assert all("(Fernmoor)" not in row[0] for row in rows[1:])


def test_a_stated_change_without_a_prior_is_named_not_passed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "two-area", EXAMPLE)
    path = root / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    prior: 2210\n", "", 1), encoding="utf-8")
    found = [
        (d.code, d.message)
        for d in pipeline.validate(root).diagnostics
        if d.code.startswith("data.")
    ]
    assert found == [
        (
            "data.printed-figure-uncheckable",
            "indicator 'fernmoor_referrals': 'change_percent' and 'direction' are stated but "
            "the value it is measured from is not given",
        ),
    ]


@pytest.mark.parametrize(
    ("printed", "status"),
    [
        ("Partially met", "amber"),
        ("  ON-TRACK ", "green"),
        ("Completed", "complete"),
        ("Soon", None),
    ],
)
def test_printed_status_words_map_to_a_normalised_status(printed: str, status: str | None) -> None:
    found = status_from_print(printed)
    assert (found.value if found else None) == status
