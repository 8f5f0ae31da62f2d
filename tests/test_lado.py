"""The LADO returns (data/lado.yaml): per area, checked, withheld when small, and published.

The fixtures tests/projects/lado-devon-total (Devon's printed 1,445 that is 1,446) and
clean-lado-partnership pin the diagnostics; here the figures, tables, charts, open data
and the command line.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from reportgen.model.lado import LadoOutcome, outcome_from_print
from reportgen.views import BlockKey, ChartSpec, TableView
from tests.conftest import REPO

TWO_AREA = REPO / "examples" / "two-area"
DEVON = REPO / "tests" / "projects" / "lado-devon-total"
CLEAN = REPO / "tests" / "projects" / "clean-lado-partnership"
runner = CliRunner()


def _derived(root: Path) -> pipeline.ValidationResult:
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    assert result.derived is not None
    return result


def _rows(result: pipeline.ValidationResult, name: str) -> list[list[str]]:
    assert result.derived is not None
    table = result.derived.blocks[BlockKey("table", name)]
    assert isinstance(table, TableView)
    return [table.columns, *([c.text for c in row] for row in table.rows)]


def test_each_area_has_its_figures_and_the_partnership_their_sum() -> None:
    result = _derived(TWO_AREA)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["lado.fernmoor.total"] == "517"
    assert refs["lado.fernmoor.change"] == "517, up from 470"
    assert refs["lado.coldwater.total"] == "338"  # 148 + 190: no total printed
    assert refs["lado.total"] == "855"
    assert "lado.coldwater.prior" not in refs  # not stated: nothing is made up
    assert refs["lado.fernmoor.total.run"] == "up for the second year running"
    assert _rows(result, "lado")[2] == ["Coldwater", "148", "190", "338", "61", "Not stated"]


def test_outcomes_keep_the_printed_words_beside_a_normalised_outcome() -> None:
    rows = _rows(_derived(TWO_AREA), "lado.fernmoor.by_outcome")
    assert rows[0] == ["Outcome", "Outcome (normalised)", "Number", "Share"]
    assert rows[1] == ["Substantiated", "Substantiated", "29", "30.2%"]
    # Small counts of allegations are withheld, in the table and in the chart.
    assert rows[4][2:] == ["c", "c"] and rows[5][2:] == ["c", "c"]
    assert rows[6][:2] == ["Still open at 31 March", "Ongoing"]
    assert outcome_from_print("Malicious allegations") is LadoOutcome.MALICIOUS
    assert outcome_from_print("Still open") is None


def test_a_breakdown_has_a_chart_with_withheld_bars_marked() -> None:
    result = _derived(TWO_AREA)
    assert result.derived is not None
    chart = result.derived.blocks[BlockKey("chart", "lado.fernmoor.by_outcome")]
    assert isinstance(chart, ChartSpec)
    assert chart.series[0].values[3] is None and chart.series[0].marks == {3: "c", 4: "c"}
    shares = result.derived.blocks[BlockKey("chart", "lado.coldwater.by_outcome")]
    assert isinstance(shares, ChartSpec) and shares.unit == "percent"


def test_secondary_suppression_protects_a_small_count_from_its_printed_whole() -> None:
    result = _derived(CLEAN)
    rows = _rows(result, "lado.by_outcome")
    # 4 is small; 9 goes too, or 50 - 20 - 17 - 9 would give the 4 away.
    assert [r[2] for r in rows[1:]] == ["20", "17", "c", "c"]
    assert result.derived is not None
    reasons = {s.what: s.reason for s in result.derived.disclosure.withheld}
    assert reasons["LADO by outcome: 'Unfounded'"] == "secondary"


def test_a_small_part_of_the_headline_is_withheld_with_the_total_protected(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    shutil.copytree(CLEAN, root)
    lado = root / "data" / "lado.yaml"
    lado.write_text(
        lado.read_text(encoding="utf-8").replace("consultations: 240", "consultations: 3"),
        encoding="utf-8",
    )
    refs = _derived(root).derived.references  # type: ignore[union-attr]
    # 3 is small, and referrals + consultations = total would give it away.
    assert refs["lado.consultations"] == "c"
    assert refs["lado.referrals"] == "c" or refs["lado.total"] == "c"


def test_devon_total_names_the_line_and_the_difference() -> None:
    result = runner.invoke(app, ["validate", str(DEVON)])
    assert result.exit_code == 1
    assert (
        "data/lado.yaml:9:15: error[data.total-mismatch]: LADO return 'Devon LADO service': "
        "contacts are typed as 1,445 but referrals (993) and consultations (453) add up to "
        "1,446 (difference -1)"
    ) in result.output
    # "A 70% increase" for 70.6% is cut down to its printed places, as reports write it.
    assert "change of 70% is printed" not in result.output


def test_the_open_data_has_each_area_return(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(TWO_AREA), "--out", str(out), "--html-only"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "data" / "lado.csv").read_text("utf-8"))))
    fern = [r for r in rows if r["la_name"] == "Fernmoor Borough Council"]
    total = next(
        r
        for r in fern
        if r["lado_part"] == "Contacts"
        and r["lado_line"] == "Total"
        and r["time_period"] == "202425"
    )
    assert total["count"] == "517"
    malicious = next(r for r in fern if r["lado_line"] == "Malicious")
    assert (malicious["count"], malicious["share"], malicious["lado_outcome"]) == (
        "c",
        "c",
        "malicious",
    )
    # Shares printed without counts: the count is not available, never 0.
    cold = next(
        r
        for r in rows
        if r["la_name"] == "City of Coldwater Council" and r["lado_line"] == "Unfounded"
    )
    assert (cold["count"], cold["share"]) == ("x", "25")
    earlier = [r for r in fern if r["time_period"] == "202223"]
    assert [r["count"] for r in earlier] == ["401"]
    figures = json.loads((out / "data" / "figures.json").read_text("utf-8"))
    ids = {f["figure_id"] if "figure_id" in f else f["id"] for f in figures["figures"]}
    assert "lado.fernmoor.by_sector.education" in ids
