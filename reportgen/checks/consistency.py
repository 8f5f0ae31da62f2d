"""Identifiers are unique and every cross-reference between records resolves.

Which fields are ids and references is the schema's to say (`IdOf`, `RefTo` in
`reportgen.model.meaning`); these checks walk the loaded values for them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from reportgen.checks.fields import FieldValue, project_values
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.load.positions import DataPath
from reportgen.model.governance import Governance
from reportgen.model.indicators import Indicators
from reportgen.model.meaning import IdOf, RefTo
from reportgen.model.reviews import Reviews
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


def check_consistency(project: Project, diags: DiagnosticList) -> None:
    values = list(project_values(project))
    _ids_and_references(project, values, diags)

    gov = project.dataset("governance", Governance)
    if gov is not None:
        for m in gov.members:
            if m.start and m.end and m.end < m.start:
                diags.emit(
                    DATA_DATE_ORDER,
                    f"{m.name or m.role}: end {m.end} is before start {m.start}",
                    project.where(m, "end"),
                )

    ind = project.dataset("indicators", Indicators)
    if ind is not None:
        for x in ind.indicators:
            if x.unit == "percent" and not 0 <= x.value <= 100:
                diags.emit(
                    DATA_PERCENT_RANGE,
                    f"indicator '{x.id}' is a percentage but its value is {x.value}",
                    project.where(x, "value"),
                    "percentages run from 0 to 100",
                )

    rev = project.dataset("reviews", Reviews)
    if rev is not None:
        for audit in rev.audits:
            for grading in audit.gradings:
                if grading.cases is None and grading.percent is None:
                    diags.emit(
                        DATA_GRADING_EMPTY,
                        f"audit '{audit.id}': grade '{grading.grade}' has no cases or percent",
                        project.where(grading),
                        "give 'cases:' (preferred) or 'percent:'",
                    )


def _ids_and_references(project: Project, values: list[FieldValue], diags: DiagnosticList) -> None:
    """Ids (`IdOf`) unique within their list; references (`RefTo`) name an id that exists."""
    known: dict[tuple[str, str], set[str]] = {}
    # The lists (or mappings) each kind of id is declared in, to ask whether one of their
    # items was left out for its errors.
    lists: dict[tuple[str, str], set[DataPath]] = {}
    seen: dict[tuple[str, str, DataPath], dict[str, Location]] = {}
    for value in values:
        marker = value.marked(IdOf)
        if marker is None or not isinstance(value.value, str):
            continue
        ident = value.value
        known.setdefault((value.dataset, marker.what), set()).add(ident)
        lists.setdefault((value.dataset, marker.what), set()).add(
            value.path[:-1] if value.key else value.path[:-2]
        )
        if value.key or value.within:
            continue  # a mapping's keys are unique already
        # The list the record is in: its path without the record's index and the field.
        first = seen.setdefault((value.dataset, marker.what, value.path[:-2]), {})
        if ident in first:
            diags.emit(
                DATA_DUPLICATE_ID,
                f"{marker.what} id '{ident}' is used twice (first at line {first[ident].line})",
                value.location,
                "give each one its own id",
            )
        else:
            first[ident] = value.location
    for value in values:
        ref = value.marked(RefTo)
        if ref is None or not ref.checked or not isinstance(value.value, str):
            continue
        targets = known.get((ref.dataset, ref.what), set())
        if value.value in targets or (ref.if_any and not targets):
            continue
        if ref.dataset != value.dataset and project.blocked(ref.dataset):
            continue  # the file that lists them has errors: reported there
        # One left out for its errors is reported there, not as unknown where it is named.
        where_listed = lists.get((ref.dataset, ref.what)) or {()}
        if any(project.incomplete(ref.dataset, *path) for path in where_listed):
            continue
        _unknown(value.value, targets, ref.what, value.location, diags)
