"""YAML mistakes in plain words, at the line the person has to change."""

from __future__ import annotations

import pytest

from reportgen.diagnostics import Diagnostic, Severity
from reportgen.load.yaml_source import parse_yaml

REL = "data/x.yaml"


def _error(text: str) -> Diagnostic:
    doc, problems = parse_yaml(text, REL)
    assert doc is None
    (diag,) = problems
    assert diag.code == "yaml.syntax"
    assert diag.location is not None and diag.hint
    # PyYAML's own wording never reaches the person.
    for jargon in ("mapping values", "indicator", "block collection", "scanning", "token"):
        assert jargon not in diag.message
    return diag


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        # The colon is missing on line 2; PyYAML only notices on line 3.
        (
            "partnership:\n  name Riverside\n  short_name: RSCP\n",
            2,
            "line 2 has no colon after its key",
            "name: Riverside",
        ),
        (
            "title: Annual report: 2024\n",
            1,
            "contains ': '",
            'title: "Annual report: 2024"',
        ),
        (
            "sections:\n  - id: a\n    title: A\n   - id: b\n",
            4,
            "does not line up with the list above it",
            "column 3",
        ),
        ("partnership:\n\tname: Foo\n", 2, "contains a tab", "replace the tab with spaces"),
        ('title: "Annual report\nlanguage: en\n', 1, "never closed", 'closing "'),
        ("title: 'Annual report\nlanguage: en\n", 1, "never closed", "closing '"),
        ('title: "Annual" report\n', 1, "more text after the closing quote", "quote the whole"),
        ("partnership:\n  name: Foo\n short_name: X\n", 3, "indented differently", "column 3"),
        ("title: @home\n", 1, "starts with '@'", 'title: "@home"'),
        ("items: [a, b\nx: 1\n", 1, "never closed with ']'", "add ']'"),
    ],
)
def test_syntax_errors_are_explained_at_the_line_to_change(
    text: str, line: int, message: str, hint: str
) -> None:
    diag = _error(text)
    assert diag.location is not None and diag.location.line == line
    assert message in diag.message
    assert diag.hint is not None and hint in diag.hint


def test_text_cut_at_a_hash_is_a_warning_naming_what_was_lost() -> None:
    text = "title: Partnership priority #1 keeping children safe\nyear: 2024/25\n"
    doc, problems = parse_yaml(text, REL)
    assert doc is not None and doc.data["title"] == "Partnership priority"
    (diag,) = problems
    assert (diag.code, diag.severity) == ("yaml.comment-cut", Severity.WARNING)
    assert diag.location is not None and (diag.location.line, diag.location.column) == (1, 29)
    assert "'#1 keeping children safe'" in diag.message
    assert diag.hint is not None
    assert 'title: "Partnership priority #1 keeping children safe"' in diag.hint


@pytest.mark.parametrize(
    "text",
    [
        "title: Annual report  # a note for colleagues\n",
        "title: 'Priority #1'\n",
        'title: "Priority #1"\n',
        "# a comment\ntitle: Annual report\n",
        "items:\n  - one # two\n",
    ],
)
def test_real_comments_and_quoted_hashes_are_not_warned_about(text: str) -> None:
    doc, problems = parse_yaml(text, REL)
    assert doc is not None
    assert problems == []


def test_list_item_cut_at_a_hash_is_found_too() -> None:
    doc, problems = parse_yaml("uses:\n  - Campaign #SafeAtHome\n", REL)
    assert doc is not None
    (diag,) = problems
    assert "'#SafeAtHome'" in diag.message
    assert diag.hint is not None and '"Campaign #SafeAtHome"' in diag.hint
