"""Accessible, deterministic SVG bar charts drawn with matplotlib.

matplotlib is imported only inside `render_chart`, so importing this module (and
starting the CLI) stays fast. Drawing uses matplotlib's `Figure` with its SVG canvas
alone: pyplot is never imported.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import figures
from reportgen.colour import accessible_colour, contrast_ratio
from reportgen.render.chartsvg import clean_svg
from reportgen.views import Cell, ChartSpec, ChartView, Series, TableView

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WHITE = "#ffffff"
DARK_GREY = "#505a5f"
THIRD_COLOUR = "#00703c"  # a dark green, distinct in hue from most brand blues and reds
CATEGORY_TEXT = "_category"  # a category name's artist label (never in a legend: "_")
HATCHES = ("", "///", "xx", "---", "\\\\\\", "++", "|||")  # line hatches keep SVG small
INK = "#1b1b1b"
GRID = "#b1b4b6"

FIG_WIDTH_IN = 16 / 2.54  # fits an A4 page inside its margins
FONT_SIZE = 10
LABEL_WRAP = 28  # characters per line of a long category label
LONG_LIST = 12  # more categories than this: wider labels, thinner bars, so it fits a page


MAX_LABEL_LINES = 2  # longer names end in "…"; the data table and alt text give them in full


@dataclass(frozen=True)
class Shape:
    """How a chart is laid out: across the page and on paper, or on a phone."""

    width_in: float
    wrap: int  # characters per line of a category label beside a bar
    long_wrap: int  # the same, in a long list (more than LONG_LIST categories)
    lines: int  # lines of a category label at most
    legend_columns: int
    ticks: int  # intervals on the value axis, at most
    line_in: float = 0.17  # inches a line of a category label takes


WIDE = Shape(FIG_WIDTH_IN, LABEL_WRAP, 42, MAX_LABEL_LINES, 4, 6)
# A phone: always horizontal bars, 3.6 inches (259 points) wide, so that shown across a
# 320 px screen the 9-point value labels are 11 CSS px (WCAG 2.2 reflow, 1.4.10).
NARROW = Shape(3.6, 16, 20, 3, 1, 3, line_in=0.2)


def _label_wrap(spec: ChartSpec, shape: Shape = WIDE) -> int:
    return shape.long_wrap if len(spec.categories) > LONG_LIST else shape.wrap


def _short_label(text: str, width: int, most: int = MAX_LABEL_LINES) -> str:
    lines = textwrap.wrap(text, width, break_long_words=False) or [text]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" -,;:") + "…"
    return "\n".join(lines)


ALT_LIMIT = 600
ALT_TOP = 5
CATEGORY_HEADER = "Category"


# --- colour -----------------------------------------------------------------------


def palette(primary: str, accent: str) -> list[str]:
    """Bar colours: primary, accent, dark grey, a third colour; all >= 3:1 against white."""
    return [accessible_colour(c) for c in (primary, accent, DARK_GREY, THIRD_COLOUR)]


# --- numbers ----------------------------------------------------------------------


def format_value(value: float | None, unit: str) -> str:
    """A value as the report writes it: 1,286; £5,000; 53% or 4.9%; 32.1; 'n/a' for None."""
    if value is None:
        return "n/a"
    number = Decimal(str(value))  # str() gives the shortest form, so 32.1 stays 32.1
    if number == number.to_integral_value():
        number = number.to_integral_value()
    if unit == "money":
        return figures.money(number)
    if unit == "percent":
        if number == number.to_integral_value():
            return figures.percent(number)
        return figures.percent(number, 1)
    return figures.count(number)  # count, rate_per_10k and number: as typed, with commas


# --- text alternative -------------------------------------------------------------


def _names(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _extremes(spec: ChartSpec) -> str:
    """'Highest: A (£5). Lowest: B (£1).' over every value; '' if fewer than two differ."""
    multi = len(spec.series) > 1
    points = [
        (value, f"{category}, {s.name}" if multi else category)
        for s in spec.series
        for category, value in zip(spec.categories, s.values, strict=True)
        if value is not None
    ]
    values = {value for value, _ in points}
    if len(values) < 2:
        return ""
    parts = []
    for word, target in (("Highest", max(values)), ("Lowest", min(values))):
        names = [name for value, name in points if value == target]
        parts.append(f"{word}: {_names(names)} ({format_value(target, spec.unit)}).")
    return " ".join(parts)


def value_text(series: Series, index: int, unit: str) -> str:
    """A value as shown: its mark (the disclosure symbol) when it has one."""
    return series.marks.get(index) or format_value(series.values[index], unit)


def _entries(spec: ChartSpec) -> list[str]:
    """One phrase per category; a single series is listed from highest to lowest."""
    if len(spec.series) == 1 and spec.kind != "line":  # a trend reads in year order
        only = spec.series[0]
        order = sorted(
            range(len(spec.categories)),
            key=lambda i: (only.values[i] is None, -(only.values[i] or 0.0)),
        )  # stable: ties keep their order
        return [f"{spec.categories[i]} {value_text(only, i, spec.unit)}" for i in order]
    return [
        f"{category}: " + ", ".join(f"{s.name} {value_text(s, i, spec.unit)}" for s in spec.series)
        for i, category in enumerate(spec.categories)
    ]


def alt_text(spec: ChartSpec) -> str:
    """A plain-English description of the chart, from its data, of about 600 characters at most."""
    kind = {"bar": "Bar chart", "hbar": "Horizontal bar chart", "line": "Line chart"}[spec.kind]
    intro = f"{kind}: {spec.title}."  # the title as written: it may start with a proper noun
    if len(spec.series) > 1:
        intro += f" Series: {_names([s.name for s in spec.series])}."
    extremes = _extremes(spec)
    entries = _entries(spec)

    def compose(shown: int) -> str:
        listed = "; ".join(entries[:shown])
        others = len(entries) - shown
        if others:
            leader = "Top" if len(spec.series) == 1 else "First"
            listed = f"{leader} {shown}: {listed}; and {others} other{'s' if others > 1 else ''}"
        return " ".join(part for part in (intro, listed + "." if listed else "", extremes) if part)

    text = compose(len(entries))
    shown = min(ALT_TOP, len(entries))
    while len(text) > ALT_LIMIT and shown >= 1:
        text = compose(shown)
        shown -= 1
    return text


# --- data table -------------------------------------------------------------------


def data_table(spec: ChartSpec) -> TableView:
    """The figures behind the chart, one row per category."""
    rows = [
        [Cell(text=category)]
        + [Cell(text=value_text(s, i, spec.unit), numeric=True) for s in spec.series]
        for i, category in enumerate(spec.categories)
    ]
    return TableView(
        id=f"{spec.id}-data",
        caption=f"Data for chart: {spec.title}",
        columns=[CATEGORY_HEADER, *(s.name for s in spec.series)],
        rows=rows,
    )


# --- drawing ----------------------------------------------------------------------


def _check(spec: ChartSpec) -> None:
    if spec.kind not in ("bar", "hbar", "line"):
        raise ValueError(f"chart {spec.id}: unknown kind {spec.kind!r}")
    if not spec.categories:
        raise ValueError(f"chart {spec.id}: no categories")
    if not spec.series:
        raise ValueError(f"chart {spec.id}: no data series")
    for s in spec.series:
        if len(s.values) != len(spec.categories):
            raise ValueError(
                f"chart {spec.id}: series {s.name!r} has {len(s.values)} values "
                f"for {len(spec.categories)} categories"
            )


def _tick_label(value: float, unit: str) -> str:
    if unit == "money":
        return figures.money(Decimal(str(round(value, 2))))
    if unit == "percent":
        return format_value(round(value, 1), unit)
    return format_value(round(value, 6), unit)


def _draw(ax: Axes, spec: ChartSpec, colours: list[str], shape: Shape = WIDE) -> list[str]:
    """Grouped bars, value labels, axis labels and (for 2+ series) a legend; returns the
    category labels as shown (wrapped, shortened)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if spec.kind == "line":
        return _draw_line(ax, spec, colours)
    horizontal = spec.kind == "hbar"
    n = len(spec.series)
    group = 0.8
    width = group / n
    wrap = (
        _label_wrap(spec, shape)
        if horizontal
        else max(8, min(LABEL_WRAP, 90 // max(1, len(spec.categories))))
    )
    labels = [_short_label(c, wrap, shape.lines) for c in spec.categories]

    for i, s in enumerate(spec.series):
        positions = [k - group / 2 + width * (i + 0.5) for k in range(len(spec.categories))]
        heights = [0.0 if v is None else v for v in s.values]
        style: dict[str, Any] = {
            "color": colours[i % len(colours)],
            "edgecolor": WHITE,  # also the hatch colour: white lines read on a dark fill
            "linewidth": 0.8,
            "hatch": HATCHES[i % len(HATCHES)] if n > 1 else None,
            "label": s.name,
            "zorder": 2,
        }
        if horizontal:
            bars = ax.barh(positions, heights, height=width, **style)
        else:
            bars = ax.bar(positions, heights, width=width, **style)
        for bar, value in zip(bars, s.values, strict=True):
            if value is None:
                bar.set_visible(False)  # no bar for a missing value, only its "n/a" label
        ax.bar_label(
            bars,
            labels=[value_text(s, k, spec.unit) for k in range(len(s.values))],
            padding=3,
            fontsize=FONT_SIZE - 1,
            color=INK,
        )

    value_axis = ax.xaxis if horizontal else ax.yaxis
    _category_labels(ax, labels, horizontal)
    value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick_label(v, spec.unit)))
    value_axis.set_major_locator(
        MaxNLocator(nbins=shape.ticks, min_n_ticks=3, integer=spec.unit == "count")
    )
    if horizontal:
        ax.set_xlabel(spec.value_axis)
        ax.set_ylim(len(spec.categories) - 0.5, -0.5)  # first category at the top
        ax.margins(x=0.16)  # room for the value labels
        ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    else:
        ax.set_ylabel(spec.value_axis)
        ax.set_xlim(-0.5, len(spec.categories) - 0.5)
        ax.margins(y=0.1)
        ax.grid(axis="y", color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if n > 1:
        _legend(ax, n, shape)
    return labels


def _legend(ax: Axes, series: int, shape: Shape) -> None:
    """The series' names above the axes (a new legend replaces the axes' last one)."""
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=min(series, shape.legend_columns),
        frameon=False,
        handlelength=2.2,
        handleheight=1.2,
        borderaxespad=0,
    )


def _reshape(fig: Figure, ax: Axes, spec: ChartSpec, shape: Shape) -> list[str]:
    """The chart drawn in one shape, laid out in another: its size, and for bars its
    category names, value ticks and legend (the bars and their values stay as drawn).
    Drawing it again took a quarter more time (axes, bars, labels made anew)."""
    from matplotlib.ticker import MaxNLocator

    fig.set_size_inches(shape.width_in, _figure_height(spec, shape))
    if spec.kind == "line":  # drawn the same in every shape
        return list(spec.categories)
    for text in [t for t in ax.texts if t.get_label() == CATEGORY_TEXT]:
        text.remove()
    labels = [_short_label(c, _label_wrap(spec, shape), shape.lines) for c in spec.categories]
    _category_labels(ax, labels, spec.kind == "hbar")
    (ax.xaxis if spec.kind == "hbar" else ax.yaxis).set_major_locator(
        MaxNLocator(nbins=shape.ticks, min_n_ticks=3, integer=spec.unit == "count")
    )
    if len(spec.series) > 1:
        _legend(ax, len(spec.series), shape)
    return labels


def _category_labels(ax: Axes, labels: list[str], horizontal: bool) -> None:
    """Each category's name where its tick label was (TICK_PAD from the axes, no mark): a
    text, not a tick of five artists laid out again when drawn (a fifth of the time)."""
    from matplotlib.transforms import ScaledTranslation

    shift, fig, tag = TICK_PAD / 72, ax.get_figure(root=True), CATEGORY_TEXT  # inches
    assert fig is not None
    inches = fig.dpi_scale_trans
    if horizontal:
        ax.yaxis.set_ticks([])
        where = ax.get_yaxis_transform() + ScaledTranslation(-shift, 0, inches)
        for k, label in enumerate(labels):  # as a y tick label: right, centred on its line
            ax.text(0, k, label, transform=where, ha="right", va="center_baseline", label=tag)
    else:
        ax.xaxis.set_ticks([])
        where = ax.get_xaxis_transform() + ScaledTranslation(0, -shift, inches)
        for k, label in enumerate(labels):  # as an x tick label: centred, below the axes
            ax.text(k, 0, label, transform=where, ha="center", va="top", label=tag)


def _draw_line(ax: Axes, spec: ChartSpec, colours: list[str]) -> list[str]:
    """A trend: one marked line per series over the years, broken where a year is not held."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    top = 0.0
    for i, s in enumerate(spec.series):
        colour = colours[i % len(colours)]
        xs = list(range(len(spec.categories)))
        ys = [float("nan") if v is None else v for v in s.values]  # nan: a gap in the line
        held = [(x, v) for x, v in zip(xs, s.values, strict=True) if v is not None]
        # A dotted line across a year with no figure: the trend is not known there.
        ax.plot(*zip(*held, strict=True), color=colour, linewidth=1.2, linestyle=":")
        ax.plot(xs, ys, color=colour, marker="o", linewidth=2, label=s.name)
        top = max([top, *(v for _, v in held)])
        for x, value in enumerate(s.values):
            ax.annotate(
                value_text(s, x, spec.unit),
                (x, 0.0 if value is None else value),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=FONT_SIZE - 1,
                color=INK,
            )
    ax.xaxis.set_ticks(range(len(spec.categories)), spec.categories)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick_label(v, spec.unit)))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, min_n_ticks=3, integer=spec.unit == "count"))
    ax.set_ylabel(spec.value_axis)
    # From zero, so a small change does not look like a large one; room above for labels.
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_xlim(-0.5, len(spec.categories) - 0.5)  # a slot per year, as for columns
    ax.grid(axis="y", color=GRID, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(spec.series) > 1:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), frameon=False, borderaxespad=0)
    return list(spec.categories)


# Matplotlib's defaults for what sits around the axes, in points (rcParams): the gap
# between a tick and its label, a tick's length, an axis label's gap, a line of text.
TICK_PAD = 3.5
TICK_LENGTH = 3.5
LABEL_PAD = 4.0
LINE = 1.2  # line height, in font sizes
EDGE = 4.0  # blank points at the figure's edge
KERNING_SLACK = 3.0  # points: the most kerning narrows a label in the glyph table's sum


def _fit_axes(
    fig: Figure, ax: Axes, spec: ChartSpec, labels: list[str], shape: Shape = WIDE
) -> None:
    """Place the axes so every label fits, from the labels' own sizes.

    Constrained layout found the same margins by measuring every text of a drawn figure
    and drawing it again: two thirds of a chart's time. Here the widths come from the
    font's glyph table (`render/chartfont.py`), and the figure is drawn once.
    """
    from matplotlib.font_manager import FontProperties

    from reportgen.render.chartfont import Measure, exact_size

    fonts, measure = {s: FontProperties(size=s) for s in (FONT_SIZE, FONT_SIZE - 1)}, Measure()

    def width(text: str, size: int) -> float:
        return max(measure.size(line, fonts[size])[0] for line in text.split("\n"))

    def widest(texts: list[str], size: int) -> float:
        """The widest of `texts`, exact: the table leaves out kerning (a point or two), so
        the lines it finds within that of the widest are measured by FreeType."""
        lines = {line: width(line, size) for text in texts for line in text.split("\n")}
        top = max(lines.values())
        near = [line for line, w in lines.items() if w >= top - KERNING_SLACK]
        return max(exact_size(line, fonts[size])[0] for line in near)

    horizontal = spec.kind == "hbar"
    value_axis = ax.xaxis if horizontal else ax.yaxis
    low, high = ax.get_xlim() if horizontal else ax.get_ylim()
    low, high = min(low, high), max(low, high)
    ticks = [t for t in value_axis.get_majorticklocs() if low - 1e-9 <= t <= high + 1e-9]
    tick_texts = [_tick_label(t, spec.unit) for t in ticks] or [""]
    line = FONT_SIZE * LINE
    fig_w, fig_h = (size * 72 for size in fig.get_size_inches())
    n = len(spec.series)
    legend = 0.0
    if n > 1:  # above the axes: rows of handles 1.2 font sizes high, 0.5 apart, 0.4 padding
        rows = -(-n // shape.legend_columns)
        legend = FONT_SIZE * (rows * 1.2 + (rows - 1) * 0.5 + 0.8) + 0.01 * fig_h
    if horizontal:
        left = EDGE + widest(labels, FONT_SIZE) + TICK_PAD
        bottom = EDGE + line + LABEL_PAD + line + TICK_PAD + TICK_LENGTH
        right = EDGE + max(width(t, FONT_SIZE) for t in tick_texts[-1:]) / 2
        top = EDGE + max(legend, line / 2)
    else:
        left = EDGE + line + LABEL_PAD + widest(tick_texts, FONT_SIZE)
        left += TICK_PAD + TICK_LENGTH
        lines = max(label.count("\n") + 1 for label in labels)
        bottom = EDGE + lines * line + TICK_PAD
        slot = (fig_w - left - EDGE) / len(labels)  # the room each category has
        right = EDGE + max(0.0, width(labels[-1], FONT_SIZE) / 2 - slot / 2)
        top = EDGE + max(legend, line / 2)
    # A value label past the end of its bar must fit too: widen the margin on that side
    # until the longest one does (the axes shrink as the margin grows, so a few rounds).
    span = high - low or 1.0
    need = [  # (where the bar ends, as a share of the axes; the label's length there)
        (
            (max(value, 0.0) - low) / span,
            TICK_PAD + (width(value_text(s, k, spec.unit), FONT_SIZE - 1) if horizontal else line),
        )
        for s in spec.series
        for k, value in enumerate(s.values)
        if value is not None
    ]
    for _ in range(3):
        room = fig_w - left - right if horizontal else fig_h - bottom - top
        over = max((end * room + size - room for end, size in need), default=0.0)
        spare = right - EDGE if horizontal else top - EDGE - legend
        if over <= spare:
            break
        if horizontal:
            right = over + EDGE
        else:
            top = over + EDGE + legend
    fig.subplots_adjust(
        left=left / fig_w, right=1 - right / fig_w, bottom=bottom / fig_h, top=1 - top / fig_h
    )


def _figure_height(spec: ChartSpec, shape: Shape = WIDE) -> float:
    """Inches: a fixed height for column charts; grows with categories and series for bars."""
    legend_rows = 0 if len(spec.series) < 2 else -(-len(spec.series) // shape.legend_columns)
    if spec.kind in ("bar", "line"):
        return 3.4 + 0.25 * legend_rows
    wrap = _label_wrap(spec, shape)
    lines = sum(_short_label(c, wrap, shape.lines).count("\n") + 1 for c in spec.categories)
    bar = 0.14 if len(spec.categories) > LONG_LIST else 0.2
    per_category = 0.1 + bar * len(spec.series)
    body = max(
        len(spec.categories) * per_category, lines * shape.line_in + 0.1 * len(spec.categories)
    )
    return max(1.8, body + 0.7 + 0.25 * legend_rows)


# --- entry point ------------------------------------------------------------------

_REGISTERED_FONTS: set[Path] = set()  # font files already known to matplotlib


def render_chart(
    spec: ChartSpec,
    primary: str,
    accent: str,
    font_family: str = "DejaVu Sans",
    font_files: Sequence[Path] = (),
) -> ChartView:
    """Draw `spec` as accessible inline SVG, with its alt text and data table.

    `font_files` (TrueType/OpenType) are measured for layout; the SVG names
    `font_family`, which the page embeds, so labels fit in every output. The chart
    comes in two shapes: `svg` for the page and paper, `narrow` for a phone.
    """
    from matplotlib import font_manager

    _check(spec)
    for path in font_files:
        if path not in _REGISTERED_FONTS:
            font_manager.fontManager.addfont(str(path))
            _REGISTERED_FONTS.add(path)
    colours = palette(primary, accent)
    alt = alt_text(spec)
    # On a phone, the same figures as horizontal bars in a narrow figure (chosen by CSS);
    # a trend stays a line, narrower. A chart already drawn that way is laid out again.
    narrow_spec = spec if spec.kind == "line" else replace(spec, kind="hbar")
    with _style(spec, font_family):
        fig, ax, labels = _figure(spec, colours, WIDE)
        wide = _svg(fig, ax, spec, labels, alt, WIDE)
        if narrow_spec.kind == spec.kind:
            labels = _reshape(fig, ax, spec, NARROW)
        else:
            fig, ax, labels = _figure(narrow_spec, colours, NARROW)
        narrow = _svg(fig, ax, narrow_spec, labels, alt, NARROW)
    return ChartView(
        id=spec.id,
        title=spec.title,
        alt=alt,
        svg=Markup(wide),
        table=data_table(spec),
        narrow=Markup(narrow),
    )


def _style(spec: ChartSpec, font_family: str) -> AbstractContextManager[None]:
    """matplotlib's settings for drawing `spec` (its own, whatever the caller's are)."""
    import matplotlib

    # Passed inline so type checkers see the literal rcParams keys.
    return matplotlib.rc_context(
        {
            "svg.hashsalt": spec.id,
            # Labels come from the data: "$5k vs $10k" is text, never mathtext (which
            # drops the dollars, or fails on an unknown command).
            "text.parse_math": False,
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": [font_family, "DejaVu Sans", "Liberation Sans", "Arial"],
            "font.size": FONT_SIZE,
            "text.color": INK,
            "axes.labelcolor": INK,
            "axes.edgecolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "hatch.linewidth": 1.0,
            "savefig.facecolor": WHITE,
        }
    )


def _figure(spec: ChartSpec, colours: list[str], shape: Shape) -> tuple[Figure, Axes, list[str]]:
    """The chart drawn in one shape, with its category labels as shown."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from reportgen.render.chartfont import measured_figure

    # The object-oriented API with one backend: no pyplot (no global figure registry,
    # no GUI backend lookup); the texts are measured from the font's glyph table
    # (render/chartfont.py), so no other canvas is ever made.
    fig = measured_figure()(figsize=(shape.width_in, _figure_height(spec, shape)))
    FigureCanvasSVG(fig)
    ax = fig.add_subplot()
    return fig, ax, _draw(ax, spec, colours, shape)


def _svg(fig: Figure, ax: Axes, spec: ChartSpec, labels: list[str], alt: str, shape: Shape) -> str:
    """The figure laid out for `shape`, as clean SVG."""
    import io

    _fit_axes(fig, ax, spec, labels, shape)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return clean_svg(buffer.getvalue(), spec, alt, narrow=shape is NARROW)


__all__ = [
    "accessible_colour",
    "alt_text",
    "contrast_ratio",
    "data_table",
    "format_value",
    "palette",
    "render_chart",
]
