"""Identifiers are unique and every cross-reference between records resolves."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.budget import Budget
from reportgen.model.governance import Governance
from reportgen.model.indicators import Indicators
from reportgen.model.partners import Partners
from reportgen.model.priorities import Priorities
from reportgen.model.reviews import Reviews
from reportgen.model.tables import Tables
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_DUPLICATE_ID = Code(
    "data.duplicate-id",
    Severity.ERROR,
    "Two records share an id",
    "Ids are how narrative and other records refer to a record; give each its own.",
)
DATA_UNKNOWN_REFERENCE = Code(
    "data.unknown-reference",
    Severity.ERROR,
    "A record refers to an id that does not exist",
    "A group, comparator, area or indicator id is misspelt or not defined.",
)
DATA_DATE_ORDER = Code(
    "data.date-order",
    Severity.ERROR,
    "An end date is before its start date",
    "Check both dates.",
)
DATA_GRADING_EMPTY = Code(
    "data.grading-empty",
    Severity.ERROR,
    "An audit grade has neither cases nor a percentage",
    "Give `cases:` (preferred) or `percent:`.",
)
DATA_PERCENT_RANGE = Code(
    "data.percent-range",
    Severity.ERROR,
    "A percentage is outside 0 to 100",
    "A figure with unit `percent` must run from 0 to 100.",
)


def _unique(ids: Iterable[str], where: list[Location], what: str, diags: DiagnosticList) -> None:
    seen: dict[str, Location] = {}
    for ident, loc in zip(ids, where, strict=True):
        if ident in seen:
            diags.emit(
                DATA_DUPLICATE_ID,
                f"{what} id '{ident}' is used twice (first at line {seen[ident].line})",
                loc,
                "give each one its own id",
            )
        else:
            seen[ident] = loc


def _unique_ids(
    records: Sequence[Any],
    locate: Callable[..., Location],
    field: str,
    what: str,
    diags: DiagnosticList,
) -> None:
    """Each record in `records` (the list under `field`) must have its own `id`."""
    _unique(
        [r.id for r in records], [locate(field, i, "id") for i in range(len(records))], what, diags
    )


def _unknown(
    value: str, known: Iterable[str], what: str, loc: Location, diags: DiagnosticList
) -> None:
    options = sorted(known)
    close = difflib.get_close_matches(value, options, n=1)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else ("known: " + ", ".join(options) if options else f"define the {what} first")
    )
    diags.emit(DATA_UNKNOWN_REFERENCE, f"unknown {what} '{value}'", loc, hint)


def _locator(project: Project, dataset: str) -> Callable[..., Location]:
    def locate(*path: str | int) -> Location:
        return project.locate(dataset, *path)

    return locate


def check_consistency(project: Project, diags: DiagnosticList) -> None:
    cfg = project.config
    _unique(
        [s.id for s in cfg.sections],
        [project.config_map.locate(("sections", i, "id")) for i in range(len(cfg.sections))],
        "section",
        diags,
    )
    areas = cfg.area_ids

    gov = project.dataset("governance", Governance)
    if gov is not None:
        loc = _locator(project, "governance")
        _unique_ids(gov.partners, loc, "partners", "partner", diags)
        _unique_ids(gov.groups, loc, "groups", "group", diags)
        group_ids = {g.id for g in gov.groups}
        # A group left out for its errors (reported there) is not unknown where it is named.
        if group_ids and not project.incomplete("governance", "groups"):
            for i, m in enumerate(gov.members):
                if m.group not in group_ids:
                    _unknown(m.group, group_ids, "group", loc("members", i, "group"), diags)
            for i, g in enumerate(gov.groups):
                if g.parent and g.parent not in group_ids:
                    _unknown(g.parent, group_ids, "group", loc("groups", i, "parent"), diags)
        for i, meeting in enumerate(gov.meetings):
            if meeting.group not in group_ids and not project.incomplete("governance", "groups"):
                _unknown(meeting.group, group_ids, "group", loc("meetings", i, "group"), diags)
        for i, m in enumerate(gov.members):
            if m.start and m.end and m.end < m.start:
                diags.emit(
                    DATA_DATE_ORDER,
                    f"{m.name}: end {m.end} is before start {m.start}",
                    loc("members", i, "end"),
                )

    ind = project.dataset("indicators", Indicators)
    if ind is not None:
        loc = _locator(project, "indicators")
        _unique_ids(ind.groups, loc, "groups", "indicator group", diags)
        _unique_ids(ind.indicators, loc, "indicators", "indicator", diags)
        group_ids = {g.id for g in ind.groups}
        for i, x in enumerate(ind.indicators):
            if x.group not in group_ids and not project.incomplete("indicators", "groups"):
                _unknown(
                    x.group, group_ids, "indicator group", loc("indicators", i, "group"), diags
                )
            for key in x.comparators:
                if key not in cfg.comparators:
                    where = project.maps["indicators"].locate_key(
                        ("indicators", i, "comparators", key)
                    )
                    _unknown(key, cfg.comparators, "comparator", where, diags)
            if x.area is not None and x.area not in areas:
                _unknown(x.area, areas, "area", loc("indicators", i, "area"), diags)
            if x.unit == "percent" and not 0 <= x.value <= 100:
                diags.emit(
                    DATA_PERCENT_RANGE,
                    f"indicator '{x.id}' is a percentage but its value is {x.value}",
                    loc("indicators", i, "value"),
                    "percentages run from 0 to 100",
                )

    budget = project.dataset("budget", Budget)
    if budget is not None:
        for i, line in enumerate(budget.income.lines):
            if line.area is not None and line.area not in areas:
                _unknown(
                    line.area,
                    areas,
                    "area",
                    project.locate("budget", "income", "lines", i, "area"),
                    diags,
                )

    pri = project.dataset("priorities", Priorities)
    if pri is not None:
        _unique_ids(
            pri.priorities, _locator(project, "priorities"), "priorities", "priority", diags
        )

    rev = project.dataset("reviews", Reviews)
    if rev is not None:
        loc = _locator(project, "reviews")
        _unique_ids(rev.reviews, loc, "reviews", "review", diags)
        _unique_ids(rev.audits, loc, "audits", "audit", diags)
        for i, audit in enumerate(rev.audits):
            for j, grading in enumerate(audit.gradings):
                if grading.cases is None and grading.percent is None:
                    diags.emit(
                        DATA_GRADING_EMPTY,
                        f"audit '{audit.id}': grade '{grading.grade}' has no cases or percent",
                        loc("audits", i, "gradings", j),
                        "give 'cases:' (preferred) or 'percent:'",
                    )

    tables = project.dataset("tables", Tables)
    if tables is not None:
        _unique_ids(tables.tables, _locator(project, "tables"), "tables", "table", diags)

    partners = project.dataset("partners", Partners)
    if partners is not None:
        _unique_ids(partners.reach, _locator(project, "partners"), "reach", "reach", diags)
