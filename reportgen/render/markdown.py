"""Render parsed narrative to HTML, filling in data references and blocks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from markdown_it.token import Token

from reportgen.load.markdown_source import MarkdownSource, make_parser

ResolveRef = Callable[[str], str]
RenderBlock = Callable[[str, str], str]

_RENDERER = make_parser()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _data_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    resolve: ResolveRef = env["resolve_ref"]
    return escape(resolve(tokens[idx].meta["target"]))


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
    anchor = f"{env['section_id']}-{_slug(text)}"
    return f'<h{level} id="{escape(anchor)}">'


def _heading_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    level = min(int(tokens[idx].tag[1]) + 1, 6)
    return f"</h{level}>\n"


def _table_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    return '<div class="table-wrap"><table>\n'


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


_RENDERER.add_render_rule("data_ref", _data_ref)
_RENDERER.add_render_rule("data_block", _data_block)
_RENDERER.add_render_rule("heading_open", _heading_open)
_RENDERER.add_render_rule("heading_close", _heading_close)
_RENDERER.add_render_rule("table_open", _table_open)
_RENDERER.add_render_rule("table_close", _table_close)
_RENDERER.add_render_rule("th_open", _th_open)


def render_narrative(
    source: MarkdownSource, section_id: str, resolve_ref: ResolveRef, render_block: RenderBlock
) -> str:
    """HTML for one section's narrative; references must already be validated."""
    env = {"resolve_ref": resolve_ref, "render_block": render_block, "section_id": section_id}
    return str(_RENDERER.renderer.render(source.tokens, _RENDERER.options, env))


def render_inline(text: str) -> str:
    """Inline Markdown (emphasis, links, code) for short data fields; no blocks."""
    return str(_RENDERER.renderInline(text, {"resolve_ref": lambda t: "{{ " + t + " }}"}))
