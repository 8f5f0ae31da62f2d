"""The risk register (data/risks.yaml): a dataset added as one module, its model and tests.

The fixture project tests/projects/risk-register quotes it and shows its table; the
generic tests (pinned diagnostics, generated docs, names offered) pick it up from there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reportgen import pipeline
from reportgen.datasets import accepted_by, offering
from reportgen.kinds import default_kind
from reportgen.project import reference_sources
from reportgen.render.html import render_report
from reportgen.views import BlockKey, TableView
from tests.conftest import REPO
from tests.html_outline import outline

CASE = REPO / "tests" / "projects" / "risk-register"


def _validated(root: Path) -> pipeline.ValidationResult:
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    return result


def test_the_annual_report_accepts_it_with_no_change_to_the_kind() -> None:
    assert "risks" in [d.name for d in accepted_by("annual-report")]
    assert default_kind().dataset_file("risks") is offering("risks")
    assert reference_sources("risks.count") == ("risks",)


def test_it_offers_counts_and_the_as_at_date() -> None:
    derived = _validated(CASE).derived
    assert derived is not None
    refs = derived.references
    assert (refs["risks.count"], refs["risks.raised"], refs["risks.lowered"]) == ("4", "1", "1")
    assert refs["risks.as_at"] == "31 March 2025"


def test_the_table_says_what_the_register_does_not_state() -> None:
    derived = _validated(CASE).derived
    assert derived is not None
    table = derived.blocks[BlockKey("table", "risks")]
    assert isinstance(table, TableView)
    assert table.caption == "Risk register at 31 March 2025"
    rows = [[c.text for c in row] for row in table.rows]
    assert rows[0][2:4] == ["Amber", "Red"] and rows[0][4].startswith("Two team managers")
    assert rows[2][2:] == ["Green", "Green", "No change"]
    # Nothing stated but its title: nothing is made up.
    assert rows[3] == ["Schools miss multi-agency training", *["Not stated"] * 4]
    assert table.rows[0][3].badge == "Red" and table.rows[3][3].badge is None


def test_the_page_shows_an_accessible_table() -> None:
    result = _validated(CASE)
    assert result.project is not None and result.derived is not None
    page = outline(render_report(result.project, result.derived))
    (table,) = [t for t in page.find("table") if t.attrs.get("id") == "table-risks"]
    assert "Risk register at 31 March 2025" in page.find("caption")[0].text
    headers = [th for th in page.find("th") if th.attrs.get("scope") == "col"]
    assert [" ".join(th.text.split()) for th in headers][:5] == [
        "Risk",
        "Owner",
        "Rating at the start",
        "Rating at the end",
        "Why",
    ]
    row_headers = [
        " ".join(th.text.split()) for th in page.find("th") if th.attrs.get("scope") == "row"
    ]
    assert "Partners cannot share case records quickly" in row_headers
    assert "Status: Red" in " ".join(table.text.split())
    assert "On 31 March 2025 it held 4 risks." in " ".join(page.find("main")[0].text.split())


def test_a_rating_it_does_not_know_is_located(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(CASE, root)
    path = root / "data" / "risks.yaml"
    path.write_text(path.read_text().replace("end: red", "end: purple"), encoding="utf-8")
    result = pipeline.validate(root)
    found = [(d.code, str(d.location)) for d in result.diagnostics.errors]
    assert found == [("schema.invalid", "data/risks.yaml:8:10")]


def test_an_as_at_date_outside_the_year_is_located(tmp_path: Path) -> None:
    # The schema marks `as_at` as an event date: the generic period check finds it.
    root = tmp_path / "p"
    shutil.copytree(CASE, root)
    path = root / "data" / "risks.yaml"
    path.write_text(path.read_text().replace("2025-03-31", "2024-03-31"), encoding="utf-8")
    result = pipeline.validate(root)
    found = [(d.code, str(d.location), d.message) for d in result.diagnostics]
    assert found == [
        (
            "dates.outside-period",
            "data/risks.yaml:2:8",
            "the risk register is dated 31 March 2024, outside the report period 2024/25 "
            "(1 April 2024 to 31 March 2025)",
        )
    ]
