"""A chart's SVG from matplotlib made fit to sit inline in the report page."""

from __future__ import annotations

import re
from html import escape

from reportgen.views import ChartSpec

_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ROOT = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)\s]+)\)")
_HREF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
_GLOBAL_STYLE = re.compile(r"(<style[^>]*>\s*)\*\s*\{")


def clean_svg(raw: str, spec: ChartSpec, alt: str, *, narrow: bool = False) -> str:
    """Self-contained inline SVG: ids namespaced by chart, sized by CSS, titled and described."""
    svg = _PROLOGUE.sub("", raw)
    svg = _METADATA.sub("", svg, count=1)
    prefix = f"{spec.id}-narrow" if narrow else spec.id  # both can be in one page
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = _HREF.sub(lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)

    # matplotlib's "*{stroke-linejoin...}" would apply to the whole HTML page: scope it.
    svg = _GLOBAL_STYLE.sub(
        lambda m: f'{m.group(1)}svg[aria-labelledby~="{prefix}-title"] *{{', svg
    )

    root = _ROOT.search(svg)
    if root is None:
        raise ValueError(f"chart {spec.id}: matplotlib produced no <svg> element")
    tag = re.sub(r'\s(?:width|height|style|role|aria-labelledby)="[^"]*"', "", root.group(0))
    attrs = (
        f' class="chart-{"narrow" if narrow else "wide"}"'
        f' style="max-width:100%;height:auto" role="img"'
        f' aria-labelledby="{prefix}-title {prefix}-desc"'
    )
    tag = tag[:-1].rstrip() + attrs + ">"
    head = (
        f'\n<title id="{prefix}-title">{escape(spec.title, quote=False)}</title>'
        f'\n<desc id="{prefix}-desc">{escape(alt, quote=False)}</desc>'
    )
    return svg[: root.start()] + tag + head + svg[root.end() :].rstrip() + "\n"
