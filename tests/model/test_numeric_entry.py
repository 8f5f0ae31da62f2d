"""Figures as business managers type them: every mistake refused with what to type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from reportgen.model.common import MAX_COUNT, Count, Money, Number, Percent, count_problem
from reportgen.model.indicators import Indicator


def _message(kind: Any, value: object) -> str:
    with pytest.raises(ValidationError) as info:
        TypeAdapter(kind).validate_python(value)
    (error,) = info.value.errors()
    return str(error["msg"])


@pytest.mark.parametrize(
    ("typed", "plain", "commas"),
    [("9.250", "9250", "9,250"), ("1.200", "1200", "1,200"), ("1.234.567", "1234567", "1,234,567")],
)
def test_count_with_a_dot_thousands_separator_says_what_to_type(
    typed: str, plain: str, commas: str
) -> None:
    message = _message(Count, typed)
    assert "thousands separator" in message
    assert f"type {plain} or {commas}" in message


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("12%", "type the count"),
        ("-20", "cannot be negative"),
        ("2.5", "expected a whole number"),
        ("£300", "amount of money"),
        ("9" * 5000, "5000 digits"),
        (str(MAX_COUNT + 1), "more than 1,000,000,000"),
    ],
)
def test_count_mistakes_are_refused_in_plain_words(typed: str, fragment: str) -> None:
    message = _message(Count, typed)
    assert fragment in message
    assert len(message) < 300  # a runaway value is not quoted whole


def test_count_problem_is_none_for_good_counts() -> None:
    assert count_problem("9,250") is None
    assert count_problem("9250") is None


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("£1.200", "thousands separator"),
        ("9" * 5000, "5000 digits"),
        ("20000000000", "more than £10,000,000,000"),
    ],
)
def test_money_mistakes(typed: str, fragment: str) -> None:
    assert fragment in _message(Money, typed)


@pytest.mark.parametrize("kind", [Number, Percent])
def test_huge_numbers_are_refused_not_a_crash(kind: Any) -> None:
    assert "5000 digits" in _message(kind, "1" * 5000)


def _indicator(unit: str, value: object, **extra: object) -> dict[str, object]:
    return {
        "id": "contacts",
        "label": "contacts",
        "group": "g",
        "unit": unit,
        "value": value,
        **extra,
    }


def _indicator_error(data: dict[str, object]) -> tuple[tuple[object, ...], str]:
    with pytest.raises(ValidationError) as info:
        Indicator.model_validate(data)
    (error,) = info.value.errors()
    return tuple(error["loc"]), str(error["msg"])


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("9.250", "type 9250 or 9,250"),
        ("12%", "type the count"),
        ("-20", "cannot be negative"),
        ("2.5", "expected a whole number"),
    ],
)
def test_count_indicator_values_are_whole_and_not_negative(value: str, fragment: str) -> None:
    loc, message = _indicator_error(_indicator("count", value))
    assert loc == ("value",)  # located at the value, not somewhere downstream
    assert fragment in message


def test_count_indicator_prior_and_comparators_are_checked_too() -> None:
    loc, message = _indicator_error(_indicator("count", "10", prior="8.870"))
    assert loc == ("prior",)
    assert "type 8870 or 8,870" in message
    loc, message = _indicator_error(_indicator("count", "10", comparators={"england": "2.5"}))
    assert loc == ("comparators",)
    assert "comparator 'england'" in message


@pytest.mark.parametrize(
    ("unit", "value", "fragment"),
    [
        ("rate_per_10k", "41%", "type the rate"),
        ("rate_per_10k", "-3", "zero or more"),
        ("money", "£1.200", "thousands separator"),
    ],
)
def test_each_unit_refuses_what_it_cannot_hold(unit: str, value: str, fragment: str) -> None:
    _loc, message = _indicator_error(_indicator(unit, value))
    assert fragment in message


@pytest.mark.parametrize(
    ("unit", "value"),
    [("count", "9,250"), ("percent", "12.500"), ("rate_per_10k", "41.2"), ("number", "-2.5")],
)
def test_each_unit_accepts_what_it_holds(unit: str, value: str) -> None:
    indicator = Indicator.model_validate(_indicator(unit, value))
    assert indicator.value == Decimal(value.replace(",", ""))
