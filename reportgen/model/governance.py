"""data/governance.yaml: partners, people, groups and meeting attendance."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from reportgen.model.arrangements import BusinessUnit, Scrutiny
from reportgen.model.common import Record, SheetLines, Slug, Text
from reportgen.model.meaning import ENTRY_NAME, PERSON_NAME, TOKEN, EventDate, IdOf, RefTo


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
    name: Annotated[Text, ENTRY_NAME] = Field(description="Organisation name as printed.")
    type: PartnerType = Field(
        description="local_authority, icb, police, education or relevant_agency."
    )
    lead: str | None = Field(
        None, description="Lead Safeguarding Partner: role or name (optional)."
    )
    delegate: str | None = Field(None, description="Delegated Safeguarding Partner (optional).")
    areas: list[Annotated[str, RefTo("report", "area")]] = Field(
        default_factory=list,
        description="Area ids the partner covers, when the partnership covers several and the "
        "partner does not cover them all (optional).",
    )


class Member(Record):
    """A person who sits on a partnership group."""

    name: Annotated[Text, ENTRY_NAME, PERSON_NAME] = Field(description="Full name.")
    role: Text = Field(description="Job title or role in the partnership.")
    organisation: Annotated[Text, TOKEN] = Field(description="Partner id or organisation name.")
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
    name: Annotated[Text, ENTRY_NAME] = Field(description="Group name as printed.")
    purpose: Text = Field(description="What the group does, in a sentence or two.")
    chair: str | None = Field(None, description="Who chairs it (optional).")
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


class Meeting(Record):
    """One meeting and who attended, by organisation."""

    group: Annotated[Slug, RefTo("governance", "group")] = Field(
        description="Id of the group that met."
    )
    date: Annotated[dt.date, EventDate("a meeting of '{group}'")] = Field(
        description="Meeting date."
    )
    attendance: dict[Text, Attendance] = Field(
        description="Organisation (partner id or name) -> present, apologies, absent, not_required."
    )


class AttendanceGrid(SheetLines):
    """A register kept as a grid: organisations down the first column, one column per
    meeting headed by its date (YYYY-MM-DD), cells present / apologies / absent /
    not required (a blank cell: not recorded). Its columns become `meetings`."""

    # Checked on the meetings the grid becomes, each at its column's header cell.
    group: Annotated[Slug, RefTo("governance", "group", checked=False)] = Field(
        description="Id of the group whose meetings the grid records."
    )


class Governance(Record):
    """The whole of data/governance.yaml."""

    partners: list[Partner] = Field(default_factory=list, description="Partner organisations.")
    members: list[Member] = Field(default_factory=list, description="People on partnership groups.")
    groups: list[Group] = Field(default_factory=list, description="Groups and subgroups.")
    meetings: list[Meeting] = Field(default_factory=list, description="Meetings with attendance.")
    attendance_grids: list[AttendanceGrid] = Field(
        default_factory=list,
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
