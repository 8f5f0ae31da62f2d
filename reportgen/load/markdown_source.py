"""Read section narrative (Markdown) and find its references to data.

Narrative quotes data with double braces, so a figure in a sentence comes from the
same record as the table:

- inline, inside a sentence: ``{{ indicator.cp_plans }}`` or ``{{ budget.income.total }}``;
- a block on a line of its own: ``{{ table budget.income }}``, ``{{ chart budget.income }}``.

Raw HTML is never passed through (it is shown as text), and Markdown heading levels
start at ``##``: the section title from report.yaml is the level above.

Links may go to web pages (``https:``, ``http:``), e-mail (``mailto:``), telephone
numbers (``tel:``), a place in the report (``#id``) or a file inside the project.
Images must be PNG, JPEG, GIF or WebP files inside the project; they are embedded in
the page, so nothing is ever fetched from the network. Paths are relative to the
project folder, like every other path in a project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from reportgen.diagnostics import Code, Diagnostic, Location, Severity
from reportgen.load.files import project_root_of, read_source
from reportgen.load.yaml_source import encoding_diagnostic

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_BLOCK_INLINE = Code(
    "content.block-inline",
    Severity.ERROR,
    "A block is placed inside a sentence",
    "Tables, charts, tiles, lists and cards must stand on a line of their own.",
)
CONTENT_HEADING_LEVEL = Code(
    "content.heading-level",
    Severity.ERROR,
    "A section file uses a top-level heading",
    "The section title comes from report.yaml; headings in a section file start at ##.",
)
CONTENT_HEADING_SKIP = Code(
    "content.heading-skip",
    Severity.ERROR,
    "A heading skips a level",
    "Screen-reader users navigate by heading level; go down one level at a time.",
)
CONTENT_UNSAFE_LINK = Code(
    "content.unsafe-link",
    Severity.ERROR,
    "A link uses an address that is not allowed",
    """
    Links may go to web pages (https://), e-mail addresses (mailto:), telephone numbers
    (tel:) or files inside the project; anything else (javascript:, an empty address)
    is refused.
    """,
)
CONTENT_LINK_OUTSIDE_PROJECT = Code(
    "content.link-outside-project",
    Severity.ERROR,
    "A link leads to a file outside the project",
    "Link only to files inside the project folder, or to a web page.",
)
CONTENT_REMOTE_IMAGE = Code(
    "content.remote-image",
    Severity.ERROR,
    "An image is on the web, not in the project",
    "Save the image inside the project and give its relative path; builds never fetch.",
)
CONTENT_UNSAFE_IMAGE = Code(
    "content.unsafe-image",
    Severity.ERROR,
    "An image address is not a file",
    "Images must be files inside the project folder, given by a relative path.",
)
CONTENT_IMAGE_OUTSIDE_PROJECT = Code(
    "content.image-outside-project",
    Severity.ERROR,
    "An image is outside the project folder",
    "Copy the image into the project folder.",
)
CONTENT_IMAGE_NOT_FOUND = Code(
    "content.image-not-found",
    Severity.ERROR,
    "An image file does not exist",
    "Check the path; it is relative to the project folder.",
)
CONTENT_IMAGE_TYPE = Code(
    "content.image-type",
    Severity.ERROR,
    "An image is not a PNG, JPEG, GIF or WebP file",
    "Save the image as PNG or JPEG (the file's content is checked, not its name).",
)
CONTENT_MALFORMED_REFERENCE = Code(
    "content.malformed-reference",
    Severity.ERROR,
    "Text looks like a reference to data but is not one",
    """
    `{{ }}`, an unclosed `{{ indicator.x`, `{{{ x }}}` or `{{x}` would be published as
    written. Write a reference as `{{ name }}` or `{{ table name }}`; to show braces
    as text, write `\\{{` or put them in backticks.
    """,
)

MAX_BYTES = 1_000_000
MAX_IMAGE_BYTES = 10_000_000
LINK_SCHEMES = ("http", "https", "mailto", "tel")
# Magic numbers of the image formats a report may embed (no SVG: it can carry script
# and fetch other files).
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
LinkKind = Literal["web", "fragment", "file", "unsafe"]
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
    images: list[Path] = field(default_factory=list)  # project files the page embeds
    headings: list[tuple[int, str, int]] = field(default_factory=list)  # (level, text, line)


def _malformed_end(src: str, pos: int) -> int:
    """Where text that looks like a reference but is none ends: after its closing
    braces when they are on the same line, else at the end of the line."""
    line_end = src.find("\n", pos)
    line_end = len(src) if line_end < 0 else line_end
    close = src.find("}}", pos + 2, line_end)
    if close < 0:
        return line_end
    end = close + 2
    while end < line_end and src[end] == "}":
        end += 1
    return end


def _data_ref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _REF.match(state.src, state.pos)
    if match is None:
        # `{{ }}`, `{{{ x }}}`, `{{x}` or an unclosed `{{ x`: an error at its line
        # (parse_markdown), never published as written. `\{{` shows braces as text.
        end = _malformed_end(state.src, state.pos)
        if not silent:
            token = state.push("data_ref_malformed", "", 0)
            token.content = state.src[state.pos : end]
            token.meta = {"newlines": state.src.count("\n", 0, state.pos)}
        state.pos = end
        return True
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
    """CommonMark plus tables and data references; raw HTML is escaped.

    Every link and image becomes a token, whatever its scheme, so that the loader
    can report an unsafe one with its line; the renderer never trusts them blindly.
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    # Checked in `check_links` instead, and again when rendering.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.inline.ruler.before("emphasis", "data_ref", _data_ref_rule)
    md.core.ruler.push("data_blocks", _promote_blocks)
    return md


def link_kind(url: str) -> LinkKind:
    """What a link points at: a web address, a place in the page, a file, or unsafe."""
    url = url.strip()
    if url.startswith("#"):
        return "fragment"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "unsafe"
    if parts.scheme:
        if parts.scheme.lower() not in LINK_SCHEMES:
            return "unsafe"
        if parts.scheme.lower() in ("http", "https") and not parts.netloc:
            return "unsafe"
        return "web"
    if parts.netloc or url.startswith(("/", "\\")) or not parts.path:
        return "unsafe"  # '//host/x' is a web address in disguise; '/x' an absolute path
    return "file"


def image_type(data: bytes) -> str | None:
    """The MIME type of an embeddable image, from its first bytes."""
    for signature, mime in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _project_file(url: str, root: Path) -> Path | None:
    """The project file a relative link names (relative to the project folder)."""
    path_part = urlsplit(url.strip()).path
    resolved = (root / unquote(path_part)).resolve()
    return resolved if resolved.is_relative_to(root.resolve()) else None


def check_links(source: MarkdownSource, root: Path | None) -> list[Diagnostic]:
    """Check every link and image: safe schemes, files inside the project.

    Marks each checked link and image on its token (`meta["checked"]`), and the file
    behind each image (`meta["path"]`), for the renderer.
    """
    problems: list[Diagnostic] = []
    rel = source.path
    for tok in source.tokens:
        if tok.type != "inline" or not tok.children:
            continue
        line = (tok.map[0] + 1) if tok.map else 1
        for child in tok.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                problems.extend(
                    _check_link(child, str(child.attrGet("href") or ""), rel, line, root)
                )
            elif child.type == "image":
                problems.extend(
                    _check_image(child, str(child.attrGet("src") or ""), source, line, root)
                )
    return problems


def _check_link(tok: Token, url: str, rel: str, line: int, root: Path | None) -> list[Diagnostic]:
    where = Location(rel, line)
    kind = link_kind(url)
    if kind == "unsafe":
        return [
            CONTENT_UNSAFE_LINK.diagnostic(
                f"link to '{url}' is not allowed",
                location=where,
                hint="link to a web page (https://...), an e-mail address (mailto:...), "
                "a telephone number (tel:...) or a file inside the project",
            )
        ]
    if kind == "file":
        if root is None:
            return []
        target = _project_file(url, root)
        if target is None:
            return [
                CONTENT_LINK_OUTSIDE_PROJECT.diagnostic(
                    f"link to '{url}' leads outside the project folder",
                    location=where,
                    hint="link only to files inside the project, or to a web page",
                )
            ]
    tok.meta["checked"] = True
    return []


def _check_image(
    tok: Token, url: str, source: MarkdownSource, line: int, root: Path | None
) -> list[Diagnostic]:
    rel = source.path
    where = Location(rel, line)
    # Alt text is checked with the other link rules (reportgen.checks.links).
    problems: list[Diagnostic] = []
    kind = link_kind(url)
    if kind != "file":
        problems.append(
            (CONTENT_REMOTE_IMAGE if kind == "web" else CONTENT_UNSAFE_IMAGE).diagnostic(
                f"image '{url}' is not a file in the project",
                location=where,
                hint="save the image inside the project folder and give its relative path; "
                "reports never fetch images from the network",
            )
        )
        return problems
    if root is None:
        return problems
    target = _project_file(url, root)
    if target is None:
        problems.append(
            CONTENT_IMAGE_OUTSIDE_PROJECT.diagnostic(
                f"image '{url}' is outside the project folder",
                location=where,
                hint="copy the image into the project folder",
            )
        )
        return problems
    if not target.is_file():
        problems.append(
            CONTENT_IMAGE_NOT_FOUND.diagnostic(
                f"image '{url}' does not exist",
                location=where,
                hint="check the path; it is relative to the project folder",
            )
        )
        return problems
    data, unreadable = read_source(
        target, target.relative_to(root.resolve()).as_posix(), MAX_IMAGE_BYTES, root
    )
    if data is None:
        problems.extend(
            replace(d, message=f"image '{url}': {d.message}", location=where) for d in unreadable
        )
        return problems
    mime = image_type(data)
    if mime is None:
        problems.append(
            CONTENT_IMAGE_TYPE.diagnostic(
                f"image '{url}' is not a PNG, JPEG, GIF or WebP file",
                location=where,
                hint="save the image as PNG or JPEG",
            )
        )
        return problems
    if not problems:
        tok.meta.update(checked=True, path=str(target), mime=mime, source=rel, line=line)
        source.images.append(target)
    return problems


_PARSER = make_parser()


def parse_markdown(
    text: str, rel: str, root: Path | None = None
) -> tuple[MarkdownSource, list[Diagnostic]]:
    """Parse narrative and list its data references and headings with line numbers.

    With the project folder `root`, links and images to project files are checked
    too; without it, only their schemes are.
    """
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
                if child.type == "data_ref_malformed":
                    shown = (
                        child.content if len(child.content) <= 60 else child.content[:57] + "..."
                    )
                    problems.append(
                        CONTENT_MALFORMED_REFERENCE.diagnostic(
                            f"'{shown}' looks like a reference to data but is not one",
                            location=Location(rel, base + child.meta["newlines"]),
                            hint="write a reference as {{ name }} or {{ table name }}: two "
                            "braces on each side, a name of letters, digits, '.', '_' or '-'; "
                            "to show braces as text, write \\{{ or put them in `backticks`",
                        )
                    )
                if child.type == "data_ref":
                    line = base + child.meta["newlines"]
                    if child.meta["kind"]:
                        problems.append(
                            CONTENT_BLOCK_INLINE.diagnostic(
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
                    CONTENT_HEADING_LEVEL.diagnostic(
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
                CONTENT_HEADING_SKIP.diagnostic(
                    f"heading '{title}' jumps from level {previous} to {level}",
                    location=Location(rel, line),
                    hint=f"use {'#' * (previous + 1)} for this heading",
                )
            )
        previous = level
    problems.extend(check_links(source, root))
    return source, problems


def load_markdown(
    path: Path, rel: str, root: Path | None = None
) -> tuple[MarkdownSource | None, list[Diagnostic]]:
    """Read and parse one narrative file (`rel` inside the project folder `root`)."""
    root = root if root is not None else project_root_of(path, rel)
    raw, problems = read_source(path, rel, MAX_BYTES, root)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [encoding_diagnostic(raw, exc, rel)]
    return parse_markdown(text, rel, root)
