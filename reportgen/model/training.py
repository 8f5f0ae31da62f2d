"""data/training.yaml (+ CSV tables): multi-agency training and its evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

from reportgen.model.common import Count, EarlierYear, Percent, Record, Text, one_per_year
from reportgen.model.meaning import ENTRY_NAME, EventDate, FilePath


class Course(Record):
    """One course in the programme (a row of training-courses.csv)."""

    course: Annotated[Text, ENTRY_NAME] = Field(description="Course title.")
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


class EvaluationMeasure(Record):
    """A result from course evaluations, e.g. share reporting more confidence."""

    label: Annotated[Text, ENTRY_NAME] = Field(description="What was measured.")
    percent: Percent = Field(description="Result as a percentage.")
    approximate: bool = Field(False, description="True when the source says 'about'.")


class Quote(Record):
    """A delegate's comment from an evaluation."""

    text: Annotated[Text, ENTRY_NAME] = Field(description="The comment, as given.")
    who: Text = Field(description="Who said it, e.g. 'manager'.")
    course: str | None = Field(None, description="Course attended (optional).")


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
    courses_file: FilePath = Field("data/training-courses.csv", description="CSV of courses.")
    elearning_file: FilePath | None = Field(
        None, description="CSV of e-learning modules (optional)."
    )
    organisations_file: FilePath | None = Field(
        None, description="CSV of attendance by organisation type (optional)."
    )
    evaluation: list[EvaluationMeasure] = Field(
        default_factory=list, description="Evaluation results."
    )
    quotes: list[Quote] = Field(default_factory=list, description="Delegates' comments.")
    history: Annotated[list[TrainingYear], AfterValidator(one_per_year)] = Field(
        default_factory=list,
        description="Bookings and attendance for earlier years, each with its period and "
        "source: what series words (`{{ training.bookings.highest }}`, "
        "`{{ training.attended.run }}`) are made from. Last year's bookings are "
        "`prior_bookings`; bookings given here for last year too must agree with it.",
    )
