"""Shared field types: money, counts, percentages, year labels, ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from reportgen.model.common import (
    Count,
    Money,
    Number,
    Percent,
    PeriodLabel,
    Rag,
    Record,
    Slug,
    Text,
)


def _adapt(kind: Any, value: object) -> Any:
    return TypeAdapter(kind).validate_python(value)


def _message(kind: Any, value: object) -> str:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(kind).validate_python(value)
    (error,) = info.value.errors()
    return str(error["msg"])


# --- Money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("5000", Decimal(5000)),  # Barts Health
        ("107000", Decimal(107000)),  # LBN - CSC
        ("£50,000", Decimal(50000)),  # ICB, as printed
        ("194,600", Decimal(194600)),
        ("£1,234.50", Decimal("1234.50")),
        (" £5,500 ", Decimal(5500)),
        ("0.10", Decimal("0.10")),
        (2100, Decimal(2100)),
    ],
)
def test_money_accepts_amounts_as_written(written: object, expected: Decimal) -> None:
    amount = _adapt(Money, written)
    assert amount == expected
    assert isinstance(amount, Decimal)


def test_money_keeps_pence_exactly() -> None:
    # Sum of 0.10 ten times is exactly 1.00 with Decimal, not 0.9999999999999999.
    total = sum((_adapt(Money, "0.10") for _ in range(10)), Decimal(0))
    assert total == Decimal("1.00")


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("12.345", "at most 2 decimal places"),
        ("£1,234.567", "at most 2 decimal places"),
        ("abc", "expected an amount of money"),
        ("five thousand", "expected an amount of money"),
        ("", "expected an amount of money"),
        ("£", "expected an amount of money"),
        ("1.5e3", "expected an amount of money"),
        ("NaN", "expected an amount of money"),
        (None, "expected an amount of money"),
    ],
)
def test_money_rejects_non_amounts(written: object, fragment: str) -> None:
    assert fragment in _message(Money, written)


@pytest.mark.parametrize("flag", [True, False])
def test_money_rejects_booleans(flag: bool) -> None:
    assert "got yes/no" in _message(Money, flag)


@pytest.mark.parametrize("written", ["12,34", "1,2,3", "5,"])
def test_money_rejects_misplaced_thousands_separators(written: str) -> None:
    with pytest.raises(ValidationError):
        _adapt(Money, written)


# --- Count -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("260", 260), ("1,286", 1286), ("18,423", 18423), ("0", 0), ("805", 805), (547, 547)],
)
def test_count_accepts_whole_numbers(written: object, expected: int) -> None:
    value = _adapt(Count, written)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("-1", "expected zero or more"),
        ("2.5", "expected a whole number"),
        ("1e3", "expected a whole number"),
        ("about 350", "expected a whole number"),
        (True, "got yes/no"),
    ],
)
def test_count_rejects(written: object, fragment: str) -> None:
    assert fragment in _message(Count, written)


# --- Percent and Number -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0", Decimal(0)),
        ("70", Decimal(70)),
        ("40%", Decimal(40)),
        ("100", Decimal(100)),
        ("53.5", Decimal("53.5")),
    ],
)
def test_percent_accepts_0_to_100(written: str, expected: Decimal) -> None:
    assert _adapt(Percent, written) == expected


@pytest.mark.parametrize("written", ["100.1", "101%", "-0.1", "-5"])
def test_percent_rejects_out_of_range(written: str) -> None:
    assert "a percentage from 0 to 100" in _message(Percent, written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("32.1", Decimal("32.1")), ("39.7", Decimal("39.7")), ("1,286", Decimal(1286))],
)
def test_number_keeps_decimal_digits(written: str, expected: Decimal) -> None:
    value = _adapt(Number, written)
    assert value == expected
    assert str(value) == written.replace(",", "")


# --- PeriodLabel ------------------------------------------------------------------


@pytest.mark.parametrize("label", ["2024/25", "2023/24", "1999/00"])
def test_period_label_accepts_consecutive_years(label: str) -> None:
    assert _adapt(PeriodLabel, label) == label


def test_period_label_rejects_non_consecutive_years_with_suggestion() -> None:
    message = _message(PeriodLabel, "2024/26")
    assert "'2024/26' is not two consecutive years" in message
    assert "did you mean 2024/25?" in message


@pytest.mark.parametrize("label", ["2024-25", "24/25", "2024/2025", "2024", "FY2024/25"])
def test_period_label_rejects_other_shapes_with_example(label: str) -> None:
    message = _message(PeriodLabel, label)
    assert "expected a year label such as 2024/25" in message
    assert f"got '{label}'" in message


# --- Slug, Text, Rag, Record ------------------------------------------------------


@pytest.mark.parametrize("ident", ["newham", "cp_plans", "lbn-csc", "2024", "csa"])
def test_slug_accepts_ids(ident: str) -> None:
    assert _adapt(Slug, ident) == ident


@pytest.mark.parametrize("ident", ["Newham", "cp plans", "_hidden", "-x", "lbn/csc", ""])
def test_slug_rejects(ident: str) -> None:
    assert "expected an id of lower-case letters" in _message(Slug, ident)


def test_text_must_not_be_empty() -> None:
    with pytest.raises(ValidationError):
        _adapt(Text, "")


def test_rag_values() -> None:
    assert [r.value for r in Rag] == ["red", "amber", "green", "complete", "not_started"]
    assert Rag("amber") is Rag.AMBER


class _Line(Record):
    contributor: Text
    amount: Money


def test_record_trims_whitespace_forbids_unknown_keys_and_is_frozen() -> None:
    line = _Line.model_validate({"contributor": "  ICB  ", "amount": "50000"})
    assert line.contributor == "ICB"
    with pytest.raises(ValidationError) as info:
        _Line.model_validate({"contributor": "ICB", "amount": "50000", "amont": "1"})
    assert [e["type"] for e in info.value.errors()] == ["extra_forbidden"]
    with pytest.raises(ValidationError):
        line.amount = Decimal(1)  # type: ignore[misc]
