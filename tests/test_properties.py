"""Property tests: whatever the input, the loaders and `validate` answer with a result
or reportgen diagnostics, never another exception.

Inputs are arbitrary text plus text built from the characters that matter to each
format (YAML indicators, CSV quotes and separators, Markdown links and braces), so
Hypothesis reaches the parsers' error paths, not just plain words. Bounded in examples
and time so the suite stays fast; raise `REPORTGEN_FUZZ_EXAMPLES` for a longer run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.diagnostics import Diagnostic, DiagnosticList, ReportgenError, Severity
from reportgen.load.csv_source import cell_advice, parse_csv
from reportgen.load.markdown_source import parse_markdown
from reportgen.load.tables import crosstab_from_csv
from reportgen.load.yaml_source import parse_yaml
from reportgen.pipeline import validate

EXAMPLES = int(os.environ.get("REPORTGEN_FUZZ_EXAMPLES", "150"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
BASE = Path(__file__).parent / "hostile" / "base"


def _text_from(pieces: list[str]) -> st.SearchStrategy[str]:
    """Text mixing arbitrary characters with the tokens that matter to a format."""
    token = st.one_of(st.sampled_from(pieces), st.text(max_size=8))
    return st.lists(token, max_size=60).map("".join)


YAML_PIECES = [
    "\n",
    "  ",
    "- ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "!tag ",
    "<<: ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">",
    "---",
    "...",
    "%YAML 1.1",
    "\t",
    "key",
    "value",
    "NO",
    "012",
    "1:30",
    ".nan",
    "2024-04-01",
    "~",
    "null",
    "\\",
    "\x00",
    "\ufeff",
    "£1,234",
]
CSV_PIECES = [
    ",",
    "\n",
    "\r\n",
    '"',
    '""',
    ";",
    "\t",
    "£1,234",
    "45%",
    "NA",
    "#N/A",
    " ",
    "Total",
    "1,2,3",
    "12",
    "0",
    "-1",
    "\ufeff",
    "\x00",
    "\r",
]
MD_PIECES = [
    "\n",
    "\n\n",
    "# ",
    "## ",
    "#### ",
    "{{ ",
    " }}",
    "{{ table budget.income }}",
    "{{ chart x }}",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "<script>",
    "javascript:",
    "../",
    "data:",
    "http://x",
    "`",
    "*",
    "_",
    "|",
    "---",
    "&#106;",
    "\\",
    "    ",
    "> ",
]


def _only_diagnostics(problems: list[Diagnostic]) -> None:
    for problem in problems:
        assert isinstance(problem, Diagnostic)
        assert problem.code and problem.message


@PROFILE
@given(st.one_of(st.text(), _text_from(YAML_PIECES)))
def test_yaml_loader_gives_a_document_or_diagnostics(text: str) -> None:
    document, problems = parse_yaml(text, "data/x.yaml")
    _only_diagnostics(problems)
    assert (document is None) == bool(problems)
    if document is not None:
        _assert_plain(document.data)


def _assert_plain(value: object) -> None:
    """Loaded YAML is strings, None, lists and string-keyed dicts: the schema types it."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            _assert_plain(item)
    else:
        assert value is None or isinstance(value, str)


@PROFILE
@given(st.one_of(st.text(), _text_from(CSV_PIECES)))
def test_csv_loader_gives_a_table_or_diagnostics(text: str) -> None:
    table, problems = parse_csv(text, "data/x.csv")
    _only_diagnostics(problems)
    # A table may come with notes (a skipped title row, say), never with errors.
    assert (table is None) == any(p.severity is Severity.ERROR for p in problems)
    if table is not None:
        for record in table.records:
            assert list(record) == table.header
        diags = DiagnosticList()
        crosstab = crosstab_from_csv(table, diags)
        _only_diagnostics(list(diags))
        if crosstab is None:
            assert diags.has_errors()
        else:
            # One bad cell keeps the table: each error is one cell the table marks as
            # unreadable (shown as typed, its totals "?"), never a figure read from it.
            errors = [d for d in diags if d.severity is Severity.ERROR]
            assert len(errors) == len(crosstab.unreadable)


@PROFILE
@given(st.one_of(st.text(max_size=40), _text_from(CSV_PIECES)))
def test_cell_advice_never_fails(cell: str) -> None:
    advice = cell_advice(cell)
    assert advice is None or all(isinstance(part, str) and part for part in advice)


@PROFILE
@given(st.one_of(st.text(), _text_from(MD_PIECES)))
def test_markdown_loader_and_renderer_never_fail(text: str) -> None:
    from reportgen.render.markdown import render_inline, render_narrative

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source, problems = parse_markdown(text, "content/x.md", root)
        _only_diagnostics(problems)
        html = render_narrative(source, "x", lambda target: "FIG", lambda kind, target: "")
    assert "<script" not in html
    assert "javascript:" not in html.lower() or 'href="javascript:' not in html.lower()
    inline = render_inline(text)
    assert "<script" not in inline and "<img" not in inline


FILES = ["report.yaml", "data/budget.yaml", "data/training-courses.csv", "content/budget.md"]


@settings(PROFILE, max_examples=max(EXAMPLES // 3, 10))
@given(
    st.sampled_from(FILES),
    st.one_of(
        st.text(max_size=400),
        _text_from(YAML_PIECES),
        _text_from(CSV_PIECES),
        _text_from(MD_PIECES),
    ),
    st.booleans(),
)
def test_validate_gives_a_result_or_diagnostics(name: str, text: str, as_bytes: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(BASE, root)
        data = text.encode("utf-8", "surrogatepass")
        if as_bytes:  # the same text as a spreadsheet might save it
            data = text.encode("cp1252", "replace")
        (root / name).write_bytes(data)
        try:
            result = validate(root)
        except ReportgenError as exc:
            _only_diagnostics(list(exc.diagnostics))
            return
        _only_diagnostics(list(result.diagnostics))
