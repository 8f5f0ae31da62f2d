"""How figures are written: money, counts, percentages, shares and changes.

Expected strings are worked out by hand from the Newham 2024/25 figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen import figures

D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(194600), "£194,600"),  # income total
        (D(196000), "£196,000"),  # spend total
        (D(2100), "£2,100"),  # Probation
        (5500, "£5,500"),  # Housing, as an int
        (D("1400.00"), "£1,400"),  # whole pounds lose the pence
        (D(-1400), "-£1,400"),  # a negative variance keeps its sign before the £
        (D("-3000"), "-£3,000"),
        (D("1234.5"), "£1,234.50"),
        (D("0.10"), "£0.10"),
        (D(0), "£0"),
        (D(1000000), "£1,000,000"),
    ],
)
def test_money(value: Decimal | int, text: str) -> None:
    assert figures.money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0.005"), "£0.01"),
        (D("0.125"), "£0.13"),
        (D("2.675"), "£2.68"),
        (D("1234.565"), "£1,234.57"),
    ],
)
def test_money_rounds_half_pennies_up(value: Decimal, text: str) -> None:
    # Float rounding would give £2.67 for 2.675; banker's rounding £0.12 for 0.125.
    assert figures.money(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (260, "260"),
        (1286, "1,286"),
        (D(18423), "18,423"),
        (D("18584"), "18,584"),
        (0, "0"),
        (D("32.1"), "32.1"),  # a rate per 10,000
        (D(-44), "-44"),
    ],
)
def test_count(value: Decimal | int, text: str) -> None:
    assert figures.count(value) == text
    assert figures.number(value) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (D(70), None, "70%"),
        (D("4.9"), None, "4.9%"),
        (D("4.90"), None, "4.9%"),  # trailing zero dropped
        (D("100.0"), None, "100%"),
        (D("12.5"), 0, "13%"),  # half up, not to even (12%)
        (D("13.5"), 0, "14%"),
        (D("0.5"), 0, "1%"),
        (D("0.49"), 0, "0%"),
        (D("54.98"), 1, "55.0%"),
        (2.675, 2, "2.68%"),  # a float goes through its shortest repr, not binary
    ],
)
def test_percent(value: Decimal | float, places: int | None, text: str) -> None:
    assert figures.percent(value, places) == text


@pytest.mark.parametrize(
    ("part", "whole", "places", "text"),
    [
        (560, 805, 0, "70%"),  # training attendance: 69.565...%
        (245, 805, 0, "30%"),  # did not attend: 30.43...%
        (4, 10, 0, "40%"),  # CSA audit: Good
        (6, 10, 0, "60%"),  # CSA audit: Requires improvement
        (107000, 194600, 1, "55.0%"),  # LBN - CSC share of income: 54.984...%
        (50000, 194600, 1, "25.7%"),  # ICB: 25.693...%
        (2100, 194600, 1, "1.1%"),  # Probation: 1.079...%
        (36, 44, 0, "82%"),  # anti-racist practice course: 81.81...%
        (1, 200, 0, "1%"),  # exactly 0.5%: half up
        (3, 200, 0, "2%"),  # exactly 1.5%
        (5, 200, 0, "3%"),  # exactly 2.5%: half up gives 3, half even would give 2
        (1, 8, 1, "12.5%"),
        (1, 16, 1, "6.3%"),  # 6.25 -> 6.3, half up
        (0, 805, 0, "0%"),
        (805, 805, 0, "100%"),
    ],
)
def test_share_rounds_half_up(part: int, whole: int, places: int, text: str) -> None:
    assert figures.share(part, whole, places) == text


def test_share_of_nothing_is_not_available() -> None:
    assert figures.share(0, 0) == "n/a"
    assert figures.share(5, 0) == "n/a"


def test_ratio_is_exact() -> None:
    assert figures.ratio(4, 10) == D(40)
    assert figures.ratio(1, 8) == D("12.5")
    assert figures.ratio(1, 0) is None


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        ("money", D(5000), "£5,000"),
        ("percent", D(53), "53%"),
        ("count", D(1286), "1,286"),
        ("rate_per_10k", D("32.1"), "32.1"),
        ("number", D("39.7"), "39.7"),
    ],
)
def test_by_unit(unit: str, value: Decimal, text: str) -> None:
    assert figures.by_unit(unit, value) == text


@pytest.mark.parametrize(
    ("unit", "value", "prior", "words", "difference"),
    [
        ("count", D(260), D(304), "down from 304", D(44)),  # CP plans
        ("count", D(1286), D(1346), "down from 1,346", D(60)),  # children in need
        ("count", D(547), D(474), "up from 474", D(73)),  # care leavers
        # Contacts moved by 161, under 1% of 18,584 (185.84): 'similar to'.
        ("count", D(18423), D(18584), "similar to 18,584", D(161)),
        ("count", D(304), D(304), "the same as 304", D(0)),
        ("count", D(99), D(100), "down from 100", D(1)),  # exactly 1% is a change
        ("count", D(5), D(0), "up from 0", D(5)),
        ("money", D(196000), D(194600), "similar to £194,600", D(1400)),  # 0.72%
        ("money", D(153000), D(145000), "up from £145,000", D(8000)),
        ("percent", D(70), D(68), "up from 68%", D(2)),
        ("rate_per_10k", D("32.1"), D("39.7"), "down from 39.7", D("7.6")),
    ],
)
def test_change_words(
    unit: str, value: Decimal, prior: Decimal, words: str, difference: Decimal
) -> None:
    assert figures.change_words(unit, value, prior) == (words, difference)


@pytest.mark.parametrize(
    ("value", "text"),
    [(D(44), "+44"), (D(-44), "-44"), (D(0), "0"), (1286, "+1,286"), (D(-1346), "-1,346")],
)
def test_signed(value: Decimal | int, text: str) -> None:
    assert figures.signed(value) == text
