"""A figure of budget, training or reviews over the years: its words and trend chart.

The indicators have their own (reportgen/datasets/indicators.py); the budget totals,
training bookings and attendance, and serious incident notifications hold earlier years
in a `history` too, and offer the same series words and chart (reportgen/history.py)
under their own names. No dataset here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportgen import figures, history
from reportgen.datasets.base import Offered
from reportgen.derived import Derived
from reportgen.history import ChartUnit, Point

# Each series word offered under a figure's name (`training.bookings.highest`).
_WORDS: tuple[tuple[str, str], ...] = (
    ("highest", "the highest value of the years held, and its year"),
    ("lowest", "the lowest value of the years held, and its year"),
    ("rank", "where this year stands among the years held (names a year with no figure)"),
    ("run", "this year's direction and for how many years running (needs last year)"),
    ("average", "the average of the years held, to one decimal place"),
    ("years", "how many years are held"),
    ("first_year", "the earliest year held"),
    ("since.YEAR", "the change since an earlier year held, e.g. `since.2023-24`"),
)


def series_offered(keys: tuple[str, ...], examples: dict[str, str]) -> tuple[Offered, ...]:
    """The datasets' `Offered` declarations of the series words under `keys` (so that
    reportgen/docs/references.md lists them), with an example of each by word."""
    return tuple(
        Offered(names=tuple(f"{k}.{word}" for k in keys), gives=gives, example=examples[word])
        for word, gives in _WORDS
    )


def offer_series(
    out: Derived,
    key: str,
    label: str,
    unit: ChartUnit,
    points: list[Point],
    withheld: Callable[[Point], bool] = lambda _: False,
) -> None:
    """Series words under `key` and the block `chart KEY.trend`, for two years or more.

    A withheld value anywhere in the series makes every word the disclosure symbol (a
    direction would give it away), exactly as for an indicator.
    """
    if len(points) < 2:
        return
    symbol = out.disclosure.symbol

    def shown(value: Decimal) -> str:
        return figures.by_unit(unit, value)

    masked = any(withheld(p) for p in points)
    out.references.update(history.words(key, points, shown, masked, symbol))
    chart = history.trend(
        f"chart-trend-{key.replace('.', '-')}",
        label,
        unit,
        points,
        f"{label}, {points[0].period} to {points[-1].period}",
        figures.plot,
        withheld,
        symbol,
        "Amount (£)" if unit == "money" else "Number",
    )
    if chart is not None:
        out.add_block("chart", f"{key}.trend", chart)
