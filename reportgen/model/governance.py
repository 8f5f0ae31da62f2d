"""data/governance.yaml: partners, people, groups and meeting attendance."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from reportgen.model.common import Percent, PeriodLabel, Record, SheetLines, Slug, Text, empty_list
from reportgen.model.meaning import (
    ENTRY_NAME,
    LABEL,
    PERSON_NAME,
    PROPER_NAME,
    TOKEN,
    EventDate,
    IdOf,
    RefTo,
)
from reportgen.model.organisation import BusinessUnit, Scrutiny


class PartnerType(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    ICB = "icb"
    POLICE = "police"
    EDUCATION = "education"
    RELEVANT_AGENCY = "relevant_agency"


STATUTORY_TYPES = {PartnerType.LOCAL_AUTHORITY, PartnerType.ICB, PartnerType.POLICE}


class Partner(Record):
    """An organisation in the partnership (statutory partner or relevant agency)."""

    id: Annotated[Slug, IdOf("partner")] = Field(
        description="Short id other records use, e.g. lbn, icb, police."
    )
    name: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(
        description="Organisation name as printed."
    )
    type: PartnerType = Field(
        description="local_authority, icb, police, education or relevant_agency."
    )
    lead: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Lead Safeguarding Partner: role or name (optional)."
    )
    delegate: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Delegated Safeguarding Partner (optional)."
    )
    areas: list[Annotated[str, RefTo("report", "area")]] = Field(
        default_factory=empty_list,
        description="Area ids the partner covers, when the partnership covers several and the "
        "partner does not cover them all (optional).",
    )
    joined: PeriodLabel | None = Field(
        None,
        description="The year it became a partner, as the report says, e.g. 2024/25 for "
        "education becoming the fourth safeguarding partner (optional).",
    )


class Member(Record):
    """A person who sits on a partnership group."""

    # What the report does not name stays out: "a legal adviser" is a member with a role.
    name: Annotated[Text, ENTRY_NAME, PERSON_NAME] | None = Field(
        None,
        description="Full name (optional: left out when the report gives only the role, "
        "e.g. 'a senior member from each partner').",
    )
    role: Annotated[Text, PROPER_NAME] = Field(description="Job title or role in the partnership.")
    organisation: Annotated[Text, TOKEN, PROPER_NAME] = Field(
        description="Partner id or organisation name."
    )
    group: Annotated[Slug, RefTo("governance", "group", if_any=True)] = Field(
        "executive", description="Id of the group they sit on."
    )
    start: dt.date | None = Field(None, description="Joined on (if during the year).")
    end: dt.date | None = Field(None, description="Left on (if during the year).")


class GroupStatus(StrEnum):
    ACTIVE = "active"
    NEW = "new"
    STOOD_DOWN = "stood_down"


class Group(Record):
    """A partnership group or subgroup."""

    id: Annotated[Slug, IdOf("group")] = Field(description="Short id, e.g. executive, pqa.")
    name: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(description="Group name as printed.")
    purpose: Text | None = Field(
        None,
        description="What the group does, in a sentence or two (optional: left out when the "
        "report does not say).",
    )
    chair: Annotated[str, PROPER_NAME] | None = Field(None, description="Who chairs it (optional).")
    parent: Annotated[Slug, RefTo("governance", "group", if_any=True)] | None = Field(
        None, description="Id of the group it reports to (optional)."
    )
    status: GroupStatus = Field(GroupStatus.ACTIVE, description="active, new or stood_down.")
    changed: Annotated[dt.date, EventDate("the change to group '{id}'")] | None = Field(
        None, description="When it started or stood down (optional)."
    )


class Attendance(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    NOT_REQUIRED = "not_required"
    # The cell does not apply to the row (n/a): the organisation is not a member then.
    NOT_APPLICABLE = "not_applicable"


# A register dated by month only: 2024-12.
MONTH_ONLY = re.compile(r"^\d{4}-\d{2}$")


class Meeting(Record):
    """One meeting and who attended, by organisation (or one that was not held)."""

    group: Annotated[Slug, RefTo("governance", "group")] = Field(
        description="Id of the group that met."
    )
    date: Annotated[dt.date, EventDate("a meeting of '{group}'")] = Field(
        description="Meeting date (YYYY-MM-DD), or YYYY-MM when the register gives only the month."
    )
    month_only: bool = Field(
        False,
        description="True when only the month is known (set by a date typed YYYY-MM): "
        "the meeting is shown as 'December 2024'.",
    )
    label: Annotated[Text, LABEL] | None = Field(
        None,
        description="The register's own heading for the meeting, shown instead of the "
        "date, e.g. 'Dec 24, north area only' (optional).",
    )
    held: bool = Field(
        True, description="False for a planned meeting that did not take place (no marks)."
    )
    not_held_reason: Text | None = Field(
        None, description="Why it was not held, as the report gives it (optional)."
    )
    attendance: dict[Annotated[Text, TOKEN, PROPER_NAME], Attendance] = Field(
        default_factory=dict,
        description="Organisation (partner id or name) -> present, apologies, absent, "
        "not_required, or not_applicable (n/a: the cell does not apply to the row).",
    )

    @model_validator(mode="before")
    @classmethod
    def _month(cls, data: Any) -> Any:
        """`date: 2024-12` is the month only: dated by its first day, shown as a month."""
        date = data.get("date") if isinstance(data, dict) else None
        if isinstance(date, str) and MONTH_ONLY.match(date.strip()):
            data = {**data, "date": date.strip() + "-01", "month_only": True}
        return data

    @model_validator(mode="after")
    def _not_held_has_no_marks(self) -> Meeting:
        if not self.held and self.attendance:
            raise ValueError("a meeting that was not held cannot have attendance marks")
        if self.held and self.not_held_reason:
            raise ValueError("not_held_reason is given but held is not false")
        return self


class RateRounding(StrEnum):
    """How a report rounded the attendance percentages it printed."""

    WHOLE = "whole"  # to the nearest whole per cent, halves up (75.5 -> 76)
    WHOLE_DOWN = "whole_down"  # whole per cent, cut down (87.9 -> 87)
    ONE_DECIMAL = "one_decimal"  # one decimal place, halves up


class PrintedRate(Record):
    """An attendance percentage as the report prints it, checked against the marks."""

    group: Annotated[Slug, RefTo("governance", "group")] = Field(
        description="Id of the group whose meetings it covers."
    )
    organisation: Annotated[Text, TOKEN, PROPER_NAME] = Field(
        description="Organisation (partner id or name) as the marks name it."
    )
    percent: Percent = Field(description="The percentage as printed, e.g. 75.")
    rounding: RateRounding = Field(
        RateRounding.WHOLE,
        description="How the report rounded it: whole (nearest whole per cent, halves up), "
        "whole_down (cut down to a whole per cent) or one_decimal.",
    )


class GridColumn(Record):
    """What one meeting column of a grid is, when its heading alone does not say."""

    header: Text = Field(description="The column's heading exactly as in the sheet.")
    date: str | None = Field(
        None, description="The meeting's date, YYYY-MM-DD, or YYYY-MM for the month only."
    )
    # Its words are checked on the meeting the column becomes, not twice.
    label: Annotated[Text, TOKEN] | None = Field(
        None, description="Its label as printed (default: the heading)."
    )
    held: bool = Field(True, description="False when the meeting did not take place.")
    not_held_reason: Annotated[Text, TOKEN] | None = Field(
        None, description="Why it was not held (optional)."
    )


class AttendanceGrid(SheetLines):
    """A register kept as a grid: organisations down the first column, one column per
    meeting in the printed order, headed by its date (2024-12-05), its month (2024-12,
    Dec 24, December 2024) or a month with a label ("Dec 24, north area only"); cells
    present / apologies / absent / not required / n/a (a blank cell: not recorded).
    Its columns become `meetings`, its `rate_column` becomes `printed_rates`."""

    # Checked on the meetings the grid becomes, each at its column's header cell.
    group: Annotated[Slug, RefTo("governance", "group", checked=False)] = Field(
        description="Id of the group whose meetings the grid records."
    )
    columns: list[GridColumn] = Field(
        default_factory=empty_list,
        description="Meeting columns described by heading: a date for a heading that has "
        "none, a label, or a meeting not held with its reason (optional).",
    )
    rate_column: str | None = Field(
        None,
        description="The column holding the printed attendance percentage, e.g. "
        "'Attendance %' (optional); each is checked against the row's marks.",
    )
    rounding: RateRounding = Field(
        RateRounding.WHOLE, description="How the printed percentages were rounded."
    )
    other_columns: list[str] = Field(
        default_factory=empty_list,
        description="Columns that are not meetings (a representative's name, notes): read past.",
    )


class Governance(Record):
    """The whole of data/governance.yaml."""

    partners: list[Partner] = Field(
        default_factory=empty_list, description="Partner organisations."
    )
    members: list[Member] = Field(
        default_factory=empty_list, description="People on partnership groups."
    )
    groups: list[Group] = Field(default_factory=empty_list, description="Groups and subgroups.")
    meetings: list[Meeting] = Field(
        default_factory=empty_list, description="Meetings with attendance."
    )
    attendance_grids: list[AttendanceGrid] = Field(
        default_factory=empty_list,
        description="Attendance kept as a grid in a CSV file or a sheet of an .xlsx workbook "
        "(one per group); each column becomes a meeting, as if typed under `meetings`.",
    )
    # What an annual report states about the partnership's published arrangements, which
    # `reportgen validate ARRANGEMENTS REPORT` compares with the arrangements themselves.
    arrangements_published: dt.date | None = Field(
        None,
        description="When the safeguarding arrangements in force were published, as this "
        "report states it (optional; compared with the arrangements' `published:`).",
    )
    scrutiny: Scrutiny | None = Field(
        None,
        description="When the independent scrutineer was (or will be) appointed, as this "
        "report states it (optional; compared with the arrangements' `scrutiny:`).",
    )
    business_unit: BusinessUnit | None = Field(
        None,
        description="The business unit's posts and their FTE, as this report states them "
        "(optional; compared with the arrangements' `business_unit:`).",
    )
    printed_rates: list[PrintedRate] = Field(
        default_factory=empty_list,
        description="Attendance percentages as printed, each checked against the marks "
        "under its rounding rule (a grid's `rate_column` adds its own).",
    )

    def held(self, group: str) -> list[Meeting]:
        """The meetings of a group that took place (not those planned but not held)."""
        return [m for m in self.meetings if m.group == group and m.held]
