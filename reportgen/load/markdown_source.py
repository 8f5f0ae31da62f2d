"""Read section narrative (Markdown) and find its references to data.

Narrative quotes data with double braces, so a figure in a sentence comes from the
same record as the table:

- inline, inside a sentence: ``{{ indicator.cp_plans }}`` or ``{{ budget.income.total }}``;
- a block on a line of its own: ``{{ table budget.income }}``, ``{{ chart budget.income }}``.

Raw HTML is never passed through (it is shown as text), and Markdown heading levels
start at ``##``: the section title from report.yaml is the level above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from reportgen.diagnostics import Diagnostic, Location
from reportgen.load.yaml_source import encoding_diagnostic

MAX_BYTES = 1_000_000
BLOCK_KINDS = ("table", "chart", "tiles", "list", "cards")
_REF = re.compile(r"\{\{\s*(?:(?P<kind>[a-z]+)\s+)?(?P<target>[A-Za-z0-9_.:-]+)\s*\}\}")


@dataclass(frozen=True)
class DataRef:
    """One use of data in narrative: an inline value or a block."""

    target: str
    kind: str | None  # None for an inline value, else one of BLOCK_KINDS
    line: int


@dataclass
class MarkdownSource:
    """A parsed narrative file: tokens plus the references and headings in it."""

    path: str
    tokens: list[Token]
    refs: list[DataRef] = field(default_factory=list)
    headings: list[tuple[int, str, int]] = field(default_factory=list)  # (level, text, line)


def _data_ref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _REF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("data_ref", "", 0)
        token.meta = {
            "target": match.group("target"),
            "kind": match.group("kind"),
            "newlines": state.src.count("\n", 0, state.pos),
        }
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _promote_blocks(state: StateCore) -> None:
    """Turn a paragraph that holds only a block reference into a `data_block` token."""
    out: list[Token] = []
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
        ):
            children = [
                c
                for c in tokens[i + 1].children or []
                if not (c.type == "text" and not c.content.strip())
            ]
            if len(children) == 1 and children[0].type == "data_ref" and children[0].meta["kind"]:
                block = Token("data_block", "", 0)
                block.meta = dict(children[0].meta)
                block.map = tok.map
                block.block = True
                out.append(block)
                i += 3
                continue
        out.append(tok)
        i += 1
    state.tokens = out


def make_parser() -> MarkdownIt:
    """CommonMark plus tables and data references; raw HTML is escaped."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.inline.ruler.before("emphasis", "data_ref", _data_ref_rule)
    md.core.ruler.push("data_blocks", _promote_blocks)
    return md


_PARSER = make_parser()


def parse_markdown(text: str, rel: str) -> tuple[MarkdownSource, list[Diagnostic]]:
    """Parse narrative and list its data references and headings with line numbers."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(text, env)
    source = MarkdownSource(rel, tokens)
    problems: list[Diagnostic] = []
    for index, tok in enumerate(tokens):
        if tok.type == "data_block":
            line = (tok.map[0] + 1) if tok.map else 1
            source.refs.append(DataRef(tok.meta["target"], tok.meta["kind"], line))
        elif tok.type == "inline" and tok.children:
            base = (tok.map[0] + 1) if tok.map else 1
            for child in tok.children:
                if child.type == "data_ref":
                    line = base + child.meta["newlines"]
                    if child.meta["kind"]:
                        problems.append(
                            Diagnostic(
                                "content.block-inline",
                                f"'{child.content}' shows a {child.meta['kind']} and must stand "
                                "on a line of its own",
                                location=Location(rel, line),
                                hint="put a blank line before and after it",
                            )
                        )
                    source.refs.append(DataRef(child.meta["target"], child.meta["kind"], line))
        elif tok.type == "heading_open":
            level = int(tok.tag[1])
            line = (tok.map[0] + 1) if tok.map else 1
            title = tokens[index + 1].content if index + 1 < len(tokens) else ""
            source.headings.append((level, title, line))
            if level == 1:
                problems.append(
                    Diagnostic(
                        "content.heading-level",
                        f"'# {title}' is a top-level heading; the section title comes "
                        "from report.yaml",
                        location=Location(rel, line),
                        hint="start headings in a section file at '##'",
                    )
                )
    previous = 1
    for level, title, line in source.headings:
        if level > previous + 1:
            problems.append(
                Diagnostic(
                    "content.heading-skip",
                    f"heading '{title}' jumps from level {previous} to {level}",
                    location=Location(rel, line),
                    hint=f"use {'#' * (previous + 1)} for this heading",
                )
            )
        previous = level
    return source, problems


def load_markdown(path: Path, rel: str) -> tuple[MarkdownSource | None, list[Diagnostic]]:
    """Read and parse one narrative file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            Diagnostic(
                "load.unreadable", f"cannot read file: {exc.strerror}", location=Location(rel)
            )
        ]
    if len(raw) > MAX_BYTES:
        return None, [
            Diagnostic(
                "load.too-large",
                f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                location=Location(rel),
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [encoding_diagnostic(raw, exc, rel)]
    return parse_markdown(text, rel)
