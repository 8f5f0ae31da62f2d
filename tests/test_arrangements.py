"""`kind: arrangements`: the example (Newham's published arrangements, November 2024)
validates and builds, and each of its checks says what is wrong where."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import cast

import pikepdf
import pytest
from pypdf import PdfReader

from reportgen import pipeline
from reportgen.diagnostics import Diagnostic
from reportgen.kinds import kind_named
from reportgen.model.arrangements import ArrangementsConfig
from tests.conftest import REPO, copy_project
from tests.html_outline import outline

EXAMPLE = REPO / "examples" / "arrangements"


def _copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "arrangements", EXAMPLE)


def _found(root: Path) -> list[tuple[str, str, str]]:
    result = pipeline.validate(root)
    return sorted((d.code, str(d.location), d.message) for d in result.diagnostics)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("arrangements-build")
    result = pipeline.build(EXAMPLE, out)
    assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
    return {p.suffix: p for p in result.outputs}


def test_example_validates_with_the_seeds_defects_as_warnings() -> None:
    result = pipeline.validate(EXAMPLE)
    project = result.project
    assert project is not None and project.kind is kind_named("arrangements")
    assert isinstance(project.config, ArrangementsConfig)
    assert project.period is None  # dated by publication only
    assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
    codes = sorted({d.code for d in result.diagnostics})
    assert codes == [
        "arrangements.appendix-not-included",
        "arrangements.signed-by-other",
        "data.known-erratum",  # the printed funding total
    ]
    signed = [d for d in result.diagnostics if d.code == "arrangements.signed-by-other"]
    assert [d.message.split(" is signed by ")[1].split(",")[0] for d in signed] == [
        "Charles Clare",
        "Laura Eden",
        "Korkor Ceaser",
    ]
    # Every appendix the text names but does not include, once each; 3 is included.
    missing = [d for d in result.diagnostics if d.code == "arrangements.appendix-not-included"]
    numbers = sorted(d.message.split("appendix ")[1].split(" ")[0] for d in missing)
    assert numbers == ["1", "2", "4", "5", "6", "7", "8", "9"]
    [threshold] = [d for d in missing if d.location and d.location.path.endswith("thresholds.md")]
    assert (str(threshold.location), threshold.message) == (
        "content/11-thresholds.md:3",
        "the text refers to appendix 9 (Threshold chart), which is not included",
    )
    assert result.checklist is not None
    assert result.checklist.profile == "wt2023-arrangements"
    assert {i.status.value for i in result.checklist.items} == {"met"}


ERRATUM = (
    "  total:\n    printed: 202900\n"
    "    erratum: the published total does not match its lines, which add up to £202,600\n"
)


def test_the_printed_funding_total_is_typed_as_printed_with_its_erratum() -> None:
    text = (EXAMPLE / "data" / "arrangements.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("    printed: 202900") + 1
    [known] = [d for d in pipeline.validate(EXAMPLE).diagnostics if d.code == "data.known-erratum"]
    assert (str(known.location), known.severity.value) == (
        f"data/arrangements.yaml:{line}:14",
        "warning",
    )
    assert known.message == (
        "expected funding total is printed as £202,900 but the lines add up to £202,600 "
        "(difference £300); typed as a known erratum: the published total does not match "
        "its lines, which add up to £202,600. The output shows £202,600"
    )


def test_the_printed_funding_total_without_its_erratum_is_an_error(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8")
    assert ERRATUM in text
    data.write_text(text.replace(ERRATUM, "  total: 202900\n"), encoding="utf-8")
    line = text.splitlines().index("  total:") + 1
    errors = [d for d in pipeline.validate(root).diagnostics.errors]
    assert [(d.code, str(d.location)) for d in errors] == [
        ("data.total-mismatch", f"data/arrangements.yaml:{line}:10")
    ]
    assert errors[0].message == (
        "expected funding total is typed as £202,900 but the lines add up to £202,600 "
        "(difference £300)"
    )


def test_an_erratum_on_a_total_that_agrees_is_stale(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8")
    # Probation's line corrected to £2,400: the printed £202,900 now agrees.
    data.write_text(text.replace("amount: 2100", "amount: 2400"), encoding="utf-8")
    found = [d for d in pipeline.validate(root).diagnostics if "erratum" in d.code]
    assert [(d.code, d.severity.value) for d in found] == [("data.stale-erratum", "error")]
    assert found[0].message == (
        "expected funding total is typed as wrong ('the published total does not match its "
        "lines, which add up to £202,600'), but the printed £202,900 is what the lines add up to"
    )


def test_a_signature_on_behalf_of_the_role_holder_is_no_warning(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8").replace(
        "    title: Detective Superintendent\n",
        "    title: Detective Superintendent\n    on_behalf_of: the Borough Commander\n",
    )
    # The role holder signing themselves needs nothing more either.
    text = text.replace(
        "    name: Laura Eden\n    title: Corporate Director of Children and Young People, LBN",
        "    name: A. Person\n    title: Chief Executive, Newham Council",
    )
    data.write_text(text, encoding="utf-8")
    signed = [c for c in _found(root) if c[0] == "arrangements.signed-by-other"]
    assert [m.split(" is signed by ")[1].split(",")[0] for _, _, m in signed] == ["Korkor Ceaser"]


def test_appendices_referred_to_must_be_listed_and_included(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    scrutiny = root / "content" / "07-scrutiny.md"
    scrutiny.write_text("The scrutineer's plan is in Appendix 12.\n", encoding="utf-8")
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8").replace(
        "    section: relevant-agencies-list", "    section: agencies"
    )
    data.write_text(text, encoding="utf-8")
    found = _found(root)
    assert (
        "arrangements.appendix-not-included",
        "content/07-scrutiny.md:1",
        "the text refers to appendix 12, which data/arrangements.yaml does not list",
    ) in found
    [unknown] = [f for f in found if f[0] == "data.unknown-reference"]
    assert unknown[2] == ("appendix 3 is in section 'agencies', which report.yaml does not list")


def test_a_review_date_before_publication_is_a_warning(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    config = root / "report.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "review_date: 2024-01-01\nversion: '1.0'\n", encoding="utf-8")
    found = [f for f in _found(root) if f[0] == "arrangements.review-before-publication"]
    assert [(f[1], f[2]) for f in found] == [
        (
            f"report.yaml:{len(text.splitlines()) + 1}:14",
            "the review date 2024-01-01 is not after publication (2024-11-19)",
        )
    ]


def test_one_data_folder_serves_the_annual_report_and_the_arrangements(tmp_path: Path) -> None:
    """The annual report's own data/ (governance and all) with the arrangements' files."""
    root = tmp_path / "both"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(EXAMPLE / "content", root / "content")
    shutil.copy(EXAMPLE / "report.yaml", root / "report.yaml")
    shutil.copy(EXAMPLE / "data" / "arrangements.yaml", root / "data" / "arrangements.yaml")
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
    # The annual report's other files are not read here, and validate says so, once each.
    not_read = sorted(str(d.location) for d in result.diagnostics if d.code == "load.file-not-read")
    assert not_read == [
        "data/budget.yaml",
        "data/feedback.yaml",
        "data/indicators.yaml",
        "data/partners.yaml",
        "data/priorities.yaml",
        "data/reviews.yaml",
        "data/tables.yaml",
        "data/training.yaml",
    ]
    # ... and the annual report built from the same folder does not read the
    # arrangements' file.
    shutil.rmtree(root / "content")
    for name in ("report.yaml", "content", "templates", "archive"):
        source = REPO / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, root / name)
    annual = pipeline.validate(root)
    assert not annual.diagnostics.has_errors(), annual.diagnostics.sorted()
    assert [str(d.location) for d in annual.diagnostics if d.code == "load.file-not-read"] == [
        "data/arrangements.yaml"
    ]


def test_pdf_is_tagged_and_holds_the_seeds_figures(outputs: dict[str, Path]) -> None:
    with pikepdf.open(outputs[".pdf"]) as pdf:
        # A PDF boolean is a Python bool at run time; pikepdf's stubs say Object.
        assert cast(object, pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
    text = "\n".join(page.extract_text() for page in PdfReader(outputs[".pdf"]).pages)
    for fragment in [
        "Published 19 November 2024",
        "£115,000",  # LBN children's social care, expected
        "£2,100",  # probation
        "£202,600",  # the total of the lines
        "2.25",  # the business unit's full-time equivalent
        "Charles Clare",
        "Detective Superintendent",
        "Korkor Ceaser",
        "Threshold chart (not included in this document)",
    ]:
        assert fragment in " ".join(text.split()), fragment
    assert "£202,900" not in text  # the printed total is wrong: never published
    # The erratum is the funding table's note.
    assert "Note on the source: the published total does not match its lines" in " ".join(
        text.split()
    )


def test_html_tables_have_header_cells(outputs: dict[str, Path]) -> None:
    html = outputs[".html"].read_text(encoding="utf-8")
    page = outline(html)
    assert (2, "8. Funding") in page.headings()
    assert '<th scope="col">Income source</th>' in html
    assert '<th scope="row">LBN - CSC</th>' in html
    assert (
        'content="Newham Safeguarding Children Partnership published safeguarding arrangements"'
        in html
    )


def test_partner_ids_and_appendix_numbers_are_checked_like_any_id(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = root / "data" / "arrangements.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace("      partner: probation\n", "      partner: probaton\n")
    text = text.replace('  - number: "2"\n', '  - number: "1"\n')
    data.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    found = [(d.code, d.location.line if d.location else None) for d in _diags(root)]
    assert ("data.unknown-reference", lines.index("      partner: probaton") + 1) in found
    second = [i for i, line in enumerate(lines) if line == '  - number: "1"'][1]
    assert ("data.duplicate-id", second + 1) in found


def _diags(root: Path) -> list[Diagnostic]:
    return list(pipeline.validate(root).diagnostics.errors)
