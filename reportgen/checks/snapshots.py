"""Older periods left in: headings that name last year in words, snapshots of mixed dates.

`checks/periods.py` reads year labels (2023/24, 2023-24) in headings and checks each
figure's date against the report period. Two forms of the same mistake escape it: a
heading that writes the year as "2023 to 2024" or "April 2023 to March 2024", and a
group of snapshot figures (counts "at 31 March") where one figure is from an earlier
date than the rest, although still inside the period.
"""

from __future__ import annotations

import datetime as dt
import re

from reportgen.checks.periods import DATES_STALE_HEADING
from reportgen.checks.text import TextItem
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.controls import Timing
from reportgen.model.indicators import Indicators
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATES_MIXED_SNAPSHOT = Code(
    "dates.mixed-snapshot",
    Severity.WARNING,
    "A group of snapshot figures mixes dates",
    """
    The figures of a group are shown together (tiles, a table, a chart), so a reader
    takes them to be counted on the same day. One of them is dated earlier than the
    others (`as_at`): a figure carried over from an older snapshot. Use the figure for
    the same date as the rest, or show it apart and say when it is from.
    """,
)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
# "2023 to 2024", "April 2023 to March 2024", "Apr 2023 – Mar 2024" ("2023-24" and
# "2023 – 2024" are year labels, checks/periods.py's).
_YEARS_IN_WORDS = re.compile(
    rf"\b(?:(?:{_MONTH}\s+)?((?:19|20)\d{{2}})\s+(?:to|until)\s+(?:{_MONTH}\s+)?"
    rf"((?:19|20)\d{{2}})|{_MONTH}\s+((?:19|20)\d{{2}})\s*[–—-]\s*{_MONTH}\s+"
    r"((?:19|20)\d{2}))\b",
    re.I,
)
_COMPARISON = re.compile(r"\b(?:compared|since|previous|last year|trend|versus|vs)\b", re.I)


def check_snapshots(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    if project.period is None:
        return  # an undated kind of document
    first_year = project.period.first_year
    for item in items:
        if item.kind in ("heading", "title") or (
            item.kind == "data" and item.field.endswith((".title", ".caption"))
        ):
            _heading(item, first_year, diags)
    indicators = project.dataset("indicators", Indicators)
    if indicators is not None:
        _mixed_dates(project, indicators, diags)


def _heading(item: TextItem, first_year: int, diags: DiagnosticList) -> None:
    if _COMPARISON.search(item.text):
        return  # "2023 to 2025 compared": a comparison names other years on purpose
    for match in _YEARS_IN_WORDS.finditer(item.text):
        start, end = (int(y) for y in match.groups() if y is not None)
        if end != start + 1 or start >= first_year:
            continue
        diags.emit(
            DATES_STALE_HEADING,
            f"'{item.text.strip()}' is titled with {match.group(0)}, but the report covers "
            f"{first_year} to {first_year + 1}",
            item.location(match.start()),
            "update the title (last year's heading may have been left in)",
        )


def _mixed_dates(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    by_group: dict[str, list[tuple[int, dt.date]]] = {}
    for i, ind in enumerate(data.indicators):
        if ind.as_at is not None and ind.timing is Timing.CURRENT:
            by_group.setdefault(ind.group, []).append((i, ind.as_at))
    for group, dated in by_group.items():
        latest = max(day for _i, day in dated)
        for i, day in dated:
            if day < latest:
                ind = data.indicators[i]
                diags.emit(
                    DATES_MIXED_SNAPSHOT,
                    f"indicator '{ind.id}' is dated {_day(day)}, but the other figures "
                    f"of group '{group}' are at {_day(latest)}",
                    project.where(ind, "as_at"),
                    f"use the figure at {_day(latest)}, or mark it 'timing: prior' "
                    "and say in its label when it is from",
                )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"  # not %-d: Windows' strftime has no such flag
