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
    empty_list,
    one_per_year,
)
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

AreaId = Annotated[str, RefTo("report", "area")]


class AreaNotifications(Record):
    """One area's share of the year's notifications (they must add up to the whole)."""

    area: AreaId = Field(description="Area id from report.yaml.")
    incidents: Count = Field(description="Notifiable incidents in this area.")
    children: Count | None = Field(
        None, description="Children involved in this area (optional: leave out when not stated)."
    )


class NotificationsYear(EarlierYear):
    """Serious incident notifications in an earlier year."""

    incidents: Count | None = Field(None, description="Notifiable incidents that year.")


class Notifications(Record):
    """Serious incident notifications to the national panel in the year."""

    incidents: Count = Field(description="Notifiable incidents.")
    children: Count | None = Field(
        None,
        description="Children involved (optional: leave out when the report does not say; "
        "nothing is shown then).",
    )
    by_area: list[AreaNotifications] = Field(
        default_factory=empty_list,
        description="The notifications of each area, when the partnership covers several "
        "(checked: they add up to `incidents` and `children`).",
    )
    prior_incidents: Count | None = Field(None, description="Last year's incidents (optional).")
    rapid_reviews: Count | None = Field(None, description="Rapid reviews held (optional).")
    lcsprs_started: Count | None = Field(None, description="Local reviews started (optional).")
    note: str | None = Field(None, description="Printed note (optional).")
    history: Annotated[list[NotificationsYear], AfterValidator(one_per_year)] = Field(
        default_factory=empty_list,
        description="Incidents notified in earlier years, each with its period and source: "
        "what series words (`{{ reviews.notifications.incidents.highest }}`) are made from. "
        "Last year's is `prior_incidents`; one given here for last year too must agree.",
    )


class ReviewKind(StrEnum):
    RAPID_REVIEW = "rapid_review"
    LCSPR = "lcspr"
    THEMATIC = "thematic"
    NATIONAL = "national"


class ReviewStage(StrEnum):
    """Where a case has got, from the notification to a published review."""

    NOTIFIED = "notified"
    RAPID_REVIEW = "rapid_review"
    DECISION = "decision"
    ONGOING = "ongoing"
    FINAL_DRAFT = "final_draft"
    PUBLISHED = "published"
    NOT_TO_BE_PUBLISHED = "not_to_be_published"


class ReviewDecision(StrEnum):
    """What the rapid review decided."""

    LCSPR = "lcspr"
    NO_LCSPR = "no_lcspr"
    NATIONAL = "national"
    PENDING = "pending"


# How the printed status words of a tracker read as a normalised status (lower case, the
# words as trackers print them). validation.md documents it through `data.status-unmapped`.
PRINTED_STATUS: dict[str, Rag] = {
    "complete": Rag.COMPLETE,
    "completed": Rag.COMPLETE,
    "achieved": Rag.COMPLETE,
    "met": Rag.COMPLETE,
    "closed": Rag.COMPLETE,
    "done": Rag.COMPLETE,
    "on track": Rag.GREEN,
    "green": Rag.GREEN,
    "good progress": Rag.GREEN,
    "in progress": Rag.AMBER,
    "ongoing": Rag.AMBER,
    "partially met": Rag.AMBER,
    "partly met": Rag.AMBER,
    "some progress": Rag.AMBER,
    "amber": Rag.AMBER,
    "off track": Rag.RED,
    "delayed": Rag.RED,
    "not met": Rag.RED,
    "red": Rag.RED,
    "not started": Rag.NOT_STARTED,
    "not yet started": Rag.NOT_STARTED,
}


def status_from_print(printed: str | None) -> Rag | None:
    """The normalised status printed words stand for (None: not stated, or not in the map)."""
    if printed is None:
        return None
    return PRINTED_STATUS.get(" ".join(printed.lower().replace("-", " ").split()))


class Recommendation(Record):
    """A recommendation from a review or audit and how far it has got."""

    id: Annotated[Slug, IdOf("recommendation")] = Field(
        description="Short id, unique within the review."
    )
    text: Annotated[Text, ENTRY_NAME] = Field(description="The recommendation.")
    owner: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Who is responsible (optional)."
    )
    owners: list[str] = Field(
        default_factory=empty_list,
        description="Several owners, when the tracker names more than one (instead of `owner`).",
    )
    status: Rag | None = Field(
        None,
        description="red, amber, green, complete or not_started: the normalised status. "
        "Optional: leave out when the report gives none (shown as not stated), or give "
        "`status_as_printed` and it is read from the printed words (see the mapping in "
        "validation.md, `data.status-unmapped`).",
    )
    status_as_printed: str | None = Field(
        None,
        description="The status in the tracker's own words, e.g. 'Partially met' (shown "
        "beside the normalised status).",
    )

    @property
    def normalised_status(self) -> Rag | None:
        """The status as given, or as read from the printed words; None: not stated."""
        return self.status or status_from_print(self.status_as_printed)

    @property
    def owner_names(self) -> list[str]:
        """Every owner named, `owner` first."""
        return ([self.owner] if self.owner else []) + list(self.owners)

    evidence: str | None = Field(None, description="What shows progress or impact.")
    due: dt.date | None = Field(None, description="Target date (optional).")


class Review(Record):
    """A rapid review, local or thematic practice review, or national review."""

    id: Annotated[Slug, IdOf("review")] = Field(description="Short id used in references.")
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Title as printed.")
    reference: Annotated[str, TOKEN] | None = Field(
        None,
        description="Its reference as printed, e.g. LCSPR 2023-01 (optional): the text may "
        "name the review by it, beside or instead of its title.",
    )
    kind: ReviewKind = Field(description="rapid_review, lcspr, thematic or national.")
    started: Annotated[dt.date, EventDate("review '{id}' (started)", bound="starts")] | None = (
        Field(None, description="When it began (optional).")
    )
    completed: Annotated[dt.date, EventDate("review '{id}' (completed)", bound="ends")] | None = (
        Field(None, description="When it finished (optional).")
    )
    children: Count | None = Field(None, description="Children whose cases it covered.")
    summary: Text | None = Field(
        None,
        description="What it looked at, in a sentence or two (optional: a report may only "
        "name a review it published).",
    )
    findings: list[Text] = Field(default_factory=empty_list, description="Main findings.")
    recommendations: list[Recommendation] = Field(
        default_factory=empty_list, description="Its recommendations."
    )
    tracker_as_at: dt.date | None = Field(
        None, description="Date the recommendation tracker was last updated (optional)."
    )
    area: AreaId | None = Field(None, description="Area id, when the partnership covers several.")
    stage: ReviewStage | None = Field(
        None,
        description="Where it has got: notified, rapid_review, decision, ongoing, final_draft, "
        "published or not_to_be_published (optional).",
    )
    notified: Annotated[dt.date, EventDate("review '{id}' (notified)", bound="starts")] | None = (
        Field(None, description="When the incident was notified to the national panel.")
    )
    rapid_review: dt.date | None = Field(None, description="When the rapid review met.")
    decision: ReviewDecision | None = Field(
        None,
        description="What the rapid review decided: lcspr, no_lcspr, national or pending.",
    )
    published: dt.date | None = Field(
        None, description="When the review was published (with `stage: published`)."
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / forward for an item outside the report period on purpose.",
    )


class Grading(Record):
    """Share or count of audited cases given one grade."""

    grade: Annotated[Text, LABEL] = Field(
        description="Grade, e.g. Good, Requires improvement, Inadequate."
    )
    cases: Count | None = Field(None, description="Cases with this grade.")
    percent: Percent | None = Field(
        None, description="Share with this grade, when only that is given."
    )


class Audit(Record):
    """A multi-agency case audit."""

    id: Annotated[Slug, IdOf("audit")] = Field(description="Short id used in references.")
    title: Annotated[
        Text, ENTRY_NAME, LABEL, MonthInTitle("audit '{id}'", unless=("completed",))
    ] = Field(description="Title as printed.")
    completed: Annotated[dt.date, EventDate("audit '{id}'")] | None = Field(
        None, description="When it was completed."
    )
    cases: Count | None = Field(
        None, description="Cases audited (optional: leave out when the report does not say)."
    )
    gradings: list[Grading] = Field(default_factory=empty_list, description="Grade distribution.")
    strengths: list[Text] = Field(default_factory=empty_list, description="Good practice found.")
    improvements: list[Text] = Field(
        default_factory=empty_list, description="Areas needing improvement."
    )
    recommendations: list[Recommendation] = Field(
        default_factory=empty_list, description="Its recommendations."
    )
    timing: Timing = Field(
        Timing.CURRENT,
        description="current, or prior / forward for an item outside the report period on purpose.",
    )


class LearningEvent(Record):
    """A learning event or conference."""

    title: Annotated[Text, ENTRY_NAME, LABEL, MonthInTitle("event '{title}'", unless=("date",))] = (
        Field(description="Event title.")
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
    reviews: list[Review] = Field(default_factory=empty_list, description="Reviews.")
    audits: list[Audit] = Field(default_factory=empty_list, description="Multi-agency audits.")
    briefings: list[Text] = Field(
        default_factory=empty_list, description="7-minute briefings produced."
    )
    events: list[LearningEvent] = Field(
        default_factory=empty_list, description="Learning events held."
    )
