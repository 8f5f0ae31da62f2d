"""Links, images and charts in narrative: every link lands, every image is described.

Runs after derive, because the ids of tables, charts and cards are made there.
"""

from __future__ import annotations

import difflib
import re
from importlib import resources

from reportgen.derive import BlockKey, Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.identifiers import anchor
from reportgen.project import Project, reference_sources
from reportgen.views import CardsView, ChartSpec, ListView, TableView, TilesView

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_BROKEN_LINK = Code(
    "content.broken-link",
    Severity.ERROR,
    "An internal link points at nothing",
    """
    A link to `#id` must name a section id from report.yaml, a heading in the report
    or a block; a link with no target, or to a file that does not exist, is broken.
    """,
)
CONTENT_MISSING_ALT = Code(
    "content.missing-alt",
    Severity.ERROR,
    "An image has no text alternative",
    """
    Write `![what the image shows](file.png)`. Charts get a text alternative generated
    from their figures; images need one written.
    """,
)
CONTENT_CHART_WITHOUT_DATA = Code(
    "content.chart-without-data",
    Severity.ERROR,
    "A chart's data has no rows or no figures",
    """
    The table or list a chart is drawn from has no categories (a CSV cut short after
    its header, say) or no series, so there is no chart to draw. Fix the data or
    leave the chart out.
    """,
)
CONTENT_EMPTY_CHART = Code(
    "content.empty-chart",
    Severity.WARNING,
    "A chart has nothing to draw",
    """
    Every value of the chart is missing or suppressed, so its text alternative and
    data table say nothing. Use a table or leave the chart out.
    """,
)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_TEMPLATE_ID = re.compile(r'\bid="([A-Za-z][\w-]*)"')


def _template_ids() -> set[str]:
    """Fixed ids in the packaged page template (contents, appendix, ...)."""
    try:
        page = resources.files("reportgen").joinpath("templates/report.html").read_text("utf-8")
    except OSError:
        return set()
    return set(_TEMPLATE_ID.findall(page))


def anchors(project: Project, derived: Derived) -> set[str]:
    """Every id a link in the report can point at."""
    found = {"main"} | _template_ids()
    for section in project.config.sections:
        found |= {section.id, f"{section.id}-title"}
        source = project.narrative.get(section.id)
        if source is not None:
            found |= {f"{section.id}-{anchor(title)}" for _level, title, _line in source.headings}
    for block in derived.blocks.values():
        if isinstance(block, TableView | TilesView | ListView | CardsView | ChartSpec):
            found.add(block.id)
        if isinstance(block, ChartSpec):
            found |= {f"{block.id}-data", f"{block.id}-title", f"{block.id}-desc"}
        if isinstance(block, CardsView):
            found |= {card.id for card in block.cards}
    return found


def check_links(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    """Internal links resolve, images have alt text, placed charts have something to show."""
    targets = anchors(project, derived)
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is None:
            continue
        for tok in source.tokens:
            if tok.type == "data_block" and tok.meta.get("kind") == "chart":
                chart = derived.blocks.get(BlockKey("chart", str(tok.meta["target"])))
                line = tok.map[0] + 1 if tok.map else None
                if project.blocked(*reference_sources(str(tok.meta["target"]))):
                    continue  # nothing to draw because its data file failed: reported there
                if isinstance(chart, ChartSpec) and (not chart.categories or not chart.series):
                    diags.emit(
                        CONTENT_CHART_WITHOUT_DATA,
                        f"chart '{tok.meta['target']}' has nothing to draw: its data has no "
                        "rows (categories) or no figures",
                        Location(source.path, line),
                        "check the table or list the chart is drawn from (a CSV cut short "
                        "after its header?), or leave the chart out",
                    )
                elif isinstance(chart, ChartSpec) and not any(
                    v is not None for s in chart.series for v in s.values
                ):
                    diags.emit(
                        CONTENT_EMPTY_CHART,
                        f"chart '{tok.meta['target']}' has no figures to draw (all are missing "
                        "or suppressed)",
                        Location(source.path, line),
                        "show the figures as a table instead, or leave the chart out",
                    )
            if tok.type != "inline" or not tok.children:
                continue
            base = tok.map[0] + 1 if tok.map else 1
            line = base
            for child in tok.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "link_open":
                    _link(
                        project, str(child.attrGet("href") or ""), targets, source.path, line, diags
                    )
                elif child.type == "image":
                    alt = (child.content or "").strip()
                    if not alt:
                        diags.emit(
                            CONTENT_MISSING_ALT,
                            f"image '{child.attrGet('src')}' has no text alternative",
                            Location(source.path, line),
                            "write what the image shows inside the brackets: "
                            "![what it shows](file.png)",
                        )


def _link(
    project: Project, href: str, targets: set[str], path: str, line: int, diags: DiagnosticList
) -> None:
    where = Location(path, line)
    if not href:
        return  # an empty target is refused when the file is read (content.unsafe-link)
    if href == "#":
        diags.emit(
            CONTENT_BROKEN_LINK,
            "link has no target",
            where,
            "write the address in the brackets: [text](#section-id) or [text](https://...)",
        )
        return
    if href.startswith("#"):
        target = href[1:]
        if target not in targets:
            close = difflib.get_close_matches(target, sorted(targets), n=1)
            diags.emit(
                CONTENT_BROKEN_LINK,
                f"link to '#{target}' does not match any section, heading or block",
                where,
                f"did you mean '#{close[0]}'?"
                if close
                else "link to a section id from report.yaml",
            )
        return
    if _SCHEME.match(href) or href.startswith("//"):
        return
    file_part = href.split("#", 1)[0].split("?", 1)[0]
    try:
        linked = (project.root / file_part).resolve()
        missing = linked.is_relative_to(project.root) and not linked.exists()
    except (OSError, ValueError):  # a name too long or otherwise impossible: refused on load
        return
    if file_part and missing:
        diags.emit(
            CONTENT_BROKEN_LINK,
            f"link to '{href}', which is not a file in the project",
            where,
            "link to a web address, or to a section with '#id'",
        )
