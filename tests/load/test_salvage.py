"""One bad value leaves out only the list item it is in, never the whole file.

A number written the European way (`12,5%`, `1.234,5`) is one error with a hint that
says what to type; the other items of the file are still loaded and checked, and
nothing that depends on the left-out item is reported in another file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import DiagnosticList, Location, Severity
from reportgen.load.positions import SourceMap
from reportgen.load.salvage import validate_keeping_items
from reportgen.model.common import Count, Number, Record
from reportgen.model.indicators import Indicators
from reportgen.pipeline import validate
from tests.conftest import edit_once


class Row(Record):
    id: str
    value: Number


class Rows(Record):
    title: str
    rows: list[Row]


def _map(n: int) -> SourceMap:
    smap = SourceMap("data/rows.yaml")
    for i in range(n):
        smap.record(("rows", i), Location("data/rows.yaml", 10 + i))
        smap.record(("rows", i, "value"), Location("data/rows.yaml", 10 + i, 12))
    return smap


def test_a_decimal_comma_is_one_error_and_the_other_items_are_kept() -> None:
    data = {"title": "t", "rows": [{"id": "a", "value": "1"}, {"id": "b", "value": "12,5%"},
                                   {"id": "c", "value": "3"}]}  # fmt: skip
    diags = DiagnosticList()
    kept = validate_keeping_items(Rows, data, _map(3), diags)
    assert isinstance(kept.value, Rows)
    assert [r.id for r in kept.value.rows] == ["a", "c"]
    assert kept.dropped == [("rows", 1)]
    (error,) = list(diags)
    assert error.code == "schema.decimal-comma"
    assert "type 12.5" in error.message
    assert error.hint is not None and "12.5%" in error.hint
    assert error.location == Location("data/rows.yaml", 11, 12)
    # The item after the left-out one moved up, and its position with it.
    assert kept.source_map.locate(("rows", 1, "value")) == Location("data/rows.yaml", 12, 12)


def test_an_error_outside_every_list_still_fails_the_file() -> None:
    data = {"title": ["not", "text"], "rows": [{"id": "a", "value": "1"}]}
    diags = DiagnosticList()
    kept = validate_keeping_items(Rows, data, _map(1), diags)
    assert kept.value is None
    assert [d.code for d in diags] == ["schema.invalid"]


@pytest.mark.parametrize(
    ("typed", "english"),
    [("12,5", "12.5"), ("1.234,5", "1234.5"), ("-0,25", "-0.25"), ("12,5%", "12.5")],
)
def test_european_numbers_get_the_english_form(typed: str, english: str) -> None:
    diags = DiagnosticList()
    validate_keeping_items(Rows, {"title": "t", "rows": [{"id": "a", "value": typed}]},
                           _map(1), diags)  # fmt: skip
    (error,) = list(diags)
    assert error.code == "schema.decimal-comma"
    assert f"type {english} " in error.message


@pytest.mark.parametrize("typed", ["12,500", "1,234.5", "12.5", "1,234,567"])
def test_english_numbers_are_not_decimal_commas(typed: str) -> None:
    diags = DiagnosticList()
    kept = validate_keeping_items(Rows, {"title": "t", "rows": [{"id": "a", "value": typed}]},
                                  _map(1), diags)  # fmt: skip
    assert not list(diags)
    assert kept.value is not None and not kept.dropped


class Counted(Record):
    rows: list[Count]


def test_a_count_with_a_decimal_comma_is_still_a_count_problem() -> None:
    diags = DiagnosticList()
    validate_keeping_items(Counted, {"rows": ["4", "2,5"]}, SourceMap("x.yaml"), diags)
    (error,) = list(diags)
    assert error.code == "schema.decimal-comma"


def test_a_bad_indicator_leaves_the_rest_of_the_file_loaded(fresh: Path) -> None:
    edit_once(fresh, "data/indicators.yaml", "    value: 9250", "    value: 9250,5")
    result = validate(fresh)
    loud = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    # One error, in the file that was touched: the narrative's reference to the left-out
    # indicator is skipped, not reported as unresolved.
    assert [(d.code, d.location.path if d.location else None) for d in loud] == [
        ("schema.decimal-comma", "data/indicators.yaml")
    ], [d.format_text() for d in result.diagnostics]
    assert result.project is not None
    assert "indicators" in result.project.datasets  # the other indicators are loaded
    (skipped,) = [d for d in result.diagnostics if d.code == "load.checks-skipped"]
    assert skipped.location is not None and skipped.location.path == "data/indicators.yaml"


def test_a_bad_budget_line_skips_the_total_it_belongs_to(fresh: Path) -> None:
    edit_once(fresh, "data/budget.yaml", "      amount: 60000", "      amount: 60.000,00")
    result = validate(fresh)
    loud = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    # Not also "income total is typed as ... but the lines add up to ...".
    assert [d.code for d in loud] == ["schema.decimal-comma"], [
        d.format_text() for d in result.diagnostics
    ]
    assert "type 60000.00" in loud[0].message


def test_an_indicator_with_parts_and_no_value_is_their_sum(fresh: Path) -> None:
    # The seed's front door (AR 504): 41% to early help and 30% to statutory services,
    # so 71% went on to either; the 71 is worked out, never typed.
    path = fresh / "data" / "indicators.yaml"
    path.write_text(path.read_text(encoding="utf-8") + PARTS, encoding="utf-8")
    result = validate(fresh)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    assert result.derived is not None
    assert result.derived.references["indicator.progressed"] == "71%"


PARTS = """
  - id: progressed
    label: Contacts that went on to early help or statutory services
    group: children
    unit: percent
    period: 2025/26
    parts: [to_early_help, to_statutory]
  - id: to_early_help
    label: Contacts that went on to early help
    group: children
    unit: percent
    value: 41
    period: 2025/26
  - id: to_statutory
    label: Contacts that went on to statutory services
    group: children
    unit: percent
    value: 30%
    period: 2025/26
"""


def test_a_sum_whose_part_has_an_error_is_left_out_with_it(fresh: Path) -> None:
    path = fresh / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8") + PARTS.replace("value: 41", "value: 41,5")
    path.write_text(text, encoding="utf-8")
    edit_once(fresh, "content/01-introduction.md", "\n", "\n{{ indicator.progressed }}\n")
    result = validate(fresh)
    loud = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    # Only the part's own error: not "'value' is required" for the sum, nor an unknown
    # reference for the narrative that quotes it, nor a total that does not add up.
    assert [d.code for d in loud] == ["schema.decimal-comma"], [d.format_text() for d in loud]


def test_an_indicator_without_value_or_parts_still_needs_a_value(fresh: Path) -> None:
    edit_once(fresh, "data/indicators.yaml", "    value: 9250\n", "")
    codes = [d.code for d in validate(fresh).diagnostics if d.severity is Severity.ERROR]
    assert codes == ["schema.missing"]


def test_a_bad_course_row_keeps_the_other_courses(fresh: Path) -> None:
    rel = "data/training-courses.csv"
    rows = (fresh / rel).read_text(encoding="utf-8").strip().splitlines()
    edit_once(fresh, rel, "Working with neglect,4,120", 'Working with neglect,4,"12,5"')
    result = validate(fresh)
    loud = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    assert {d.location.path for d in loud if d.location} == {rel}, [
        d.format_text() for d in result.diagnostics
    ]
    assert result.project is not None and result.project.training is not None
    # Every course but the wrong one (the header is the first line).
    assert len(result.project.training.courses) == len(rows) - 2
    (skipped,) = [d for d in result.diagnostics if d.code == "load.checks-skipped"]
    assert skipped.message == f"1 other check skipped because {rel} has errors"


def test_items_after_left_out_ones_are_located_where_they_are_written(fresh: Path) -> None:
    # The sum is left out before validation and its bad part by it: what follows both
    # keeps its own line, for every check that asks where a record is written.
    path = fresh / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8") + PARTS.replace("value: 41", "value: 41,5")
    path.write_text(text, encoding="utf-8")
    result = validate(fresh)
    project = result.project
    assert project is not None
    indicators = project.dataset("indicators", Indicators)
    assert indicators is not None
    ids = [i.id for i in indicators.indicators]
    assert "progressed" not in ids and "to_early_help" not in ids
    lines = text.splitlines()
    for ind in indicators.indicators:
        written = lines.index(f"  - id: {ind.id}") + 1
        assert project.where(ind).line == written, ind.id
        value_line = project.where(ind, "value").line
        assert value_line is not None and lines[value_line - 1].strip().startswith("value:")
