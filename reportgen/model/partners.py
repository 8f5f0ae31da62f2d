"""data/partners.yaml: agencies' own contributions, inspections, communications, messages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from reportgen.model.common import Count, Record, Slug, Text
from reportgen.model.controls import Timing
from reportgen.model.meaning import ENTRY_NAME, EventDate, IdOf, MonthInTitle, RefTo


class AgencyContribution(Record):
    """What one partner agency reports about its own safeguarding work."""

    agency: Annotated[Text, ENTRY_NAME] = Field(description="Agency name or partner id.")
    area: Annotated[str, RefTo("report", "area")] | None = Field(
        None, description="Area id, when the section is about one area's services (optional)."
    )
    evidence: list[Text] = Field(default_factory=list, description="What it did.")
    impact: list[Text] = Field(default_factory=list, description="Difference it made for children.")
    learning: list[Text] = Field(default_factory=list, description="What it learned.")
    challenges: list[Text] = Field(default_factory=list, description="What got in the way.")


class Inspection(Record):
    """An inspection of a partner or of the local area."""

    id: Annotated[Slug, IdOf("inspection")] = Field(description="Short id used in references.")
    title: Annotated[
        Text, ENTRY_NAME, MonthInTitle("inspection '{title}'", unless=("visited", "published"))
    ] = Field(description="Inspection name, e.g. Local Area SEND Inspection.")
    inspectorate: Text = Field(description="Who inspected, e.g. Ofsted and CQC.")
    visited: Annotated[dt.date, EventDate("inspection '{title}'")] | None = Field(
        None, description="When the inspection took place."
    )
    published: Annotated[dt.date, EventDate("inspection '{title}'", unless=("visited",))] | None = (
        Field(None, description="When the report was published.")
    )
    judgement: str | None = Field(None, description="Overall judgement, as published.")
    strengths: list[Text] = Field(default_factory=list, description="Strengths found.")
    improvements: list[Text] = Field(default_factory=list, description="Areas for improvement.")
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior for an earlier inspection used on purpose as evidence.",
    )


class Reach(Record):
    """A communication measure, e.g. briefings sent or forum attendance."""

    id: Annotated[Slug, IdOf("reach")] = Field(description="Short id used in references.")
    label: Annotated[Text, ENTRY_NAME] = Field(description="What was counted.")
    value: Count = Field(description="This year's figure.")
    prior: Count | None = Field(None, description="Last year's figure (optional).")
    approximate: bool = Field(False, description="True when the source says 'about' or 'over'.")


class KeyMessage(Record):
    """Key messages for one audience (children, parents, practitioners, ...)."""

    audience: Text = Field(description="Who the messages are for.")
    messages: list[Text] = Field(min_length=1, description="The messages.")


class Partners(Record):
    """The whole of data/partners.yaml."""

    contributions: list[AgencyContribution] = Field(
        default_factory=list, description="Agency contributions."
    )
    inspections: list[Inspection] = Field(default_factory=list, description="Inspections.")
    reach: list[Reach] = Field(default_factory=list, description="Communication reach.")
    key_messages: list[KeyMessage] = Field(
        default_factory=list, description="Key messages by audience."
    )
