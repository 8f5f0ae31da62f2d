"""Render the report page: narrative + blocks through Jinja templates.

Templates are looked up in the project's own `templates/` first, then in the
package's defaults; `default:NAME` always reaches the packaged original, so a
project template can extend the block it replaces.

The page comes in two media from the same templates: `screen` is the published HTML;
`print` is what WeasyPrint turns into the PDF (TrueType fonts, each chart an image with
its full text alternative as alt, which WeasyPrint writes as the Figure's /Alt).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from dataclasses import replace
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
from reportgen.derive import BlockKey, Derived
from reportgen.diagnostics import Diagnostic, ReportgenError
from reportgen.glance import GLANCE_ID
from reportgen.project import Project
from reportgen.render.markdown import render_inline, render_narrative
from reportgen.render.sandbox import ConfinedLoader, ReportSandbox
from reportgen.theme import ResolvedTheme, logo_data_uri, resolve_theme
from reportgen.views import (
    CardsView,
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
    from reportgen.render.chartset import ChartSet  # `validate` compiles templates without it

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
    env.filters["css_string"] = css_string
    env.filters["rag_class"] = lambda word: "rag-" + str(word).lower().replace(" ", "-")
    return env


def css_string(text: object) -> Markup:
    """`text` as a quoted CSS string. Markup, so it must stay inert in HTML too (a project
    template could use it there): quotes, backslashes and <>& are CSS escapes."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in "\"\\<>&'" else " " if c in "\r\n\f" else c for c in str(text)
    )
    return Markup(f'"{escaped}"')


# Compiled templates are reused while the templates are unchanged: by the print and the
# screen page of a build, and by every rebuild in `serve`. The key is the project's
# templates/ folder as it is (names, sizes, times), so an override added, edited or
# deleted gets a new environment; Jinja also checks each template it reuses.
_ENVIRONMENTS: OrderedDict[tuple[object, ...], SandboxedEnvironment] = OrderedDict()


def _templates_state(project_root: Path | None) -> tuple[object, ...]:
    folder = project_root / "templates" if project_root is not None else None
    if folder is None or not folder.is_dir():
        return ()
    state: list[tuple[str, int, int, int]] = []
    for here, dirs, files in os.walk(folder):  # never follows a link out
        dirs.sort()
        for name in sorted([*dirs, *files]):
            path = Path(here, name)
            try:
                st = path.lstat()
            except OSError:
                continue
            rel = path.relative_to(folder).as_posix()
            state.append((rel, st.st_size, st.st_mtime_ns, st.st_mode))
    return tuple(state)


def report_environment(project_root: Path | None) -> SandboxedEnvironment:
    """`make_environment`, reused while the project's templates stay the same."""
    key = (project_root, _templates_state(project_root))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = make_environment(project_root)
        while len(_ENVIRONMENTS) > 4:
            _ENVIRONMENTS.popitem(last=False)
    return env


def check_templates(project_root: Path) -> list[Diagnostic]:
    """Compile every template of the project's templates/ folder, so `validate` finds
    their syntax errors, refused constructs and literal addresses at their lines."""
    folder = project_root / "templates"
    if not folder.is_dir():
        return []
    env = report_environment(project_root)
    found: list[Diagnostic] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".html", ".css") or path.is_dir():
            continue  # the kinds of the packaged templates; anything else is never a page
        try:
            env.get_template(path.relative_to(folder).as_posix())
        except ReportgenError as exc:
            found.extend(d for d in exc.diagnostics if d not in found)
    return found


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as an ISO 8601 UTC date-time, for reproducible PDF metadata."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def font_faces(theme: ResolvedTheme, medium: Medium) -> list[FontFace]:
    """The theme's typeface for `medium`, each face embedded as a data: URI."""
    files = theme.print_fonts if medium == "print" else theme.screen_fonts
    return [
        FontFace(
            family=theme.font_family,
            weight=f.weight,
            style=f.style,
            src=f.data_uri(),
            format=f.format,
            unicode_range=f.unicode_range,
        )
        for f in files
    ]


def render_report(
    project: Project,
    derived: Derived,
    *,
    medium: Medium = "screen",
    cache: BuildCache | None = None,
    charts: ChartSet | None = None,
) -> str:
    """The complete, self-contained HTML page of the report, for `medium`.

    `charts` are the report's charts (`ChartSet.of_report`), made here when not given.
    The screen page shows each as inline SVG; the print page as an image that the PDF
    engine fetches from the same set (see reportgen/render/chartset.py).
    """
    from reportgen.cache import BuildCache
    from reportgen.render.chartset import ChartSet

    cfg = project.config
    theme = resolve_theme(project)
    env = report_environment(project.root)
    if charts is None:
        charts = ChartSet.of_report(project, derived, cache or BuildCache.disabled())
    chart_order: list[ChartView] = []

    def render_block(kind: str, target: str) -> str:
        key = BlockKey(kind, target)
        block: object = derived.blocks[key]
        if key in charts:
            block = charts.print_view(key) if medium == "print" else charts.view(key)
        if isinstance(block, ChartView):
            number = len(chart_order) + 1
            # Number the chart's data table for the appendix, in reading order.
            block = replace(
                block, table=replace(block.table, caption=f"Table A{number}: {block.table.caption}")
            )
            chart_order.append(block)
        template = env.get_template(BLOCK_TEMPLATES[type(block)])
        return template.render(block=block, kind=kind, medium=medium)

    def figure_source(target: str) -> str | None:
        figure = derived.ledger.find(target)
        if figure is None:
            return None
        if figure.withheld:
            return f"Withheld to protect children's privacy; {figure.provenance}"
        return figure.provenance[:1].upper() + figure.provenance[1:]

    glance = derived.glance  # built by the pipeline (`check_glance`)
    sections: list[SectionView] = []
    toc: list[TocEntry] = []
    if glance is not None:
        toc.append(TocEntry(id=GLANCE_ID, number="", title=glance.title))
    number = 0
    for section in cfg.sections:
        source = project.narrative[section.id]
        body = render_narrative(
            source, section.id, derived.references.__getitem__, render_block, figure_source
        )
        label = ""
        if section.numbered:
            number += 1
            label = str(number)
        sections.append(
            SectionView(id=section.id, number=label, title=section.title, body=Markup(body))
        )
        toc.append(TocEntry(id=section.id, number=label, title=section.title))

    view = ReportView(
        title=cfg.title,
        subtitle=cfg.subtitle,
        partnership=cfg.partnership.name,
        partnership_short=cfg.partnership.short_name,
        # A period the source does not print (`stated: false`) is not printed on the cover.
        period=project.period.label
        if project.period and getattr(getattr(cfg, "period", None), "stated", True)
        else None,
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
        fonts=font_faces(theme, medium),
        modified=source_date() if medium == "print" else None,
        document=project.kind.wording.document,
    )
    css = env.get_template("report.css").render(report=view)
    print_css = env.get_template("print.css").render(report=view)
    return env.get_template(project.kind.template).render(
        report=view, css=Markup(css), print_css=Markup(print_css)
    )
