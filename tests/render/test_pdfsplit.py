"""One report's PDF laid out in two parts at once (render/pdfsplit.py, pdfjoin.py and the
engines in render/pdfengine.py) must read exactly as the PDF laid out whole: the same
pages with the same text (page numbers and the contents page's numbers included), the
same outline and link targets, one structure tree with the same elements, one parent
tree; and the same bytes run to run. Where the parts cannot match the whole, the build
lays out the whole page instead.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import reportgen.cpus as cpus_module
from reportgen import pipeline
from reportgen.cache import BuildCache
from reportgen.render.chartset import ChartSet, forget_drawn_charts
from reportgen.render.pdf import render_pdf
from reportgen.render.pdfengine import EngineLost, PdfEngine, render_in_new_engines
from reportgen.render.pdfsplit import (
    WEASYPRINT_VERSION,
    SplitFailed,
    cut,
    hooks_fit,
    worth_splitting,
)
from tests.conftest import REPO, ProjectWriter
from tests.render.pdf_compare import (
    Summary,
    font_programs,
    glyph_problems,
    glyphs_drawn,
    parent_tree_problems,
    summary,
)
from tests.render.pdf_structure import marked_text, reachable_mcids, structure

# Every WeasyPrint function the hooks copy (layout_document) or rely on the inside of
# (page maker states, the target collector, how the contents' counters are filed, the
# outline and the parent tree pdfjoin rebuilds). If one changes, read render/pdfsplit.py
# and pdfjoin.py against the new code, then update its digest here.
PINNED = {
    "weasyprint.layout.layout_document": "a5cbf437e99caf72",
    "weasyprint.layout.page.make_all_pages": "b5e4034894841caa",
    "weasyprint.layout.page.remake_page": "1ff09b2dffa17839",
    "weasyprint.layout.page.make_page": "656f183328e8b1b5",
    "weasyprint.css.targets.TargetCollector": "ea382c293323197b",
    "weasyprint.css.targets.TargetLookupItem": "909e7c4a3a07714c",
    "weasyprint.formatting_structure.build.compute_content_list": "3a5674cabd84f48a",
    "weasyprint.document.Document._render": "ebaceeb0fa8e79aa",
    "weasyprint.document.Document.make_bookmark_tree": "6af34e059bb862e2",
    "weasyprint.anchors.make_page_bookmark_tree": "269c0c4e1b2d5c20",
    "weasyprint.pdf.anchors.add_outlines": "9f5d6afde78956a1",
    "weasyprint.pdf.anchors.resolve_links": "f95937bb4e4f1007",
    "weasyprint.pdf.tags.add_tags": "f0e74575b0bafaf3",
}


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def test_the_hooks_are_pinned_to_the_weasyprint_they_were_written_for() -> None:
    import weasyprint

    assert weasyprint.__version__ == WEASYPRINT_VERSION and hooks_fit()
    changed = {
        dotted
        for dotted, digest in PINNED.items()
        if hashlib.sha256(inspect.getsource(_resolve(dotted)).encode()).hexdigest()[:16] != digest
    }
    assert not changed, f"WeasyPrint changed {changed}: check render/pdfsplit.py and pdfjoin.py"


# A page shaped like reportgen's print page, small enough to lay out in a second or two:
# a cover with the title (bookmark level 1), contents with page numbers, sections that
# each start a new page, links and a page reference in both directions across the cut.
_CSS = """
@page { size: A4; margin: 20mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
.report-section { break-before: page; }
.toc a::after { content: " " target-counter(attr(href url), page); }
.see::after { content: " (page " target-counter(attr(href url), page) ")"; }
h4 { bookmark-level: none; }
"""
_TEXT = (
    "Partners met every month to look at referrals, check what happened next and agree "
    "who would follow up. Where a family had to tell its story twice, the group asked why. "
)


def _page(sections: int = 6, extra_css: str = "") -> str:
    toc = "".join(f'<li><a href="#s{i}">Section {i}</a></li>' for i in range(sections))
    body = []
    for i in range(sections):
        paragraphs = "".join(f"<p>{_TEXT * 4}</p>" for _ in range(4 + 3 * (i % 3)))
        other = sections - 1 - i
        body.append(
            f'<section class="report-section" id="s{i}"><h2 id="s{i}-title">Section {i}</h2>'
            f"{paragraphs}<h3 id='s{i}-more'>More on section {i}</h3><p>{_TEXT}</p>"
            f'<p><a class="see" href="#s{other}-more">See section {other}</a></p></section>'
        )
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Test</title>'
        f"<style>{_CSS}{extra_css}</style></head>\n<body>\n"
        f'<header class="cover"><h1>Annual report</h1></header>'
        f'<nav class="toc"><h2>Contents</h2><ol>{toc}</ol></nav>\n<main id="main">\n'
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


@pytest.fixture(scope="module")
def engine() -> Iterator[PdfEngine]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cpus_module, "usable_cpus", lambda: 2)
        patch.setenv("REPORTGEN_PDF_SPLIT", "1")
        started = PdfEngine.start(split=True)
    assert started is not None
    yield started
    started.close()


def _no_charts(_url: str) -> bytes | None:
    return None


def _in_new_engines(page: str, root: Path) -> bytes | None:
    """The page's PDF by two engines started for it; None where it is laid out whole."""
    made = render_in_new_engines([page], root, _no_charts)
    return None if made is None else made[0]


def _one_program_per_font(whole: pikepdf.Pdf, joined: pikepdf.Pdf) -> None:
    """The joined PDF embeds each font once, as the whole layout does, and that program
    draws every glyph the pages of either part use as the whole layout's does."""
    assert set(font_programs(whole).values()) == {1}
    assert font_programs(joined) == font_programs(whole)
    assert glyph_problems(joined, whole) == []


def _same_reading(whole: Summary, joined: Summary) -> None:
    assert len(joined.page_texts) == len(whole.page_texts)
    for number, (one, other) in enumerate(zip(whole.page_texts, joined.page_texts, strict=True), 1):
        assert other == one, f"page {number} reads differently"
    assert joined.outline == whole.outline
    assert joined.links == whole.links
    assert joined.elements == whole.elements
    assert joined.reading_order == whole.reading_order


def test_a_short_page_is_laid_out_whole_and_ids_on_both_sides_are_never_cut() -> None:
    assert cut(_page()) is None  # under MIN_SPLIT_COST
    parts = cut(_page(), min_cost=0)
    assert parts is not None
    assert '<nav class="toc"' in parts.parts[0] and "<nav" not in parts.parts[1]
    assert parts.anchors[0].isdisjoint(parts.anchors[1])
    assert {"s0", "main"} <= parts.anchors[0] and "s5" in parts.anchors[1]
    twice = _page().replace('id="s5-title"', 'id="s0-title"')
    assert cut(twice, min_cost=0) is None


def test_only_a_long_report_gets_a_second_engine_before_it_validates(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    assert worth_splitting(REPO)
    assert not worth_splitting(write_project(minimal_files))


def test_the_parts_joined_read_as_the_page_laid_out_whole(
    engine: PdfEngine, tmp_path: Path
) -> None:
    page = _page()
    parts = cut(page, min_cost=0)
    assert parts is not None
    joined = engine.render_parts(parts, tmp_path, _no_charts)
    again = engine.render_parts(parts, tmp_path, _no_charts)
    assert joined == again  # byte-identical run to run
    whole = render_pdf(page, tmp_path)
    with pikepdf.open(io.BytesIO(whole)) as one, pikepdf.open(io.BytesIO(joined)) as other:
        expected, got = summary(one), summary(other)
        _same_reading(expected, got)
        assert parent_tree_problems(other) == []
        # PDF/UA: all drawn text tagged or an artifact, every tagged piece in the tree.
        text = marked_text(other)
        assert text.untagged == []
        assert set(text.by_mcid) <= reachable_mcids(structure(other, text), other)
        assert other.Root.Lang == one.Root.Lang and other.docinfo.Title == one.docinfo.Title
        assert len(other.pages) > 6
        _one_program_per_font(whole=one, joined=other)
    # The numbers that cross the cut, as a reader sees them.
    total = len(got.page_texts)
    assert got.page_texts[-1].endswith(f"Page{total}of{total}")
    last = next(page for _, title, page, _ in got.outline if title == "Section 5")
    assert f"Section5{last + 1}" in got.page_texts[0]  # the contents, on the cover page


def test_a_font_the_join_cannot_merge_keeps_a_program_per_part(
    engine: PdfEngine, tmp_path: Path
) -> None:
    # A character no font has: WeasyPrint gives the font its own encoding (a glyph id
    # past the font's last, drawn as .notdef), which the join leaves as each part has it.
    page = _page().replace("Partners met", "Partners \ue000 met")
    parts = cut(page, min_cost=0)
    assert parts is not None
    joined = engine.render_parts(parts, tmp_path, _no_charts)
    whole = render_pdf(page, tmp_path)
    with pikepdf.open(io.BytesIO(whole)) as one, pikepdf.open(io.BytesIO(joined)) as other:
        _same_reading(summary(one), summary(other))
        assert glyph_problems(other, one) == []
        programs, expected = font_programs(other), font_programs(one)
        unmerged = {
            str(font.BaseFont)
            for font, _ in glyphs_drawn(other).values()
            if isinstance(font.Encoding, pikepdf.Stream)
        }
        assert unmerged and {programs[name] for name in unmerged} == {2}
        assert {n: c for n, c in programs.items() if n not in unmerged} == {
            n: c for n, c in expected.items() if n not in unmerged
        }


def test_a_split_that_cannot_match_the_whole_layout_falls_back_to_it(
    engine: PdfEngine, tmp_path: Path
) -> None:
    # target-text() of an anchor in the other part is not known to a part: no split.
    page = _page(extra_css=".see::before { content: target-text(attr(href url)); }")
    parts = cut(page, min_cost=0)
    assert parts is not None
    with pytest.raises(SplitFailed):
        engine.render_parts(parts, tmp_path, _no_charts)
    # Both engines are still there, and the build's render gives the whole layout.
    import reportgen.render.pdfsplit as pdfsplit

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfsplit, "MIN_SPLIT_COST", 0)
        made = engine.render(page, tmp_path, _no_charts)
    assert made == render_pdf(page, tmp_path)


def test_a_page_is_split_the_same_where_no_engines_were_started_for_it(
    engine: PdfEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.render.pdfsplit as pdfsplit

    page = _page()
    assert _in_new_engines(page, tmp_path) is None  # short: laid out whole
    parts = cut(page, min_cost=0)
    assert parts is not None
    expected = engine.render_parts(parts, tmp_path, _no_charts)
    monkeypatch.setattr(pdfsplit, "MIN_SPLIT_COST", 0)
    # No engine (one CPU, `build A B`, a lost engine): two engines started for the page.
    assert _in_new_engines(page, tmp_path) == expected
    # An engine started without a partner (a project small on disk) starts one now.
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    alone = PdfEngine.start(split=False)
    assert alone is not None
    try:
        assert alone.render(page, tmp_path, _no_charts) == expected
    finally:
        alone.close()
    # REPORTGEN_PDF_SPLIT=0: laid out whole, everywhere.
    monkeypatch.setenv("REPORTGEN_PDF_SPLIT", "0")
    assert _in_new_engines(page, tmp_path) is None


def test_a_report_and_its_digest_are_laid_out_at_once_with_the_same_bytes(
    engine: PdfEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.render.pdfsplit as pdfsplit

    report, digest = _page(), _page(sections=3)
    parts = cut(report, min_cost=0)
    assert parts is not None
    expected = [engine.render_parts(parts, tmp_path, _no_charts), render_pdf(digest, tmp_path)]
    monkeypatch.setattr(pdfsplit, "MIN_SPLIT_COST", 0)
    monkeypatch.setattr(pdfsplit, "cut", lambda page, min_cost=0: parts if page == report else None)
    # The digest goes to the engine that finishes its part first, or, the engines
    # taking turns (`build -j`), after the report: the same PDFs either way.
    assert engine.render_all([report, digest], tmp_path, _no_charts) == expected
    assert engine.render_all([report, digest], tmp_path, _no_charts, together=False) == expected
    # Not split: the report in one engine, the digest in the other, at once.
    monkeypatch.setenv("REPORTGEN_PDF_SPLIT", "0")
    whole = render_pdf(report, tmp_path)
    assert engine.render_all([report, digest], tmp_path, _no_charts) == [whole, expected[1]]


def test_a_failed_split_taking_turns_still_gives_the_whole_layout(
    engine: PdfEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.render.pdfsplit as pdfsplit

    page = _page(extra_css=".see::before { content: target-text(attr(href url)); }")
    monkeypatch.setattr(pdfsplit, "MIN_SPLIT_COST", 0)
    made = engine.render_all([page, _page(sections=2)], tmp_path, _no_charts, together=False)
    assert made == [render_pdf(page, tmp_path), render_pdf(_page(sections=2), tmp_path)]


def test_an_engine_lost_during_the_split_is_replaced_not_laid_out_whole(
    engine: PdfEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.render.pdfsplit as pdfsplit

    page = _page()
    parts = cut(page, min_cost=0)
    assert parts is not None
    expected = engine.render_parts(parts, tmp_path, _no_charts)
    monkeypatch.setattr(pdfsplit, "MIN_SPLIT_COST", 0)
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    doomed = PdfEngine.start(split=True)
    assert doomed is not None and doomed._partner is not None
    try:
        doomed._partner._process.kill()  # the test kills it on purpose
        doomed._partner._process.join()
        with pytest.raises(EngineLost):
            doomed.render(page, tmp_path, _no_charts)
    finally:
        doomed.close()
    # What the build does then (pipeline, make_pdfs): two new engines, the same bytes.
    assert _in_new_engines(page, tmp_path) == expected


@pytest.fixture(scope="module")
def example_print_page() -> tuple[str, dict[str, bytes]]:
    result = pipeline.validate(REPO)
    assert result.project is not None and result.derived is not None
    forget_drawn_charts()
    with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
        page = pipeline.render_page(result.project, result.derived, charts, medium="print")
        return page, charts.images()


def test_the_example_split_and_joined_reads_as_laid_out_whole(
    engine: PdfEngine, example_print_page: tuple[str, dict[str, bytes]]
) -> None:
    page, images = example_print_page
    parts = cut(page)
    assert parts is not None, "the example is long enough to split"
    joined = engine.render_parts(parts, REPO, images.get)
    whole = render_pdf(page, REPO, images.get)
    with pikepdf.open(io.BytesIO(whole)) as one, pikepdf.open(io.BytesIO(joined)) as other:
        expected, got = summary(one), summary(other)
        _same_reading(expected, got)
        assert parent_tree_problems(other) == []
        assert sorted(map(str, other.Root)) == sorted(map(str, one.Root))
        assert other.open_metadata().get("dc:title") == one.open_metadata().get("dc:title")
        _one_program_per_font(whole=one, joined=other)
    # Within a few per cent of the whole layout's size (it was 1.9 times as large).
    assert len(joined) < 1.06 * len(whole)
    # The contents page numbers the sections of the second part.
    appendix = next(page for _, title, page, _ in got.outline if title.startswith("Appendix"))
    assert re.search(rf"thecharts\.*{appendix + 1}(?!\d)", got.page_texts[1])
