"""data/plan.yaml: a business plan's document control, priorities and outcome rows
(`kind: business-plan`)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from reportgen.model.common import Rag, Record, Text, empty_list
from reportgen.model.config import DocumentConfig
from reportgen.model.meaning import LABEL, PROPER_NAME, TOKEN

# A priority's number as printed (3, 3a): a code, not words; unique across the plan
# (reportgen/checks/business_plan.py, since parts are numbered in their own lists).
PriorityNumber = Annotated[str, TOKEN]

_PRIORITY_ID = re.compile(r"^\d+[a-z]?$")
_PLAN_LABEL = re.compile(r"^(\d{4}) to (\d{4})$")


class ControlLabel(StrEnum):
    """A document-control label, by its field name."""

    OWNER = "owner"
    AUTHOR = "author"
    VERSION = "version"
    STATUS = "status"
    DATE = "date"


class DocumentControl(Record):
    """Who owns the plan and which version it is. Every label must be filled in: a
    field left empty (as `owner:` with nothing after it) is an error, unless
    `printed_empty` says the source prints it so."""

    owner: Annotated[str, PROPER_NAME] | None = Field(
        description="Who owns the plan, e.g. the Executive Board."
    )
    author: str | None = Field(description="Who wrote it, e.g. the Business Manager.")
    version: Annotated[str, TOKEN] | None = Field(description="Version as printed, e.g. Final.")
    status: Annotated[str, TOKEN] | None = Field(description="Status, e.g. Approved or Draft.")
    date: dt.date | None = Field(description="Date of this version.")
    printed_empty: list[ControlLabel] = Field(
        default_factory=empty_list,
        description="Labels the source prints with nothing after them, e.g. [owner, "
        "author], each left empty above: a warning instead of an error, and the plan "
        "shows them as not stated (never a value made up from elsewhere).",
    )

    @model_validator(mode="after")
    def _printed_empty_is_empty(self) -> DocumentControl:
        filled = [str(label) for label in self.printed_empty if getattr(self, label)]
        if filled:
            raise ValueError(
                f"printed_empty lists {', '.join(filled)}, but each is filled in: leave it "
                "empty as the source prints it, or take it out of printed_empty"
            )
        return self


class OutcomeRow(Record):
    """One row of a priority's table: outcomes by a timeframe, and how they are reached."""

    timeframe: Text = Field(description="By when, as printed, e.g. Within 6 months.")
    outcomes: list[Text] = Field(
        default_factory=empty_list,
        description="The outcomes sought (a row may give only a timeframe and activities).",
    )
    activities: list[Text] = Field(default_factory=empty_list, description="Key activities.")
    resources: list[Text] = Field(default_factory=empty_list, description="Inputs and resources.")
    leads: list[Text] = Field(default_factory=empty_list, description="Who leads.")
    measures: list[Text] = Field(default_factory=empty_list, description="Outputs and measures.")


def _check_id(value: str) -> str:
    if not _PRIORITY_ID.match(value):
        raise ValueError(f"expected a priority number such as 3 or 3a, got '{value}'")
    return value


class PlanPart(Record):
    """A part of a priority, e.g. 3a under priority 3."""

    id: PriorityNumber = Field(description="Its number and letter as printed, e.g. 3a.")
    title: Annotated[Text, LABEL] = Field(description="Title as printed.")
    aim: str | None = Field(None, description="What the partnership wants to be assured of.")
    outcomes: list[OutcomeRow] = Field(default_factory=empty_list, description="Outcome rows.")

    _id = field_validator("id")(_check_id)


class PlanPriority(Record):
    """A priority of the plan: its aim, outcome rows and any parts (3a, 3b, ...)."""

    id: PriorityNumber = Field(description="Its number as printed, e.g. 3.")
    title: Annotated[Text, LABEL] = Field(description="Title as printed.")
    aim: str | None = Field(None, description="What the partnership wants to be assured of.")
    outcomes: list[OutcomeRow] = Field(default_factory=empty_list, description="Outcome rows.")
    parts: list[PlanPart] = Field(
        default_factory=empty_list, description="Parts of the priority, e.g. 3a to 3c."
    )

    _id = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _parts_numbered_under(self) -> PlanPriority:
        for part in self.parts:
            if not part.id.startswith(self.id) or part.id == self.id:
                raise ValueError(
                    f"part '{part.id}' of priority '{self.id}' should be numbered "
                    f"{self.id}a, {self.id}b, ..."
                )
        if not self.outcomes and not self.parts:
            raise ValueError(f"priority '{self.id}' has no outcome rows and no parts")
        return self


Path = tuple[str | int, ...]  # where a record is in data/plan.yaml, for its location


class BusinessPlan(Record):
    """The whole of data/plan.yaml."""

    document_control: DocumentControl = Field(description="Owner, author, version, status, date.")
    priorities: list[PlanPriority] = Field(min_length=1, description="Priorities, in order.")

    def entries(self) -> list[tuple[PlanPriority | PlanPart, Path]]:
        """Every priority and part, in reading order, with its path in the file."""
        found: list[tuple[PlanPriority | PlanPart, Path]] = []
        for i, priority in enumerate(self.priorities):
            found.append((priority, ("priorities", i)))
            found += [
                (part, ("priorities", i, "parts", j)) for j, part in enumerate(priority.parts)
            ]
        return found

    def outcome_rows(self) -> list[tuple[str, PlanPriority | PlanPart, OutcomeRow, Path]]:
        """(id, its priority or part, the row, its path) for every outcome row: `3a.2` is
        the second row of 3a, as an annual report's data/plan-progress.yaml names it."""
        return [
            (f"{entry.id}.{n}", entry, row, (*path, "outcomes", n - 1))
            for entry, path in self.entries()
            for n, row in enumerate(entry.outcomes, start=1)
        ]


class PlanPeriod(Record):
    """The years a plan covers."""

    label: Annotated[str, LABEL] = Field(description="As printed, e.g. 2015 to 2017.")
    start: dt.date = Field(description="First day, e.g. 2015-04-01.")
    end: dt.date = Field(description="Last day, e.g. 2017-03-31.")

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        match = _PLAN_LABEL.match(value)
        if not match or int(match.group(2)) <= int(match.group(1)):
            raise ValueError(f"expected years such as 2015 to 2017, got '{value}'")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> PlanPeriod:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} is not after its start {self.start}")
        return self

    @property
    def years(self) -> int:
        match = _PLAN_LABEL.match(self.label)
        assert match is not None  # validated
        return int(match.group(2)) - int(match.group(1))


class PlanConfig(DocumentConfig):
    """The whole of report.yaml of a business plan (`kind: business-plan`)."""

    period: PlanPeriod = Field(description="The years the plan covers, more than one.")


class OutcomeProgress(Record):
    """What an annual report says about one outcome row of the business plan."""

    outcome: Annotated[str, TOKEN] = Field(
        description="The row, as its priority's number and the row's place in the "
        "priority's table: `1.2` is priority 1's second row, `3a.1` the first of 3a."
    )
    status: Rag | None = Field(None, description="red, amber, green, complete or not_started.")
    progress: Text = Field(description="What was done this year towards the outcome.")
    evidence: str | None = Field(None, description="What shows it made a difference (optional).")


class PlanProgress(Record):
    """The whole of data/plan-progress.yaml: an annual report's progress on each outcome row
    of the business plan in data/plan.yaml."""

    progress: list[OutcomeProgress] = Field(
        min_length=1, description="One entry per outcome row reported on."
    )
