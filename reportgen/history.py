"""A figure over the years: its series, and the words and trend chart made from it.

An indicator holds this year's `value`, last year's `prior` and, in `history`, values
for earlier years. Together they are a series by year label (2021/22, 2023/24, ...),
from which narrative quotes derived words instead of typed ones: the highest or lowest
value held, "down for the second year running", the average of the years held, the
change since a given year. Every year label comes from the data, never from prose.

Pure functions over an indicator's values; derive's indicator step calls
`series_references` and `trend_chart` (so a move of that step moves two calls).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Literal

from reportgen import figures
from reportgen.model.indicators import Indicator
from reportgen.views import ChartSpec, Series

# The units a chart knows (reportgen/views.py), for a figure that is not an indicator.
ChartUnit = Literal["count", "money", "percent", "rate_per_10k", "number"]
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


@dataclass(frozen=True)
class Point:
    """One year's value of a figure."""

    period: str  # a year label, e.g. 2021/22
    value: Decimal

    @property
    def year(self) -> int:
        return int(self.period[:4])


def is_year_label(text: str | None) -> bool:
    """Whether `text` is a year label such as 2024/25 (not "April to September 2024")."""
    return text is not None and _YEAR.match(text) is not None


def series(ind: Indicator, this_year: str, last_year: str) -> list[Point]:
    """The indicator's values by year, oldest first: history, then prior, then value.

    Only values for a whole year go in: a figure for part of a year, or a `prior_period`
    that is not a year label (say, "the previous six months"), is not in a yearly series.
    """
    return yearly(
        ind.period or this_year,
        ind.value,
        ind.prior,
        ind.prior_period or last_year,
        [(p.period, p.value) for p in ind.history],
    )


def yearly(
    now: str | None,
    value: Decimal | int,
    prior: Decimal | int | None,
    before: str | None,
    earlier: Sequence[tuple[str, Decimal | int | None]],
) -> list[Point]:
    """Any figure's values by year, oldest first: `earlier` (a year with no figure, None,
    is left out), then `prior` for the year `before`, then this year's `value` for `now`.

    The budget, training and serious incident counts hold their earlier years this way
    as well as the indicators; [] when `now` is not a year label.
    """
    if not is_year_label(now):
        return []
    assert now is not None
    by_year = {period: Decimal(v) for period, v in earlier if v is not None}
    if prior is not None and is_year_label(before):
        assert before is not None
        by_year[before] = Decimal(prior)
    by_year[now] = Decimal(value)
    return sorted((Point(k, v) for k, v in by_year.items()), key=lambda p: p.year)


def year_before(label: str) -> str:
    """The year label before `label`: 2023/24 for 2024/25 ('' when not a year label)."""
    if not is_year_label(label):
        return ""
    start = int(label[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def consecutive(points: list[Point]) -> bool:
    """Whether the years follow each other with none missing."""
    return all(b.year - a.year == 1 for a, b in pairwise(points))


def missing_years(points: list[Point]) -> list[str]:
    """Year labels between the first and the last that the series does not hold."""
    held = {p.year for p in points}
    if not points:
        return []
    return [
        f"{y}/{(y + 1) % 100:02d}" for y in range(points[0].year, points[-1].year) if y not in held
    ]


def extreme(points: list[Point]) -> str | None:
    """'highest' or 'lowest' when the latest value is that over all years held."""
    if len(points) < 2:
        return None
    latest = points[-1].value
    earlier = [p.value for p in points[:-1]]
    if latest > max(earlier):
        return "highest"
    if latest < min(earlier):
        return "lowest"
    return None


def run(points: list[Point]) -> tuple[str, int] | None:
    """('down', 2): the direction of the latest year's change and for how many years in
    a row it has moved that way (consecutive years only); None without last year."""
    if len(points) < 2 or points[-1].year - points[-2].year != 1:
        return None
    if points[-1].value == points[-2].value:
        return ("same", 1)
    up = points[-1].value > points[-2].value
    years = 0
    for later, earlier in zip(reversed(points[1:]), reversed(points[:-1]), strict=True):
        if (
            later.year - earlier.year != 1
            or later.value == earlier.value
            or (later.value > earlier.value) != up
        ):
            break
        years += 1
    return ("up" if up else "down", years)


def average(points: list[Point]) -> Decimal:
    """The mean of the values held, to one decimal place."""
    total = sum((p.value for p in points), Decimal(0))
    return (total / len(points)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_since(points: list[Point], period: str) -> Decimal | None:
    """Percentage change from `period`'s value to the latest, or None if not held (or 0)."""
    base = next((p.value for p in points if p.period == period), None)
    if not base or not points:
        return None
    return (points[-1].value - base) * 100 / base


# --- words for narrative ---------------------------------------------------------


def _years_phrase(points: list[Point]) -> str:
    """'in 4 years', or 'of the 3 years with a figure since 2021/22 (none for 2022/23)'."""
    if consecutive(points):
        return f"in {len(points)} years"
    gaps = missing_years(points)
    return (
        f"of the {len(points)} years with a figure since {points[0].period} "
        f"(none for {_names(gaps)})"
    )


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= len(_ORDINALS) else f"{n}th"


def series_references(
    ind: Indicator,
    points: list[Point],
    shown: Callable[[Decimal], str],
    withheld: bool,
    symbol: str,
) -> dict[str, str]:
    """The derived words narrative may quote for one indicator, by reference key."""
    return words(f"indicator.{ind.id}", points, shown, withheld, symbol)


def words(
    key: str,
    points: list[Point],
    shown: Callable[[Decimal], str],
    withheld: bool,
    symbol: str,
) -> dict[str, str]:
    """The derived words narrative may quote for one figure's series, under `key`
    (`indicator.cic.highest`, `training.bookings.run`, ...).

    `shown` formats a value in the figure's unit; when any value of the series is
    withheld (disclosure control), every series word is the disclosure symbol, since a
    rank or a direction would give a withheld count away.
    """
    if len(points) < 2:
        return {}
    refs: dict[str, str] = {}
    said: dict[str, str] = {
        "years": str(len(points)),
        "first_year": points[0].period,
    }
    top = max(points, key=lambda p: (p.value, -p.year))  # the earliest year of a tie
    low = min(points, key=lambda p: (p.value, p.year))
    said["highest"] = f"{shown(top.value)} in {top.period}"
    said["lowest"] = f"{shown(low.value)} in {low.period}"
    rank = extreme(points)
    said["rank"] = (
        f"the {rank} {_years_phrase(points)}"
        if rank
        else f"between the lowest ({said['lowest']}) and the highest ({said['highest']})"
    )
    moved = run(points)
    if moved is not None:
        direction, years = moved
        said["run"] = (
            "the same as last year"
            if direction == "same"
            else f"{direction} on last year"
            if years == 1
            else f"{direction} for the {_ordinal(years)} year running"
        )
    said["average"] = shown(average(points))
    for point in points[:-1]:
        change = change_since(points, point.period)
        if change is None:
            continue
        rounded = change.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        way = "up" if change > 0 else "down" if change < 0 else "unchanged"
        amount = figures.percent(abs(rounded))
        text = (
            f"unchanged since {point.period}"
            if way == "unchanged"
            else f"{way} {amount} since {point.period}, from {shown(point.value)}"
        )
        said[f"since.{point.period.replace('/', '-')}"] = text
    for name, text in said.items():
        refs[f"{key}.{name}"] = symbol if withheld and name not in ("years", "first_year") else text
    return refs


# --- the trend chart -------------------------------------------------------------


def trend_chart(
    ind: Indicator,
    points: list[Point],
    title: str,
    plotted: Callable[[Decimal], float | None],
    withheld: Callable[[Point], bool],
    symbol: str,
    value_axis: str,
) -> ChartSpec | None:
    """An indicator's trend chart (see `trend`)."""
    return trend(
        f"chart-trend-{ind.id}",
        ind.label,
        ind.unit.value,
        points,
        title,
        plotted,
        withheld,
        symbol,
        value_axis,
    )


def trend(
    chart_id: str,
    label: str,
    unit: ChartUnit,
    points: list[Point],
    title: str,
    plotted: Callable[[Decimal], float | None],
    withheld: Callable[[Point], bool],
    symbol: str,
    value_axis: str,
) -> ChartSpec | None:
    """A line over every year from the first held to this one; a year not held is a gap
    (shown as "n/a" in the data table), a withheld value its symbol. None below 2 years."""
    if len(points) < 2:
        return None
    by_year = {p.year: p for p in points}
    years = range(points[0].year, points[-1].year + 1)
    values: list[float | None] = []
    marks: dict[int, str] = {}
    for k, year in enumerate(years):
        point = by_year.get(year)
        if point is None:
            values.append(None)
        elif withheld(point):
            values.append(None)
            marks[k] = symbol
        else:
            values.append(plotted(point.value))
    return ChartSpec(
        id=chart_id,
        title=title,
        kind="line",
        categories=[f"{y}/{(y + 1) % 100:02d}" for y in years],
        series=[Series(name=label, values=values, marks=marks)],
        unit=unit,
        value_axis=value_axis,
    )
