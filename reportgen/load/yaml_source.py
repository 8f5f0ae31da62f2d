"""Read YAML into plain values, keeping each value's line and column.

Scalars stay strings: the schema, not YAML's implicit typing, decides what a value
means, so `NO` stays "NO", `012` keeps its zero and money never passes through float.
Only an unquoted empty value, `~` or `null` becomes None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reportgen.diagnostics import Code, Diagnostic, Location, Severity
from reportgen.load.files import read_source
from reportgen.load.positions import DataPath, SourceMap, editor_position
from reportgen.load.yaml_advice import YAML_SYNTAX, comment_cuts, syntax_diagnostic

# The diagnostic codes this module emits; reportgen.catalogue collects them.
LOAD_ENCODING = Code(
    "load.encoding",
    Severity.ERROR,
    "A text file is not UTF-8",
    """
    Files must be saved as UTF-8. A file saved by Windows software as Windows-1252 shows
    up here with the line of the first byte that is not UTF-8.
    """,
)
YAML_CONTROL_CHARACTER = Code(
    "yaml.control-character",
    Severity.ERROR,
    "A YAML file holds a control character",
    """
    YAML does not allow control characters such as NUL, ESC, DEL or 0x02 (they often
    come from copying out of another program). The error gives the line and column
    of the first one; delete it or retype the line.
    """,
)
YAML_DUPLICATE_KEY = Code(
    "yaml.duplicate-key",
    Severity.ERROR,
    "A key appears twice in one YAML mapping",
    "YAML would silently keep only the last value; remove one of them.",
)
YAML_ANCHOR = Code(
    "yaml.anchor",
    Severity.ERROR,
    "YAML anchors and aliases are not supported",
    "Write the values out in full, so every figure is visible where it is used.",
)
YAML_TAG = Code(
    "yaml.tag",
    Severity.ERROR,
    "An explicit YAML tag is used",
    "Remove the '!' tag: values are typed by the schema, not by YAML.",
)
YAML_KEY = Code(
    "yaml.key",
    Severity.ERROR,
    "A YAML key is not a plain word",
    "Keys must be plain words such as `amount:`; lists and mappings cannot be keys.",
)
YAML_TOO_DEEP = Code(
    "yaml.too-deep",
    Severity.ERROR,
    "YAML data is nested too deeply",
    "No report file needs deep nesting; the limit protects against hostile input.",
)

MAX_BYTES = 2_000_000
MAX_DEPTH = 50
# libyaml's parser when PyYAML has it (wheels do): the same events and marks, and fast
# enough that a file at the size limit loads in seconds, not minutes.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class YamlDocument:
    """A loaded YAML file: its value tree and the positions of every value."""

    path: str
    data: Any
    source_map: SourceMap


class _ComposeError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _loc(rel: str, node: yaml.Node) -> Location:
    return Location(rel, node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(
    path: Path, rel: str, root: Path | None = None
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Load one YAML file; return the document or the diagnostics that stop it."""
    raw, problems = read_source(path, rel, MAX_BYTES, root)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [encoding_diagnostic(raw, exc, rel)]
    return parse_yaml(text, rel)


def encoding_diagnostic(raw: bytes, exc: UnicodeDecodeError, rel: str) -> Diagnostic:
    """A text file that is not UTF-8: name the line of the first bad byte."""
    line = raw[: exc.start].count(b"\n") + 1
    return LOAD_ENCODING.diagnostic(
        f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
        "it may have been saved as Windows-1252",
        location=Location(rel, line),
        hint="save the file as UTF-8 in your editor",
    )


def _scan_events(text: str, rel: str) -> Diagnostic | None:
    """Refuse anchors, aliases and deep nesting before composing.

    The event stream is read without recursion, so a hostile file cannot exhaust
    the stack or multiply itself through aliases before we see it.
    """
    depth = -1  # the top-level mapping is depth 0, as in _build

    def where(event: yaml.Event) -> Location:  # only for the event refused
        mark = event.start_mark
        return Location(rel, mark.line + 1, mark.column + 1) if mark else Location(rel)

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return YAML_ANCHOR.diagnostic(
                "YAML anchors and aliases (&name, *name, <<) are not supported",
                location=where(event),
                hint="write the values out in full",
            )
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep(where(event))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return None


def _too_deep(where: Location) -> Diagnostic:
    return YAML_TOO_DEEP.diagnostic(
        f"data is nested more than {MAX_DEPTH} levels deep", location=where
    )


def _is_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml 0.2.5+ (bundled in PyYAML 6.0.2+ wheels) stops deep flow nesting itself.

    Whichever layer stops the file, the person sees the same diagnostic.
    """
    return "nesting depth" in (exc.problem or "")


def _mark_location(rel: str, exc: yaml.MarkedYAMLError) -> Location:
    mark = exc.problem_mark or exc.context_mark
    return Location(rel, mark.line + 1, mark.column + 1) if mark else Location(rel)


# Characters YAML refuses (C0 controls but tab and line ends, DEL, C1 controls but
# U+0085, surrogates, U+FFFE/U+FFFF): found first, so the error has its line and column.
_REFUSED_CHARACTER = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Line breaks to YAML, but not to an editor, which shows them inside a line.
_UNICODE_BREAKS = "\x85\u2028\u2029"


def control_character(text: str, rel: str) -> Diagnostic | None:
    """The first character YAML cannot hold (NUL, ESC, DEL, ...), at its line and column."""
    found = _REFUSED_CHARACTER.search(text)
    if found is None:
        return None
    line, column = editor_position(text, found.start())
    return YAML_CONTROL_CHARACTER.diagnostic(
        f"the file holds a control character (U+{ord(found.group()):04X}) that YAML does not allow",
        location=Location(rel, line, column),
        hint="delete the invisible character (it often comes from copying out of another "
        "program), or retype the line",
    )


def hide_unicode_breaks(text: str) -> tuple[str, dict[str, str]]:
    """`text` with U+0085, U+2028 and U+2029 swapped for private-use characters absent
    from it, so YAML counts lines (and reads values) as an editor shows them; and the
    swaps, for `restore_unicode_breaks`."""
    present = [c for c in _UNICODE_BREAKS if c in text]
    if not present:
        return text, {}
    swaps: dict[str, str] = {}
    candidate = 0xE000
    for char in present:
        while chr(candidate) in text:
            candidate += 1
        swaps[char] = chr(candidate)
        text = text.replace(char, chr(candidate))
        candidate += 1
    return text, {hidden: char for char, hidden in swaps.items()}


def restore_unicode_breaks(value: Any, swaps: dict[str, str]) -> Any:
    """`value` (built from a text with hidden breaks) with the original characters."""
    if isinstance(value, str):
        for hidden, char in swaps.items():
            value = value.replace(hidden, char)
        return value
    if isinstance(value, dict):
        return {k: restore_unicode_breaks(v, swaps) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_unicode_breaks(v, swaps) for v in value]
    return value


def parse_yaml(text: str, rel: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text; see the module docstring for how scalars are typed."""
    if (refused_character := control_character(text, rel)) is not None:
        return None, [refused_character]
    text, swaps = hide_unicode_breaks(text)
    try:
        refused = _scan_events(text, rel)
        if refused is not None:
            return None, [refused]
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        if _is_depth_limit(exc):
            return None, [_too_deep(_mark_location(rel, exc))]
        return None, [syntax_diagnostic(exc, text, rel)]
    except yaml.YAMLError as exc:
        return None, [YAML_SYNTAX.diagnostic(f"YAML error: {exc}", location=Location(rel))]
    source_map = SourceMap(rel)
    if node is None:
        source_map.record((), Location(rel, 1, 1))
        return YamlDocument(rel, None, source_map), []
    try:
        data = _build(node, rel, (), source_map, 0)
    except _ComposeError as exc:
        return None, [exc.diagnostic]
    if swaps:
        data = restore_unicode_breaks(data, swaps)
    return YamlDocument(rel, data, source_map), comment_cuts(node, text, rel)


def _build(node: yaml.Node, rel: str, at: DataPath, smap: SourceMap, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _ComposeError(
            YAML_TOO_DEEP.diagnostic(
                f"data is nested more than {MAX_DEPTH} levels deep", location=_loc(rel, node)
            )
        )
    if node.tag not in _STANDARD_TAGS:
        raise _ComposeError(
            YAML_TAG.diagnostic(
                f"unsupported YAML tag {node.tag!r}",
                location=_loc(rel, node),
                hint="remove the '!' tag; values are typed by the schema",
            )
        )
    smap.record(at, _loc(rel, node))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _ComposeError(
                    YAML_KEY.diagnostic("keys must be plain words", location=_loc(rel, key_node))
                )
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _ComposeError(
                    YAML_DUPLICATE_KEY.diagnostic(
                        f"key '{key}' appears twice (first on line {first})",
                        location=_loc(rel, key_node),
                        hint="remove one of them; YAML would silently keep only the last",
                    )
                )
            seen[key] = key_node
            smap.keys[(*at, key)] = _loc(rel, key_node)
            out[key] = _build(value_node, rel, (*at, key), smap, depth + 1)
            if not isinstance(value_node, yaml.ScalarNode):
                # A nested block starts on the next line; its key line reads better.
                smap.record((*at, key), _loc(rel, key_node))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, rel, (*at, i), smap, depth + 1) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    # A plain scalar's style is None from PyYAML's parser and '' from libyaml's.
    if node.tag == "tag:yaml.org,2002:null" and not node.style:
        return None
    return str(node.value)
