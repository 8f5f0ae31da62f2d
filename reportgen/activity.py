"""Partnership activity figures for the ledger: reach, groups, feedback, training counts.

These are figures the narrative can quote (`{{ reach.first_friday_participants }}`,
`{{ governance.members }}`, `{{ training.no_shows }}` ...) that no dataset's own export
table carries, so the open data export publishes them here as one tidy table,
`activity`, each with its source and, when counted or computed, how.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.diagnostics import Location
from reportgen.ledger import FigureLedger, FigureTable, Measure, TimePeriod, sum_of
from reportgen.model.feedback import Feedback
from reportgen.model.governance import Governance
from reportgen.model.partners import Partners

if TYPE_CHECKING:
    from reportgen.project import Project

TABLE = "activity"


def publish_activity(project: Project, ledger: FigureLedger) -> None:
    """Add the activity figures of a dated project to the ledger."""
    if project.period is None:
        return  # open data is dated; an undated kind publishes none
    now = TimePeriod.of_dates(project.period.start, project.period.end)
    ledger.table(
        FigureTable(
            TABLE,
            "Partnership activity and reach: groups, feedback, communication, training",
            {
                "activity_group": "What the figure is about",
                "activity": "What was counted",
                "approximate": "Whether the report gives the figure as approximate",
            },
            {"count": Measure("Count", "count")},
        )
    )

    def add(
        id: str,
        group: str,
        what: str,
        value: int,
        sources: list[Location],
        *,
        derivation: str | None = None,
        approximate: bool = False,
        time: TimePeriod | None = None,
    ) -> None:
        filters = [
            ("activity_group", group),
            ("activity", what),
            ("approximate", "Yes" if approximate else "No"),
        ]
        ledger.add(id, TABLE, "count", value, filters, sources, derivation=derivation, time=time)

    governance = project.dataset("governance", Governance)
    if governance is not None:
        for key, what in (
            ("members", "People on the partnership's groups"),
            ("groups", "Partnership groups and subgroups"),
        ):
            records = getattr(governance, key)
            where = [project.where(record) for record in records]
            add(
                f"governance.{key}",
                "Governance",
                what,
                len(records),
                where,
                derivation=_count_of(where),
            )

    feedback = project.dataset("feedback", Feedback)
    if feedback is not None:
        where = [project.where(item) for item in feedback.feedback]
        add(
            "feedback.count",
            "Feedback",
            "Feedback items from children and families",
            len(feedback.feedback),
            where,
            derivation=_count_of(where),
        )

    partners = project.dataset("partners", Partners)
    if partners is not None:
        for r in partners.reach:
            if r.value is None:
                continue  # a range (subscribers 1,200 to 1,450) is no one count to publish
            add(
                f"reach.{r.id}",
                "Communication and reach",
                r.label,
                r.value,
                [project.where(r, "value")],
                approximate=r.approximate,
            )
            if r.prior is not None:
                add(
                    f"reach.{r.id}.prior",
                    "Communication and reach",
                    r.label,
                    r.prior,
                    [project.where(r, "prior")],
                    time=now.shifted(-1),
                )

    training = project.training
    if training is not None and training.courses:
        booked = [project.where(c, "bookings") for c in training.courses]
        came = [project.where(c, "attended") for c in training.courses]
        courses = [project.where(c) for c in training.courses]
        bookings = sum(c.bookings for c in training.courses)
        attended = sum(c.attended for c in training.courses)
        add(
            "training.courses",
            "Training",
            "Courses run",
            len(training.courses),
            courses,
            derivation=_count_of(courses),
        )
        add(
            "training.no_shows",
            "Training",
            "Booked places not attended",
            bookings - attended,
            [*booked, *came],
            derivation=f"total bookings ({sum_of(booked)}) minus total attended ({sum_of(came)})"
            if booked
            else None,
        )


def _count_of(where: list[Location]) -> str | None:
    """'count of data/governance.yaml lines 57, 60 and 63': how a count was made."""
    return "count of " + sum_of(where).removeprefix("sum of ") if where else None


__all__ = ["publish_activity"]
