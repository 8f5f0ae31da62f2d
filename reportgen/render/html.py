"""Render the report page: narrative + blocks through Jinja templates.

Templates are looked up in the project's own `templates/` first, then in the
package's defaults; `default:NAME` always reaches the packaged original, so a
project template can extend the block it replaces.

The page comes in two media from the same templates: `screen` is the published HTML;
`print` is what WeasyPrint turns into the PDF (TrueType fonts, each chart's full text
alternative as its SVG title, which WeasyPrint writes as the Figure's /Alt).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import OrderedDict
from dataclasses import replace
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from reportgen import __version__
from reportgen.derive import Derived
from reportgen.glance import GLANCE_ID, glance_view
from reportgen.project import Project
from reportgen.render.markdown import render_inline, render_narrative
from reportgen.render.sandbox import ConfinedLoader, ReportSandbox
from reportgen.theme import ResolvedTheme, logo_data_uri, resolve_theme
from reportgen.views import (
    CardsView,
    ChartSpec,
    ChartView,
    FontFace,
    ListView,
    ReportView,
    SectionView,
    TableView,
    TilesView,
    TocEntry,
)

if TYPE_CHECKING:
    from reportgen.cache import BuildCache

BLOCK_TEMPLATES = {
    TableView: "blocks/table.html",
    ChartView: "blocks/chart.html",
    TilesView: "blocks/tiles.html",
    ListView: "blocks/list.html",
    CardsView: "blocks/cards.html",
}

Medium = Literal["screen", "print"]


def make_environment(project_root: Path | None) -> SandboxedEnvironment:
    """Jinja environment: project templates, then packaged defaults, 'default:' prefix."""
    packaged = PackageLoader("reportgen", "templates")
    loaders: list[BaseLoader] = []
    if project_root is not None and (project_root / "templates").is_dir():
        loaders.append(ConfinedLoader(project_root / "templates"))
    loaders.append(packaged)
    env = ReportSandbox(
        project_root=project_root,
        loader=ChoiceLoader([PrefixLoader({"default": packaged}, delimiter=":"), *loaders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline_md"] = lambda text: Markup(render_inline(str(text)))
    env.filters["css_string"] = lambda text: Markup(
        '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    )
    env.filters["rag_class"] = lambda word: "rag-" + str(word).lower().replace(" ", "-")
    return env


# Charts are drawn once per content: the screen and print pages share them, and a
# long-running `serve` redraws only what changed. Bounded, so memory stays flat.
_CHART_CACHE: OrderedDict[str, ChartView] = OrderedDict()
_CHART_CACHE_SIZE = 128


def render_charts(
    derived: Derived, theme: ResolvedTheme, cache: BuildCache | None = None
) -> dict[str, ChartView]:
    """Draw every chart in `derived` (matplotlib is imported only when there is one).

    With a `cache`, a chart drawn by an earlier build is read from disk instead.
    """
    specs = {k: b for k, b in derived.blocks.items() if isinstance(b, ChartSpec)}
    if not specs:
        return {}
    from reportgen.render.charts import render_chart

    fonts = [f.path for f in theme.print_fonts]
    charts: dict[str, ChartView] = {}
    for key, spec in specs.items():
        cache_key = repr((spec, theme.primary, theme.accent, theme.font_family, fonts))
        chart = _CHART_CACHE.get(cache_key)
        if chart is None:
            draw = partial(
                render_chart, spec, theme.primary, theme.accent, theme.font_family, fonts
            )
            if cache is None:
                chart = draw()
            else:
                chart = cache.chart(
                    spec, theme.primary, theme.accent, theme.font_family, fonts, draw
                )
            _CHART_CACHE[cache_key] = chart
            while len(_CHART_CACHE) > _CHART_CACHE_SIZE:
                _CHART_CACHE.popitem(last=False)
        _CHART_CACHE.move_to_end(cache_key)
        charts[key] = chart
    return charts


def _print_chart(chart: ChartView) -> ChartView:
    """The chart with its whole text alternative as the SVG title (WeasyPrint's /Alt)."""
    title = re.compile(rf'<title id="{re.escape(chart.id)}-title">.*?</title>', re.DOTALL)
    svg, found = title.subn(
        lambda _m: f'<title id="{chart.id}-title">{escape(chart.alt, quote=False)}</title>',
        chart.svg,
        1,
    )
    if not found:
        raise ValueError(f"chart {chart.id}: no <title> to carry its text alternative")
    return replace(chart, svg=svg)


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as an ISO 8601 UTC date-time, for reproducible PDF metadata."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fonts(theme: ResolvedTheme, medium: Medium) -> list[FontFace]:
    files = theme.print_fonts if medium == "print" else theme.screen_fonts
    return [
        FontFace(theme.font_family, f.weight, f.style, f.data_uri(), f.format, f.unicode_range)
        for f in files
    ]


def render_report(
    project: Project,
    derived: Derived,
    *,
    medium: Medium = "screen",
    cache: BuildCache | None = None,
) -> str:
    """The complete, self-contained HTML page of the report, for `medium`."""
    cfg = project.config
    theme = resolve_theme(project)
    env = make_environment(project.root)
    used_charts = {
        f"{ref.kind} {ref.target}"
        for source in project.narrative.values()
        for ref in source.refs
        if ref.kind == "chart"
    }
    specs = {
        k: v for k, v in derived.blocks.items() if k in used_charts and isinstance(v, ChartSpec)
    }
    charts = render_charts(Derived(blocks=dict(specs)), theme, cache)
    if medium == "print":
        charts = {key: _print_chart(chart) for key, chart in charts.items()}
    chart_order: list[ChartView] = []

    def render_block(kind: str, target: str) -> str:
        key = f"{kind} {target}"
        block = charts.get(key) or derived.blocks[key]
        if isinstance(block, ChartView):
            number = len(chart_order) + 1
            # Number the chart's data table for the appendix, in reading order.
            block = replace(
                block, table=replace(block.table, caption=f"Table A{number}: {block.table.caption}")
            )
            chart_order.append(block)
        template = env.get_template(BLOCK_TEMPLATES[type(block)])
        return template.render(block=block, kind=kind, medium=medium)

    glance = glance_view(project, derived)
    sections: list[SectionView] = []
    toc: list[TocEntry] = []
    if glance is not None:
        toc.append(TocEntry(GLANCE_ID, "", glance.title))
    number = 0
    for section in cfg.sections:
        source = project.narrative[section.id]
        body = render_narrative(source, section.id, derived.references.__getitem__, render_block)
        label = ""
        if section.numbered:
            number += 1
            label = str(number)
        sections.append(SectionView(section.id, label, section.title, body))
        toc.append(TocEntry(section.id, label, section.title))

    view = ReportView(
        title=cfg.title,
        subtitle=cfg.subtitle,
        partnership=cfg.partnership.name,
        partnership_short=cfg.partnership.short_name,
        period=cfg.period.label,
        language=cfg.language,
        published=(f"{cfg.published.day} {cfg.published:%B %Y}" if cfg.published else None),
        primary_colour=theme.primary,
        accent_colour=theme.accent,
        logo=logo_data_uri(theme.logo) if theme.logo else None,
        toc=toc,
        sections=sections,
        chart_tables=chart_order,
        generator=f"reportgen {__version__}",
        glance=glance,
        glance_intro=cfg.at_a_glance.intro if cfg.at_a_glance else None,
        medium=medium,
        font_family=theme.font_family,
        fonts=_fonts(theme, medium),
        modified=source_date() if medium == "print" else None,
    )
    css = env.get_template("report.css").render(report=view)
    print_css = env.get_template("print.css").render(report=view)
    return env.get_template("report.html").render(
        report=view, css=Markup(css), print_css=Markup(print_css)
    )
