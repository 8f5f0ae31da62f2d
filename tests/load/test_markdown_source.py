"""Markdown narrative: data references with line numbers, heading rules, no raw HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic, Location
from reportgen.load.markdown_source import (
    BLOCK_KINDS,
    DataRef,
    MarkdownSource,
    load_markdown,
    make_parser,
    parse_markdown,
)

REL = "content/budget.md"

# Budget narrative as a section file would hold it. Line numbers are counted by hand.
BUDGET_NARRATIVE = """\
## Partner contributions

Partners paid {{ budget.income.total }} into the budget in {{ period.label }}.
Spending on salaries rose, so year-end spend was
{{ budget.expenditure.spend }}, which is {{ budget.expenditure.position }}.

{{ table budget.income }}

### Spending

{{ chart budget.expenditure }}

- Children with a plan: {{ indicator.cp_plans.change }}
- Children in need: {{ indicator.cin }}
  (last year {{ indicator.cin.prior }})

| Measure | Figure |
|---|---|
| Attendance | {{ training.attendance_rate }} |
"""


def _parse(text: str) -> tuple[MarkdownSource, list[Diagnostic]]:
    return parse_markdown(text, REL)


def _clean(text: str) -> MarkdownSource:
    source, problems = _parse(text)
    assert problems == []
    return source


def _where(diag: Diagnostic) -> tuple[str, str | None, int | None]:
    assert diag.location is not None
    return (diag.code, diag.location.path, diag.location.line)


def test_references_are_found_with_their_lines() -> None:
    source = _clean(BUDGET_NARRATIVE)
    assert source.refs == [
        DataRef("budget.income.total", None, 3),
        DataRef("period.label", None, 3),
        DataRef("budget.expenditure.spend", None, 5),  # third line of the paragraph
        DataRef("budget.expenditure.position", None, 5),
        DataRef("budget.income", "table", 7),
        DataRef("budget.expenditure", "chart", 11),
        DataRef("indicator.cp_plans.change", None, 13),
        DataRef("indicator.cin", None, 14),
        DataRef("indicator.cin.prior", None, 15),  # continuation line of a list item
        DataRef("training.attendance_rate", None, 19),  # table cell
    ]


def test_reference_deep_in_a_long_paragraph() -> None:
    text = "## Training\n\n" + "".join(f"Line {n} of the paragraph.\n" for n in range(3, 9))
    text += "Attendance was {{ training.attendance_rate }} of 805 bookings.\n"
    assert _clean(text).refs == [DataRef("training.attendance_rate", None, 9)]


def test_reference_in_a_block_quote_keeps_its_line() -> None:
    text = "> Partners paid\n> {{ budget.income.total }} in total.\n"
    assert _clean(text).refs == [DataRef("budget.income.total", None, 2)]


@pytest.mark.parametrize(
    "written",
    ["{{budget.income.total}}", "{{   budget.income.total   }}", "{{ budget.income.total }}"],
)
def test_spacing_inside_braces_is_optional(written: str) -> None:
    assert _clean(f"Income was {written}.\n").refs == [DataRef("budget.income.total", None, 1)]


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_block_kind_on_its_own_line(kind: str) -> None:
    source = _clean(f"## Data\n\nIntro.\n\n{{{{ {kind} indicators.snapshot }}}}\n\nAfter.\n")
    assert source.refs == [DataRef("indicators.snapshot", kind, 5)]
    assert [t.type for t in source.tokens].count("data_block") == 1


def test_block_token_replaces_its_paragraph() -> None:
    source = _clean("{{ table budget.income }}\n")
    assert [t.type for t in source.tokens] == ["data_block"]
    assert source.tokens[0].meta["target"] == "budget.income"
    assert source.tokens[0].meta["kind"] == "table"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("See {{ table budget.income }} for the lines.\n", 1),
        ("Partners paid in full.\nThe table {{ table budget.income }} shows it.\n", 2),
        ("{{ chart budget.expenditure }}\nshows spend against budget.\n", 1),
        ("Spend by type:\n{{ chart budget.expenditure }}\n", 2),
        ("- {{ tiles indicators.snapshot }} are below\n", 1),
    ],
)
def test_block_written_inside_a_sentence_is_an_error(text: str, line: int) -> None:
    source, problems = _parse(text)
    assert [_where(d) for d in problems] == [("content.block-inline", REL, line)]
    assert problems[0].hint == "put a blank line before and after it"
    # It is still listed, so the reference itself is checked too.
    assert len(source.refs) == 1 and source.refs[0].kind is not None


@pytest.mark.parametrize(
    "text",
    [
        "Write `{{ budget.income.total }}` to quote the income.\n",
        "```\n{{ table budget.income }}\n```\n",
        "    {{ table budget.income }}\n",  # indented code block
        "Escaped \\{{ budget.income.total }} braces.\n",
    ],
)
def test_code_and_escaped_braces_are_not_references(text: str) -> None:
    assert _clean(text).refs == []


def test_top_level_heading_is_an_error() -> None:
    text = "Intro.\n\n# Budget\n\nText.\n"
    source, problems = _parse(text)
    assert [_where(d) for d in problems] == [("content.heading-level", REL, 3)]
    assert "'# Budget'" in problems[0].message
    assert source.headings == [(1, "Budget", 3)]


def test_setext_top_level_heading_is_an_error() -> None:
    _, problems = _parse("Intro.\n\nBudget\n======\n")
    assert [_where(d) for d in problems] == [("content.heading-level", REL, 3)]


@pytest.mark.parametrize(
    ("text", "line", "levels"),
    [
        ("## Budget\n\n#### Salaries\n", 3, "from level 2 to 4"),
        ("### Salaries\n", 1, "from level 1 to 3"),  # the section title is level 1
        ("## Budget\n\n### Income\n\n## Spend\n\n#### Salaries\n", 7, "from level 2 to 4"),
    ],
)
def test_skipped_heading_level_is_an_error(text: str, line: int, levels: str) -> None:
    _, problems = _parse(text)
    assert [_where(d) for d in problems] == [("content.heading-skip", REL, line)]
    assert levels in problems[0].message


def test_heading_levels_going_back_up_are_fine() -> None:
    source = _clean("## Income\n\n### Partners\n\n#### ICB\n\n## Spend\n\n### Salaries\n")
    assert [level for level, _, _ in source.headings] == [2, 3, 4, 2, 3]
    assert source.headings[3] == (2, "Spend", 7)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert('x')</script>",
        '<div class="budget">£194,600</div>',
        "<img src=x onerror=alert(1)>",
        "Income was <b>£194,600</b> this year.",
        "<!-- a comment -->",
    ],
)
def test_raw_html_is_text_not_html_tokens(html: str) -> None:
    source = _clean(f"## Budget\n\n{html}\n")
    types = {t.type for t in source.tokens}
    types |= {c.type for t in source.tokens for c in (t.children or [])}
    assert "html_block" not in types
    assert "html_inline" not in types
    text = "".join(c.content for t in source.tokens for c in (t.children or []) if c.type == "text")
    assert "<" in text


def test_raw_html_is_escaped_when_rendered() -> None:
    rendered = make_parser().render("<script>alert('x')</script>\n\nIncome <b>rose</b>.\n")
    assert "<script>" not in rendered
    assert "<b>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&lt;b&gt;rose&lt;/b&gt;" in rendered


def test_load_markdown_drops_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "budget.md"
    path.write_bytes(b"\xef\xbb\xbf" + BUDGET_NARRATIVE.encode("utf-8"))
    source, problems = load_markdown(path, REL)
    assert problems == []
    assert source is not None
    assert source.headings[0] == (2, "Partner contributions", 1)
    assert source.refs == _clean(BUDGET_NARRATIVE).refs


def test_load_markdown_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "budget.md"
    path.write_bytes("## Budget\n\nIncome was \u00a3194,600.\n".encode("cp1252"))
    source, problems = load_markdown(path, REL)
    assert source is None
    (diag,) = problems
    assert diag.code == "load.encoding"
    assert diag.location == Location(REL, 3)  # the line with the cp1252 pound sign


def test_load_markdown_missing_file(tmp_path: Path) -> None:
    source, problems = load_markdown(tmp_path / "absent.md", REL)
    assert source is None
    assert [(d.code, d.location) for d in problems] == [("load.unreadable", Location(REL))]
