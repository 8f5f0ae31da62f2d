"""Render parsed narrative to HTML, filling in data references and blocks."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from reportgen.diagnostics import Location, ReportgenError
from reportgen.identifiers import anchor as heading_anchor
from reportgen.load.files import read_source
from reportgen.load.markdown_source import (
    CONTENT_IMAGE_TYPE,
    MAX_IMAGE_BYTES,
    MarkdownSource,
    image_type,
    link_kind,
    make_parser,
)

ResolveRef = Callable[[str], str]
RenderBlock = Callable[[str, str], str]

_RENDERER = make_parser()


def _data_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    resolve: ResolveRef = env["resolve_ref"]
    target = tokens[idx].meta["target"]
    text = escape(resolve(target))
    # Where a quoted figure comes from, for a curious reader: a tooltip, no clutter.
    source: Callable[[str], str | None] | None = env.get("figure_source")
    where = source(target) if source else None
    return f'<span class="figure" title="{escape(where)}">{text}</span>' if where else text


def _data_ref_malformed(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    return escape(tokens[idx].content)  # an error of validate; `serve` shows it as text


def _data_block(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    render: RenderBlock = env["render_block"]
    meta = tokens[idx].meta
    return render(meta["kind"], meta["target"]) + "\n"


def _heading_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    # Section files start at '##'; the section title is the h2, so shift down one level.
    token = tokens[idx]
    level = min(int(token.tag[1]) + 1, 6)
    text = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    anchor = f"{env['section_id']}-{heading_anchor(text)}"
    return f'<h{level} id="{escape(anchor)}">'


def _heading_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    level = min(int(tokens[idx].tag[1]) + 1, 6)
    return f"</h{level}>\n"


def _table_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    # As the data tables (macros.html): a table wider than a phone scrolls in its own
    # named, focusable region (WCAG 2.2 reflow, 1.4.10), the CSS's edge shadows its cue.
    label = _table_name(tokens, idx)
    seen: dict[str, int] = env.setdefault("table_names", {})
    seen[label] = seen.get(label, 0) + 1
    if seen[label] > 1:  # each region's name is its own
        label += f" ({seen[label]})"
    return (
        f'<div class="table-wrap" role="region" aria-label="{escape(label)}" tabindex="0"><table>\n'
    )


def _table_name(tokens: Sequence[Token], idx: int) -> str:
    """'Table: ' and the heading the table is under, or else its column names."""
    for before in range(idx - 1, -1, -1):
        if tokens[before].type == "heading_open":
            return f"Table: {tokens[before + 1].content}"
    names = []
    for token in tokens[idx + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            names.append(token.content)
    return "Table: " + ", ".join(names)


def _table_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    return "</table></div>\n"


def _th_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    style = tokens[idx].attrGet("style")
    align = f' style="{escape(str(style))}"' if style else ""
    return f'<th scope="col"{align}>'


def _link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    # Only web, mail, telephone and in-page links keep their address, plus links to
    # project files the loader has checked; anything else is rendered inert.
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    kind = link_kind(href)
    attrs = ""
    if kind in ("web", "fragment") or (kind == "file" and token.meta.get("checked")):
        attrs = f' href="{escape(href)}"'
    title = token.attrGet("title")
    if title:
        attrs += f' title="{escape(str(title))}"'
    return f"<a{attrs}>"


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    # An image is embedded from a project file the loader has checked, never fetched;
    # any other image is shown as its alt text.
    token = tokens[idx]
    alt = escape(self.renderInlineAsText(token.children or [], options, env))
    meta = token.meta or {}
    if not (meta.get("checked") and meta.get("path")):
        return alt
    where = Location(str(meta.get("source", "")), meta.get("line"))
    src = str(token.attrGet("src") or "")
    data, problems = read_source(Path(meta["path"]), src, MAX_IMAGE_BYTES)
    mime = image_type(data) if data is not None else None
    if data is None or mime is None:
        raise ReportgenError(
            [replace(d, message=f"image '{src}': {d.message}", location=where) for d in problems]
            or [
                CONTENT_IMAGE_TYPE.diagnostic(
                    f"image '{src}' changed while building", location=where
                )
            ]
        )
    title = token.attrGet("title")
    extra = f' title="{escape(str(title))}"' if title else ""
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:{mime};base64,{encoded}" alt="{alt}"{extra}>'


_RENDERER.add_render_rule("link_open", _link_open)
_RENDERER.add_render_rule("image", _image)
_RENDERER.add_render_rule("data_ref", _data_ref)
_RENDERER.add_render_rule("data_block", _data_block)
_RENDERER.add_render_rule("data_ref_malformed", _data_ref_malformed)
_RENDERER.add_render_rule("heading_open", _heading_open)
_RENDERER.add_render_rule("heading_close", _heading_close)
_RENDERER.add_render_rule("table_open", _table_open)
_RENDERER.add_render_rule("table_close", _table_close)
_RENDERER.add_render_rule("th_open", _th_open)


def render_narrative(
    source: MarkdownSource,
    section_id: str,
    resolve_ref: ResolveRef,
    render_block: RenderBlock,
    figure_source: Callable[[str], str | None] | None = None,
) -> str:
    """HTML for one section's narrative; references must already be validated.

    `figure_source` gives, for a quoted figure, where it comes from (its title attribute).
    """
    env = {
        "resolve_ref": resolve_ref,
        "render_block": render_block,
        "section_id": section_id,
        "figure_source": figure_source,
    }
    return str(_RENDERER.renderer.render(source.tokens, _RENDERER.options, env))


def render_inline(text: str) -> str:
    """Inline Markdown (emphasis, links, code) for short data fields; no blocks.

    Data fields are not checked like narrative: their links keep an address only
    when it is a web, mail, telephone or in-page one, and images show as alt text.
    """
    return str(_RENDERER.renderInline(text, {"resolve_ref": lambda t: "{{ " + t + " }}"}))
