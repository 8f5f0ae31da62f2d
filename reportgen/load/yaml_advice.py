"""YAML mistakes in plain words: syntax errors, and text a `#` silently cut short.

PyYAML's messages ("mapping values are not allowed in this context") name the parser's
state, not the person's mistake, and often point at the line after it (a missing colon
is only noticed at the next key). Here each known message becomes what is wrong, on
which line, and what to type, at the line the person has to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from reportgen.diagnostics import Code, Diagnostic, Location, Severity

# The diagnostic codes this module emits; reportgen.catalogue collects them.
YAML_SYNTAX = Code(
    "yaml.syntax",
    Severity.ERROR,
    "YAML syntax error",
    """
    The file is not valid YAML. The message says what is wrong in plain words, at the
    line to change: a key with no colon after it, text containing ': ' without quotes,
    a list item or key not lined up with the ones above it, a tab used for indentation,
    a quote or bracket never closed, text after a closing quote, or a value starting
    with a character YAML reserves (`@`, backtick, `%`, `*`). The hint says what to type.
    """,
)
YAML_COMMENT_CUT = Code(
    "yaml.comment-cut",
    Severity.WARNING,
    "An unquoted text was cut short at ' #'",
    """
    In YAML, ` #` starts a comment, so `title: Partnership priority #1 keeping
    children safe` is only "Partnership priority". When a `#` is followed directly by a
    letter or digit it was meant as text: put the whole text in double quotes. (A real
    comment is written `# note`, with a space after the `#`.)
    """,
)

_KEY = re.compile(r"^\s*(?:-\s+)?[^\s:#\"'][^:#]*?:(\s|$)")
_GENERIC_HINT = "check indentation, colons after keys, and quotes around text with ':' or '#'"


def _lines(text: str) -> list[str]:
    return text.splitlines() or [""]


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content_line(lines: list[str], number: int) -> int | None:
    """The nearest line above `number` that holds something other than a comment."""
    for n in range(number - 1, 0, -1):
        stripped = _line(lines, n).strip()
        if stripped and not stripped.startswith("#"):
            return n
    return None


def _quoted_example(line: str) -> str:
    """`title: Annual report: 2024` -> `title: "Annual report: 2024"`."""
    key, _, value = line.strip().partition(": ")
    value = value.strip().replace('"', "'")
    return f'{key}: "{value}"' if value else line.strip()


def _syntax(message: str, line: int | None, column: int | None, rel: str, hint: str) -> Diagnostic:
    return YAML_SYNTAX.diagnostic(message, Location(rel, line, column), hint)


def syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, rel: str) -> Diagnostic:
    """One PyYAML syntax error as a plain message at the line to change."""
    lines = _lines(text)
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    context = exc.context_mark
    context_line = context.line + 1 if context else None
    here = _line(lines, line or 0)

    if "mapping values are not allowed" in problem and line is not None:
        before = _previous_content_line(lines, line)
        earlier = _line(lines, before or 0)
        # `name Foo` then `short_name: X`: YAML reads both lines as one text and only
        # stumbles at the second colon. The line to change is the one with no colon.
        if before is not None and not _KEY.match(earlier) and _indent(earlier) <= _indent(here):
            word, _, rest = earlier.strip().partition(" ")
            typed = f"{word}: {rest}".rstrip() if rest else f"{word}:"
            return _syntax(
                f"line {before} has no colon after its key, so YAML cannot tell the key "
                "from its value",
                before,
                _indent(earlier) + 1,
                rel,
                f"type a colon and a space after the key: {typed}",
            )
        return _syntax(
            f"the text on line {line} contains ': ' (a colon and a space), which YAML reads "
            "as the start of another key",
            line,
            column,
            rel,
            f"put the whole text in double quotes: {_quoted_example(here)}",
        )
    if "expected '-' indicator" in problem and line is not None:
        first = _line(lines, context_line or 0)
        dash = first.find("-") + 1 if "-" in first else (context.column + 1 if context else 1)
        return _syntax(
            f"line {line} does not line up with the list above it (which starts on line "
            f"{context_line})",
            line,
            column,
            rel,
            f"start each item of the list with '- ' in column {dash}, as on line "
            f"{context_line}; a key that belongs to an item goes under its first word",
        )
    if "did not find expected key" in problem and line is not None:
        stripped = here.strip()
        if (
            re.match(r"^(?:-\s+)?[^:]+:\s*[\"']", stripped)
            and column
            and column > _indent(here) + 1
        ):
            return _syntax(
                f"on line {line} there is more text after the closing quote",
                line,
                column,
                rel,
                "quote the whole value, and use the other kind of quote inside it: "
                "title: 'The \"Safe at home\" review'",
            )
        above = _previous_content_line(lines, line)
        return _syntax(
            f"line {line} is indented differently from the lines above it",
            line,
            column,
            rel,
            "keys at the same level must start in the same column"
            + (
                f" (line {above} starts in column {_indent(_line(lines, above)) + 1})"
                if above
                else ""
            )
            + "; use spaces, as the other lines do",
        )
    if "cannot start any token" in problem and line is not None and column is not None:
        char = here[column - 1] if 0 < column <= len(here) else ""
        if char == "\t":
            return _syntax(
                f"line {line} contains a tab; YAML only accepts spaces for indentation",
                line,
                column,
                rel,
                "replace the tab with spaces (two spaces for each level)",
            )
        return _syntax(
            f"on line {line} the value starts with '{char}', which YAML does not allow there",
            line,
            column,
            rel,
            f"put the whole text in double quotes: {_quoted_example(here)}",
        )
    if "undefined alias" in problem and line is not None:
        return _syntax(
            f"on line {line} the value starts with '*', which YAML reads as a reference",
            line,
            column,
            rel,
            f"put the whole text in double quotes: {_quoted_example(here)}",
        )
    if "end of stream" in problem and "quoted scalar" in (exc.context or ""):
        opened = _line(lines, context_line or 0)
        quote = opened[context.column] if context and context.column < len(opened) else '"'
        return _syntax(
            f"the quote ({quote}) opened on line {context_line} is never closed",
            context_line,
            context.column + 1 if context else None,
            rel,
            f"add the closing {quote} at the end of the text on line {context_line}",
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "]" if "]" in problem else "}"
        return _syntax(
            f"the list or group opened on line {context_line} is never closed with '{bracket}'",
            context_line,
            context.column + 1 if context else None,
            rel,
            f"add '{bracket}' at the end, or write the items one per line starting with '- '",
        )
    if "could not find expected ':'" in problem and context_line is not None:
        return _syntax(
            f"line {context_line} has no colon after its key",
            context_line,
            context.column + 1 if context else None,
            rel,
            "type a colon and a space after the key, e.g. name: Riverside",
        )
    if "single document" in (exc.context or "") and line is not None:
        return _syntax(
            f"a second document starts on line {line} ('---'); a data file holds one",
            line,
            column,
            rel,
            "delete the '---' line, or move what follows it into a file of its own",
        )
    detail = problem or "invalid YAML"
    return _syntax(
        f"YAML syntax error: {detail}" + (f" ({exc.context})" if exc.context else ""),
        line,
        column,
        rel,
        _GENERIC_HINT,
    )


def _plain_scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """The unquoted values of a composed document (keys excluded), without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack.extend(value for _key, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.ScalarNode) and not current.style:
            yield current


# ` #1`, ` #hashtag`: a comment sign glued to what follows reads as part of the text.
_CUT = re.compile(r"^(\s+)#(\S.*)$")


def comment_cuts(node: yaml.Node | None, text: str, rel: str) -> list[Diagnostic]:
    """Warn where YAML read the end of an unquoted text as a comment.

    `title: Partnership priority #1 keeping children safe` is the text "Partnership
    priority": everything from ` #` is a comment. A real comment is written `# note`;
    a `#` followed directly by a letter or digit was meant as text.
    """
    if node is None:
        return []
    lines = _lines(text)
    found: list[Diagnostic] = []
    for scalar in _plain_scalars(node):
        end = scalar.end_mark
        rest = _line(lines, end.line + 1)[end.column :]
        match = _CUT.match(rest)
        if not match or not str(scalar.value):
            continue
        lost = "#" + match.group(2).rstrip()
        line_text = _line(lines, end.line + 1)
        key, sep, _ = line_text.strip().partition(": ")
        whole = f"{scalar.value} {lost}"
        example = f'{key}: "{whole}"' if sep else f'"{whole}"'
        found.append(
            YAML_COMMENT_CUT.diagnostic(
                f"the text '{scalar.value}' stops at ' #': YAML reads '{lost}' as a comment, "
                "so it is left out",
                Location(rel, end.line + 1, end.column + len(match.group(1)) + 1),
                f"put the whole text in double quotes: {example}",
            )
        )
    return found
