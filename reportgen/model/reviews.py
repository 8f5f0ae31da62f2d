"""data/reviews.yaml: serious incidents, reviews, recommendations, audits, learning."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from reportgen.model.common import (
    Count,
    EarlierYear,
    Percent,
    Rag,
    Record,
    Slug,
    Text,
    one_per_year,
)
from reportgen.model.controls import Timing
from reportgen.model.meaning import ENTRY_NAME, EventDate, IdOf, MonthInTitle


class NotificationsYear(EarlierYear):
    """Serious incident notifications in an earlier year."""

    incidents: Count | None = Field(None, description="Notifiable incidents that year.")


class Notifications(Record):
    """Serious incident notifications to the national panel in the year."""

    incidents: Count = Field(description="Notifiable incidents.")
    children: Count = Field(description="Children involved.")
    prior_incidents: Count | None = Field(None, description="Last year's incidents (optional).")
    rapid_reviews: Count | None = Field(None, description="Rapid reviews held (optional).")
    lcsprs_started: Count | None = Field(None, description="Local reviews started (optional).")
    note: str | None = Field(None, description="Printed note (optional).")
    history: Annotated[list[NotificationsYear], AfterValidator(one_per_year)] = Field(
        default_factory=list,
        description="Incidents notified in earlier years, each with its period and source: "
        "what series words (`{{ reviews.notifications.incidents.highest }}`) are made from. "
        "Last year's is `prior_incidents`; one given here for last year too must agree.",
    )


class ReviewKind(StrEnum):
    RAPID_REVIEW = "rapid_review"
    LCSPR = "lcspr"
    THEMATIC = "thematic"
    NATIONAL = "national"


class Recommendation(Record):
    """A recommendation from a review or audit and how far it has got."""

    id: Annotated[Slug, IdOf("recommendation")] = Field(
        description="Short id, unique within the review."
    )
    text: Annotated[Text, ENTRY_NAME] = Field(description="The recommendation.")
    owner: str | None = Field(None, description="Who is responsible.")
    status: Rag = Field(description="red, amber, green, complete or not_started.")
    evidence: str | None = Field(None, description="What shows progress or impact.")
    due: dt.date | None = Field(None, description="Target date (optional).")


class Review(Record):
    """A rapid review, local or thematic practice review, or national review."""

    id: Annotated[Slug, IdOf("review")] = Field(description="Short id used in references.")
    title: Annotated[Text, ENTRY_NAME] = Field(description="Title as printed.")
    kind: ReviewKind = Field(description="rapid_review, lcspr, thematic or national.")
    started: Annotated[dt.date, EventDate("review '{id}' (started)", bound="starts")] | None = (
        Field(None, description="When it began (optional).")
    )
    completed: Annotated[dt.date, EventDate("review '{id}' (completed)", bound="ends")] | None = (
        Field(None, description="When it finished (optional).")
    )
    children: Count | None = Field(None, description="Children whose cases it covered.")
    summary: Text = Field(description="What it looked at, in a sentence or two.")
    findings: list[Text] = Field(default_factory=list, description="Main findings.")
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="Its recommendations."
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / forward for an item outside the report period on purpose.",
    )


class Grading(Record):
    """Share or count of audited cases given one grade."""

    grade: Text = Field(description="Grade, e.g. Good, Requires improvement, Inadequate.")
    cases: Count | None = Field(None, description="Cases with this grade.")
    percent: Percent | None = Field(
        None, description="Share with this grade, when only that is given."
    )


class Audit(Record):
    """A multi-agency case audit."""

    id: Annotated[Slug, IdOf("audit")] = Field(description="Short id used in references.")
    title: Annotated[Text, ENTRY_NAME, MonthInTitle("audit '{id}'", unless=("completed",))] = Field(
        description="Title as printed."
    )
    completed: Annotated[dt.date, EventDate("audit '{id}'")] | None = Field(
        None, description="When it was completed."
    )
    cases: Count = Field(description="Cases audited.")
    gradings: list[Grading] = Field(default_factory=list, description="Grade distribution.")
    strengths: list[Text] = Field(default_factory=list, description="Good practice found.")
    improvements: list[Text] = Field(default_factory=list, description="Areas needing improvement.")
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="Its recommendations."
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / forward for an item outside the report period on purpose.",
    )


class LearningEvent(Record):
    """A learning event or conference."""

    title: Annotated[Text, ENTRY_NAME, MonthInTitle("event '{title}'", unless=("date",))] = Field(
        description="Event title."
    )
    date: Annotated[dt.date, EventDate("event '{title}'")] | None = Field(
        None, description="When it was held."
    )
    attendees: Count | None = Field(None, description="How many attended (optional).")
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / forward for an item outside the report period on purpose.",
    )


class Reviews(Record):
    """The whole of data/reviews.yaml."""

    notifications: Notifications | None = Field(None, description="Serious incident notifications.")
    reviews: list[Review] = Field(default_factory=list, description="Reviews.")
    audits: list[Audit] = Field(default_factory=list, description="Multi-agency audits.")
    briefings: list[Text] = Field(default_factory=list, description="7-minute briefings produced.")
    events: list[LearningEvent] = Field(default_factory=list, description="Learning events held.")
