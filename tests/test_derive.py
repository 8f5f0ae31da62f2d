"""Derive: references and blocks computed from the Newham 2024/25 figures.

Every expected string below is worked out by hand from the seed figures, e.g.
income 5,000 + 10,000 + 50,000 + 5,000 + 107,000 + 10,000 + 5,500 + 2,100 = 194,600.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.derive import Derived, derive
from reportgen.diagnostics import DiagnosticList
from reportgen.project import load_project
from reportgen.views import BlockKey, Cell, ChartSpec, TableView, TilesView
from tests.conftest import BUDGET, REVIEWS, ProjectWriter

REPO = Path(__file__).resolve().parent.parent
COURSES_CSV = (REPO / "data" / "training-courses.csv").read_text(encoding="utf-8")

INDICATORS = """\
groups:
  - id: snapshot
    title: Safeguarding snapshot
  - id: rates
    title: Rates per 10,000 children
indicators:
  - id: cp_plans
    label: Children with a child protection plan
    group: snapshot
    unit: count
    value: 260
    prior: 304
    better: lower
  - id: cin
    label: Children in need
    group: snapshot
    unit: count
    value: 1,286
    prior: 1,346
  - id: care_leavers
    label: Care leavers
    group: snapshot
    unit: count
    value: 547
    prior: 474
  - id: contacts
    label: Contacts to children's social care
    group: snapshot
    unit: count
    value: 18,423
    prior: 18,584
  - id: cp_rate
    label: Child protection plans
    group: rates
    unit: rate_per_10k
    value: 32.1
    comparators:
      statistical_neighbours:
        value: 39.7
        period: 2023/24
"""

TRAINING = """\
start: 2024-04-01
end: 2025-03-31
totals:
  bookings: 805
  attended: 560
prior_bookings: 813
courses_file: data/training-courses.csv
"""

# These tests check the arithmetic, so small counts are shown as typed here; disclosure
# control of the same table is tested in tests/checks/test_disclosure.py.
TABLES = """\
tables:
  - id: cdop_mode
    title: Mode of death by age group
    file: data/tables/cdop-mode-of-death.csv
    disclosure: none
"""

# Typed totals removed, so every total shown must be computed.
MODE_OF_DEATH = """\
Mode of death,≤ 28 days,29 to 364 days,1-4 years,5-9 years,10-14 years,15-17 years
Palliative care,2,1,0,0,1,0
Treatment withheld,7,3,2,1,2,1
Brainstem death,0,0,0,0,1,0
Failed cardio-respiratory resuscitation,2,4,2,0,1,2
Found dead or collapsed,0,0,1,3,0,1
Not known,0,0,0,0,0,0
"""


def _derive(write_project: ProjectWriter, files: dict[str, str]) -> Derived:
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert list(diags) == [], [d.format_text() for d in diags]
    assert project is not None
    return derive(project)


@pytest.fixture
def derived(write_project: ProjectWriter, minimal_files: dict[str, str]) -> Derived:
    return _derive(
        write_project,
        {
            **minimal_files,
            "data/indicators.yaml": INDICATORS,
            "data/training.yaml": TRAINING,
            "data/training-courses.csv": COURSES_CSV,
            "data/tables.yaml": TABLES,
            "data/tables/cdop-mode-of-death.csv": MODE_OF_DEATH,
            "data/reviews.yaml": REVIEWS,
        },
    )


def _table(derived: Derived, key: str) -> TableView:
    block = derived.blocks[BlockKey(*key.split(" "))]
    assert isinstance(block, TableView)
    return block


def _texts(cells: list[Cell]) -> list[str]:
    return [c.text for c in cells]


# --- references -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("partnership.short_name", "NSCP"),
        ("period.label", "2024/25"),
        ("period.previous", "2023/24"),
        ("period.next", "2025/26"),
        ("budget.income.total", "£194,600"),
        ("budget.expenditure.budget", "£194,600"),  # 145,000 + 30,000 + 13,000 + 6,600
        ("budget.expenditure.spend", "£196,000"),  # 153,000 + 27,000 + 12,000 + 4,000
        ("budget.expenditure.difference", "£1,400"),
        ("budget.expenditure.position", "£1,400 over budget"),
        ("budget.grants.total", "£0"),
        ("indicator.cp_plans", "260"),
        ("indicator.cp_plans.prior", "304"),
        ("indicator.cp_plans.change", "260, down from 304"),
        ("indicator.cp_plans.difference", "44"),
        ("indicator.cin", "1,286"),
        ("indicator.cin.change", "1,286, down from 1,346"),
        ("indicator.cin.difference", "60"),
        ("indicator.care_leavers.change", "547, up from 474"),
        ("indicator.contacts.change", "18,423, similar to 18,584"),  # 161 is under 1%
        ("indicator.cp_rate", "32.1"),
        ("indicator.cp_rate.statistical_neighbours", "39.7"),
        ("training.courses", "26"),
        ("training.occurrences", "51"),
        ("training.bookings", "805"),
        ("training.attended", "560"),
        ("training.no_shows", "245"),
        ("training.attendance_rate", "70%"),  # 560 / 805 = 69.57%
        ("training.prior_bookings", "813"),
        ("table.cdop_mode.total", "37"),
        ("audit.csa.cases", "10"),
        # 4 of 10 children's cases: withheld, and the 6 with it (checks/test_disclosure.py).
        ("audit.csa.good", "c"),
        ("audit.csa.requires_improvement", "c"),
    ],
)
def test_reference(derived: Derived, key: str, text: str) -> None:
    assert derived.references[key] == text


def test_indicator_without_prior_has_no_change_references(derived: Derived) -> None:
    assert "indicator.cp_rate.change" not in derived.references
    assert "indicator.cp_rate.prior" not in derived.references


@pytest.mark.parametrize(
    ("old", "new", "position", "difference"),
    [
        ("      spend: 153000", "      spend: 150000", "£1,600 under budget", "£1,600"),
        ("      spend: 153000", "      spend: 151600", "on budget", "£0"),
        ("      spend: 4000", "      spend: 4001.50", "£1,401.50 over budget", "£1,401.50"),
    ],
)
def test_budget_position_words(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    position: str,
    difference: str,
) -> None:
    budget = BUDGET.replace(old, new).replace("  total_spend: 196000\n", "")
    refs = _derive(write_project, {**minimal_files, "data/budget.yaml": budget}).references
    assert refs["budget.expenditure.position"] == position
    assert refs["budget.expenditure.difference"] == difference


def test_percent_indicator_difference_in_points(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    ind = (
        "groups:\n  - id: training\n    title: Training\n"
        "indicators:\n  - id: attendance\n    label: Places attended\n    group: training\n"
        "    unit: percent\n    value: 70\n    prior: 68\n"
    )
    derived = _derive(write_project, {**minimal_files, "data/indicators.yaml": ind})
    assert derived.references["indicator.attendance"] == "70%"
    assert derived.references["indicator.attendance.change"] == "70%, up from 68%"
    assert derived.references["indicator.attendance.difference"] == "2 percentage points"
    row = _table(derived, "table indicators.training").rows[0]
    assert _texts(row) == ["Places attended", "70%", "68%", "+2 pts"]


# --- blocks -----------------------------------------------------------------------


def test_income_table_rows_shares_and_total(derived: Derived) -> None:
    table = _table(derived, "table budget.income")
    assert table.columns == ["Contributor", "Amount", "Share of income"]
    assert [_texts(r) for r in table.rows] == [
        ["Barts Health", "£5,000", "2.6%"],  # 2.569%
        ["ELFT", "£10,000", "5.1%"],  # 5.139%
        ["ICB", "£50,000", "25.7%"],  # 25.694%
        ["Police", "£5,000", "2.6%"],
        ["LBN - CSC (not including overheads)", "£107,000", "55.0%"],  # 54.985%
        ["LBN - Education", "£10,000", "5.1%"],
        ["Housing", "£5,500", "2.8%"],  # 2.826%
        ["Probation", "£2,100", "1.1%"],  # 1.079%
    ]
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "£194,600", "100.0%"]
    assert all(cell.numeric for row in table.rows for cell in row[1:])


def test_income_total_is_computed_not_copied_from_the_typed_total(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = BUDGET.replace("  total: 194600\n", "")
    derived = _derive(write_project, {**minimal_files, "data/budget.yaml": budget})
    table = _table(derived, "table budget.income")
    assert table.totals is not None and table.totals[1].text == "£194,600"


def test_expenditure_table_variance_column(derived: Derived) -> None:
    table = _table(derived, "table budget.expenditure")
    assert table.columns == ["Expenditure type", "Full-year budget", "Year-end spend", "Variance"]
    assert [_texts(r) for r in table.rows] == [
        ["Salaries", "£145,000", "£153,000", "£8,000"],
        ["Training/events", "£30,000", "£27,000", "-£3,000"],
        ["LCSPRs", "£13,000", "£12,000", "-£1,000"],
        ["ICT/Printing/Miscellaneous", "£6,600", "£4,000", "-£2,600"],
    ]
    assert table.totals is not None
    # 8,000 - 3,000 - 1,000 - 2,600 = 1,400 overspend
    assert _texts(table.totals) == ["Total", "£194,600", "£196,000", "£1,400"]


def test_income_chart_series(derived: Derived) -> None:
    chart = derived.blocks[BlockKey("chart", "budget.income")]
    assert isinstance(chart, ChartSpec)
    assert chart.unit == "money"
    assert chart.categories[4] == "LBN - CSC"
    (series,) = chart.series
    assert series.values == [5000.0, 10000.0, 50000.0, 5000.0, 107000.0, 10000.0, 5500.0, 2100.0]


def test_crosstab_totals_are_computed(derived: Derived) -> None:
    table = _table(derived, "table tables.cdop_mode")
    assert table.columns == [
        "Mode of death",
        "≤ 28 days",
        "29 to 364 days",
        "1-4 years",
        "5-9 years",
        "10-14 years",
        "15-17 years",
        "Total",
    ]
    assert [(r[0].text, r[-1].text) for r in table.rows] == [
        ("Palliative care", "4"),
        ("Treatment withheld", "16"),
        ("Brainstem death", "1"),
        ("Failed cardio-respiratory resuscitation", "11"),
        ("Found dead or collapsed", "5"),
        ("Not known", "0"),
    ]
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "11", "8", "5", "4", "5", "4", "37"]


def test_crosstab_with_typed_totals_shows_them_once(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    typed = (REPO / "data" / "tables" / "cdop-mode-of-death.csv").read_text(encoding="utf-8")
    assert typed.rstrip().endswith("Total,11,8,5,4,5,4,37")
    files = {
        **minimal_files,
        "data/tables.yaml": TABLES,
        "data/tables/cdop-mode-of-death.csv": typed,
    }
    table = _table(_derive(write_project, files), "table tables.cdop_mode")
    assert len(table.rows) == 6  # the CSV's Total row is not a data row
    assert table.columns.count("Total") == 1
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "11", "8", "5", "4", "5", "4", "37"]


def test_crosstab_chart_is_row_totals(derived: Derived) -> None:
    chart = derived.blocks[BlockKey("chart", "tables.cdop_mode")]
    assert isinstance(chart, ChartSpec)
    (series,) = chart.series
    assert series.values == [4.0, 16.0, 1.0, 11.0, 5.0, 0.0]


def test_training_courses_table_total_row(derived: Derived) -> None:
    table = _table(derived, "table training.courses")
    assert len(table.rows) == 26
    assert _texts(table.rows[2]) == ["Chemsex", "1", "7", "5", "71%"]  # 5/7 = 71.4%
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "51", "805", "560", "70%"]


def test_training_summary_uses_computed_figures(derived: Derived) -> None:
    table = _table(derived, "table training.summary")
    rows = {r[0].text: r[1].text for r in table.rows}
    assert rows["Bookings"] == "805"
    assert rows["Attended"] == "560"
    assert rows["Did not attend (including cancellations)"] == "245"
    assert rows["Attendance rate"] == "70%"
    assert rows["Bookings last year"] == "813"


def test_audit_table(derived: Derived) -> None:
    table = _table(derived, "table audits.csa")
    # The seed's grades are counts of 1 to 5 children (and one that would reveal it).
    assert [_texts(r) for r in table.rows] == [
        ["Good", "c", "c"],
        ["Requires improvement", "c", "c"],
    ]
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "10", "100%"]


def test_audit_given_as_percentages(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # 40 cases, so that no grade is a count the disclosure policy withholds.
    reviews = (
        REVIEWS.replace("    cases: 10", "    cases: 40")
        .replace("        cases: 4", "        percent: 40")
        .replace("        cases: 6", "        percent: 60")
    )
    derived = _derive(write_project, {**minimal_files, "data/reviews.yaml": reviews})
    assert derived.references["audit.csa.requires_improvement"] == "60%"
    rows = _table(derived, "table audits.csa").rows
    assert [_texts(r) for r in rows] == [
        ["Good", "16", "40%"],
        ["Requires improvement", "24", "60%"],
    ]


def test_audit_cases_from_percentages_round_half_up(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    reviews = (
        REVIEWS.replace("    cases: 10", "    cases: 30")
        .replace("        cases: 4", "        percent: 45")
        .replace("        cases: 6", "        percent: 55")
    )
    derived = _derive(write_project, {**minimal_files, "data/reviews.yaml": reviews})
    rows = _table(derived, "table audits.csa").rows
    # 45% of 30 = 13.5 -> 14 and 55% of 30 = 16.5 -> 17, as every other figure rounds.
    assert [r[1].text for r in rows] == ["14", "17"]


# --- tiles and indicator tables ------------------------------------------------------


def test_tiles(derived: Derived) -> None:
    tiles = derived.blocks[BlockKey("tiles", "indicators.snapshot")]
    assert isinstance(tiles, TilesView)
    assert tiles.title == "Safeguarding snapshot"
    assert [(t.value, t.change, t.trend) for t in tiles.tiles] == [
        ("260", "down from 304 in 2023/24", "better"),  # better: lower
        ("1,286", "down from 1,346 in 2023/24", "neutral"),  # better: neither (default)
        ("547", "up from 474 in 2023/24", "neutral"),
        ("18,423", "similar to 18,584 in 2023/24", "neutral"),
    ]


def test_rate_tile_with_comparator(derived: Derived) -> None:
    tiles = derived.blocks[BlockKey("tiles", "indicators.rates")]
    assert isinstance(tiles, TilesView)
    (tile,) = tiles.tiles
    assert tile.value == "32.1 per 10,000"
    assert tile.comparator == "Statistical neighbours (2023/24): 39.7"
    assert tile.change is None
    assert tile.trend == "neutral"


@pytest.mark.parametrize(
    ("value", "prior", "better", "trend"),
    [
        ("260", "304", "lower", "better"),  # CP plans fell
        ("260", "304", "higher", "worse"),
        ("260", "304", "neither", "neutral"),
        ("547", "474", "higher", "better"),  # care leavers rose
        ("547", "474", "lower", "worse"),
        ("304", "304", "lower", "same"),
        ("304", "304", "neither", "same"),
    ],
)
def test_tile_trend_honours_better(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    value: str,
    prior: str,
    better: str,
    trend: str,
) -> None:
    ind = (
        "groups:\n  - id: snapshot\n    title: Snapshot\n"
        "indicators:\n  - id: x\n    label: X\n    group: snapshot\n    unit: count\n"
        f"    value: {value}\n    prior: {prior}\n    better: {better}\n"
    )
    derived = _derive(write_project, {**minimal_files, "data/indicators.yaml": ind})
    tiles = derived.blocks[BlockKey("tiles", "indicators.snapshot")]
    assert isinstance(tiles, TilesView)
    assert tiles.tiles[0].trend == trend


def test_indicator_table_with_prior_and_comparators(derived: Derived) -> None:
    table = _table(derived, "table indicators.snapshot")
    assert table.columns == ["Indicator", "2024/25", "2023/24", "Change"]
    assert [_texts(r)[1:] for r in table.rows] == [
        ["260", "304", "-44"],
        ["1,286", "1,346", "-60"],
        ["547", "474", "+73"],
        ["18,423", "18,584", "-161"],
    ]
    rates = _table(derived, "table indicators.rates")
    assert rates.columns == ["Indicator", "2024/25", "Statistical neighbours"]
    assert [_texts(r) for r in rates.rows] == [["Child protection plans", "32.1", "39.7"]]
    assert rates.note == "Comparator figures are for 2023/24."


def test_expected_blocks_exist(derived: Derived) -> None:
    for key in [
        "table budget.income",
        "chart budget.income",
        "table budget.expenditure",
        "chart budget.expenditure",
        "tiles indicators.snapshot",
        "table indicators.snapshot",
        "chart indicators.snapshot",
        "table training.courses",
        "table training.summary",
        "table tables.cdop_mode",
        "chart tables.cdop_mode",
        "table audits.csa",
        "cards audits",
    ]:
        assert BlockKey(*key.split(" ")) in derived.blocks, key


def test_published_figures_name_the_cell_or_line_they_come_from(derived: Derived) -> None:
    # Each derive step asks the loaded record where its field is written (project.where).
    rate = derived.ledger.find("training.courses.chemsex.attendance_rate")
    assert rate is not None
    assert [(s.path, s.row, s.field) for s in rate.sources] == [
        ("data/training-courses.csv", 4, "attended"),
        ("data/training-courses.csv", 4, "bookings"),
    ]
    neighbours = derived.ledger.find("indicator.cp_rate.statistical_neighbours")
    prior = derived.ledger.find("training.prior_bookings")
    assert neighbours is not None and prior is not None
    assert [(s.path, s.line) for s in (*neighbours.sources, *prior.sources)] == [
        ("data/indicators.yaml", 38),
        ("data/training.yaml", 6),
    ]


def test_business_unit_is_quoted_from_governance_with_its_source(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    governance = (
        "business_unit:\n  posts:\n"
        "    - id: business_manager\n      title: Business manager\n      fte: 1\n"
        "    - title: Training coordinator\n      fte: 0.25\n"
    )
    diags = DiagnosticList()
    project = load_project(
        write_project({**minimal_files, "data/governance.yaml": governance}), diags
    )
    assert project is not None and not diags.has_errors(), diags.sorted()
    out = derive(project)
    refs = out.references
    assert refs["governance.business_unit.business_manager.fte"] == "1"
    assert (refs["governance.business_unit.fte"], refs["governance.business_unit.posts"]) == (
        "1.25",
        "2",
    )
    # A post without an id is counted but offers no name of its own.
    assert not [k for k in refs if "training" in k and k.startswith("governance.")]
    figure = out.ledger.find("governance.business_unit.business_manager.fte")
    assert figure is not None and figure.source_text == "data/governance.yaml line 5"


def test_a_total_printed_wrong_is_shown_computed_with_its_erratum_as_the_note(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = BUDGET.replace(
        "  total_spend: 196000",
        "  total_spend:\n    printed: 196300\n    erratum: the source adds the lines wrongly.",
    )
    diags = DiagnosticList()
    project = load_project(write_project({**minimal_files, "data/budget.yaml": budget}), diags)
    assert project is not None and not diags.has_errors(), diags.sorted()
    out = derive(project)
    block = out.blocks[BlockKey("table", "budget.expenditure")]
    assert isinstance(block, TableView)
    assert block.totals is not None and block.totals[2].text == "£196,000"  # computed
    assert block.note == (
        "Variance is spend minus budget: a positive figure is an overspend. "
        "Note on the source: the source adds the lines wrongly."
    )
    assert out.references["budget.expenditure.spend"] == "£196,000"
    assert "£196,300" not in str(out.blocks)
