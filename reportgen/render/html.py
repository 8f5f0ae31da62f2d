"""Render the report page: narrative + blocks through Jinja templates.

Templates are looked up in the project's own `templates/` first, then in the
package's defaults; `default:NAME` always reaches the packaged original, so a
project template can extend the block it replaces.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import replace
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from reportgen import __version__
from reportgen.derive import Derived
from reportgen.project import Project
from reportgen.render.markdown import render_inline, render_narrative
from reportgen.views import (
    CardsView,
    ChartSpec,
    ChartView,
    ListView,
    ReportView,
    SectionView,
    TableView,
    TilesView,
    TocEntry,
)

BLOCK_TEMPLATES = {
    TableView: "blocks/table.html",
    ChartView: "blocks/chart.html",
    TilesView: "blocks/tiles.html",
    ListView: "blocks/list.html",
    CardsView: "blocks/cards.html",
}


def make_environment(project_root: Path | None) -> SandboxedEnvironment:
    """Jinja environment: project templates, then packaged defaults, 'default:' prefix."""
    packaged = PackageLoader("reportgen", "templates")
    loaders: list[BaseLoader] = []
    if project_root is not None and (project_root / "templates").is_dir():
        loaders.append(FileSystemLoader(str(project_root / "templates")))
    loaders.append(packaged)
    env = SandboxedEnvironment(
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


def render_charts(derived: Derived, primary: str, accent: str) -> dict[str, ChartView]:
    """Draw every chart in `derived` (matplotlib is imported only when there is one)."""
    specs = {k: b for k, b in derived.blocks.items() if isinstance(b, ChartSpec)}
    if not specs:
        return {}
    from reportgen.render.charts import render_chart

    return {key: render_chart(spec, primary, accent) for key, spec in specs.items()}


def _logo_data_uri(project: Project) -> str | None:
    logo = project.config.theme.logo
    if not logo:
        return None
    path = project.root / logo
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def render_report(project: Project, derived: Derived) -> str:
    """The complete, self-contained HTML page of the report."""
    cfg = project.config
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
    charts = render_charts(
        Derived(blocks=dict(specs)), cfg.theme.primary_colour, cfg.theme.accent_colour
    )
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
        return template.render(block=block, kind=kind)

    sections: list[SectionView] = []
    toc: list[TocEntry] = []
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
        primary_colour=cfg.theme.primary_colour,
        accent_colour=cfg.theme.accent_colour,
        logo=_logo_data_uri(project),
        toc=toc,
        sections=sections,
        chart_tables=chart_order,
        generator=f"reportgen {__version__}",
    )
    css = env.get_template("report.css").render(report=view)
    return env.get_template("report.html").render(report=view, css=Markup(css))
