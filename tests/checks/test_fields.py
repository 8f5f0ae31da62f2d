"""Field meaning lives in the schema's types: a new dataset gets the generic checks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from reportgen.checks.consistency import check_consistency
from reportgen.checks.fields import project_values
from reportgen.checks.hygiene import check_hygiene
from reportgen.checks.periods import check_periods
from reportgen.checks.text import all_items, data_items
from reportgen.diagnostics import DiagnosticList
from reportgen.load.yaml_source import parse_yaml
from reportgen.model.common import Record, Slug, Text
from reportgen.model.controls import Timing
from reportgen.model.meaning import PROJECT_FILE, EventDate, IdOf, RefTo
from reportgen.project import Project, load_project
from tests.conftest import ProjectWriter

REL = "data/risks.yaml"


class Risk(Record):
    """A risk register entry: a schema no check names."""

    id: Annotated[Slug, IdOf("risk")] = Field(description="Id.")
    area: Annotated[Slug, RefTo("report", "area")] = Field(description="Area.")
    risk: Text = Field(description="The risk, in words.")
    as_at: Annotated[dt.date, EventDate("risk '{id}'")] = Field(description="As at.")
    evidence: Annotated[str, PROJECT_FILE] | None = Field(None, description="A file.")
    timing: Timing = Field(Timing.CURRENT, description="current or prior.")


class RiskRegister(Record):
    risks: list[Risk] = Field(description="Risks.")


RISKS = """\
risks:
  - id: staffing
    area: newham
    risk: Social worker vacancies stay high. TBC
    as_at: 2025-03-31
    evidence: data/TBC-evidence.pdf
  - id: staffing
    area: newhm
    risk: Fewer health visitors
    as_at: 2023-03-31
  - id: old
    area: newham
    risk: Last year's risk kept for comparison
    as_at: 2023-03-31
    timing: prior
"""


def _project(write_project: ProjectWriter, minimal_files: dict[str, str]) -> Project:
    diags = DiagnosticList()
    project = load_project(write_project(minimal_files), diags)
    assert project is not None and list(diags) == []
    doc, problems = parse_yaml(RISKS, REL)
    assert problems == [] and doc is not None
    register = RiskRegister.model_validate(doc.data)
    project.add_dataset("risks", register, doc.source_map)
    return project


def _found(diags: DiagnosticList) -> list[tuple[str, str | None, int | None]]:
    return sorted(
        (d.code, d.location.path if d.location else None, d.location.line if d.location else None)
        for d in diags
        if d.location is not None and d.location.path == REL
    )


def test_a_new_dataset_gets_id_reference_and_date_checks(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project = _project(write_project, minimal_files)
    diags = DiagnosticList()
    check_consistency(project, diags)
    check_periods(project, list(all_items(project)), diags)
    assert _found(diags) == [
        ("data.duplicate-id", REL, 7),
        ("data.unknown-reference", REL, 8),
        ("dates.outside-period", REL, 10),  # the prior one (line 14) is marked as such
    ]
    messages = {d.code: d.message for d in diags}
    assert messages["data.unknown-reference"] == "unknown area 'newhm'"
    assert "risk 'staffing' is dated 31 March 2023" in messages["dates.outside-period"]


def test_its_words_are_checked_but_not_its_ids_or_files(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project = _project(write_project, minimal_files)
    fields = {i.field for i in data_items(project) if i.source == "risks"}
    assert "risks.risks.0.risk" in fields
    assert not fields & {"risks.risks.0.id", "risks.risks.0.area", "risks.risks.0.evidence"}
    diags = DiagnosticList()
    check_hygiene(project, list(all_items(project)), diags)
    assert _found(diags) == [("content.placeholder", REL, 4)]


def test_each_value_carries_its_meaning_and_exact_position(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    project = _project(write_project, minimal_files)
    risk = project.dataset("risks", RiskRegister)
    assert risk is not None
    values = [v for v in project_values(project, config=False) if v.dataset == "risks"]
    dates = [(v.value, v.location.line, v.location.column) for v in values if v.marked(EventDate)]
    assert dates == [
        (dt.date(2025, 3, 31), 5, 12),
        (dt.date(2023, 3, 31), 10, 12),
        (dt.date(2023, 3, 31), 14, 12),
    ]
    refs = [v for v in values if v.marked(RefTo)]
    assert [(v.owner, v.field) for v in refs] == [(r, "area") for r in risk.risks]


def test_a_dataset_replaced_after_a_walk_is_walked_again(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    """The checks share one walk of each dataset (kept on the project), keyed by the
    model object: a check never sees the values of a model the project no longer holds."""
    project = _project(write_project, minimal_files)
    first = [v.value for v in project_values(project, config=False) if v.dataset == "risks"]
    assert "Fewer health visitors" in first
    again = [v.value for v in project_values(project, config=False) if v.dataset == "risks"]
    assert again == first
    doc, _ = parse_yaml(RISKS.replace("Fewer health visitors", "Fewer school nurses"), REL)
    assert doc is not None
    project.add_dataset("risks", RiskRegister.model_validate(doc.data), doc.source_map)
    after = [v.value for v in project_values(project, config=False) if v.dataset == "risks"]
    assert "Fewer school nurses" in after and "Fewer health visitors" not in after
