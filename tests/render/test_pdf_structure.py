"""The example PDF's logical structure, read as assistive technology reads it.

A validator passing is not enough: these tests walk the structure tree itself (via
pikepdf and tests/render/pdf_structure.py) and check what PDF/UA-1 asks of it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from reportgen import pipeline
from reportgen.model.config import ReportConfig
from reportgen.render.html import render_report
from reportgen.render.pdf import render_pdf
from tests.conftest import ProjectWriter
from tests.html_outline import outline
from tests.render.pdf_structure import (
    Element,
    MarkedText,
    marked_text,
    reachable_mcids,
    structure,
    walk,
)

A4_CSS_PX = (793.7, 1122.5)  # 210 x 297 mm at 96 px per inch (WeasyPrint's /BBox unit)


@pytest.fixture(scope="module")
def pdf(example_outputs: dict[str, Path]) -> Any:
    with pikepdf.open(example_outputs[".pdf"]) as document:
        yield document


@pytest.fixture(scope="module")
def text(pdf: Any) -> MarkedText:
    return marked_text(pdf)


@pytest.fixture(scope="module")
def tree(pdf: Any, text: MarkedText) -> Element:
    return structure(pdf, text)


def _squash(value: str) -> str:
    """Text without whitespace: a heading's lines join without a space in the PDF."""
    return re.sub(r"\s+", "", value)


def _of(tree: Element, kind: str) -> list[Element]:
    return [e for e in walk(tree) if e.kind == kind]


def _inside(tree: Element, kind: str) -> set[int]:
    """id() of every element that has an ancestor of `kind`."""
    found: set[int] = set()

    def visit(element: Element, within: bool) -> None:
        if within:
            found.add(id(element))
        for child in element.children:
            visit(child, within or element.kind == kind)

    visit(tree, False)
    return found


def test_document_is_tagged_pdf_ua_with_title_and_language(
    pdf: Any, example_config: ReportConfig
) -> None:
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in root
    assert str(root.Lang) == example_config.language
    assert root.ViewerPreferences.DisplayDocTitle is True  # viewers show the title
    title = f"{example_config.partnership.name}: {example_config.title}"
    assert str(pdf.docinfo["/Title"]) == title
    meta = pdf.open_metadata()
    assert meta["dc:title"] == title
    assert meta["pdfuaid:part"] == "1"
    assert pdf.pdf_version >= "1.7"


def test_structure_starts_with_the_title_then_contents(tree: Element) -> None:
    assert tree.kind == "/Document"
    headings = [e for e in walk(tree) if re.fullmatch(r"/H[1-6]", e.kind)]
    assert headings[0].kind == "/H1" and "AnnualReport2024/25" in _squash(headings[0].text)
    assert headings[1].kind == "/H2" and headings[1].text == "Contents"
    assert len(_of(tree, "/H1")) == 1


def test_heading_levels_never_skip(tree: Element) -> None:
    levels = [int(e.kind[2]) for e in walk(tree) if re.fullmatch(r"/H[1-6]", e.kind)]
    assert len(levels) > 100
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []


def test_bookmarks_match_the_headings(pdf: Any, tree: Element) -> None:
    """The outline is the h1-h3 headings in order, at their levels (cards' h3 excepted)."""
    in_cards = _inside(tree, "/Art")
    headings = [
        (int(e.kind[2]), _squash(e.text))
        for e in walk(tree)
        if e.kind in ("/H1", "/H2", "/H3") and id(e) not in in_cards
    ]
    bookmarks: list[tuple[int, str]] = []

    def visit(items: Any, depth: int) -> None:
        for item in items:
            bookmarks.append((depth, _squash(item.title)))
            visit(item.children, depth + 1)

    with pdf.open_outline() as outline_:
        visit(outline_.root, 1)
    assert bookmarks == headings


def test_every_figure_has_alternative_text_and_stays_on_its_page(
    tree: Element, example_outputs: dict[str, Path]
) -> None:
    page = outline(example_outputs[".html"].read_text(encoding="utf-8"))
    # The page's charts as the PDF shows them: the wide drawing (a phone's is screen-only).
    descriptions = [
        d.text for d in page.find("desc") if not (d.attrs["id"] or "").endswith("-narrow-desc")
    ]
    figures = _of(tree, "/Figure")
    assert len(figures) == len(descriptions) >= 6
    # The chart's whole description, not just its title, is the Figure's /Alt.
    assert [f.alt for f in figures] == descriptions
    width, height = A4_CSS_PX
    for figure in figures:
        x1, y1, x2, y2 = (float(v) for v in figure.obj.A.BBox)
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height, figure.alt


def test_tables_have_header_cells_with_scope(tree: Element) -> None:
    tables = _of(tree, "/Table")
    assert len(tables) >= 25
    for table in tables:
        cells = [e for e in walk(table) if e.kind in ("/TH", "/TD")]
        headers = [c for c in cells if c.kind == "/TH"]
        assert headers, f"a table has no header cells: {table.text[:60]!r}"
        for th in headers:
            assert str(th.obj.A.Scope) in ("/Column", "/Row"), th.text
        for td in (c for c in cells if c.kind == "/TD"):
            assert len(td.obj.A.Headers) >= 1, f"cell {td.text!r} names no header"


def test_tables_repeat_their_header_row_on_every_page(tree: Element) -> None:
    """A table split across pages is one Table per page; each starts with its THead."""
    for table in _of(tree, "/Table"):
        first = next(c for c in table.children if c.kind != "/Caption")
        assert first.kind == "/THead", f"a table part starts without headers: {table.text[:60]!r}"
        assert any(c.kind == "/TH" for c in walk(first))


def test_lists_are_tagged_as_lists(tree: Element) -> None:
    lists = _of(tree, "/L")
    assert len(lists) >= 50
    for element in lists:
        assert element.children, "an empty list"
        for item in element.children:
            assert item.kind in ("/LI", "/L"), item.kind  # a nested list sits in its list
            if item.kind == "/LI":
                assert any(c.kind == "/LBody" for c in item.children)


def test_all_text_is_tagged_and_page_furniture_is_an_artifact(
    pdf: Any, text: MarkedText, tree: Element
) -> None:
    assert text.untagged == []
    orphans = set(text.by_mcid) - reachable_mcids(tree, pdf)
    assert orphans == set(), "marked content outside the structure tree"
    pages = len(pdf.pages)
    furniture = "".join(text.artifact)
    assert f"Page 2 of {pages}" in furniture and "NSCP Annual Report 2024/25" in furniture
    assert "Page 2 of" not in tree.text  # a screen reader never reads page furniture
    # Decorative boxes (the cover band, rules, tile backgrounds) are artifacts too.
    for page in pdf.pages:
        content = page.obj.Contents.read_bytes()
        assert b"/Artifact" in content


def test_reading_order_follows_the_contents(tree: Element, example_config: ReportConfig) -> None:
    h2 = [_squash(e.text) for e in _of(tree, "/H2")]
    expected = ["Contents"]
    if example_config.at_a_glance:
        expected.append(example_config.at_a_glance.title)
    number = 0
    for section in example_config.sections:
        if section.numbered:
            number += 1
        expected.append(f"{number}. {section.title}" if section.numbered else section.title)
    expected.append("Appendix: data behind the charts")
    assert h2 == [_squash(e) for e in expected]
    # The key figures come before the chair's introduction, which comes before the budget.
    body = _squash(tree.text)
    glance = body.find("3,502Childrensupported")
    chair = body.find("Chair'sintroductionIhavebeenproud")
    budget = body.find("5.Partnercontributionsandbudget", chair)
    assert 0 < glance < chair < budget


def test_links_are_described_by_their_text(pdf: Any, tree: Element) -> None:
    """Each link annotation's /Contents is what the link says, never its target id."""
    described = 0
    for link in _of(tree, "/Link"):
        for part in walk(link):
            kids = part.obj.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    assert _squash(str(kid.Obj.Contents)) == _squash(link.text)
                    described += 1
    annotations = sum(
        1
        for page in pdf.pages
        for annotation in page.obj.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link"
    )
    assert described == annotations >= 20


def test_only_the_packaged_font_is_embedded(pdf: Any) -> None:
    fonts = set()
    for page in pdf.pages:
        for font in page.obj.Resources.get("/Font", {}).values():
            fonts.add(str(font.BaseFont).split("+", 1)[-1])
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts), fonts


def test_pdf_dates_come_only_from_source_date_epoch(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    root = write_project(minimal_files)
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    project, derived = result.project, result.derived

    def dates() -> tuple[str | None, str | None]:
        data = render_pdf(render_report(project, derived, medium="print"), root)
        path = tmp_path / "out.pdf"
        path.write_bytes(data)
        with pikepdf.open(path) as document:
            info = document.docinfo
            created = info.get("/CreationDate")
            modified = info.get("/ModDate")
            return (str(created) if created else None, str(modified) if modified else None)

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert dates() == (None, None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759190400")  # 2025-09-30 00:00:00 UTC
    created, modified = dates()
    assert created is not None and created.startswith("D:20250930000000")
    assert modified == created
