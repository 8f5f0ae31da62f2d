"""data/governance.yaml: partners, groups, members and meeting attendance.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen import figures
from reportgen.checks import registers
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.words import long_date
from reportgen.derived import Derived
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    where_all,
)
from reportgen.load.registers import meetings_from_grids
from reportgen.model.governance import Attendance, Governance, Meeting
from reportgen.project import Project
from reportgen.views import (
    Cell,
    ListItem,
    ListView,
    TableView,
)

_ATTENDANCE_WORDS = {
    Attendance.PRESENT: "Present",
    Attendance.APOLOGIES: "Apologies",
    Attendance.ABSENT: "Absent",
    Attendance.NOT_REQUIRED: "Not required",
    Attendance.NOT_APPLICABLE: "n/a",
}
# Marks that take a meeting out of what an organisation was expected at.
_NOT_EXPECTED = (Attendance.NOT_REQUIRED, Attendance.NOT_APPLICABLE)


def derive_governance(project: Project, data: Governance, out: Derived) -> None:
    partner_names = {p.id: p.name for p in data.partners}
    group_names = {g.id: g.name for g in data.groups}

    def org(name: str) -> str:
        return partner_names.get(name, name)

    def when(start: object, end: object) -> str:
        if start and end:
            return f"{long_date(start)} to {long_date(end)}"
        if start:
            return f"from {long_date(start)}"
        if end:
            return f"until {long_date(end)}"
        return "Whole year"

    out.references["governance.members"] = figures.count(len(data.members))
    out.references["governance.groups"] = figures.count(len(data.groups))
    if data.business_unit is not None:
        _publish_business_unit(project, data, out)
    out.add_block(
        "table",
        "governance.partners",
        TableView(
            id="table-partners",
            caption="Partner organisations",
            columns=[
                "Organisation",
                "Type",
                "Lead safeguarding partner",
                "Delegated safeguarding partner",
            ],
            rows=[
                [
                    Cell(text=f"{p.name} (joined {p.joined})" if p.joined else p.name),
                    Cell(text=p.type.value.replace("_", " ").capitalize().replace("Icb", "ICB")),
                    Cell(text=p.lead or "–"),
                    Cell(text=p.delegate or "–"),
                ]
                for p in data.partners
            ],
        ),
    )
    out.add_block(
        "table",
        "governance.members",
        TableView(
            id="table-members",
            caption="Members",
            columns=["Name", "Role", "Organisation", "Group", "Served"],
            rows=[
                [
                    Cell(text=m.name or "–"),  # a role the report names no one for
                    Cell(text=m.role),
                    Cell(text=org(m.organisation)),
                    Cell(text=group_names.get(m.group, m.group)),
                    Cell(text=when(m.start, m.end)),
                ]
                for m in data.members
            ],
        ),
    )
    for group in data.groups:
        members = [m for m in data.members if m.group == group.id]
        if members:
            out.add_block(
                "table",
                f"governance.members.{group.id}",
                TableView(
                    id=f"table-members-{group.id}",
                    caption=f"Members of the {group.name}",
                    columns=["Name", "Role", "Organisation", "Served"],
                    rows=[
                        [
                            Cell(text=m.name or "–"),  # a role the report names no one for
                            Cell(text=m.role),
                            Cell(text=org(m.organisation)),
                            Cell(text=when(m.start, m.end)),
                        ]
                        for m in members
                    ],
                ),
            )
    items = []
    for g in data.groups:
        status = {"new": " (new)", "stood_down": " (stood down)"}.get(g.status.value, "")
        extra = []
        if g.chair:
            extra.append(f"Chair: {g.chair}.")
        if g.changed:
            verb = "Stood down" if g.status.value == "stood_down" else "Started"
            extra.append(f"{verb} {long_date(g.changed)}.")
        words = [g.purpose, *extra] if g.purpose else extra  # a purpose not stated stays out
        items.append(ListItem(text=" ".join(words), title=g.name + status))
    out.add_block("list", "governance.groups", ListView(id="list-groups", title=None, items=items))

    for group in data.groups:
        # Columns keep the order the register prints them in.
        meetings = [m for m in data.meetings if m.group == group.id]
        if not meetings:
            continue
        orgs: list[str] = []
        for m in meetings:
            orgs += [o for o in m.attendance if o not in orgs]
        rows = []
        for o in orgs:
            marks = [m.attendance.get(o) for m in meetings]
            expected = [a for a in marks if a is not None and a not in _NOT_EXPECTED]
            present = sum(a is Attendance.PRESENT for a in expected)
            _publish_attendance(project, data, group.name, org(o), o, meetings, out)
            rows.append(
                [Cell(text=org(o))]
                + [
                    Cell(text=_ATTENDANCE_WORDS[a] if a else ("–" if m.held else "Not held"))
                    for m, a in zip(meetings, marks, strict=True)
                ]
                + [
                    Cell(
                        text=figures.share(present, len(expected)) if expected else "n/a",
                        numeric=True,
                    )
                ]
            )
        not_held = [m for m in meetings if not m.held]
        note = (
            "Attendance is meetings attended as a share of meetings the "
            "organisation was expected at."
        )
        for m in not_held:
            reason = f": {m.not_held_reason}" if m.not_held_reason else ""
            note += f" The meeting of {meeting_heading(m)} was not held{reason}."
        out.add_block(
            "table",
            f"governance.attendance.{group.id}",
            TableView(
                id=f"table-attendance-{group.id}",
                caption=f"Attendance at {group.name} meetings",
                columns=["Organisation", *[meeting_heading(m) for m in meetings], "Attendance"],
                rows=rows,
                note=note,
            ),
        )
        out.references[f"governance.meetings.{group.id}"] = figures.count(len(data.held(group.id)))


def meeting_heading(meeting: Meeting) -> str:
    """A meeting as a register heads it: its label, its month, or its date."""
    if meeting.label:
        return meeting.label
    if meeting.month_only:
        return f"{meeting.date:%B %Y}"
    return long_date(meeting.date)


def _publish_business_unit(project: Project, data: Governance, out: Derived) -> None:
    """The business unit's posts: stated once, here, and quoted by the narrative."""
    assert data.business_unit is not None
    posts = data.business_unit.posts
    out.ledger.table(
        FigureTable(
            "business_unit",
            "The partnership's business unit, by post",
            {"post": "Post"},
            {"fte": Measure("Full-time equivalent", "number")},
        )
    )
    for post in posts:
        if post.id is not None:
            name = f"governance.business_unit.{post.id}.fte"
            out.references[name] = figures.number(post.fte)
            where = [project.where(post, "fte")]
            out.ledger.add(name, "business_unit", "fte", post.fte, [("post", post.title)], where)
    fte = sum((p.fte for p in posts), Decimal(0))
    out.references["governance.business_unit.fte"] = figures.number(fte)
    out.references["governance.business_unit.posts"] = figures.count(len(posts))


def _publish_attendance(
    project: Project,
    data: Governance,
    group: str,
    name: str,
    org_id: str,
    meetings: list[Any],
    out: Derived,
) -> None:
    """One organisation's attendance at one group's meetings, in figures."""
    ledger = out.ledger
    ledger.table(
        FigureTable(
            "attendance",
            "Attendance at partnership meetings, by organisation",
            {"meeting_group": "Group", "organisation": "Organisation"},
            {
                "meetings_expected": Measure("Meetings expected at", "count"),
                "meetings_attended": Measure("Meetings attended", "count"),
                "attendance_rate": Measure("Attendance rate (%)", "percent"),
            },
        )
    )
    locs = [
        project.where(m, "attendance", org_id)
        for m in meetings
        if m.attendance.get(org_id) not in (None, *_NOT_EXPECTED)
    ]
    marks = [m.attendance.get(org_id) for m in meetings]
    expected = [a for a in marks if a is not None and a not in _NOT_EXPECTED]
    present = sum(a is Attendance.PRESENT for a in expected)
    filt = [("meeting_group", group), ("organisation", name)]
    base = f"governance.attendance.{slug(group)}.{slug(name)}"
    how = f"meetings marked for this organisation at {where_all(locs)}" if locs else None
    ledger.add(
        f"{base}.expected",
        "attendance",
        "meetings_expected",
        len(expected),
        filt,
        locs,
        derivation=f"count of {how}" if how else None,
    )
    ledger.add(
        f"{base}.attended",
        "attendance",
        "meetings_attended",
        present,
        filt,
        locs,
        derivation=f"count of 'present' among {how}" if how else None,
    )
    rate = (
        (Decimal(present) * 100 / len(expected)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if expected
        else None
    )
    ledger.add(
        f"{base}.rate",
        "attendance",
        "attendance_rate",
        rate,
        filt,
        locs,
        derivation="meetings attended as a share of meetings expected at",
    )


DATASET = Dataset(
    name="governance",
    file="data/governance.yaml",
    schema=Governance,
    kinds=(ANNUAL_REPORT_NAME, "arrangements"),
    # Partners, groups and members need no period (undated arrangements read them); an
    # annual report's meetings are still held to its period by the date checks.
    dated=False,
    summary="Partner organisations, groups, their members and who attended meetings.",
    references=(
        Offered(
            names=("governance.members", "governance.groups"),
            gives="how many members and groups are listed",
            example="10",
        ),
        Offered(
            names=("governance.business_unit.fte", "governance.business_unit.posts"),
            gives="the business unit's full-time equivalent and number of posts",
            example="1.25",
        ),
        Offered(
            names=("governance.business_unit.POST.fte",),
            gives="one post's full-time equivalent (the post's `id`)",
            example="0.25",
        ),
        Offered(
            names=("governance.meetings.GROUP",),
            gives="how many meetings of a group were held (not those planned but not held)",
            example="4",
        ),
    ),
    blocks=(
        Offered(names=("table governance.partners",), gives="partner organisations"),
        Offered(names=("table governance.members",), gives="members of every group"),
        Offered(names=("table governance.members.GROUP",), gives="members of one group"),
        Offered(names=("list governance.groups",), gives="groups and what they do"),
        Offered(
            names=("table governance.attendance.GROUP",),
            gives="attendance by organisation for a group's meetings",
        ),
    ),
    derive=derive_governance,
    checks=(registers._printed_rates,),
    prepare=meetings_from_grids,  # `attendance_grids:` registers kept as sheets
)
