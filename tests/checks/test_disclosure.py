"""Disclosure control: small counts of children are withheld the same way everywhere.

Figures are the seed's: the CDOP mode-of-death table (AR 1166-1175: "Brainstem death ...
1"), infant deaths notified (3, last year 1; AR 1096) and children in private fostering
(9). The default policy shows counts from 1 to 5 as `c`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from reportgen.derive import Derived
from reportgen.disclosure import grid_lines, protect
from reportgen.render.charts import alt_text, data_table
from reportgen.views import BlockKey, Cell, ChartSpec, TableView, TilesView
from tests.conftest import REPO, ProjectWriter

SEED = REPO / "tests" / "projects" / "seed-small-counts"
MODE_CSV = (SEED / "data" / "tables" / "cdop-mode-of-death.csv").read_text(encoding="utf-8")

CONFIG = """\
partnership:
  name: Newham Safeguarding Children Partnership
  short_name: NSCP
  areas:
    - id: newham
      name: London Borough of Newham
      ons_code: E09000025
title: Annual Report 2024/25
period:
  label: 2024/25
  start: 2024-04-01
  end: 2025-03-31
sections:
  - id: deaths
    title: Learning from child deaths
    file: content/deaths.md
validation:
  profile: none
"""

TABLES = """\
tables:
  - id: cdop_mode
    title: Mode of death by age group, 2024/25
    file: data/tables/cdop-mode-of-death.csv
    chart: true
"""

INDICATORS = """\
groups:
  - id: deaths
    title: Child deaths
  - id: children
    title: Children supported
indicators:
  - id: infant_deaths_notified
    label: Infant deaths notified to the national panel
    group: deaths
    unit: count
    value: 3
    prior: 1
    prior_period: 2023/24
  - id: private_fostering
    label: Children in private fostering arrangements
    group: children
    unit: count
    value: 9
  - id: supported
    label: Children supported in the two teams
    group: children
    unit: count
    value: 20
    parts: [team_a, team_b]
  - id: team_a
    label: Children supported by team A
    group: children
    unit: count
    value: 3
  - id: team_b
    label: Children supported by team B
    group: children
    unit: count
    value: 17
"""

NARRATIVE = """\
{{ indicator.infant_deaths_notified.change }} infant deaths were notified. The table shows
the {{ table.cdop_mode.total }} deaths notified this year. {{ disclosure.legend }}

{{ table tables.cdop_mode }}

{{ chart tables.cdop_mode }}

{{ tiles indicators.deaths }}
"""


def _files(**changes: str) -> dict[str, str]:
    files = {
        "report.yaml": CONFIG,
        "content/deaths.md": NARRATIVE,
        "data/tables.yaml": TABLES,
        "data/tables/cdop-mode-of-death.csv": MODE_CSV,
        "data/indicators.yaml": INDICATORS,
    }
    files.update(changes)
    return files


def _validate(write_project: ProjectWriter, files: dict[str, str]) -> pipeline.ValidationResult:
    result = pipeline.validate(write_project(files))
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    return result


def _derived(write_project: ProjectWriter, **changes: str) -> Derived:
    result = _validate(write_project, _files(**changes))
    assert result.derived is not None
    return result.derived


def _texts(cells: Sequence[Cell]) -> list[str]:
    return [c.text for c in cells]


# --- the algorithm ---------------------------------------------------------------------


def test_one_small_cell_in_a_two_by_two_table_takes_the_whole_table() -> None:
    # A 7 2 | 9 / B 9 8 | 17 / 16 10 | 26: suppressing the 2 alone lets 9 - 7 give it away.
    values = {(0, 0): 7, (0, 1): 2, (0, 2): 9, (1, 0): 9, (1, 1): 8, (1, 2): 17}
    values |= {(2, 0): 16, (2, 1): 10, (2, 2): 26}
    secondary = protect(values, grid_lines(2, 2, True), {(0, 1)})
    assert secondary == {(0, 0), (1, 0), (1, 1)}


def test_two_small_cells_in_a_line_need_nothing_more() -> None:
    values = {"a": 2, "b": 3, "c": 40, "total": 45}
    assert protect(values, [["a", "b", "c", "total"]], {"a", "b"}) == set()


def test_the_smallest_non_zero_part_is_chosen_before_zeros_and_totals() -> None:
    values = {"a": 2, "zero": 0, "b": 30, "c": 12, "total": 44}
    assert protect(values, [["a", "zero", "b", "c", "total"]], {"a"}) == {"c"}


def test_a_hidden_total_needs_no_protection() -> None:
    values = {"a": 2, "b": 30, "total": 32}
    assert protect(values, [["a", "b", "total"]], {"a"}, hidden={"total"}) == set()


# --- the seed's child death table --------------------------------------------------------


def test_cdop_table_shows_c_for_every_count_from_1_to_5(write_project: ProjectWriter) -> None:
    derived = _derived(write_project)
    table = derived.blocks[BlockKey("table", "tables.cdop_mode")]
    assert isinstance(table, TableView)
    rows = {r[0].text: _texts(r[1:]) for r in table.rows}
    assert rows["Palliative care"] == ["c", "c", "0", "0", "c", "0", "c"]
    assert rows["Treatment withheld"] == ["7", "c", "c", "c", "c", "c", "16"]
    assert rows["Brainstem death"] == ["0", "0", "0", "0", "c", "0", "c"]
    assert rows["Not known"] == ["0"] * 7
    assert table.totals is not None
    assert _texts(table.totals) == ["Total", "11", "8", "c", "c", "c", "c", "37"]
    assert derived.references["table.cdop_mode.total"] == "37"
    assert table.note is not None and derived.disclosure.legend in table.note


def test_cdop_chart_alt_text_and_data_table_show_the_symbol(write_project: ProjectWriter) -> None:
    chart = _derived(write_project).blocks[BlockKey("chart", "tables.cdop_mode")]
    assert isinstance(chart, ChartSpec)
    (series,) = chart.series
    assert series.values == [None, 16.0, None, 11.0, None, 0.0]
    assert series.marks == {0: "c", 2: "c", 4: "c"}
    alt = alt_text(chart)
    assert "Brainstem death c" in alt and "Palliative care c" in alt
    assert "Brainstem death 1" not in alt and "(1)" not in alt
    rows = {r[0].text: r[1].text for r in data_table(chart).rows}
    assert rows["Brainstem death"] == "c" and rows["Treatment withheld"] == "16"


def test_built_page_never_prints_a_small_count(write_project: ProjectWriter) -> None:
    from reportgen.render.html import render_report

    result = _validate(write_project, _files())
    assert result.project is not None and result.derived is not None
    page = render_report(result.project, result.derived)
    assert "Figures shown as c are counts of children from 1 to 5" in page
    assert "c, up from c" in page  # the sentence quoting infant deaths
    assert "Brainstem death c" in page  # the chart's text alternative
    for fragment in ("up from 1", "3 infant deaths", "Brainstem death 1"):
        assert fragment not in page


def test_validate_lists_what_is_withheld_and_why(write_project: ProjectWriter) -> None:
    derived = _derived(write_project)
    withheld = {(s.location.path, s.location.line, s.reason) for s in derived.disclosure.withheld}
    assert ("data/tables/cdop-mode-of-death.csv", 4, "small") in withheld  # Brainstem death
    assert ("data/indicators.yaml", 11, "small") in withheld  # infant deaths prior: 1
    secondary = [s for s in derived.disclosure.withheld if s.reason == "secondary"]
    assert [s.what for s in secondary] == ["indicator 'team_b'"]


# --- indicators ----------------------------------------------------------------------------


def test_indicator_references_tiles_and_changes(write_project: ProjectWriter) -> None:
    derived = _derived(write_project)
    refs = derived.references
    assert refs["indicator.infant_deaths_notified"] == "c"
    assert refs["indicator.infant_deaths_notified.prior"] == "c"
    assert refs["indicator.infant_deaths_notified.change"] == "c, up from c"
    assert refs["indicator.infant_deaths_notified.difference"] == "c"
    assert refs["indicator.private_fostering"] == "9"  # above the threshold
    tiles = derived.blocks[BlockKey("tiles", "indicators.deaths")]
    assert isinstance(tiles, TilesView)
    (tile,) = tiles.tiles
    assert tile.value == "c" and tile.change == "up from c in 2023/24"


def test_a_part_that_would_reveal_a_small_one_is_withheld(write_project: ProjectWriter) -> None:
    refs = _derived(write_project).references
    # 20 children in all, 3 in team A: showing 17 for team B would give the 3 away.
    assert (refs["indicator.team_a"], refs["indicator.team_b"]) == ("c", "c")
    assert refs["indicator.supported"] == "20"


def test_a_tighter_threshold_suppresses_more(write_project: ProjectWriter) -> None:
    config = CONFIG + "  disclosure:\n    threshold: 9\n"
    refs = _derived(write_project, **{"report.yaml": config}).references
    assert refs["indicator.private_fostering"] == "c"


def test_counts_marked_not_about_children_are_shown(write_project: ProjectWriter) -> None:
    tables = TABLES + "    disclosure: none\n"
    indicators = INDICATORS.replace(
        "  - id: deaths\n    title: Child deaths\n",
        "  - id: deaths\n    title: Child deaths\n    disclosure: none\n",
    )
    derived = _derived(
        write_project, **{"data/tables.yaml": tables, "data/indicators.yaml": indicators}
    )
    assert derived.references["indicator.infant_deaths_notified.change"] == "3, up from 1"
    table = derived.blocks[BlockKey("table", "tables.cdop_mode")]
    assert isinstance(table, TableView)
    assert _texts(table.rows[2]) == ["Brainstem death", "0", "0", "0", "0", "1", "0", "1"]


def test_a_recorded_override_lowers_the_threshold(write_project: ProjectWriter) -> None:
    config = CONFIG + (
        "  disclosure:\n    threshold: 0\n    override:\n"
        "      reason: Published nationally at this level.\n"
        "      approved_by: NSCP Executive\n      date: 2025-06-01\n"
    )
    result = pipeline.validate(write_project(_files(**{"report.yaml": config})))
    (diag,) = result.diagnostics
    assert (diag.code, diag.severity.value) == ("config.disclosure-override", "info")
    assert "NSCP Executive" in diag.message
    assert result.derived is not None
    assert result.derived.references["indicator.infant_deaths_notified"] == "3"
    assert result.derived.disclosure.withheld == []


def test_review_and_notification_counts_are_children(write_project: ProjectWriter) -> None:
    reviews = """\
notifications:
  incidents: 3
  children: 3
reviews:
  - id: sudi
    title: Sudden and unexpected deaths in infancy
    kind: thematic
    children: 3
    summary: A local thematic look at sudden infant deaths.
"""
    derived = _derived(write_project, **{"data/reviews.yaml": reviews})
    assert derived.references["reviews.notifications.incidents"] == "c"
    assert derived.references["reviews.notifications.children"] == "c"
    cards = derived.blocks[BlockKey("cards", "reviews")]
    assert ("Children", "c") in cards.cards[0].meta  # type: ignore[union-attr]


AUDITS = """\
audits:
  - id: csa
    title: Multi-agency audit of the response to child sexual abuse
    cases: 10
    gradings:
      - grade: Good
        cases: 4
      - grade: Requires improvement
        cases: 6
  - id: neglect
    title: Multi-agency audit of neglect
    cases: 40
    gradings:
      - grade: Good
        percent: 50
      - grade: Requires improvement
        percent: 50
"""


def test_small_grades_of_an_audit_are_withheld_with_one_more(
    write_project: ProjectWriter,
) -> None:
    # The seed's CSA audit (AR 639): 10 children's cases, 4 graded good. The 6 would give
    # the 4 away by subtraction from the published total, so it is withheld too.
    derived = _derived(write_project, **{"data/reviews.yaml": AUDITS})
    table = derived.blocks[BlockKey("table", "audits.csa")]
    assert [_texts(row) for row in table.rows] == [  # type: ignore[union-attr]
        ["Good", "c", "c"],
        ["Requires improvement", "c", "c"],
    ]
    assert derived.references["audit.csa.good"] == "c"
    assert derived.references["audit.csa.cases"] == "10"
    chart = derived.blocks[BlockKey("chart", "audits.csa")]
    assert chart.series[0].values == [None, None]  # type: ignore[union-attr]
    assert chart.series[0].marks == {0: "c", 1: "c"}  # type: ignore[union-attr]
    reasons = {s.what: s.reason for s in derived.disclosure.withheld if "audit" in s.what}
    assert reasons == {
        "audit 'csa': grade 'Good'": "small",
        "audit 'csa': grade 'Requires improvement'": "secondary",
    }
    published = {f.id: f for f in derived.ledger.figures if f.id.startswith("audit.csa.")}
    assert published["audit.csa.good.cases"].withheld
    assert published["audit.csa.good"].value is None


def test_grades_of_many_cases_are_published(write_project: ProjectWriter) -> None:
    derived = _derived(write_project, **{"data/reviews.yaml": AUDITS})
    table = derived.blocks[BlockKey("table", "audits.neglect")]
    assert [_texts(row) for row in table.rows] == [  # type: ignore[union-attr]
        ["Good", "20", "50%"],
        ["Requires improvement", "20", "50%"],
    ]


# --- text and the legend -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("There were 3 notifiable incidents involving 3 children.", ["3 children"]),
        ("Three infant deaths were notified.", ["Three infant deaths"]),
        ("There was 1 brainstem death.", ["1 brainstem death"]),
        ("Seven children took part.", []),
        ("Two child sexual abuse modules were tried out.", []),
        ("Households with three or more children.", []),
        ("Support for 5 to 18 year olds.", []),
        ("{{ indicator.infant_deaths_notified }} infant deaths were notified.", []),
        # Counts in words: part of a group, and a share of a stated number.
        ("Two of the children were under one.", ["Two of the children"]),
        ("4 of the 10 audited cases were graded good.", ["4 of the 10 audited cases"]),
        ("Half of the six children lived with a parent.", ["Half of the six children"]),
        ("One child was notified twice.", ["One child"]),
        # Numbers that are not counts of children: labels, ages, ratios, big shares.
        ("Year 6 pupils and Level 3 children's workers were trained.", []),
        ("Key Stage 2 pupils did better than last year.", []),
        ("Children aged 4 children's centres", []),
        ("One child in five lives in a crowded home.", []),
        ("One in 5 children lives in a crowded home.", []),
        ("One death can have more than one factor.", []),
        ("Half of the 300 children were boys.", []),
        ("We ran 4 sessions for children and 3 for parents.", []),
    ],
)
def test_small_counts_typed_into_text(
    write_project: ProjectWriter, text: str, flagged: list[str]
) -> None:
    files = _files(**{"content/deaths.md": NARRATIVE + "\n" + text + "\n"})
    result = pipeline.validate(write_project(files))
    found = [d for d in result.diagnostics if d.code == "disclosure.count-in-text"]
    assert [d.message.split("'")[1] for d in found] == flagged
    assert all(d.severity.value == "error" and d.location.line == 10 for d in found)  # type: ignore[union-attr]


def test_withheld_figures_need_the_legend(write_project: ProjectWriter) -> None:
    narrative = NARRATIVE.replace(" {{ disclosure.legend }}", "")
    result = pipeline.validate(write_project(_files(**{"content/deaths.md": narrative})))
    (diag,) = result.diagnostics
    assert diag.code == "disclosure.legend-missing"
    assert diag.location is not None and diag.location.path == "report.yaml"


def test_disclosure_cannot_be_lowered_by_severity(write_project: ProjectWriter) -> None:
    config = CONFIG + "  severity:\n    disclosure.legend-missing: warning\n"
    narrative = NARRATIVE.replace(" {{ disclosure.legend }}", "")
    files = _files(**{"report.yaml": config, "content/deaths.md": narrative})
    result = pipeline.validate(write_project(files))
    codes = sorted((d.code, d.severity.value) for d in result.diagnostics)
    assert codes == [("config.severity-lowered", "error"), ("disclosure.legend-missing", "error")]


# --- the command line --------------------------------------------------------------------------


def test_validate_prints_the_listing_and_json_has_no_values(write_project: ProjectWriter) -> None:
    root = write_project(_files())
    runner = CliRunner()
    text = runner.invoke(app, ["validate", str(root)]).output
    assert "Disclosure control: counts of children from 1 to 5 are shown as 'c'" in text
    assert "data/tables/cdop-mode-of-death.csv:4: table 'cdop_mode': 'Brainstem death'" in text
    assert "indicator 'team_b': secondary: it would reveal a suppressed count" in text
    done = runner.invoke(app, ["validate", str(root), "--format", "json"])
    document = json.loads(done.stdout)
    listing = document["disclosure"]
    assert listing["threshold"] == 5 and listing["symbol"] == "c"
    assert {"what", "reason", "location"} == set(listing["withheld"][0])
    assert all("value" not in entry for entry in listing["withheld"])


def test_example_follows_the_policy() -> None:
    result = pipeline.validate(REPO)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["indicator.infant_deaths_notified.change"] == "c, up from c"
    assert refs["reviews.notifications.children"] == "c"
    assert refs["indicator.private_fostering"] == "9"
    table = result.derived.blocks[BlockKey("table", "tables.cdop_mode_of_death")]
    assert isinstance(table, TableView)
    brainstem = next(r for r in table.rows if r[0].text == "Brainstem death")
    assert "1" not in _texts(brainstem[1:])
    narrative = (REPO / "content" / "03-about-report.md").read_text(encoding="utf-8")
    assert "{{ disclosure.legend }}" in narrative


def test_seed_fixture_project_exists() -> None:
    assert Path(SEED / "case.yaml").is_file()


def test_a_share_of_a_small_audit_in_its_findings_is_a_count(
    write_project: ProjectWriter,
) -> None:
    # The seed's CSA audit (AR 669-690): shares of 10 children's cases.
    reviews = AUDITS.replace(
        "        cases: 6\n",
        "        cases: 6\n    improvements:\n"
        "      - Information was not shared well enough in 40% of cases.\n"
        "      - In 60% of cases professionals explored why a disclosure was withdrawn.\n",
        1,
    )
    result = pipeline.validate(write_project(_files(**{"data/reviews.yaml": reviews})))
    found = [d for d in result.diagnostics if d.code == "disclosure.count-in-text"]
    assert [d.message.split("'")[1] for d in found] == ["40% of cases"]
    assert "gives a count of 4" in found[0].message
    assert found[0].location is not None and found[0].location.path == "data/reviews.yaml"
