"""Document kinds: `kind:` in report.yaml chooses one; a new kind is one declaration.

The test-only kind below is undated and accepts one data file of its own. Registering
it is all it takes to build one: nothing generic knows about it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import Field

from reportgen.diagnostics import DiagnosticList, Severity
from reportgen.kinds import (
    DatasetFile,
    DocumentKind,
    Period,
    Undated,
    Wording,
    default_kind,
    kind_named,
    register,
    unregister,
)
from reportgen.model.budget import Budget
from reportgen.model.common import Record, Text
from reportgen.model.config import DocumentConfig, ReportConfig
from reportgen.pipeline import build, validate
from reportgen.project import load_project

from .conftest import REPO


class Contact(Record):
    """Someone a reader can contact."""

    name: Text = Field(description="Their name.")
    role: Text = Field(description="What they do.")


class Contacts(Record):
    """data/contacts.yaml of the test-only kind."""

    contacts: list[Contact] = Field(min_length=1, description="Who to contact.")


CONTACT_SHEET = DocumentKind(
    name="contact-sheet",
    title="Contact sheet",
    summary="Who to contact (a kind that exists only in these tests).",
    config_schema=DocumentConfig,
    datasets=(DatasetFile("contacts", "data/contacts.yaml", Contacts, dated=False),),
    period_rule=Undated(),
    profile="none",
    wording=Wording(document="contact sheet"),
)

REPORT_YAML = """\
kind: contact-sheet
partnership:
  name: Newham Safeguarding Children Partnership
  short_name: NSCP
  areas:
    - id: newham
      name: London Borough of Newham
title: Who to contact
published: 2025-09-30
sections:
  - id: contacts
    title: Contacts
    file: content/contacts.md
outputs:
  pdf: false
"""


@pytest.fixture
def contact_sheet() -> Iterator[DocumentKind]:
    register(CONTACT_SHEET)
    yield CONTACT_SHEET
    unregister(CONTACT_SHEET.name)


def _project(root: Path, report_yaml: str = REPORT_YAML, contacts: str | None = None) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "report.yaml").write_text(report_yaml, encoding="utf-8")
    (root / "content" / "contacts.md").write_text(
        "The {{ partnership.short_name }} business unit answers every message.\n",
        encoding="utf-8",
    )
    (root / "data" / "contacts.yaml").write_text(
        contacts or "contacts:\n  - name: Sam Patel\n    role: Business manager\n",
        encoding="utf-8",
    )
    return root


def test_the_annual_report_is_the_default_kind() -> None:
    result = validate(REPO)
    assert result.project is not None
    assert result.project.kind is default_kind() is kind_named("annual-report")
    assert isinstance(result.project.config, ReportConfig)
    assert result.project.period is not None
    assert result.project.period.label == "2024/25"
    assert result.project.period.shifted(1) == "2025/26"


def test_an_unknown_kind_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", REPORT_YAML.replace("contact-sheet", "anual-report"))
    diags = DiagnosticList()
    assert load_project(root, diags) is None
    [problem] = [d for d in diags if d.code == "config.unknown-kind"]
    assert problem.severity is Severity.ERROR
    assert problem.location is not None
    assert (problem.location.path, problem.location.line) == ("report.yaml", 1)
    assert problem.hint == "did you mean 'annual-report'?"


def test_a_kind_of_another_shape_is_refused_when_registered() -> None:
    undated_with_budget = DocumentKind(
        name="broken",
        title="Broken",
        summary="An undated kind that asks for a dated data file.",
        config_schema=DocumentConfig,
        datasets=(DatasetFile("budget", "data/budget.yaml", Budget),),
        period_rule=Undated(),
        profile="none",
        wording=Wording(document="broken"),
    )
    with pytest.raises(ValueError, match="undated kind cannot accept dated datasets: budget"):
        register(undated_with_budget)
    assert kind_named("broken") is None


def test_a_registered_kind_builds(tmp_path: Path, contact_sheet: DocumentKind) -> None:
    root = _project(tmp_path / "p")
    # A data file of another kind is not this kind's: never read, so never an error.
    shutil.copy(REPO / "data" / "budget.yaml", root / "data" / "budget.yaml")
    result = build(root)
    assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
    project = result.validation.project
    assert project is not None and project.kind is contact_sheet
    assert project.period is None
    assert list(project.datasets) == ["contacts"]
    # Named after the kind; no PDF (report.yaml), no open data (it is dated, this is not).
    assert [p.name for p in result.outputs] == ["contact-sheet.html"]
    page = (root / "build" / "contact-sheet.html").read_text(encoding="utf-8")
    assert (
        '<meta name="description" content="Newham Safeguarding Children Partnership '
        'contact sheet">' in page
    )
    assert "Covering" not in page and "Published 30 September 2025" in page
    assert "The NSCP business unit answers every message." in page


def test_a_kind_checks_its_own_files_and_config(
    tmp_path: Path, contact_sheet: DocumentKind
) -> None:
    # An undated kind's config has no period ...
    dated = REPORT_YAML + "period:\n  label: 2024/25\n  start: 2024-04-01\n  end: 2025-03-31\n"
    codes = [
        (d.code, str(d.location)) for d in validate(_project(tmp_path / "a", dated)).diagnostics
    ]
    assert codes == [("schema.unknown-key", "report.yaml:16:1")]
    # ... and its data file has the schema the kind declares.
    wrong = "contacts:\n  - name: Sam Patel\n    rank: 3\n"
    result = validate(_project(tmp_path / "b", contacts=wrong))
    found = sorted((d.code, str(d.location)) for d in result.diagnostics)
    assert found == [
        ("schema.missing", "data/contacts.yaml:2:5"),
        ("schema.unknown-key", "data/contacts.yaml:3:5"),
    ]


def test_period_references_belong_to_dated_kinds(
    tmp_path: Path, contact_sheet: DocumentKind
) -> None:
    root = _project(tmp_path / "p")
    (root / "content" / "contacts.md").write_text("Our plan for {{ period.next }}.\n")
    codes = [d.code for d in validate(root).diagnostics.errors]
    assert codes == ["content.unresolved-reference"]


def test_a_period_rule_of_several_years_labels_its_neighbours() -> None:
    class ThreeYears(Undated):
        name = "three years"
        dated = True
        years = 3

    rule = ThreeYears()
    plan = Period("2023-2026", dt.date(2023, 4, 1), dt.date(2026, 3, 31), rule)
    assert (plan.shifted(-1), plan.shifted(1)) == ("2020-2023", "2026-2029")
    annual = default_kind().period_rule
    year = Period("2024/25", dt.date(2024, 4, 1), dt.date(2025, 3, 31), annual)
    assert (year.shifted(-1), year.shifted(1)) == ("2023/24", "2025/26")
    assert annual.span_problem(year) is None
    short = Period("2024/25", dt.date(2024, 4, 1), dt.date(2024, 12, 31), annual)
    assert annual.span_problem(short) == "the report period is 275 days, not a year"
