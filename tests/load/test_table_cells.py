"""One bad cell in a CSV table of data/tables.yaml: one error, the rest of the table kept.

A count written the European way (`12,5%`, `9.250`) or as text is one `table.not-a-count`
error at its CSV row and column with a hint. The table is still loaded: its other totals
are checked, a reference to a total the cell does not touch still resolves, nothing is
reported in another file, and the table never shows the cell as a different figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from reportgen.views import BlockKey, TableView
from tests.conftest import MINIMAL_CONFIG, MODE_OF_DEATH, ProjectWriter

CSV = "data/tables/cdop-mode-of-death.csv"
TABLES = f"""\
tables:
  - id: cdop_mode
    title: Mode of death by age group
    file: {CSV}
    disclosure: none
"""
CONFIG = MINIMAL_CONFIG.replace(
    "    file: content/budget.md\n",
    "    file: content/budget.md\n  - id: deaths\n    title: Child deaths\n"
    "    file: content/deaths.md\n",
)
DEATHS_MD = """\
The panel reviewed {{ table.cdop_mode.total }} deaths.

{{ table tables.cdop_mode }}
"""
# Row 4 (Brainstem death), column 6 (10-14 years): the 1 typed as given.
GOOD_ROW = "Brainstem death,0,0,0,0,1,0,1"


def _files(minimal_files: dict[str, str], cell: str, csv: str = MODE_OF_DEATH) -> dict[str, str]:
    return {
        **minimal_files,
        "report.yaml": CONFIG,
        "content/deaths.md": DEATHS_MD,
        "data/tables.yaml": TABLES,
        CSV: csv.replace(GOOD_ROW, f"Brainstem death,0,0,0,0,{cell},0,1"),
    }


def _found(result: pipeline.ValidationResult) -> list[tuple[str, str, int | None, str | None]]:
    return sorted(
        (d.code, d.location.path, d.location.line, d.location.field)
        for d in result.diagnostics
        if d.location is not None
    )


@pytest.mark.parametrize("cell", ['"12,5%"', "9.250", "one"])
def test_a_bad_cell_is_one_error_and_the_table_is_kept(
    write_project: ProjectWriter, minimal_files: dict[str, str], cell: str
) -> None:
    clean = _found(pipeline.validate(write_project(_files(minimal_files, "1"))))
    result = pipeline.validate(write_project(_files(minimal_files, cell)))
    # One error at the cell; the row total, column total and grand total that need the
    # cell are skipped (one note); the reference to the grand total waits for it too.
    # Nothing else changes, in this file or any other.
    assert [d for d in _found(result) if d not in clean] == [
        ("load.checks-skipped", CSV, 4, None),
        ("table.not-a-count", CSV, 4, "10-14 years"),
    ]
    errors = result.diagnostics.errors
    assert len(errors) == 1 and errors[0].hint
    # The row's, the column's and the grand total's checks, and the reference.
    assert "4 other checks skipped" in next(
        d.message for d in result.diagnostics if d.code == "load.checks-skipped"
    )
    assert result.derived is not None
    table = result.derived.blocks[BlockKey("table", "tables.cdop_mode")]
    assert isinstance(table, TableView)
    brainstem = [c.text for c in table.rows[2]]
    typed = cell.strip('"')
    # The cell as typed, its row's total unknown; never 0 or a figure read another way.
    assert brainstem == ["Brainstem death", "0", "0", "0", "0", typed, "0", "?"]
    assert table.totals is not None
    totals = [c.text for c in table.totals]
    assert totals == ["Total", "11", "8", "5", "4", "?", "4", "?"]
    assert "table.cdop_mode.total" not in result.derived.references
    # The open data publish no figure that needs the cell.
    names = {f.id for f in result.derived.ledger.figures}
    assert "table.cdop_mode.brainstem_death.10_14_years" not in names
    assert "table.cdop_mode.total" not in names
    assert "table.cdop_mode.palliative_care.10_14_years" in names


def test_the_rest_of_the_table_is_still_checked(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # A wrong typed total in another column is still found beside the bad cell.
    csv = MODE_OF_DEATH.replace("Total,11,8,5,4,5,4,37", "Total,12,8,5,4,5,4,37")
    result = pipeline.validate(write_project(_files(minimal_files, '"12,5%"', csv)))
    found = _found(result)
    assert ("table.not-a-count", CSV, 4, "10-14 years") in found
    assert ("data.total-mismatch", CSV, 8, "≤ 28 days") in found
    assert sorted(d.code for d in result.diagnostics.errors) == [
        "data.total-mismatch",
        "table.not-a-count",
    ]


def test_the_build_stops_and_the_cli_names_the_cell(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    root = write_project(_files(minimal_files, '"12,5%"'))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(root), "--out", str(out), "--html-only"])
    assert result.exit_code == 1
    assert f"{CSV}:4:6: error[table.not-a-count]: '12,5%' is a percentage" in result.output
    assert "hint:" in result.output
    assert "content.unresolved-reference" not in result.output
    assert not out.exists() or not any(out.glob("*.html"))


def test_a_clean_table_still_offers_its_total(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = pipeline.validate(write_project(_files(minimal_files, "1")))
    assert not result.diagnostics.has_errors()
    assert result.derived is not None
    assert result.derived.references["table.cdop_mode.total"] == "37"
