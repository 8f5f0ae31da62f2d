"""Loaders against hostile files: values typed by the schema, sizes bounded, no hangs."""

from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.diagnostics import Location
from reportgen.load.csv_source import load_csv, parse_csv
from reportgen.load.files import read_source
from reportgen.load.yaml_source import MAX_BYTES, load_yaml, parse_yaml
from reportgen.model.budget import Budget
from reportgen.pipeline import validate
from tests.hostile.fixtures import BASE


def test_yaml_1_1_implicit_types_stay_text_until_the_schema_types_them() -> None:
    doc, problems = parse_yaml(
        "a: NO\nb: 012\nc: 1:30\nd: .nan\ne: 2024-04-01\nf: yes\ng: 0x1F\nh: 1e3\ni: ~\nj:\n",
        "x.yaml",
    )
    assert problems == [] and doc is not None
    assert doc.data == {
        "a": "NO",
        "b": "012",
        "c": "1:30",
        "d": ".nan",
        "e": "2024-04-01",
        "f": "yes",
        "g": "0x1F",
        "h": "1e3",
        "i": None,
        "j": None,
    }


def test_no_means_no_and_a_leading_zero_is_not_octal(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    config = (root / "report.yaml").read_text().replace("short_name: NSCP", "short_name: NO")
    (root / "report.yaml").write_text(config)
    budget = (root / "data/budget.yaml").read_text().replace("amount: 5000\n", "amount: 05000\n")
    (root / "data/budget.yaml").write_text(budget)
    result = validate(root)
    assert not result.diagnostics.has_errors()
    assert result.project is not None
    assert result.project.config.partnership.short_name == "NO"
    data = result.project.dataset("budget", Budget)
    assert data is not None
    assert data.income.lines[0].amount == Decimal(5000)  # not 2560 (octal), not a float


def test_money_keeps_its_pence_exactly() -> None:
    doc, _ = parse_yaml(
        "year: 2024/25\nincome:\n  lines:\n    - contributor: A\n      amount: 0.10\n"
        "    - contributor: B\n      amount: 0.20\n  total: 0.30\n"
        "expenditure:\n  lines:\n    - item: X\n      budget: 0.30\n      spend: 0.30\n",
        "data/budget.yaml",
    )
    assert doc is not None
    budget = Budget.model_validate(doc.data)
    total = sum((line.amount for line in budget.income.lines), Decimal(0))
    assert total == Decimal("0.30")  # 0.1 + 0.2 != 0.3 in floating point
    assert all(isinstance(line.amount, Decimal) for line in budget.income.lines)


def test_deep_flow_nesting_is_refused_without_recursion(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    doc, problems = load_yaml(path, "deep.yaml")
    assert doc is None
    assert [p.code for p in problems] == ["yaml.too-deep"]


def test_oversized_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    started = time.monotonic()
    doc, problems = load_yaml(path, "big.yaml")
    assert time.monotonic() - started < 1.0
    assert doc is None
    assert [p.code for p in problems] == ["load.too-large"]
    assert f"{MAX_BYTES:,}" in problems[0].message


def test_a_large_but_allowed_yaml_file_parses_in_reasonable_time(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    lines = [f"  - contributor: Partner {i}\n    amount: {i}\n" for i in range(20_000)]
    text = "lines:\n" + "".join(lines)
    assert len(text.encode()) < MAX_BYTES
    path.write_text(text)
    started = time.monotonic()
    doc, problems = load_yaml(path, "large.yaml")
    assert problems == [] and doc is not None
    assert time.monotonic() - started < 30


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    started = time.monotonic()
    table, problems = load_csv(fifo, "pipe.csv")
    assert time.monotonic() - started < 1.0
    assert table is None
    assert [p.code for p in problems] == ["load.not-a-file"]


def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    data, problems = read_source(link, "zero.yaml", 1000, root=Path("/dev"))
    assert data is None
    assert [p.code for p in problems] == ["load.not-a-file"]


def test_a_symlink_inside_the_project_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "data").mkdir(parents=True)
    (root / "shared.yaml").write_text("year: 2024/25\n")
    (root / "data" / "budget.yaml").symlink_to(root / "shared.yaml")
    doc, problems = load_yaml(root / "data" / "budget.yaml", "data/budget.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"year": "2024/25"}


def test_byte_order_mark_csv_is_exactly_the_same_table() -> None:
    text = "course,occurrences\nChemsex,1\nForced Marriage,2\n"
    plain, _ = parse_csv(text, "x.csv")
    # What load_csv sees after decoding a file that starts with a UTF-8 BOM.
    with_bom, _ = parse_csv(("\ufeff" + text).encode("utf-8").decode("utf-8-sig"), "x.csv")
    assert plain is not None and with_bom is not None
    assert (plain.header, plain.records) == (with_bom.header, with_bom.records)
    assert plain.source_map.positions == with_bom.source_map.positions


def test_byte_order_mark_csv_file_loads_like_without(tmp_path: Path) -> None:
    text = "course,occurrences\nChemsex,1\n"
    (tmp_path / "a.csv").write_bytes(text.encode())
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    a, _ = load_csv(tmp_path / "a.csv", "x.csv")
    b, _ = load_csv(tmp_path / "b.csv", "x.csv")
    assert a is not None and b is not None
    assert (
        (a.header, a.records)
        == (b.header, b.records)
        == (
            ["course", "occurrences"],
            [{"course": "Chemsex", "occurrences": "1"}],
        )
    )


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x02", "\x9b"])
def test_control_characters_in_yaml_are_located(char: str) -> None:
    doc, problems = parse_yaml(f"title: Report\nlabel: ab{char}cd\n", "data/x.yaml")
    assert doc is None
    (problem,) = problems
    assert problem.code == "yaml.control-character"
    assert problem.location == Location("data/x.yaml", 2, 10)
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_neither_shift_lines_nor_change_values(separator: str) -> None:
    doc, problems = parse_yaml(f"a: one{separator}two\nb: [1,\n  2]\nc: x\n", "x.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"a": f"one{separator}two", "b": ["1", "2"], "c": "x"}
    assert doc.source_map.positions[("c",)].line == 4
    _, broken = parse_yaml(f"a: one{separator}two\nb: x\n  c: y\nd: z\n", "x.yaml")
    assert [p.location for p in broken] == [Location("x.yaml", 3, 4)]
