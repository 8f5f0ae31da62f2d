"""How figures are written in a report: money, counts, rates, percentages, changes."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

_ONE = Decimal(1)
# No real figure has this many digits. Larger ones (a mistyped count of 5,000 digits)
# are written in scientific notation: converting them to int and then to text would
# hit Python's limit on integer digits, and quantize the limits of Decimal precision.
# Their bounds are the schema's business; formatting them must not fail.
_HUGE_DIGITS = 24


def _huge(value: Decimal) -> str | None:
    if value.is_finite() and value and value.adjusted() >= _HUGE_DIGITS:
        return f"{value:.3E}"
    return None


def _round(value: Decimal, places: int) -> Decimal:
    if _huge(value) is not None:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plot(value: Decimal | int | float) -> float | None:
    """A figure as a chart's bar length; None (drawn as "n/a") when no float holds it."""
    if isinstance(value, Decimal) and _huge(value) is not None:
        return None
    if isinstance(value, int) and value.bit_length() > 80:  # beyond any real figure
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def money(value: Decimal | int) -> str:
    """£5,000 for whole pounds, £5,000.50 otherwise."""
    amount = Decimal(value)
    if (huge := _huge(amount)) is not None:
        return f"£{huge}"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{_round(amount, 2):,.2f}"


def count(value: Decimal | int) -> str:
    """1,286."""
    number = Decimal(value)
    if (huge := _huge(number)) is not None:
        return huge
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def number(value: Decimal | int) -> str:
    """A number as typed, keeping its decimal places: 32.1, 57.0, 1,286."""
    return _huge(Decimal(value)) or f"{Decimal(value):,}"


def percent(value: Decimal | int | float, places: int | None = None) -> str:
    """53% or 4.9%: whole numbers without decimals unless places is given."""
    number = Decimal(str(value))
    if (huge := _huge(number)) is not None:
        return f"{huge}%"
    if places is not None:
        return f"{_round(number, places):,.{places}f}%"
    if number == number.to_integral_value():
        return f"{int(number)}%"
    return f"{number.normalize():f}%"


def share(part: int | Decimal, whole: int | Decimal, places: int = 0) -> str:
    """part / whole as a percentage, rounded half up: share(560, 805) == '70%'."""
    if not whole:
        return "n/a"
    return percent(_round(Decimal(part) * 100 / Decimal(whole), places), places)


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole as an exact percentage, or None when whole is zero."""
    if not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def by_unit(unit: str, value: Decimal | int) -> str:
    """Format a value by its unit: count, percent, rate_per_10k, money, number."""
    if unit == "money":
        return money(value)
    if unit == "percent":
        return percent(value)
    if unit in ("rate_per_10k", "number"):
        return number(value)
    return count(value)


def change_words(unit: str, value: Decimal, prior: Decimal) -> tuple[str, Decimal]:
    """('down from 304', difference): how a value moved since last year.

    A change of under 1% of last year's value reads as 'similar to'.
    """
    difference = value - prior
    if difference == 0:
        return f"the same as {by_unit(unit, prior)}", Decimal(0)
    if prior and abs(difference) * 100 < abs(prior):
        return f"similar to {by_unit(unit, prior)}", abs(difference)
    word = "up from" if difference > 0 else "down from"
    return f"{word} {by_unit(unit, prior)}", abs(difference)


def signed(value: Decimal | int) -> str:
    """+44 / -44 / 0, for tables of changes."""
    number = Decimal(value)
    if number > 0:
        return f"+{count(number)}"
    if number < 0:
        return f"-{count(-number)}"
    return "0"
