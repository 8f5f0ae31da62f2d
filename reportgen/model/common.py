"""Shared field types: money, counts, percentages, periods, identifiers, RAG."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


class Record(BaseModel):
    """Base for every schema: strict keys, immutable, whitespace trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# Thousands separators only in the right places: 1,286 yes; 12,34 or 1,2,3 no.
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


def _clean_number(value: Any, what: str, strip: str = "") -> Any:
    """Accept '1,234', '£1,234.50', '45%' as spreadsheets write them; never floats."""
    if isinstance(value, bool):
        raise ValueError(f"expected {what}, got yes/no")
    if isinstance(value, float):
        # Floats lose pennies; the YAML/CSV loaders never produce them.
        value = repr(value)
    if isinstance(value, int | Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected {what}, got {type(value).__name__}")
    text = value.strip()
    for ch in strip:
        text = text.replace(ch, "")
    text = text.strip()
    if not _NUMBER.match(text):
        raise ValueError(f"expected {what}, got '{value}'")
    return text.replace(",", "")


def _to_money(value: Any) -> Decimal:
    text = _clean_number(value, "an amount of money such as 5000 or £5,000", strip="£")
    try:
        amount = Decimal(str(text))
    except InvalidOperation as exc:
        raise ValueError(f"expected an amount of money, got '{value}'") from exc
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"expected at most 2 decimal places (pence), got '{value}'")
    return amount


def _to_count(value: Any) -> int:
    text = _clean_number(value, "a whole number such as 260")
    try:
        number = Decimal(str(text))
    except InvalidOperation as exc:
        raise ValueError(f"expected a whole number, got '{value}'") from exc
    if number != number.to_integral_value():
        raise ValueError(f"expected a whole number, got '{value}'")
    if number < 0:
        raise ValueError(f"expected zero or more, got '{value}'")
    return int(number)


def _to_decimal(value: Any) -> Decimal:
    text = _clean_number(value, "a number such as 32.1", strip="%")
    return Decimal(str(text))


def _to_percent(value: Any) -> Decimal:
    number = _to_decimal(value)
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"expected a percentage from 0 to 100, got '{value}'")
    return number


Money = Annotated[Decimal, BeforeValidator(_to_money)]
Count = Annotated[int, BeforeValidator(_to_count)]
Number = Annotated[Decimal, BeforeValidator(_to_decimal)]
Percent = Annotated[Decimal, BeforeValidator(_to_percent)]

_PERIOD = re.compile(r"^(\d{4})/(\d{2})$")


def _check_period(value: str) -> str:
    match = _PERIOD.match(value)
    if not match:
        raise ValueError(f"expected a year label such as 2024/25, got '{value}'")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        suggestion = f"{start}/{(start + 1) % 100:02d}"
        raise ValueError(f"'{value}' is not two consecutive years (did you mean {suggestion}?)")
    return value


PeriodLabel = Annotated[str, AfterValidator(_check_period)]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"expected an id of lower-case letters, digits, '-' or '_', got '{value}'")
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]
Text = Annotated[str, Field(min_length=1)]


class Rag(StrEnum):
    """Red / amber / green progress status, plus complete and not started."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"
    NOT_STARTED = "not_started"
