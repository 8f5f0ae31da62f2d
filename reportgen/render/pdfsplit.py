"""One report's PDF laid out as two parts at once: the cut, and WeasyPrint's side of it.

The print page's sections each start a new page, so it can be cut between two of them
into two documents that two processes lay out at the same time (render/pdfengine.py
runs them; render/pdfjoin.py joins their PDFs). What one part needs from the other is
known only after both are paginated: the first part's page count (where the second
part's page numbers start), the total ("Page x of y") and the pages of the other part's
anchors (the contents page's numbers, `target-counter()`). WeasyPrint makes the margin
boxes after all pages are made, and re-makes only the pages whose targets changed, so
the parts exchange that between the two steps: `PartLayout.exchange` is called with this
part's page count and anchors' pages, and answers with the page offset, the total and the
other part's anchors' pages. The part then re-makes the pages that refer to them, checks
that its page count and anchors did not move (else the split fails and the build lays
out the whole page in one process), and goes on to its margin boxes.

This is the one module that reaches into WeasyPrint's internals: `_layout_document` is
WeasyPrint 70.0's `layout_document` with the exchange added after pagination, and the
other part's anchors are entered in its `TargetCollector` as targets already laid out.
It is used only with the version it was written for (`hooks_fit`), and
tests/render/test_pdfsplit.py pins the source of every function it copies or relies on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

WEASYPRINT_VERSION = "70.0"  # the version the hooks below were written for and tested with

# A print page whose layout costs less than this (`_cost`: a fifth of the example's, about
# 1.5 s of CPU) is laid out in one process: a second part costs more than it saves (the
# digest, a short report).
MIN_SPLIT_COST = 50_000
# A project with less than this in content/ and data/ gets no second engine started
# before validation (its page will be short): that costs a core's CPU time for nothing.
MIN_SPLIT_INPUT_BYTES = 60_000
_SECTION = re.compile(r'<section class="report-section[^"]*"')
_MAIN = re.compile(r"<main\b[^>]*>")
_BODY = re.compile(r"<body\b[^>]*>")
# Layout cost of the markup, by what WeasyPrint spends its time on: text (line breaking
# with pango), table cells and images (each chart's SVG is parsed, laid out and drawn).
# Embedded data (fonts, images as data: URIs) costs nothing to lay out. Calibrated on the
# example by CPU time (bench/split_build.py --parts): cut at 26 + 26 pages with 40 a
# cell and 1,500 an image, the first part (5 of the 7 charts) took 5.9 s and the second
# 3.2 s, which makes a chart worth some 20,000 characters of text or more.
_DATA_URI = re.compile(r"data:[^\"')\s]+")
_TAG = re.compile(r"<[^>]+>")
_CELL_COST = 40  # characters of text a table cell costs to lay out, about
_IMAGE_COST = 20_000  # an image or chart


class SplitFailed(Exception):
    """The parts could not be laid out to match one layout; lay out the whole page."""


@dataclass(frozen=True)
class Cut:
    """The print page cut into two documents between two sections."""

    parts: tuple[str, str]
    anchors: tuple[frozenset[str], frozenset[str]]  # the ids each part defines


def _cost(markup: str) -> int:
    """Expected layout cost of a piece of the page, in characters of text."""
    markup = _DATA_URI.sub("", markup)
    cells = markup.count("<td") + markup.count("<th")
    images = markup.count("<img") + markup.count("<svg")
    text = len(_TAG.sub("", markup))
    return text + _CELL_COST * cells + _IMAGE_COST * images


class _Ids(HTMLParser):
    """Every anchor a document defines: `id` attributes and `<a name>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.append(value)


def _ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser.ids


def split_wanted() -> bool:
    """Whether long pages are laid out in two parts: on by default, off with
    REPORTGEN_PDF_SPLIT=0, and only with the WeasyPrint the hooks were written for. The
    joined PDF's bytes differ from the whole layout's, so this (with the page) decides
    the bytes, and is part of the PDF's cache key; the machine (its CPUs) never is."""
    import os
    from importlib.metadata import PackageNotFoundError, version

    if os.environ.get("REPORTGEN_PDF_SPLIT", "1") == "0":
        return False
    try:
        return version("weasyprint") == WEASYPRINT_VERSION
    except PackageNotFoundError:
        return False


def split_cut(page: str) -> Cut | None:
    """The cut of a print page that is laid out in two parts, on any machine; None where
    it is laid out whole. Depends on the page and `split_wanted` only."""
    return cut(page, MIN_SPLIT_COST) if split_wanted() else None  # read now: tests lower it


def worth_splitting(root: Path) -> bool:
    """Whether a project is large enough that its print page will likely be cut: then
    the build starts the second engine before it validates."""
    total = 0
    for folder in ("content", "data"):
        if (root / folder).is_dir():
            total += sum(p.stat().st_size for p in (root / folder).rglob("*") if p.is_file())
    return total >= MIN_SPLIT_INPUT_BYTES


def cut(page: str, min_cost: int = MIN_SPLIT_COST) -> Cut | None:
    """The page cut in two at the section boundary that best balances the layout cost,
    or None when it should be laid out whole (small, or not the shape this expects)."""
    starts = [m.start() for m in _SECTION.finditer(page)]
    main, body = _MAIN.search(page), _BODY.search(page)
    end = page.find("</main>")
    if len(starts) < 3 or main is None or body is None or end < 0 or page.count("</main>") != 1:
        return None
    if not main.end() <= starts[0] or page[main.end() : starts[0]].strip():
        return None  # something other than sections opens <main>: not cut
    # The cover, contents and head count towards the first part.
    before = _cost(page[body.end() : starts[0]])
    costs = [_cost(page[a:b]) for a, b in zip(starts, [*starts[1:], end], strict=True)]
    total = before + sum(costs)
    if total < min_cost:
        return None
    first_cost, best, best_gap = before, 0, float("inf")
    for i in range(1, len(starts)):
        first_cost += costs[i - 1]
        if (gap := abs(total / 2 - first_cost)) < best_gap:
            best, best_gap = i, gap
    at = starts[best]
    first = page[:at] + page[end:]
    # The second part: the page's head (styles, fonts), then the sections after the cut
    # in a <main> of their own (WeasyPrint tags <main> page by page, so nothing is lost).
    second = page[: body.end()] + "\n<main>\n" + page[at:end] + page[end:]
    ids = (_ids(page[body.end() : at]), _ids(page[at:end]))
    one, two = frozenset(ids[0]), frozenset(ids[1])
    if len(one) != len(ids[0]) or len(two) != len(ids[1]) or one & two:
        return None  # an id defined twice: WeasyPrint's first-wins rule is not split here
    return Cut((first, second), (one, two))


@dataclass(frozen=True)
class Paginated:
    """What a part tells the other after its pagination."""

    pages: int
    anchors: dict[str, int]  # anchor -> index of its page in this part


@dataclass(frozen=True)
class Settled:
    """What a part learns: where its pages sit in the whole and the other's anchors."""

    offset: int  # pages before this part
    total: int  # pages of the whole document
    foreign: dict[str, int]  # the other part's anchors -> their page number in the whole


@dataclass
class PartResult:
    """A part's finished PDF and what the join needs that the PDF does not say."""

    pdf: bytes
    anchors: frozenset[str]  # the anchors this part really defines (its other dests are stand-ins)
    bookmarks: list[list[tuple[int, str, tuple[float, float], str]]]  # per page, as WeasyPrint
    heights: list[float]  # each page's height in CSS px, to place bookmarks as WeasyPrint does


@dataclass
class PartLayout:
    """One part being laid out: the hooks' state inside WeasyPrint."""

    foreign_ids: frozenset[str]
    exchange: Callable[[Paginated], Settled]
    settled: Settled | None = None
    result: PartResult | None = field(default=None)

    def enter_foreign_targets(self, target_collector: Any) -> None:
        """The other part's anchors, as targets laid out elsewhere (page unknown yet)."""
        from weasyprint.css.targets import TargetLookupItem

        for name in sorted(self.foreign_ids):
            item = TargetLookupItem("up-to-date")
            item.target_box = _ForeignTarget()
            item.page_maker_index = -1
            target_collector.target_lookup_items[name] = item

    def settle(self, context: Any, root_box: Any, html: Any, pages: list[Any]) -> list[Any]:
        """Between pagination and margin boxes: exchange, re-make, check (see above)."""
        from weasyprint.layout.page import make_all_pages

        page_maker = context.page_maker
        count = len(pages)
        own = _anchor_pages(page_maker, count)
        settled = self.exchange(Paginated(len(pages), own))
        self.settled = settled
        collector = context.target_collector
        _check_foreign_counters(collector, self.foreign_ids)
        for _resume_at, _next_page, _right, state, _remake in page_maker:
            counters = state[1]
            if settled.offset and "page" in counters:
                counters["page"] = [counters["page"][0] + settled.offset, *counters["page"][1:]]
            counters["pages"] = [settled.total]
        if settled.offset:
            page_maker[0][3][1]["page"] = [settled.offset]
            for name, index in own.items():  # own targets' page numbers moved too
                collector.cache_target_page_counters(
                    name, copy.deepcopy(page_maker[index + 1][3][1]), index, page_maker
                )
        for name, number in sorted(settled.foreign.items()):
            values = {"page": [number], "pages": [settled.total]}
            collector.cache_target_page_counters(name, values, -1, page_maker)
        # WeasyPrint 70 files a target-counter(attr(...)) under the anchor None, so the
        # calls above re-make none of the boxes that refer to them: re-make them all (the
        # contents page, mostly), with the counters now known.
        for (_box, token), item in collector.counter_lookup_items.items():
            index = item.page_maker_index
            wanted = token == "content" and item.missing_target_counters
            if wanted and index is not None and index < len(page_maker):
                page_maker[index][-1]["content_changed"] = True
                item.parse_again(item.cached_page_counter_values)
        for _ in range(8):  # as many rounds as WeasyPrint allows itself
            if not any(entry[4]["content_changed"] for entry in page_maker):
                break
            pages = list(make_all_pages(context, root_box, html, pages))
            for entry in context.page_maker:
                entry[3][1]["pages"] = [settled.total]
            page_maker = context.page_maker
        else:
            raise SplitFailed("the pages referring to the other part did not settle")
        if len(pages) != count or _anchor_pages(page_maker, len(pages)) != own:
            raise SplitFailed("the page numbers of the other part moved this part's pages")
        return pages

    def before_write(self, document: Any) -> None:
        """Keep the links to the other part: WeasyPrint drops a link to an anchor it does
        not know, so each gets a stand-in destination, which the join replaces."""
        linked = {
            link[1]
            for page in document.pages
            for link in page.links
            if link[0] == "internal" and link[1] in self.foreign_ids
        }
        if linked and document.pages:
            anchors = document.pages[-1].anchors
            for name in sorted(linked):
                anchors.setdefault(name, (0, 0, 0, 0))
        self.result = PartResult(
            b"",
            frozenset(a for page in document.pages for a in page.anchors) - linked,
            [list(page.bookmarks) for page in document.pages],
            [page.height for page in document.pages],
        )


class _ForeignTarget:
    """Stands in for a target box of the other part: its page counters come at settle;
    its own counters and text are not known here (the split fails if asked)."""

    cached_counter_values: dict[str, list[int]] = {}  # noqa: RUF012 (read only)

    def extract_text(self, *_args: Any) -> str:
        raise SplitFailed("target-text() of an anchor in the other part")


def _anchor_pages(page_maker: list[Any], count: int) -> dict[str, int]:
    """Each anchor laid out in this part -> index of its page (its first occurrence)."""
    found: dict[str, int] = {}
    for index in range(count):
        for name in page_maker[index][4]["anchors"]:
            found.setdefault(name, index)
    return found


def _check_foreign_counters(collector: Any, foreign: frozenset[str]) -> None:
    """Only page counters cross the cut: another counter of a target in the other part
    (a chapter number, say) is not known here. WeasyPrint does not always say which
    anchor a lookup is for (None), so any other target counter fails the split."""
    for item in collector.counter_lookup_items.values():
        for name, counters in item.missing_target_counters.items():
            if (name is None or name in foreign) and not set(counters) <= {"page", "pages"}:
                raise SplitFailed(f"counters {counters} of #{name}, maybe in the other part")


def hooks_fit() -> bool:
    """Whether the installed WeasyPrint is the one the hooks were written for."""
    import weasyprint

    return str(weasyprint.__version__) == WEASYPRINT_VERSION


@contextmanager
def hooked(part: PartLayout) -> Iterator[None]:
    """WeasyPrint's document rendering with the part's hooks, for one render."""
    import weasyprint.document as document

    build, layout = document.build_formatting_structure, document.layout_document

    def build_with_foreign(
        element: Any, style_for: Any, images: Any, base: Any, tc: Any, *a: Any
    ) -> Any:
        part.enter_foreign_targets(tc)
        return build(element, style_for, images, base, tc, *a)

    document.build_formatting_structure = build_with_foreign
    document.layout_document = lambda html, root_box, context: _layout_document(
        html, root_box, context, part
    )
    try:
        yield
    finally:
        document.build_formatting_structure, document.layout_document = build, layout


def _layout_document(html: Any, root_box: Any, context: Any, part: PartLayout) -> Iterator[Any]:
    """WeasyPrint 70.0's `weasyprint.layout.layout_document` (BSD licence), unchanged but
    for the marked call: the exchange between pagination and margin boxes."""
    from weasyprint.layout import initialize_page_maker, layout_fixed_boxes
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_all_pages, make_margin_boxes
    from weasyprint.logger import PROGRESS_LOGGER

    initialize_page_maker(context, root_box)
    pages: list[Any] = []
    original_footnotes: list[Any] = []
    actual_total_pages = 0
    for loop in range(8):
        if loop > 0:
            PROGRESS_LOGGER.info("Step 5 - Creating layout - Repagination #%d", loop)
            context.footnotes = original_footnotes.copy()
        initial_total_pages = actual_total_pages
        if loop == 0:
            original_footnotes = context.footnotes.copy()
        pages = list(make_all_pages(context, root_box, html, pages))
        actual_total_pages = len(pages)
        reloop_content = False
        reloop_pages = False
        for page_data in context.page_maker:
            _, _, _, page_state, remake_state = page_data
            page_state[1]["pages"] = [actual_total_pages]
            if remake_state["content_changed"]:
                reloop_content = True
            if remake_state["pages_wanted"]:
                reloop_pages = initial_total_pages != actual_total_pages
        if not reloop_content and not reloop_pages:
            break

    pages = part.settle(context, root_box, html, pages)  # <- the one addition

    watch_elements: list[Any] = []
    watch_elements_before: list[Any] = []
    watch_elements_after: list[Any] = []
    for i, page in enumerate(pages):
        _, _, _, page_state, _ = context.page_maker[i + 1]
        page_counter_values = page_state[1]
        for child in page.descendants():
            if child.bookmark_label:
                if child.element_tag.endswith("::before"):
                    checklist = watch_elements_before
                elif child.element_tag.endswith("::after"):
                    checklist = watch_elements_after
                else:
                    checklist = watch_elements
                if child.element in checklist:
                    child.bookmark_label = ""
                else:
                    checklist.append(child.element)
            if child.missing_link:
                for (box, css_token), item in context.target_collector.counter_lookup_items.items():
                    if child.missing_link == box and css_token != "content":
                        if css_token == "bookmark-label" and not child.bookmark_label:
                            continue
                        item.parse_again(page_counter_values)
                        if css_token == "bookmark-label":
                            child.bookmark_label = box.bookmark_label
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for string_set in string_sets:
                    string_name, text = string_set
                    context.string_set[string_name][i + 1].append(text)

    for i, page in enumerate(pages):
        root_children = []
        root, footnote_area, note_area = page.children
        root_children.extend(layout_fixed_boxes(context, pages[:i], page))
        root_children.extend(root.children)
        root_children.extend(layout_fixed_boxes(context, pages[i + 1 :], page))
        root.children = root_children
        context.current_page = i + 1
        state = context.page_maker[context.current_page][3]
        children = [root]
        if footnote_area.children:
            children.append(footnote_area)
        if note_area.children:
            children.append(note_area)
        children.extend(make_margin_boxes(context, page, state))
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)
        yield page
