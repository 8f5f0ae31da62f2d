"""data/indicators.yaml: the safeguarding snapshot, one record per figure."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from reportgen.model.common import (
    Number,
    PeriodLabel,
    Record,
    Slug,
    Text,
    check_value_for_unit,
    empty_list,
)
from reportgen.model.controls import Disclosure, Timing
from reportgen.model.meaning import (
    ENTRY_NAME,
    LABEL,
    PROPER_NAME,
    EventDate,
    IdOf,
    RefTo,
    YearLabel,
)

# A figure labelled with another year: the same advice for this year's and last year's.
_WRONG_YEAR = "use the figure for the right year, or mark it 'timing: comparator'"


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_10K = "rate_per_10k"
    MONEY = "money"
    NUMBER = "number"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Qualifier(StrEnum):
    """How the report qualifies a figure it does not print exactly."""

    ABOUT = "about"
    OVER = "over"
    AT_LEAST = "at_least"
    UNDER = "under"


class Comparator(Record):
    """A benchmark value, with the period it refers to when not the report's."""

    value: Number = Field(description="Comparator value, in the indicator's unit.")
    period: str | None = Field(None, description="Period of the comparator, e.g. 2023/24.")


class HistoryPoint(Record):
    """The figure for an earlier year, as published then (or stated since)."""

    period: PeriodLabel = Field(description="The year it is for, e.g. 2021/22.")
    value: Number = Field(description="The value for that year, in the indicator's unit.")
    source: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Where it comes from, e.g. annual report 2021/22 (optional)."
    )


# `parts`, `count` and `of` name other indicators; checks/arithmetic.py resolves them and
# says more (the same unit, a count), so the generic reference check leaves them.
IndicatorLink = Annotated[Slug, RefTo("indicators", "indicator", checked=False)]


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class Stated(Record):
    """Figures the report prints beside an indicator, derived from it: typed as printed,
    each checked against the figures it comes from (allowing the printed rounding)."""

    change_percent: Number | None = Field(
        None,
        description="A per cent change since the prior value, as printed: 40 for 'a 40% "
        "increase' (no sign: give `direction`).",
    )
    difference: Number | None = Field(
        None,
        description="The difference from the prior value, as printed: 30 for 'up 30 (8%)' "
        "(no sign: give `direction`).",
    )
    points: Number | None = Field(
        None,
        description="For a percentage: the change in percentage points, as printed: 5 for "
        "'up 5 percentage points'.",
    )
    direction: Direction | None = Field(
        None, description="up or down, as the words say ('increase', 'fell') (optional)."
    )
    times: Number | None = Field(
        None,
        description="A ratio, as printed: 2.5 for '2.5 times'. This value divided by "
        "`times_of` (or by the prior value when `times_of` is not given).",
    )
    times_of: IndicatorLink | None = Field(
        None, description="The indicator `times` compares this value with (optional)."
    )
    part: Number | None = Field(
        None,
        description="For a percentage that is a share of a stated base: the count it is a "
        "share of `base`, as printed (checked: part / base x 100).",
    )
    base: Number | None = Field(
        None, description="The whole the percentage is a share of, as printed (with `part`)."
    )


class IndicatorGroup(Record):
    """A named set of indicators shown together (tiles, table or chart)."""

    id: Annotated[Slug, IdOf("indicator group")] = Field(
        description="Short id used in {{ tiles indicators.ID }} etc."
    )
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(
        description="Heading or caption for the group."
    )
    shares: bool = Field(
        False,
        description="True when the group's percentages are shares of one whole (boys and "
        "girls, say): they must add up to 100.",
    )
    disclosure: Disclosure | None = Field(
        None,
        description="children or none, for the group's counts. Counts are treated as counts "
        "of children (small ones suppressed) unless marked none.",
    )


def _value_or_parts(schema: dict[str, Any]) -> None:
    """Editors' schema: `value` may be left out when `parts` is given (it is their sum,
    filled in by reportgen.load.indicator_parts before validation)."""
    required = schema.get("required", [])
    if "value" in required:
        required.remove("value")
        schema["anyOf"] = [{"required": ["value"]}, {"required": ["parts"]}]


class Indicator(Record):
    """One figure in the safeguarding snapshot."""

    model_config = ConfigDict(json_schema_extra=_value_or_parts)

    id: Annotated[Slug, IdOf("indicator")] = Field(
        description="Short id used in references, e.g. cp_plans."
    )
    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(
        description="What is counted, e.g. children with child protection plans."
    )
    group: Annotated[Slug, RefTo("indicators", "indicator group")] = Field(
        description="Id of the group it belongs to."
    )
    unit: Unit = Field(description="count, percent, rate_per_10k, money or number.")
    value: Number = Field(
        description="This year's value. Leave it out for an indicator with `parts`: it is "
        "then the sum of its parts."
    )
    qualifier: Qualifier | None = Field(
        None,
        description="When the report does not print the figure exactly: about ('about "
        "289,000'), over ('over 10,000'), at_least ('130+') or under; `value` is the number "
        "it qualifies, and the figure is shown with the word (optional).",
    )
    period: (
        Annotated[
            str,
            YearLabel(
                "indicator '{id}': the figure is for {written}, expected {expected}", _WRONG_YEAR
            ),
        ]
        | None
    ) = Field(None, description="Period the value covers, e.g. 2024/25.")
    as_at: Annotated[dt.date, EventDate("indicator '{id}'")] | None = Field(
        None, description="Date of a snapshot value, e.g. 2025-03-31."
    )
    prior: Number | None = Field(None, description="Last year's value (same unit).")
    prior_period: (
        Annotated[
            str,
            YearLabel(
                "indicator '{id}': the previous figure is for {written}, expected {expected}",
                _WRONG_YEAR,
                offset=-1,
            ),
        ]
        | None
    ) = Field(None, description="Label of last year, e.g. 2023/24.")
    history: list[HistoryPoint] = Field(
        default_factory=empty_list,
        description="Values for years before last year, each with its period and source: "
        "what series words (`{{ indicator.ID.highest }}`, `.run`, `.average`) and the "
        "`{{ chart indicator.ID.trend }}` chart are made from. Last year's value is `prior`; "
        "one given here too must agree with it.",
    )
    comparators: dict[Annotated[Slug, RefTo("report", "comparator")], Comparator] = Field(
        default_factory=dict, description="Benchmarks by comparator id (see report.yaml)."
    )
    better: Better = Field(
        Better.NEITHER, description="Which direction is better: higher, lower, neither."
    )
    area: Annotated[str, RefTo("report", "area")] | None = Field(
        None, description="Area id when the partnership covers several."
    )
    source: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Where the figure comes from."
    )
    note: str | None = Field(None, description="Short note printed with the figure.")
    parts: list[IndicatorLink] = Field(
        default_factory=empty_list,
        description="Ids of indicators this one is the sum of (checked, allowing rounding).",
    )
    count: IndicatorLink | None = Field(
        None,
        description="For a rate or percentage: id of the count it is computed from (checked "
        "against the area's child_population, or against `of`).",
    )
    of: IndicatorLink | None = Field(
        None, description="For a percentage: id of the count it is a share of (checked)."
    )
    stated: Stated | None = Field(
        None,
        description="Derived figures printed beside this one (a per cent change, a "
        "difference, percentage points, a ratio, a share of a stated base): typed as "
        "printed and checked.",
    )
    disclosure: Disclosure | None = Field(
        None, description="children or none; overrides the group's setting for this figure."
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / comparator / forward for a figure from another period "
        "on purpose (its date is then not checked against the report period).",
    )

    @field_validator("value", "prior", mode="before")
    @classmethod
    def _fits_unit(cls, value: object, info: ValidationInfo) -> object:
        # Runs on the value as typed, before `Number` reads it: `12%` or `9.250` in a
        # count would otherwise be published as 12 and 9.250.
        unit = info.data.get("unit")
        if isinstance(unit, Unit):
            check_value_for_unit(unit.value, value)
        return value

    @field_validator("history", mode="after")
    @classmethod
    def _history_fits_unit(
        cls, history: list[HistoryPoint], info: ValidationInfo
    ) -> list[HistoryPoint]:
        unit = info.data.get("unit")
        seen: set[str] = set()
        for point in history:
            if point.period in seen:
                raise ValueError(f"history: {point.period} is given twice")
            seen.add(point.period)
            if isinstance(unit, Unit):
                try:
                    check_value_for_unit(unit.value, point.value)
                except ValueError as exc:
                    raise ValueError(f"history {point.period}: {exc}") from None
        return history

    @field_validator("comparators", mode="after")
    @classmethod
    def _comparators_fit_unit(
        cls, comparators: dict[str, Comparator], info: ValidationInfo
    ) -> dict[str, Comparator]:
        unit = info.data.get("unit")
        if isinstance(unit, Unit) and unit is not Unit.NUMBER:
            for name, comparator in comparators.items():
                try:
                    check_value_for_unit(unit.value, comparator.value)
                except ValueError as exc:
                    raise ValueError(f"comparator '{name}': {exc}") from None
        return comparators

    @model_validator(mode="before")
    @classmethod
    def _short_comparators(cls, data: object) -> object:
        # `london: 4.9` is shorthand for `london: {value: 4.9}`.
        if isinstance(data, dict) and isinstance(data.get("comparators"), dict):
            comps = {
                k: (v if isinstance(v, dict) else {"value": v})
                for k, v in data["comparators"].items()
            }
            data = {**data, "comparators": comps}
        return data


class Indicators(Record):
    """The whole of data/indicators.yaml."""

    groups: list[IndicatorGroup] = Field(min_length=1, description="Indicator groups, in order.")
    indicators: list[Indicator] = Field(min_length=1, description="The figures.")
