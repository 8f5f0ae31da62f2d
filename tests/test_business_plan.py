"""`kind: business-plan`: the example (Newham's business plan 2015 to 2017) validates and
builds, its outcome tables on landscape pages, and document control must be filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import pikepdf
import pytest
from pypdf import PdfReader

from reportgen import pipeline
from reportgen.kinds import Period, kind_named
from reportgen.kinds.business_plan import SeveralYears
from reportgen.views import BlockKey, TableView
from tests.conftest import REPO, ProjectWriter, copy_project
from tests.html_outline import outline

EXAMPLE = REPO / "examples" / "business-plan"


def _copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "plan", EXAMPLE)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plan-build")
    result = pipeline.build(EXAMPLE, out)
    assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
    return {p.suffix: p for p in result.outputs}


def test_example_validates_and_covers_two_years() -> None:
    result = pipeline.validate(EXAMPLE)
    # As printed, 4a and 4b both leave year two to "Activities will be informed by the
    # progress and outcomes from yr 1": one warning; and the owner and author are
    # printed empty (typed so, under printed_empty): a warning each, no error.
    assert sorted((d.code, str(d.location)) for d in result.diagnostics) == [
        ("content.repeated-text", "data/plan.yaml:358:17"),
        ("plan.document-control-printed-empty", "data/plan.yaml:8:9"),
        ("plan.document-control-printed-empty", "data/plan.yaml:9:10"),
    ]
    project = result.project
    assert project is not None and project.kind is kind_named("business-plan")
    assert project.period is not None
    assert (project.period.label, project.period.days) == ("2015 to 2017", 731)
    assert (project.period.shifted(-1), project.period.shifted(1)) == (
        "2013 to 2015",
        "2017 to 2019",
    )
    assert result.derived is not None
    refs = result.derived.references
    assert (refs["plan.priorities"], refs["plan.outcomes"]) == ("4", "20")
    assert refs["plan.date"] == "29 May 2015"
    assert BlockKey("table", "plan.outcomes.3a") in result.derived.blocks


PRINTED_EMPTY = "  printed_empty: [owner, author]\n"


def test_empty_document_control_labels_are_errors(tmp_path: Path) -> None:
    """As in the seed: "Document Owner" and "Document author" printed with nothing after,
    but without `printed_empty` saying the source prints them so."""
    root = _copy(tmp_path)
    data = root / "data" / "plan.yaml"
    text = data.read_text(encoding="utf-8")
    assert PRINTED_EMPTY in text and "  owner:\n" in text
    text = text.replace(PRINTED_EMPTY, "").replace("  author:\n", '  author: ""\n')
    data.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    errors = pipeline.validate(root).diagnostics.errors
    assert [(d.code, d.location.line if d.location else None, d.message) for d in errors] == [
        (
            "plan.document-control-empty",
            lines.index("  owner:") + 1,
            "document control: 'Document owner' is empty",
        ),
        (
            "plan.document-control-empty",
            lines.index('  author: ""') + 1,
            "document control: 'Document author' is empty",
        ),
    ]
    # A label left out altogether is a schema error at its block.
    data.write_text(text.replace("  status: Final\n", ""), encoding="utf-8")
    codes = [d.code for d in pipeline.validate(root).diagnostics.errors]
    assert "schema.missing" in codes


def test_a_label_printed_empty_must_be_left_empty(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "plan.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("  owner:\n", "  owner: NSCB Executive Board\n"), "utf-8")
    [error] = pipeline.validate(root).diagnostics.errors
    assert error.code == "schema.invalid"
    assert "printed_empty lists owner, but each is filled in" in error.message


def test_labels_printed_empty_show_as_not_stated(outputs: dict[str, Path]) -> None:
    html = outputs[".html"].read_text(encoding="utf-8")
    table = html.split('id="table-document-control"')[1].split("</table>")[0]
    assert table.count("not stated") == 2
    assert "NSCB Executive Board" not in table


def test_priority_numbers_and_parts(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "plan.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("      - id: 3c\n", "      - id: 4c\n"), encoding="utf-8")
    [error] = pipeline.validate(root).diagnostics.errors
    assert error.code.startswith("schema.")
    assert "part '4c' of priority '3' should be numbered 3a, 3b, ..." in error.message
    data.write_text(text.replace("      - id: 3c\n", "      - id: 3b\n"), encoding="utf-8")
    [error] = pipeline.validate(root).diagnostics.errors
    assert error.code == "data.duplicate-id"
    assert error.message.startswith("priority '3b' is numbered twice")


def test_a_plan_of_one_year_is_not_a_business_plan_period() -> None:
    rule = SeveralYears(1)
    year = Period("2015 to 2016", dt.date(2015, 4, 1), dt.date(2016, 3, 31), rule)
    assert rule.span_problem(year) == (
        "the plan covers 366 days: a business plan spans more than a year"
    )


def test_outcome_tables_are_accessible_and_complete(outputs: dict[str, Path]) -> None:
    html = outputs[".html"].read_text(encoding="utf-8")
    page = outline(html)
    titles = [t for level, t in page.headings() if level == 3]
    assert titles[:2] == [
        "Priority 1: Early Help, Prevention and Thresholds",
        "Priority 2: Effective partnership working with families affected by parental "
        "mental health and parental substance misuse",
    ]
    assert [t.split(":")[0] for t in titles] == [
        f"Priority {n}" for n in ["1", "2", "3", "3a", "3b", "3c", "4", "4a", "4b"]
    ]
    header = (
        '<tr><th scope="col">Outcome</th><th scope="col">Key activities</th>'
        '<th scope="col">Inputs and resources</th><th scope="col">Lead</th>'
        '<th scope="col">Outputs and measures</th></tr>'
    )
    assert html.count(header) == 7  # every priority or part with outcome rows
    # Each row is headed by its timeframe, its outcomes listed under it.
    assert '<th scope="row"><strong>Within 6 months</strong><ul class="cell-list">' in html


def test_pdf_prints_outcome_tables_on_landscape_pages(outputs: dict[str, Path]) -> None:
    with pikepdf.open(outputs[".pdf"]) as pdf:
        # A PDF boolean is a Python bool at run time; pikepdf's stubs say Object.
        assert cast(object, pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
    reader = PdfReader(outputs[".pdf"])
    texts = [page.extract_text() for page in reader.pages]
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    tables = [i for i, t in enumerate(texts) if "Outputs and measures" in t]
    assert tables and all(landscape[i] for i in tables)
    assert not landscape[0]  # the cover stays portrait
    text = " ".join(" ".join(texts).split())
    for fragment in [
        "Head of Early Help",
        "Within 2 years",
        "Reduction in repeat case to the MARAC",
        "National Referral Mechanism",
        "29 May 2015",
    ]:
        assert fragment in text, fragment


PROGRESS = """\
progress:
  - outcome: "1.1"
    status: green
    progress: The early help offer was launched and staff know how to use it.
  - outcome: "1.2"
    status: amber
    progress: The parenting strategy is drafted.
  - outcome: "3a.9"
    progress: A row the plan does not have.
"""


def test_an_annual_report_reports_progress_on_the_plans_outcome_rows(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["data/plan.yaml"] = (EXAMPLE / "data" / "plan.yaml").read_text(encoding="utf-8")
    files["data/plan-progress.yaml"] = PROGRESS
    files["content/budget.md"] += "\n{{ table plan_progress }}\n"
    root = write_project(files)
    result = pipeline.validate(root)
    [unknown] = result.diagnostics.errors
    assert (unknown.code, str(unknown.location)) == (
        "data.unknown-reference",
        "data/plan-progress.yaml:8:14",
    )
    assert unknown.message == "unknown outcome row '3a.9' of the business plan"
    silent = [d for d in result.diagnostics if d.code == "plan.outcome-no-progress"]
    assert len(silent) == 18  # 20 rows, 2 reported on
    assert silent[0].message == "no progress is reported on outcome row 1.3 of the business plan"
    assert silent[0].location is not None and silent[0].location.path == "data/plan.yaml"
    assert result.derived is not None
    table = result.derived.blocks[BlockKey("table", "plan_progress")]
    assert isinstance(table, TableView)
    assert [row[1].text for row in table.rows[:3]] == ["Green", "Amber", "–"]
    assert table.rows[2][2].text == "No progress reported"
