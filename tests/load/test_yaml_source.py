"""YAML loader: scalars stay strings, every value keeps its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic, Location
from reportgen.load import yaml_source
from reportgen.load.positions import UnrecordedPosition
from reportgen.load.yaml_source import MAX_DEPTH, YamlDocument, load_yaml, parse_yaml

REL = "data/budget.yaml"

# The opening of the Newham 2024/25 budget, small enough to count lines and columns by hand.
BUDGET_HEAD = """\
year: 2024/25
income:
  lines:
    - contributor: Barts Health
      amount: 5000
    - contributor: LBN - CSC
      amount: 107000
      note: not including overheads
  total: 194600
"""


def _ok(text: str) -> YamlDocument:
    doc, problems = parse_yaml(text, REL)
    assert problems == []
    assert doc is not None
    return doc


def _fail(text: str) -> Diagnostic:
    doc, problems = parse_yaml(text, REL)
    assert doc is None
    assert len(problems) == 1, problems
    return problems[0]


# --- scalars ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("NO", "NO"),  # YAML 1.1 would make this False (the "Norway problem")
        ("no", "no"),
        ("yes", "yes"),
        ("true", "true"),
        ("012", "012"),  # an octal int in YAML 1.1; a code with a leading zero here
        ("1:30", "1:30"),  # a sexagesimal int (90) in YAML 1.1
        (".nan", ".nan"),
        (".inf", ".inf"),
        ("2025-03-31", "2025-03-31"),  # a date object in YAML 1.1
        ("194600", "194600"),
        ("32.1", "32.1"),  # a rate must never pass through float
        ("1e3", "1e3"),
        ("£5,000", "£5,000"),
        ("'0.10'", "0.10"),
        ('"NO"', "NO"),
    ],
)
def test_scalars_stay_strings(written: str, expected: str) -> None:
    doc = _ok(f"value: {written}\n")
    assert doc.data == {"value": expected}
    assert type(doc.data["value"]) is str


@pytest.mark.parametrize(
    "written", ["value:", "value: ~", "value: null", "value: Null", "value: NULL"]
)
def test_unquoted_null_and_empty_become_none(written: str) -> None:
    assert _ok(written + "\n").data == {"value": None}


@pytest.mark.parametrize(
    ("written", "expected"),
    [("value: ''", ""), ("value: 'null'", "null"), ('value: "~"', "~"), ("value: !!str", "")],
)
def test_quoted_or_tagged_null_words_stay_text(written: str, expected: str) -> None:
    assert _ok(written + "\n").data == {"value": expected}


def test_collections_are_plain_dicts_and_lists() -> None:
    doc = _ok(BUDGET_HEAD)
    assert doc.data == {
        "year": "2024/25",
        "income": {
            "lines": [
                {"contributor": "Barts Health", "amount": "5000"},
                {
                    "contributor": "LBN - CSC",
                    "amount": "107000",
                    "note": "not including overheads",
                },
            ],
            "total": "194600",
        },
    }


# --- positions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        ((), 1, 1),
        (("year",), 1, 7),  # 'year: ' is 6 characters
        (("income", "lines", 0, "contributor"), 4, 20),  # '    - contributor: ' is 19
        (("income", "lines", 0, "amount"), 5, 15),  # '      amount: ' is 14
        (("income", "lines", 1, "amount"), 7, 15),
        (("income", "lines", 1, "note"), 8, 13),
        (("income", "total"), 9, 10),  # '  total: ' is 9
    ],
)
def test_scalar_values_are_located_at_the_value(
    path: tuple[str | int, ...], line: int, column: int
) -> None:
    assert _ok(BUDGET_HEAD).source_map.locate(path) == Location(REL, line, column)


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("income",), 2, 1),  # the block starts on line 3; its key is on line 2
        (("income", "lines"), 3, 3),
        (("income", "lines", 0), 4, 7),  # a list item: where its mapping starts
        (("income", "lines", 1), 6, 7),
    ],
)
def test_nested_blocks_are_located_at_their_key_or_item(
    path: tuple[str | int, ...], line: int, column: int
) -> None:
    assert _ok(BUDGET_HEAD).source_map.locate(path) == Location(REL, line, column)


def test_keys_are_located_separately_from_their_values() -> None:
    smap = _ok(BUDGET_HEAD).source_map
    assert smap.locate_key(("income", "total")) == Location(REL, 9, 3)
    assert smap.locate_key(("income", "lines", 1, "note")) == Location(REL, 8, 7)


def test_nearest_falls_back_to_the_nearest_written_parent() -> None:
    smap = _ok(BUDGET_HEAD).source_map
    # Housing (5500) is not in this file: a missing field is reported at its item.
    assert smap.nearest(("income", "lines", 1, "partner")) == Location(REL, 6, 7)
    assert smap.nearest(("expenditure", "total_spend")) == Location(REL, 1, 1)


def test_locate_refuses_a_path_never_recorded() -> None:
    smap = _ok(BUDGET_HEAD).source_map
    assert smap.locate(("income", "lines", 1)) == Location(REL, 6, 7)
    # A path typed wrong must not quietly give its parent's plausible line.
    with pytest.raises(UnrecordedPosition, match="'partner'"):
        smap.locate(("income", "lines", 1, "partner"))


def test_null_value_is_still_located() -> None:
    smap = _ok("year: 2024/25\nincome:\n  total:\n").source_map
    assert smap.locate(("income", "total")) == Location(REL, 3, 9)


# --- errors -----------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    text = BUDGET_HEAD + "  total: 202900\n"
    diag = _fail(text)
    assert diag.code == "yaml.duplicate-key"
    assert diag.location == Location(REL, 10, 3)
    assert "'total'" in diag.message
    assert "first on line 9" in diag.message


def test_duplicate_top_level_key() -> None:
    diag = _fail(BUDGET_HEAD + "year: 2023/24\n")
    assert (diag.code, diag.location) == ("yaml.duplicate-key", Location(REL, 10, 1))
    assert "first on line 1" in diag.message


def test_same_key_in_different_items_is_not_a_duplicate() -> None:
    doc = _ok(BUDGET_HEAD)
    assert [line["amount"] for line in doc.data["income"]["lines"]] == ["5000", "107000"]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # A colon inside unquoted text: the second ': ' is at column 21.
        ("title: Annual Report: 2024/25\n", 1, 21),
        # A tab used for indentation on line 2.
        ("income:\n\ttotal: 194600\n", 2, 1),
        # 'lines' indented by one space under a two-space block, on line 4.
        ("year: 2024/25\nincome:\n  total: 194600\n lines: []\n", 4, 2),
        # Two documents in one file: the second starts on line 2.
        ("year: 2024/25\n---\nyear: 2023/24\n", 2, 1),
    ],
)
def test_syntax_error_has_line_and_column(text: str, line: int, column: int) -> None:
    diag = _fail(text)
    assert diag.code == "yaml.syntax"
    assert diag.location == Location(REL, line, column)
    assert f"line {line}" in diag.message  # in plain words (reportgen.load.yaml_advice)
    assert diag.hint is not None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("base: &money 5000\nline:\n  amount: *money\n", 1),
        ("defaults: &line\n  amount: 5000\nlines:\n  - <<: *line\n    contributor: ICB\n", 1),
        ("year: 2024/25\nincome: &income\n  total: 194600\n", 2),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, line: int) -> None:
    doc, problems = parse_yaml(text, REL)
    assert doc is None
    assert [(d.code, d.location.path if d.location else None) for d in problems] == [
        ("yaml.anchor", REL)
    ]
    assert problems[0].location is not None
    assert problems[0].location.line == line


def test_undefined_alias_is_refused_at_the_alias() -> None:
    diag = _fail("year: 2024/25\ntotal: *income_total\n")
    assert diag.code == "yaml.anchor"
    assert diag.location == Location(REL, 2, 8)


@pytest.mark.parametrize(
    ("text", "tag", "line", "column"),
    [
        ("amount: !money 5000\n", "!money", 1, 9),
        ("year: 2024/25\nincome: !Ref\n  total: 194600\n", "!Ref", 2, 9),
        ('run: !!python/object/apply:os.system ["ls"]\n', "python/object/apply:os.system", 1, 6),
        ("logo: !!binary aGVsbG8=\n", "binary", 1, 7),
        ("ids: !!set {lbn, icb}\n", "set", 1, 6),
    ],
)
def test_custom_and_non_standard_tags_are_refused(
    text: str, tag: str, line: int, column: int
) -> None:
    diag = _fail(text)
    assert diag.code == "yaml.tag"
    assert diag.location == Location(REL, line, column)
    assert tag in diag.message


def test_complex_key_is_refused() -> None:
    diag = _fail("? [lbn, icb]\n: 5000\n")
    assert (diag.code, diag.location) == ("yaml.key", Location(REL, 1, 3))


def _nested_flow(depth: int) -> str:
    return "data: " + "[" * depth + "]" * depth + "\n"


def test_nesting_at_the_limit_is_accepted() -> None:
    # The mapping is depth 0, so MAX_DEPTH brackets put the innermost list at the limit.
    doc = _ok(_nested_flow(MAX_DEPTH))
    value = doc.data["data"]
    for _ in range(MAX_DEPTH - 1):
        (value,) = value
    assert value == []


def test_nesting_past_the_limit_is_refused_at_the_deep_node() -> None:
    diag = _fail(_nested_flow(MAX_DEPTH + 1))
    assert diag.code == "yaml.too-deep"
    # 'data: ' is 6 characters; bracket number 51 (depth 51) is at column 6 + 51.
    assert diag.location == Location(REL, 1, 6 + MAX_DEPTH + 1)


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "end: 1\n"
    diag = _fail(text)
    assert diag.code == "yaml.too-deep"
    # The mapping at depth d starts on line d + 1, indented 2 * d: depth 51 is line 52.
    assert diag.location == Location(REL, 52, 2 * 51 + 1)


def test_very_deep_nesting_is_a_diagnostic_not_a_crash() -> None:
    diag = _fail(_nested_flow(1000))
    assert diag.code == "yaml.too-deep"
    assert diag.location is not None
    assert (diag.location.path, diag.location.line) == (REL, 1)


# --- files ------------------------------------------------------------------------


def test_byte_order_mark_is_dropped_and_positions_do_not_shift(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    bom = tmp_path / "bom.yaml"
    plain.write_bytes(BUDGET_HEAD.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + BUDGET_HEAD.encode("utf-8"))
    doc_plain, p1 = load_yaml(plain, REL)
    doc_bom, p2 = load_yaml(bom, REL)
    assert p1 == p2 == []
    assert doc_plain is not None and doc_bom is not None
    assert doc_bom.data == doc_plain.data
    assert "year" in doc_bom.data  # not '\ufeffyear'
    assert doc_bom.source_map.positions == doc_plain.source_map.positions
    assert doc_bom.source_map.locate(("year",)) == Location(REL, 1, 7)


def test_non_utf8_file_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    # Saved as Windows-1252: '£' is the single byte 0xA3.
    path.write_bytes("year: 2024/25\nnote: paid \u00a35,000\n".encode("cp1252"))
    doc, problems = load_yaml(path, REL)
    assert doc is None
    (diag,) = problems
    assert diag.code == "load.encoding"
    assert diag.location is not None and diag.location.path == REL
    # 'year: 2024/25\n' is 14 bytes and 'note: paid ' 11 more: the bad byte is at 25.
    assert "line 2" in diag.message
    assert diag.hint is not None and "UTF-8" in diag.hint


def test_non_utf8_file_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    path.write_bytes("year: 2024/25\nnote: paid \u00a35,000\n".encode("cp1252"))
    _, problems = load_yaml(path, REL)
    (diag,) = problems
    assert diag.location is not None
    assert (diag.code, diag.location.path, diag.location.line) == ("load.encoding", REL, 2)


@pytest.mark.parametrize("text", ["", "\n\n", "# budget.yaml: nothing yet\n"])
def test_empty_file_loads_as_none(tmp_path: Path, text: str) -> None:
    path = tmp_path / "budget.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = load_yaml(path, REL)
    assert problems == []
    assert doc is not None
    assert doc.data is None
    assert doc.source_map.locate(()) == Location(REL, 1, 1)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    doc, problems = load_yaml(tmp_path / "absent.yaml", REL)
    assert doc is None
    assert [(d.code, d.location) for d in problems] == [("load.unreadable", Location(REL))]


def test_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_source, "MAX_BYTES", 100)
    path = tmp_path / "budget.yaml"
    path.write_text(BUDGET_HEAD, encoding="utf-8")
    assert len(BUDGET_HEAD.encode()) > 100
    doc, problems = load_yaml(path, REL)
    assert doc is None
    assert [(d.code, d.location) for d in problems] == [("load.too-large", Location(REL))]
    assert "the limit is 100" in problems[0].message
