"""data/lado.yaml: the LADO's yearly return, for each area or the whole partnership.

The Local Authority Designated Officer (LADO) handles allegations about adults who work
with children. Reports print the year's contacts split into referrals and advice
(consultations), sometimes with a total that does not add up, and break them down by the
employment sector of the adult, the category of concern, the outcome and how quickly
cases were resolved. Everything is optional: a return holds what its source prints.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from reportgen.model.common import (
    Count,
    EarlierYear,
    Percent,
    Record,
    Text,
    empty_list,
    one_per_year,
)
from reportgen.model.controls import Disclosure
from reportgen.model.indicators import Stated
from reportgen.model.meaning import ENTRY_NAME, LABEL, RefTo, YearLabel

AreaId = Annotated[str, RefTo("report", "area")]


class LadoOutcome(StrEnum):
    """An allegation's outcome, in the words of Working Together 2023 (and "ongoing")."""

    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    UNFOUNDED = "unfounded"
    FALSE = "false"
    MALICIOUS = "malicious"
    ONGOING = "ongoing"
    NO_FURTHER_ACTION = "no_further_action"


# Printed outcome words and the outcome they stand for (case, hyphens and a trailing
# "allegation(s)" ignored); other words need `outcome:` beside them.
PRINTED_OUTCOME: dict[str, LadoOutcome] = {
    "substantiated": LadoOutcome.SUBSTANTIATED,
    "unsubstantiated": LadoOutcome.UNSUBSTANTIATED,
    "not substantiated": LadoOutcome.UNSUBSTANTIATED,
    "unfounded": LadoOutcome.UNFOUNDED,
    "false": LadoOutcome.FALSE,
    "malicious": LadoOutcome.MALICIOUS,
    "ongoing": LadoOutcome.ONGOING,
    "open": LadoOutcome.ONGOING,
    "not yet concluded": LadoOutcome.ONGOING,
    "no further action": LadoOutcome.NO_FURTHER_ACTION,
    "nfa": LadoOutcome.NO_FURTHER_ACTION,
}


def outcome_from_print(words: str) -> LadoOutcome | None:
    """The outcome printed words stand for (None: not in PRINTED_OUTCOME)."""
    key = re.sub(r"[\s-]+", " ", words.strip().lower())
    key = re.sub(r" allegations?$", "", key)
    return PRINTED_OUTCOME.get(key)


class LadoFigure(StrEnum):
    """A figure of the return a breakdown can split (its counts must then add up to it)."""

    CONTACTS = "contacts"
    REFERRALS = "referrals"
    CONSULTATIONS = "consultations"
    MET_THRESHOLD = "met_threshold"


class LadoLine(Record):
    """One line of a breakdown, as printed: a count, a share of the whole, or both."""

    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(
        description="The line as the report words it, e.g. Education, Physical abuse."
    )
    count: Count | None = Field(None, description="How many (optional).")
    percent: Percent | None = Field(
        None, description="Its share of the whole, as printed (optional; checked with count)."
    )

    @model_validator(mode="after")
    def _something(self) -> LadoLine:
        if self.count is None and self.percent is None:
            raise ValueError(f"line '{self.label}': give its count or its percent")
        return self


class OutcomeLine(LadoLine):
    """One outcome, in the report's words and as a normalised outcome."""

    outcome: LadoOutcome | None = Field(
        None,
        description="The normalised outcome (substantiated, unsubstantiated, unfounded, false, "
        "malicious, ongoing, no_further_action); read from `label` when left out.",
    )

    @property
    def normalised(self) -> LadoOutcome | None:
        return self.outcome or outcome_from_print(self.label)


class TimelinessLine(LadoLine):
    """Cases resolved within a stated time, as a count or a share."""

    within_days: Count | None = Field(
        None, description="The time it counts cases resolved within, in days (optional)."
    )
    within_months: Count | None = Field(None, description="Or in months, as printed (optional).")


class Breakdown(Record):
    """A breakdown of the return as printed: its lines, and what they split."""

    of: LadoFigure | None = Field(
        None,
        description="The figure the lines split (contacts, referrals, consultations or "
        "met_threshold): when every line has a count they are checked to add up to it. "
        "Leave out when the source does not say.",
    )
    total: Count | None = Field(
        None, description="A total printed under the lines (checked against them; optional)."
    )
    lines: list[LadoLine] = Field(min_length=1, description="The lines, in printed order.")


class OutcomeBreakdown(Breakdown):
    """The outcomes of the year's allegations, as printed."""

    lines: list[OutcomeLine] = Field(  # type: ignore[assignment]
        min_length=1, description="The outcomes, in printed order."
    )


class TimelinessBreakdown(Breakdown):
    """How quickly cases were resolved: lines that overlap, so they split nothing."""

    lines: list[TimelinessLine] = Field(  # type: ignore[assignment]
        min_length=1, description="Each time limit, in printed order."
    )


class LadoYear(EarlierYear):
    """A return's figures in an earlier year."""

    contacts: Count | None = Field(None, description="All contacts that year.")
    referrals: Count | None = Field(None, description="Referrals that year.")
    consultations: Count | None = Field(None, description="Consultations that year.")


class LadoReturn(Record):
    """One year's LADO return for one area (or the whole partnership)."""

    area: AreaId | None = Field(
        None, description="Area id from report.yaml; leave out for the whole partnership."
    )
    title: Annotated[Text, LABEL] | None = Field(
        None, description="What the report calls it, e.g. Devon LADO service (optional)."
    )
    contacts: Count | None = Field(
        None,
        description="All contacts (notifications) in the year, as printed: kept to be checked "
        "against referrals and consultations when both are given. Optional.",
    )
    referrals: Count | None = Field(None, description="Referrals (optional).")
    consultations: Count | None = Field(
        None, description="Advice requests or consultations (optional)."
    )
    met_threshold: Count | None = Field(
        None,
        description="Referrals that met the threshold for LADO involvement (optional; "
        "no more than `referrals`).",
    )
    prior: Count | None = Field(
        None, description="Last year's contacts (optional): what `stated` is checked against."
    )
    stated: Stated | None = Field(
        None,
        description="A change printed beside the year's contacts, typed as printed ('a 70% "
        "increase': `change_percent: 70`, `direction: up`), checked against `prior`.",
    )
    history: Annotated[list[LadoYear], AfterValidator(one_per_year)] = Field(
        default_factory=empty_list,
        description="Earlier years' contacts, referrals and consultations, each with its "
        "period: what series words (`{{ lado.AREA.contacts.highest }}`) are made from. "
        "Last year's contacts are `prior`; one given here for last year too must agree.",
    )
    by_sector: Breakdown | None = Field(
        None, description="By the employment sector of the adult (optional)."
    )
    by_concern: Breakdown | None = Field(
        None, description="By category of concern or abuse (optional)."
    )
    by_outcome: OutcomeBreakdown | None = Field(
        None, description="By outcome, as printed with a normalised outcome (optional)."
    )
    timeliness: TimelinessBreakdown | None = Field(
        None, description="Cases resolved within a stated time, counts or shares (optional)."
    )
    disclosure: Disclosure = Field(
        Disclosure.CHILDREN,
        description="Each contact is an allegation about an adult and a child, so small "
        "counts are withheld like counts of children (the default, `children`). `none` "
        "only when the policy of the source is to print them.",
    )


class Lado(Record):
    """The LADO's yearly returns: one per area, or one for the partnership."""

    year: (
        Annotated[
            str,
            YearLabel(
                "the LADO returns are labelled {written}, but the report covers {covered}",
                "give this year's returns, or correct the label",
            ),
        ]
        | None
    ) = Field(None, description="The year of the returns, e.g. 2024/25 (optional).")
    returns: list[LadoReturn] = Field(
        min_length=1, description="One return per area, or one for the whole partnership."
    )

    @model_validator(mode="after")
    def _one_per_area(self) -> Lado:
        seen: set[str | None] = set()
        for r in self.returns:
            if r.area in seen:
                raise ValueError(
                    "returns: "
                    + (f"area '{r.area}'" if r.area else "the whole partnership")
                    + " is given twice"
                )
            seen.add(r.area)
        return self

    def of(self, area: str | None) -> LadoReturn | None:
        return next((r for r in self.returns if r.area == area), None)
