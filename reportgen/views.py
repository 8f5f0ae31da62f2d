"""View models: the typed context templates receive. Templates format, never compute.

Every figure a reader sees is already a formatted string here, derived in
`reportgen.derive` from the validated data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from markupsafe import Markup


class BlockKey(NamedTuple):
    """A block's name: its kind (table, chart, tiles, list, cards) and target."""

    kind: str
    target: str

    def __str__(self) -> str:
        # As written in narrative between the braces, e.g. `table budget.income`.
        return f"{self.kind} {self.target}"


@dataclass(frozen=True, kw_only=True)
class Cell:
    """One table cell, already formatted."""

    text: str
    numeric: bool = False
    badge: str | None = None  # a RAG status word, shown as a labelled badge
    # Entries shown as a list under `text` (a plan's activities, leads, measures ...).
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TableView:
    """A data table with header cells, optional totals row, caption and source."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]  # the first cell of each row is its row header
    totals: list[Cell] | None = None
    note: str | None = None
    source: str | None = None
    # Too many columns for a portrait page: the PDF prints it on a landscape page.
    wide: bool = False


@dataclass(frozen=True, kw_only=True)
class Series:
    """One data series of a chart; None marks a missing value."""

    name: str
    values: list[float | None]
    # Text shown instead of a value, by position: the disclosure symbol for a suppressed
    # count (its value is then None, so nothing is drawn).
    marks: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ChartSpec:
    """What a chart shows, independent of how it is drawn."""

    id: str
    title: str
    kind: Literal["bar", "hbar", "line"]  # vertical or horizontal (grouped) bars; a trend
    categories: list[str]
    series: list[Series]
    unit: Literal["count", "money", "percent", "rate_per_10k", "number"]
    value_axis: str  # axis label, e.g. "Amount (£)"


# The address of a chart's image on the print page: this prefix, then the chart's cache
# key (render/chartset.py serves it to the PDF engine; cache.py knows it is no file).
CHART_URL = "reportgen-chart:"


@dataclass(frozen=True, kw_only=True)
class ChartView:
    """A rendered chart: its markup, its text alternative and its data table."""

    id: str
    title: str
    alt: str
    # Inline SVG; for the print page, the <img> of it (render/chartset.py). Markup: drawn
    # by reportgen, so templates show it as it is, with no |safe (refused in projects).
    svg: Markup
    table: TableView
    # The same chart drawn for a phone's width (horizontal bars, larger text when shown
    # across 320 px); the page shows it instead of `svg` on narrow screens. None: no such
    # drawing (the print page's image).
    narrow: Markup | None = None


@dataclass(frozen=True, kw_only=True)
class Tile:
    """A key figure: the value, what it counts, and how it compares."""

    value: str
    label: str
    change: str | None = None  # e.g. "down from 304 in 2023/24"
    comparator: str | None = None  # e.g. "statistical neighbours 39.7"
    trend: Literal["better", "worse", "same", "neutral"] = "neutral"
    detail: str | None = None  # a line of context, e.g. "560 of 805 booked places"


@dataclass(frozen=True, kw_only=True)
class TilesView:
    id: str
    title: str
    tiles: list[Tile]


@dataclass(frozen=True, kw_only=True)
class ListItem:
    """A list entry: optional bold lead-in, then text (inline Markdown allowed)."""

    text: str
    title: str | None = None


@dataclass(frozen=True, kw_only=True)
class ListView:
    id: str
    title: str | None
    items: list[ListItem]
    ordered: bool = False


@dataclass(frozen=True, kw_only=True)
class CardPart:
    """A titled part of a card: a paragraph and/or a list."""

    heading: str
    text: str | None = None
    items: list[str] = field(default_factory=list)
    covers: str | None = None  # the areas it speaks for, in words: "Fernmoor and Coldwater"


@dataclass(frozen=True, kw_only=True)
class Card:
    """A structured record shown as a sub-section: a priority, review, audit, ..."""

    id: str
    title: str
    status: str | None = None  # RAG word, shown as a labelled badge
    meta: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs
    parts: list[CardPart] = field(default_factory=list)
    table: TableView | None = None
    # Printed on a landscape page (as a wide table is), e.g. with its neighbours' tables.
    wide: bool = False


@dataclass(frozen=True, kw_only=True)
class CardsView:
    id: str
    title: str | None
    cards: list[Card]


Block = TableView | ChartView | TilesView | ListView | CardsView


@dataclass(frozen=True, kw_only=True)
class TocEntry:
    id: str
    number: str
    title: str


@dataclass(frozen=True, kw_only=True)
class SectionView:
    id: str
    number: str  # "" when the section is not numbered
    title: str
    body: Markup  # rendered HTML of narrative and blocks (escaped by reportgen)


@dataclass(frozen=True, kw_only=True)
class ReportView:
    """Everything the page templates need."""

    title: str
    subtitle: str | None
    partnership: str
    partnership_short: str
    period: str | None  # the period's label; None for an undated kind of document
    language: str
    published: str | None
    primary_colour: str
    accent_colour: str
    logo: str | None  # data: URI of the logo, so the page is self-contained
    toc: list[TocEntry]
    sections: list[SectionView]
    chart_tables: list[ChartView]  # appendix: the data behind every chart
    generator: str
    glance: TilesView | None = None  # the "at a glance" page, when report.yaml asks for one
    glance_intro: str | None = None
    medium: Literal["screen", "print"] = "screen"  # print: the page WeasyPrint turns into PDF
    font_family: str = "Atkinson Hyperlegible"  # CSS family name of the report's typeface
    fonts: list[FontFace] = field(default_factory=list)  # embedded faces (@font-face)
    modified: str | None = None  # ISO 8601 date-time for PDF metadata (SOURCE_DATE_EPOCH)
    document: str = "yearly report"  # what the kind calls the document in running text


@dataclass(frozen=True, kw_only=True)
class FontFace:
    """One embedded face of the report's typeface."""

    family: str
    weight: int  # 400 regular, 700 bold
    style: Literal["normal", "italic"]
    src: str  # data: URI, so the page stays self-contained
    format: str  # CSS format(): woff2, truetype or opentype
    unicode_range: str | None = None
