"""The repository's own example: the Newham SCP Annual Report 2024/25, built for real."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import cast

import pikepdf
from pypdf import PdfReader

from reportgen import pipeline
from reportgen.model.config import ReportConfig
from tests.conftest import REPO
from tests.golden_update import GOLDEN, example_html
from tests.html_outline import outline

# Real defects of the source report that the example keeps as printed (README, "Validation").
# The two history.* ones compare the plan with last year's (archive/2023-24): the source
# repeats one item of the 2023/24 plan word for word and never reports on another. The
# thematic review's tracker prints no status for any of its recommendations.
KNOWN_WARNINGS = [
    ("content.change-without-prior", "content/12-other-priorities.md", 15),
    ("data.overspend-unexplained", "data/budget.yaml", 54),
    ("history.plan-not-reported", "data/priorities.yaml", 20),
    ("history.plan-repeated", "data/priorities.yaml", 220),
    ("completeness.status-not-stated", "data/reviews.yaml", 35),
]


def test_example_validates_without_errors_or_warnings() -> None:
    result = pipeline.validate(REPO)
    found = [
        (d.code, d.location.path if d.location else "", d.location.line if d.location else 0)
        for d in result.diagnostics.sorted()
    ]
    assert found == KNOWN_WARNINGS, [d.format_text() for d in result.diagnostics]
    assert all(d.severity.value == "warning" for d in result.diagnostics)


def test_example_figures_derived_from_the_seed() -> None:
    derived = pipeline.validate(REPO).derived
    assert derived is not None
    refs = derived.references
    # Budget 2024/25: lines sum to the published totals.
    assert refs["budget.income.total"] == "£194,600"
    assert refs["budget.expenditure.budget"] == "£194,600"
    assert refs["budget.expenditure.spend"] == "£196,000"
    assert refs["budget.expenditure.position"] == "£1,400 over budget"
    # Snapshot with the 2023/24 comparison.
    assert refs["indicator.cp_plans.change"] == "260, down from 304"
    # Training: 560 of 805 booked attended.
    assert refs["training.bookings"] == "805"
    assert refs["training.attended"] == "560"
    assert refs["training.attendance_rate"] == "70%"
    # Child deaths table total, computed from its cells.
    assert any(k.startswith("table.") and v == "37" for k, v in refs.items())


def test_pdf_has_metadata_language_and_bookmarks(
    example_outputs: dict[str, Path], example_config: ReportConfig
) -> None:
    with pikepdf.open(example_outputs[".pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        # A PDF boolean is a Python bool at run time; pikepdf's stubs say Object.
        assert cast(object, pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo["/Title"]).endswith(example_config.title)
        (top,) = pdf.open_outline().root
        titles = [item.title for item in top.children]
    expected = ["Contents"]
    if example_config.at_a_glance:
        expected.append(example_config.at_a_glance.title)
    number = 0
    for section in example_config.sections:
        if section.numbered:
            number += 1
            expected.append(f"{number}. {section.title}")
        else:
            expected.append(section.title)
    expected.append("Appendix: data behind the charts")
    assert titles == expected


def test_pdf_is_a4_with_page_numbers_after_the_cover(example_outputs: dict[str, Path]) -> None:
    reader = PdfReader(example_outputs[".pdf"])
    total = len(reader.pages)
    for index, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = page.extract_text()
        if index == 0:
            assert "Page" not in text
        else:
            assert f"Page {index + 1} of {total}" in text


def test_pdf_text_has_key_figures_in_reading_order(example_outputs: dict[str, Path]) -> None:
    reader = PdfReader(example_outputs[".pdf"])
    text = "\n".join(page.extract_text() for page in reader.pages)
    contents = text.find("Contents")
    order = [
        "£194,600",  # budget: income total
        "£1,400 over budget",
        "18,423",  # contacts received
        "3,502",  # children supported
        "down from 304 in 2023/24",  # child protection plans tile
        "Requires improvement",  # CSA audit grading
        "Treatment withheld",  # child deaths table
        "Put Working Together 2023 fully in place",  # plans for next year
        "Appendix: data behind the charts",
    ]
    # Each fragment must appear after the one before it (and after the contents page).
    position = text.find("Chair's introduction", contents + len("Contents") + 500)
    for fragment in order:
        found = text.find(fragment, position + 1)
        assert found > position, f"{fragment!r} not found after position {position}"
        position = found


def test_contents_page_lists_page_numbers(example_outputs: dict[str, Path]) -> None:
    reader = PdfReader(example_outputs[".pdf"])
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    # Each entry ends with the page it starts on, e.g. "1. About Newham ....... 4".
    lines = [line for line in contents.splitlines() if "About Newham" in line]
    assert lines and lines[0].rstrip().split()[-1].isdigit()


def test_html_structure(example_outputs: dict[str, Path], example_config: ReportConfig) -> None:
    page = outline(example_outputs[".html"].read_text(encoding="utf-8"))
    assert page.find("html")[0].attrs["lang"] == "en-GB"
    assert len(page.find("h1")) == 1
    levels = [level for level, _ in page.headings()]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), "a heading level is skipped"
    h2 = [text for level, text in page.headings() if level == 2]
    for section in example_config.sections:
        assert any(section.title in text for text in h2), section.title
    tables = page.find("table")
    assert len(tables) >= 20
    assert len(page.find("caption")) == len(tables)
    assert all(th.attrs.get("scope") in {"col", "row"} for th in page.find("th"))
    svgs = page.find("svg")
    assert len(svgs) >= 6
    table_ids = {t.attrs.get("id") for t in tables}
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        label_ids = (svg.attrs["aria-labelledby"] or "").split()
        assert len(label_ids) == 2
        chart_id = label_ids[0].removesuffix("-title").removesuffix("-narrow")  # a phone's
        assert f"{chart_id}-data" in table_ids, f"{chart_id} has no data table"
    descriptions = [d.text for d in page.find("desc")]
    assert len(descriptions) == len(svgs) and all(len(d) > 40 for d in descriptions)
    assert len(page.find("main")) == 1 and len(page.find("nav")) == 1


def test_html_is_self_contained(example_outputs: dict[str, Path]) -> None:
    html = example_outputs[".html"].read_text(encoding="utf-8")
    page = outline(html)
    assert not page.find("script")
    assert not page.find("link")
    for element in page.elements:
        for name in ("src", "href"):
            value = element.attrs.get(name) or ""
            assert not value.startswith(("http:", "https:", "//")), value


def test_golden_html_is_current() -> None:
    assert example_html() == GOLDEN.read_text(encoding="utf-8"), (
        "the example's HTML changed: run `make golden` and review the diff"
    )
