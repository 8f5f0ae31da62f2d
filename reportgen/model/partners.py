"""data/partners.yaml: agencies' own contributions, inspections, communications, messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from reportgen.model.common import Count, Number, Percent, Record, Slug, Text, empty_list
from reportgen.model.controls import Timing
from reportgen.model.meaning import (
    ENTRY_NAME,
    LABEL,
    PROPER_NAME,
    TOKEN,
    EventDate,
    IdOf,
    MonthInTitle,
    RefTo,
)


class BlockKind(StrEnum):
    """What an agency's labelled block is about (a combined label covers several)."""

    # "About the agency and what it does": a per-agency template's opening block.
    ABOUT = "about"
    EVIDENCE = "evidence"
    IMPACT = "impact"
    LEARNING = "learning"
    IMPROVEMENT = "improvement"
    CHALLENGES = "challenges"


def _an_area_not_a_kind(value: str) -> str:
    """`covers:` names areas; the block kinds it used to hold belong in `about:`."""
    if value in BlockKind.__members__.values():
        raise ValueError(
            f"'{value}' is what the block is about, not an area: write it under `about:` "
            "(`covers:` lists the ids of the areas the block speaks for)"
        )
    return value


class AgencyBlock(Record):
    """A block of an agency's section under the label the report prints."""

    label: Annotated[Text, LABEL] = Field(
        description="The heading as printed, e.g. 'Evidence and impact' or 'What we learned'."
    )
    about: list[BlockKind] = Field(
        min_length=1,
        description="What it is about: about (what the agency is and does), evidence, impact, "
        "learning, improvement, challenges (more than one for a combined label).",
    )
    covers: list[Annotated[str, AfterValidator(_an_area_not_a_kind), RefTo("report", "area")]] = (
        Field(
            default_factory=empty_list,
            description="Ids of the areas (report.yaml's `areas:`) the block speaks for, when the "
            "partnership covers several and the block is about some of them, e.g. "
            "[fernmoor, coldwater]. Printed under its label with the areas' short labels "
            "(optional).",
        )
    )
    text: Text | None = Field(None, description="A paragraph (optional).")
    items: list[Text] = Field(default_factory=empty_list, description="Its points, as printed.")


class CaseStudy(Record):
    """A case study an agency tells (names changed or left out, as printed)."""

    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Its title as printed.")
    text: list[Text] = Field(min_length=1, description="Its paragraphs.")
    outcome: Text | None = Field(None, description="What changed for the child (optional).")


class FigureScope(StrEnum):
    LOCAL = "local"
    NATIONAL = "national"


class FigureUnit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    NUMBER = "number"


class AgencyFigure(Record):
    """A figure an agency section prints, marked as local or national."""

    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="What it counts or measures.")
    value: Number = Field(description="The figure as printed (digits only: 1,234 or 12.5).")
    unit: FigureUnit = Field(FigureUnit.COUNT, description="count, percent or number.")
    scope: FigureScope = Field(
        description="local (this partnership's area) or national (England's, for comparison)."
    )
    period: Text | None = Field(None, description="What period it covers, as printed (optional).")


class AgencyContribution(Record):
    """What one partner agency reports about its own safeguarding work."""

    agency: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(
        description="Agency name or partner id."
    )
    area: Annotated[str, RefTo("report", "area")] | None = Field(
        None,
        description="Area id, when the section is about one area's services (optional); its "
        "blocks then cover that area, and a block that `covers:` another is a warning.",
    )
    evidence: list[Text] = Field(default_factory=empty_list, description="What it did.")
    impact: list[Text] = Field(
        default_factory=empty_list, description="Difference it made for children."
    )
    learning: list[Text] = Field(default_factory=empty_list, description="What it learned.")
    improvement: list[Text] = Field(
        default_factory=empty_list, description="What it will improve (optional)."
    )
    challenges: list[Text] = Field(default_factory=empty_list, description="What got in the way.")
    blocks: list[AgencyBlock] = Field(
        default_factory=empty_list,
        description="Blocks under the labels the report prints, in order, when its labels "
        "are not the five above (e.g. 'Evidence and impact'); each says what it is `about:` "
        "and, optionally, which areas it `covers:`.",
    )
    case_studies: list[CaseStudy] = Field(default_factory=empty_list, description="Case studies.")
    figures: list[AgencyFigure] = Field(
        default_factory=empty_list, description="Figures the section prints, local or national."
    )

    def areas_named(self) -> list[str]:
        """The area ids the section speaks for by name: its `area`, then its blocks'
        `covers`, in order, once each (none: it speaks for the whole partnership)."""
        named = [self.area] if self.area else []
        named += [a for block in self.blocks for a in block.covers]
        return list(dict.fromkeys(named))


class InspectionGrade(Record):
    """One judgement an inspection grades, as published."""

    area: Text = Field(description="What is judged, e.g. Help and protection of children.")
    grade: Annotated[Text, LABEL] = Field(description="The grade as published, e.g. Good.")


class Inspection(Record):
    """An inspection of a partner or of the local area."""

    id: Annotated[Slug, IdOf("inspection")] = Field(description="Short id used in references.")
    title: Annotated[
        Text,
        ENTRY_NAME,
        LABEL,
        MonthInTitle("inspection '{title}'", unless=("visited", "published")),
    ] = Field(description="Inspection name, e.g. Local Area SEND Inspection.")
    inspectorate: Text = Field(description="Who inspected, e.g. Ofsted and CQC.")
    visited: Annotated[dt.date, EventDate("inspection '{title}'")] | None = Field(
        None, description="When the inspection took place."
    )
    published: Annotated[dt.date, EventDate("inspection '{title}'", unless=("visited",))] | None = (
        Field(None, description="When the report was published.")
    )
    visited_until: dt.date | None = Field(
        None,
        description="The last day on site, for a visit over several days: 2024-03-08 with "
        "`visited: 2024-03-04` for 4 to 8 March 2024 (optional).",
    )
    judgement: str | None = Field(None, description="Overall judgement, as published.")
    judgements: list[InspectionGrade] = Field(
        default_factory=empty_list,
        description="The grade for each area judged, as published, in order (optional).",
    )
    strengths: list[Text] = Field(default_factory=empty_list, description="Strengths found.")
    improvements: list[Text] = Field(
        default_factory=empty_list, description="Areas for improvement (or its recommendations)."
    )
    action_plan: Text | None = Field(
        None,
        description="What the report says of the action plan that answers it, e.g. who "
        "monitors it (optional).",
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior for an earlier inspection used on purpose as evidence.",
    )

    @model_validator(mode="after")
    def _visit_ordered(self) -> Inspection:
        if self.visited_until and (self.visited is None or self.visited_until < self.visited):
            raise ValueError(
                f"visited_until {self.visited_until} needs 'visited:' on or before it, the "
                "first day on site"
            )
        return self


class Reach(Record):
    """A communication measure, e.g. web visits, subscribers, video views."""

    id: Annotated[Slug, IdOf("reach")] = Field(description="Short id used in references.")
    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="What was counted.")
    value: Count | None = Field(
        None, description="This year's figure (or give `low` and `high` for a range)."
    )
    low: Count | None = Field(None, description="The lowest figure of a range, e.g. subscribers.")
    high: Count | None = Field(None, description="The highest figure of a range.")
    average: Count | None = Field(None, description="The average over the range (optional).")
    prior: Count | None = Field(None, description="Last year's figure (optional).")
    approximate: bool = Field(False, description="True when the source says 'about' or 'over'.")
    to_date: bool = Field(
        False, description="True for a running total 'to date' (e.g. video views), not the year's."
    )
    part_of: Annotated[Slug, RefTo("partners", "reach")] | None = Field(
        None,
        description="Id of the measure this is a part of (a source of web visits): its share "
        "is derived.",
    )
    share: Percent | None = Field(
        None, description="Its share of `part_of` as printed (checked against the counts)."
    )
    change: Number | None = Field(
        None,
        description="The change on last year as printed, in per cent, negative for a fall "
        "(checked against `prior`).",
    )

    @model_validator(mode="after")
    def _value_or_range(self) -> Reach:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("give `value`, or `low` and `high` for a range")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is more than high ({self.high})")
        return self


class Survey(Record):
    """A survey: responses against the mailing list it was sent to."""

    id: Annotated[Slug, IdOf("survey")] = Field(description="Short id used in references.")
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(
        description="The survey as the report names it."
    )
    responses: Count = Field(description="Responses received.")
    sent_to: Count | None = Field(
        None, description="How many it was sent to, e.g. the mailing list (optional)."
    )
    response_rate: Percent | None = Field(
        None, description="The response rate as printed (checked against the counts)."
    )
    findings: list[Text] = Field(
        default_factory=empty_list, description="What it found (optional)."
    )


class Contact(Record):
    """Where an audience can get help or find out more."""

    name: Annotated[Text, PROPER_NAME] = Field(
        description="Who or what to contact, e.g. Children's front door."
    )
    phone: Annotated[str, TOKEN] | None = Field(None, description="Telephone, as printed.")
    email: Annotated[str, TOKEN] | None = Field(None, description="Email address.")
    web: Annotated[str, TOKEN] | None = Field(None, description="Web address.")


class KeyMessage(Record):
    """Key messages for one audience (children, parents, practitioners, ...)."""

    audience: Text = Field(
        description="Who the messages are for, as printed: children and young people, "
        "parents and carers, practitioners, politicians ..."
    )
    messages: list[Text] = Field(min_length=1, description="The messages.")
    contacts: list[Contact] = Field(default_factory=empty_list, description="Contact details.")


class PledgeItem(Record):
    """One commitment of a pledge."""

    text: Text = Field(description="The commitment as printed.")
    new: bool = Field(False, description="True when the report marks it new this year.")


class Pledge(Record):
    """A pledge or set of commitments the partners make, e.g. to children."""

    id: Annotated[Slug, IdOf("pledge")] = Field(description="Short id used in references.")
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Its title as printed.")
    intro: Text | None = Field(None, description="The sentence that introduces it (optional).")
    items: list[PledgeItem] = Field(min_length=1, description="Its commitments, in order.")


class Principle(Record):
    """A principle or value the partnership works by."""

    title: Annotated[Text, LABEL] = Field(description="The principle in a few words.")
    text: Text | None = Field(None, description="What it means (optional).")


class Partners(Record):
    """The whole of data/partners.yaml."""

    contributions: list[AgencyContribution] = Field(
        default_factory=empty_list, description="Agency contributions."
    )
    inspections: list[Inspection] = Field(default_factory=empty_list, description="Inspections.")
    reach: list[Reach] = Field(default_factory=empty_list, description="Communication reach.")
    key_messages: list[KeyMessage] = Field(
        default_factory=empty_list, description="Key messages by audience."
    )
    surveys: list[Survey] = Field(
        default_factory=empty_list, description="Surveys and their response."
    )
    pledges: list[Pledge] = Field(default_factory=empty_list, description="Pledges (commitments).")
    principles: list[Principle] = Field(
        default_factory=empty_list, description="Principles the partnership works by."
    )
    children_told_us: list[Text] = Field(
        default_factory=empty_list,
        description="What children have told us, as a list of their words or points.",
    )


# Derived from the counts; what a report printed is only checked against them.
def reach_share(reach: Reach, by_id: dict[str, Reach]) -> Decimal | None:
    """A measure's exact share of the measure it is part of, or None if not derivable."""
    whole = by_id.get(reach.part_of) if reach.part_of else None
    if whole is None or whole.value is None or reach.value is None:
        return None
    return Decimal(reach.value) * 100 / whole.value if whole.value else None


def reach_change(reach: Reach) -> Decimal | None:
    """The exact change on last year in per cent, or None without both figures."""
    if reach.value is None or not reach.prior:
        return None
    return Decimal(reach.value - reach.prior) * 100 / reach.prior


def response_rate(survey: Survey) -> Decimal | None:
    """Responses as an exact share of those the survey was sent to."""
    return Decimal(survey.responses) * 100 / survey.sent_to if survey.sent_to else None
