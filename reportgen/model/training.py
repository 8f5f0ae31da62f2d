"""data/training.yaml (+ CSV tables): multi-agency training and its evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from reportgen.model.common import (
    Count,
    EarlierYear,
    Percent,
    Record,
    Slug,
    Text,
    empty_list,
    one_per_year,
)
from reportgen.model.meaning import ENTRY_NAME, LABEL, PROPER_NAME, EventDate, FilePath, IdOf


class Course(Record):
    """One course in the programme (a row of training-courses.csv)."""

    course: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(description="Course title.")
    occurrences: Count = Field(description="Times it ran.")
    bookings: Count = Field(description="Places booked.")
    attended: Count = Field(description="People who attended.")
    cancellations: Count | None = Field(None, description="Bookings cancelled (optional).")


class ElearningModule(Record):
    """One e-learning module (a row of training-elearning.csv)."""

    module: Annotated[Text, ENTRY_NAME] = Field(description="Module title.")
    bookings: Count = Field(description="People enrolled.")
    started: Count = Field(description="Started and still working through it.")
    passed: Count = Field(description="Completed and passed.")
    ongoing: Count = Field(description="Enrolled, not yet started.")


class OrganisationAttendance(Record):
    """Bookings and attendance by type of organisation (training-by-organisation.csv)."""

    organisation_type: Text = Field(description="Type of organisation, e.g. Education.")
    bookings: Count = Field(description="Places booked.")
    attended: Count = Field(description="People who attended.")


class TrainingTotals(Record):
    """Totals as printed in the source; each is checked against the course rows."""

    events: Count | None = Field(None, description="Distinct events offered.")
    occurrences: Count | None = Field(None, description="Sessions run.")
    places: Count | None = Field(None, description="Places offered.")
    bookings: Count | None = Field(None, description="Places booked.")
    attended: Count | None = Field(None, description="People who attended.")
    cancellations: Count | None = Field(None, description="Bookings cancelled.")
    no_shows: Count | None = Field(
        None, description="Booked but did not attend (cancellations included)."
    )
    did_not_attend: Count | None = Field(
        None,
        description="Did not attend, as the report counts it (cancellations not included; "
        "say how in `definitions.did_not_attend`).",
    )


class TrainingDefinitions(Record):
    """The report's own definitions of what it counts, printed beside the figures."""

    attended: Text | None = Field(None, description="What 'attended' means in the report.")
    cancelled: Text | None = Field(None, description="What 'cancelled' means.")
    did_not_attend: Text | None = Field(None, description="What 'did not attend' means.")


class Band(Record):
    """One row of a breakdown or one answer of a distribution: a count, a share, or both."""

    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="The row or answer as printed.")
    count: Count | None = Field(None, description="How many (optional when a share is given).")
    share: Percent | None = Field(
        None, description="Its share as printed (checked against the counts when both are given)."
    )

    @model_validator(mode="after")
    def _count_or_share(self) -> Band:
        if self.count is None and self.share is None:
            raise ValueError(f"'{self.label}' needs a count or a share")
        return self


class Breakdown(Record):
    """Attendance split by area or type of organisation, as counts or shares."""

    id: Annotated[Slug, IdOf("training breakdown")] = Field(description="Short id, e.g. by-area.")
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Its title as printed.")
    by: Text = Field(description="What it is split by, e.g. Area or Type of organisation.")
    rows: list[Band] = Field(min_length=1, description="Its rows, in the printed order.")


class Distribution(Record):
    """How evaluations answered one question, e.g. Excellent / Good / Fair / Poor."""

    id: Annotated[Slug, IdOf("training distribution")] = Field(
        description="Short id, e.g. overall-rating."
    )
    question: Annotated[Text, ENTRY_NAME] = Field(description="The question as printed.")
    responses: Count | None = Field(
        None, description="How many answered (optional; the answers' counts add up to it)."
    )
    answers: list[Band] = Field(min_length=2, description="The answers, in the printed order.")


class EvaluationMeasure(Record):
    """A result from course evaluations, e.g. share reporting more confidence."""

    label: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="What was measured.")
    percent: Percent = Field(description="Result as a percentage.")
    approximate: bool = Field(False, description="True when the source says 'about'.")


class Quote(Record):
    """A delegate's comment from an evaluation."""

    text: Annotated[Text, ENTRY_NAME] = Field(description="The comment, as given.")
    who: Annotated[Text, PROPER_NAME] = Field(description="Who said it, e.g. 'manager'.")
    course: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Course attended (optional)."
    )


class TrainingYear(EarlierYear):
    """The training programme's totals for an earlier training year."""

    bookings: Count | None = Field(None, description="Places booked that year (optional).")
    attended: Count | None = Field(None, description="People who attended that year (optional).")


class Training(Record):
    """The whole of data/training.yaml."""

    start: Annotated[dt.date, EventDate("the start of the training year")] = Field(
        description="First day of the training year."
    )
    end: dt.date = Field(description="Last day of the training year.")
    totals: TrainingTotals = Field(
        default_factory=TrainingTotals, description="Printed totals (checked)."
    )
    prior_bookings: Count | None = Field(None, description="Bookings last year, for comparison.")
    courses_file: FilePath | None = Field(
        None, description="CSV of courses (optional: the printed totals alone are enough)."
    )
    elearning_file: FilePath | None = Field(
        None, description="CSV of e-learning modules (optional)."
    )
    organisations_file: FilePath | None = Field(
        None, description="CSV of attendance by organisation type (optional)."
    )
    evaluation: list[EvaluationMeasure] = Field(
        default_factory=empty_list, description="Evaluation results."
    )
    quotes: list[Quote] = Field(default_factory=empty_list, description="Delegates' comments.")
    definitions: TrainingDefinitions = Field(
        default_factory=TrainingDefinitions,
        description="The report's own definitions of attended, cancelled and did not attend.",
    )
    breakdowns: list[Breakdown] = Field(
        default_factory=empty_list,
        description="Attendance by area or type of organisation, as counts or shares.",
    )
    distributions: list[Distribution] = Field(
        default_factory=empty_list, description="Evaluation answers, as counts or shares."
    )
    history: Annotated[list[TrainingYear], AfterValidator(one_per_year)] = Field(
        default_factory=empty_list,
        description="Bookings and attendance for earlier years, each with its period and "
        "source: what series words (`{{ training.bookings.highest }}`, "
        "`{{ training.attended.run }}`) are made from. Last year's bookings are "
        "`prior_bookings`; bookings given here for last year too must agree with it.",
    )
