"""Shared field types: money, counts, percentages, periods, identifiers, RAG."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from reportgen.model.meaning import PROJECT_FILE, PROPER_NAME


class Record(BaseModel):
    """Base for every schema: strict keys, immutable, whitespace trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def empty_list() -> list[Any]:
    """A new empty list, a list field's default (`Field(default_factory=empty_list)`).

    Not `list` itself: Pydantic asks each default factory for its signature, and
    `inspect` reads a built-in's from its text (0.2 ms each, about 90 fields: 0.02 s of
    every command that loads the models); a function's is read at once.
    """
    return []


# Thousands separators only in the right places: 1,286 yes; 12,34 or 1,2,3 no.
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
# 9.250 or 1.200.000: a full stop used as a thousands separator (as in much of Europe).
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
# 12,5 or 1.234,5 (and 12,5%): a comma used as the decimal mark, as in much of Europe.
# 12,500 is not one: three digits after a comma are thousands, as in English.
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),(\d{1,2}|\d{4,})$")
# The start of the message a decimal comma gets, so the schema's diagnostics can tell it.
DECIMAL_COMMA_MESSAGE = "written with a decimal comma"
# More digits than any figure in a report, and far fewer than would make Python's
# int() refuse the text (4,300 digits) or Decimal arithmetic slow.
MAX_DIGITS = 15
# The largest count and amount a partnership's report can hold: a billion children or
# contacts, and £10 billion (a whole council's budget is well under that).
MAX_COUNT = 1_000_000_000
MAX_MONEY = Decimal(10_000_000_000)


def _clean_number(value: Any, what: str, strip: str = "") -> Any:
    """Accept '1,234', '£1,234.50', '45%' as spreadsheets write them; never floats."""
    if isinstance(value, bool):
        raise ValueError(f"expected {what}, got yes/no")
    if isinstance(value, float):
        # Floats lose pennies; the YAML/CSV loaders never produce them.
        value = repr(value)
    if isinstance(value, int | Decimal):
        _check_digits(value, value)
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected {what}, got {type(value).__name__}")
    text = value.strip()
    for ch in strip:
        text = text.replace(ch, "")
    text = text.strip()
    if _DECIMAL_COMMA.match(text):
        english = text.replace(".", "").replace(",", ".")
        raise ValueError(
            f"'{value.strip()}' is {DECIMAL_COMMA_MESSAGE}: type {english} "
            "(a full stop for decimals, commas only between thousands)"
        )
    if not _NUMBER.match(text):
        raise ValueError(f"expected {what}, got '{_shown(value)}'")
    text = text.replace(",", "")
    _check_digits(text, value)
    return text


def _shown(value: Any) -> str:
    """A typed value as a message quotes it: a runaway one is cut short."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def _check_digits(number: Any, value: Any) -> None:
    digits = sum(ch.isdigit() for ch in str(number).split(".")[0])
    if digits > MAX_DIGITS:
        raise ValueError(
            f"'{_shown(value)}' has {digits} digits, far more than any figure in a report: "
            "check the value"
        )


def count_problem(value: Any) -> str | None:
    """What is wrong with a count as typed (in words that say what to type), or None.

    Counts are whole and not negative. The mistakes people make typing them from a
    spreadsheet or another report get their own message, because each would otherwise
    be published wrong or rejected with a message that does not say what to do.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        return None  # left to the general parser's message
    text = str(value).strip()
    if _DOT_THOUSANDS.match(text):
        typed = text.replace(".", "")
        with_commas = f"{int(typed):,}"
        return (
            f"'{text}' looks like a number with a full stop as the thousands separator, "
            f"but a count is a whole number: type {typed} or {with_commas}"
        )
    if text.endswith("%"):
        return (
            f"'{text}' is a percentage, but this is a count: type the count "
            "(reportgen works out percentages from the counts)"
        )
    if text.startswith(("£", "-£", "$", "€")):
        return f"'{text}' is an amount of money, but this is a count: type the count, e.g. 260"
    return None


def _to_money(value: Any) -> Decimal:
    if isinstance(value, str) and _DOT_THOUSANDS.match(value.strip().lstrip("£").strip()):
        typed = value.strip().lstrip("£").strip().replace(".", "")
        raise ValueError(
            f"'{value.strip()}' looks like an amount with a full stop as the thousands "
            f"separator: type {typed} or £{int(typed):,} (amounts have at most 2 decimal "
            "places, for pence)"
        )
    text = _clean_number(value, "an amount of money such as 5000 or £5,000", strip="£")
    try:
        amount = Decimal(str(text))
    except InvalidOperation as exc:
        raise ValueError(f"expected an amount of money, got '{_shown(value)}'") from exc
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"expected at most 2 decimal places (pence), got '{value}'")
    if abs(amount) > MAX_MONEY:
        raise ValueError(
            f"'{_shown(value)}' is more than £{MAX_MONEY:,}: check the amount "
            "(amounts are in pounds, not pence)"
        )
    return amount


def _to_count(value: Any) -> int:
    problem = count_problem(value)
    if problem:
        raise ValueError(problem)
    text = _clean_number(value, "a whole number such as 260")
    try:
        number = Decimal(str(text))
    except InvalidOperation as exc:
        raise ValueError(f"expected a whole number, got '{_shown(value)}'") from exc
    if number < 0:
        raise ValueError(f"expected zero or more: a count cannot be negative, got '{value}'")
    if number != number.to_integral_value():
        raise ValueError(
            f"expected a whole number: a count has no fractions, got '{value}' "
            "(for a rate or a percentage, use that unit)"
        )
    if number > MAX_COUNT:
        raise ValueError(f"'{_shown(value)}' is more than {MAX_COUNT:,}: check the count")
    return int(number)


def _to_decimal(value: Any) -> Decimal:
    text = _clean_number(value, "a number such as 32.1", strip="%")
    return Decimal(str(text))


def _to_percent(value: Any) -> Decimal:
    number = _to_decimal(value)
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"expected a percentage from 0 to 100, got '{value}'")
    return number


def parse_count(value: Any) -> int:
    """A count as `Count` reads it; ValueError with a message that says what to type."""
    return _to_count(value)


def check_value_for_unit(unit: str, value: Any) -> None:
    """Refuse a figure its unit cannot hold: counts whole, money in pounds, rates >= 0.

    Indicators keep every unit's value as a `Number`; this adds what the unit means.
    (A percentage outside 0 to 100 is `data.percent-range`, a check of its own.)
    """
    if value is None:
        return
    if unit == "count":
        _to_count(value)
    elif unit == "money":
        _to_money(value)
    elif unit == "rate_per_10k":
        if isinstance(value, str) and value.strip().endswith("%"):
            raise ValueError(
                f"'{value.strip()}' is a percentage, but this is a rate per 10,000 children: "
                "type the rate, e.g. 41.2"
            )
        if _to_decimal(value) < 0:
            raise ValueError(f"expected a rate of zero or more, got '{value}'")


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


class SheetLines(Record):
    """Lines kept in a spreadsheet: one row per line, the header naming the fields."""

    file: Annotated[Text, PROJECT_FILE] = Field(
        description="CSV file or .xlsx workbook, relative to the project."
    )
    sheet: str | None = Field(None, description="For a workbook: the sheet (default: the first).")
    range: str | None = Field(
        None, description="For a workbook: the cells to read, e.g. A3:C12 (default: all)."
    )


class EarlierYear(Record):
    """Figures for an earlier year, as published then (or stated since); a figure the
    source does not give for that year is left out (the series then has a gap)."""

    period: PeriodLabel = Field(description="The year it is for, e.g. 2023/24.")
    source: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Where it comes from, e.g. annual report 2023/24 (optional)."
    )


_Year = TypeVar("_Year", bound=EarlierYear)


def one_per_year(years: list[_Year]) -> list[_Year]:
    """A `history` validator: each year once (two values for one year cannot both stand)."""
    seen: set[str] = set()
    for year in years:
        if year.period in seen:
            raise ValueError(f"history: {year.period} is given twice")
        seen.add(year.period)
    return years
