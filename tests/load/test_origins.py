"""Where a validated object came from: `Origins.where(obj, field)` instead of typed paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import Field

from reportgen.diagnostics import DiagnosticList, Location
from reportgen.load.positions import Origins, UnrecordedPosition
from reportgen.load.tables import load_rows
from reportgen.load.yaml_source import parse_yaml
from reportgen.model.common import Record, Slug
from reportgen.model.training import Course

REL = "data/visits.yaml"


class Visit(Record):
    """A small schema of its own, with an alias and a default."""

    id: Slug = Field(description="Id.")
    visited_on: dt.date = Field(alias="visited on", description="When.")
    notes: list[str] = Field(default_factory=list, description="Notes.")
    status: str = Field("open", description="Default when not written.")
    counts: dict[str, int] = Field(default_factory=dict, description="By team.")


class Visits(Record):
    visits: list[Visit] = Field(description="Visits.")


TEXT = """\
visits:
  - id: first
    visited on: 2024-05-01
    notes:
      - met the head
      - saw records
  - id: second
    visited on: 2024-06-02
    status: closed
    counts:
      north: 3
      " south ": 4
"""


def _loaded() -> tuple[Visits, Origins]:
    doc, problems = parse_yaml(TEXT, REL)
    assert problems == [] and doc is not None
    visits = Visits.model_validate(doc.data)
    origins = Origins()
    origins.record(visits, doc.source_map)
    return visits, origins


def test_a_field_is_located_at_its_value_through_its_alias() -> None:
    visits, origins = _loaded()
    first, second = visits.visits
    assert origins.where(first, "id") == Location(REL, 2, 9)
    assert origins.where(first, "visited_on") == Location(REL, 3, 17)
    assert origins.where(second, "status") == Location(REL, 9, 13)
    assert origins.where(first) == Location(REL, 2, 5)


def test_items_and_keys_inside_a_field_are_located() -> None:
    visits, origins = _loaded()
    first, second = visits.visits
    assert origins.where(first, "notes", 1) == Location(REL, 6, 9)
    assert origins.where(second, "counts", "north") == Location(REL, 11, 14)
    assert origins.where_key(second, "counts", "north") == Location(REL, 11, 7)


def test_a_key_the_schema_trimmed_is_located_where_it_is_written() -> None:
    visits, origins = _loaded()
    second = visits.visits[1]
    assert list(second.counts) == ["north", "south"]
    assert origins.where(second, "counts", "south") == Location(REL, 12, 18)
    assert origins.where_key(second, "counts", "south") == Location(REL, 12, 7)


def test_a_default_is_located_at_its_object_on_purpose() -> None:
    visits, origins = _loaded()
    first = visits.visits[0]
    assert origins.where(first, "status") == origins.where(first) == Location(REL, 2, 5)


def test_a_field_the_model_does_not_have_raises() -> None:
    visits, origins = _loaded()
    with pytest.raises(UnrecordedPosition, match="Visit has no field 'visited'"):
        origins.where(visits.visits[0], "visited")


def test_an_object_never_recorded_raises() -> None:
    _, origins = _loaded()
    stranger = Visit.model_validate({"id": "x", "visited on": "2024-05-01"})
    with pytest.raises(UnrecordedPosition, match="no origin recorded"):
        origins.where(stranger, "id")


def test_an_item_never_written_raises() -> None:
    visits, origins = _loaded()
    with pytest.raises(UnrecordedPosition):
        origins.where(visits.visits[0], "notes", 5)


def test_csv_rows_are_located_at_their_cells(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "courses.csv").write_text(
        "course,occurrences,bookings,attended,cancellations\n"
        "Chemsex,1,7,5,\n"
        "Online Harms,1,10,6,2\n",
        encoding="utf-8",
    )
    origins = Origins()
    rows, _ = load_rows(tmp_path, "data/courses.csv", Course, DiagnosticList(), origins=origins)
    assert origins.where(rows[1], "bookings") == Location(
        "data/courses.csv", 3, 3, row=3, field="bookings"
    )
    assert origins.where(rows[0]) == Location("data/courses.csv", 2, row=2)


def test_two_keys_trimmed_into_one_are_still_located() -> None:
    doc, problems = parse_yaml(
        "visits:\n  - id: a\n    visited on: 2024-05-01\n"
        '    counts:\n      " x": 1\n      "x ": 2\n',
        REL,
    )
    assert problems == [] and doc is not None
    visits = Visits.model_validate(doc.data)
    origins = Origins()
    origins.record(visits, doc.source_map)
    visit = visits.visits[0]
    assert visit.counts == {"x": 2}  # the last one wins, and is located
    assert origins.where(visit, "counts", "x").line == 6
