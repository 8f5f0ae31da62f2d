"""Whether a report carried over by `reportgen new-year` is ready: what waits for a person.

`new-year` lists in report.yaml (`last_year: not_reviewed:` and `to_fill:`) the
narrative files carried over word for word and the figures and priorities still holding
last year's. Each is one `ready.*` warning, and the warnings found inside what waits are
folded into its item (`hold_back`), so a new year reads as a countable list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from reportgen import figures
from reportgen.diagnostics import Code, Diagnostic, DiagnosticList, Location, Severity
from reportgen.model.config import LastYear
from reportgen.model.indicators import Indicators
from reportgen.model.priorities import Priorities
from reportgen.project import Project

READY_NOT_REVIEWED = Code(
    "ready.not-reviewed",
    Severity.WARNING,
    "A narrative file carried over from last year is not reviewed yet",
    """
    `reportgen new-year` carried this file over from last year's report word for word
    and listed it under `last_year: not_reviewed:` in report.yaml. Read it, bring it up
    to date for this year, then delete its line. The report is not ready while any file
    is listed.
    """,
)
READY_TO_FILL = Code(
    "ready.to-fill",
    Severity.WARNING,
    "A figure carried over from last year still needs this year's value",
    """
    `reportgen new-year` listed this under `last_year: to_fill:` in report.yaml: an
    indicator whose value is still last year's, a priority with no progress written yet,
    or a data file to update. Type this year's figure or text, then delete the line.
    """,
)
READY_UNKNOWN_ENTRY = Code(
    "ready.unknown-entry",
    Severity.WARNING,
    "A line under last_year in report.yaml names nothing in the project",
    "Correct the name, or delete the line if what it named was removed.",
)


def hold_back(project: Project, diags: DiagnosticList) -> None:
    """Fold the warnings and notes found in a file that waits for a person (a narrative
    file not reviewed, a data file to update) into that file's one `ready.*` item, so a
    new year reads as a countable list, not a wall of warnings. Errors are never folded.

    Runs last in `validate`, after report.yaml's severities are applied.
    """
    last = getattr(project.config, "last_year", None)
    if not isinstance(last, LastYear):
        return
    # What waits for a person, as (its item's code and place, the region it covers): a
    # whole file, or the lines of a priority still to report on (from its first line to
    # the next priority's), where the digest's missing lines of a new priority sit.
    waiting: dict[tuple[str, Location], _Region] = {}
    for k, rel in enumerate(last.not_reviewed):
        waiting[(READY_NOT_REVIEWED.code, project.where(last, "not_reviewed", k))] = _Region(rel)
    spans = _priority_spans(project)
    for k, entry in enumerate(last.to_fill):
        at = project.where(last, "to_fill", k)
        kind, _, ident = entry.partition(".")
        if "/" in entry:
            waiting[(READY_TO_FILL.code, at)] = _Region(entry)
        elif kind == "priority" and ident in spans:
            waiting[(READY_TO_FILL.code, at)] = spans[ident]
    holders: dict[_Region, int] = {}
    for index, d in enumerate(diags.items):
        if d.location is not None and (d.code, d.location) in waiting:
            holders.setdefault(waiting[(d.code, d.location)], index)
    held: dict[_Region, list[Diagnostic]] = {region: [] for region in holders}
    kept: list[Diagnostic] = []
    for d in diags.items:
        region = next((r for r in held if r.holds(d.location)), None)
        if (
            region is not None
            and d.severity is not Severity.ERROR
            and not d.code.startswith(("ready.", "history."))
        ):
            held[region].append(d)
        else:
            kept.append(d)
    for region, found in held.items():
        if not found:
            continue
        holder = diags.items[holders[region]]
        codes = Counter(d.code for d in found)
        listed = ", ".join(f"{code} ({n})" if n > 1 else code for code, n in sorted(codes.items()))
        note = f"; {len(found)} warning(s) in it wait for that: {listed}"
        kept[kept.index(holder)] = replace(holder, message=holder.message + note)
    diags.items[:] = kept


@dataclass(frozen=True)
class _Region:
    """A file, or the lines `first` to `last` of it, that waits for a person."""

    path: str
    first: int = 0
    last: int | None = None

    def holds(self, location: Location | None) -> bool:
        if location is None or location.path != self.path:
            return False
        line = location.line or 0
        return self.first <= line and (self.last is None or line <= self.last)


def _priority_spans(project: Project) -> dict[str, _Region]:
    """Each priority's lines in its file: from its record to the line before whatever
    is written next (the next priority, or the file's next key such as `next_year`)."""
    priorities = project.dataset("priorities", Priorities)
    if priorities is None:
        return {}
    starts = [(p.id, project.where(p)) for p in priorities.priorities]
    keys = [project.where(priorities, name).line or 0 for name in Priorities.model_fields]
    lines = sorted({at.line or 0 for _, at in starts} | set(keys))
    spans: dict[str, _Region] = {}
    for ident, at in starts:
        first = at.line or 0
        after = next((line for line in lines if line > first), None)
        spans[ident] = _Region(at.path, first, after - 1 if after is not None else None)
    return spans


def unreported_priorities(project: Project, listed: list[str], diags: DiagnosticList) -> None:
    """A priority with no progress that `to_fill` does not list (it would list it once)."""
    priorities = project.dataset("priorities", Priorities)
    if priorities is None:
        return
    for p in priorities.priorities:
        if not p.progress and f"priority.{p.id}" not in listed:
            diags.emit(
                READY_TO_FILL,
                f"priority '{p.id}': no progress written for {project.dated.label}",
                project.where(p, "id"),
                "write what was done this year under `progress:`",
            )


def check_readiness(
    project: Project, last: LastYear, indicators: Indicators | None, diags: DiagnosticList
) -> None:
    sections = {s.file for s in project.config.sections}
    pending = len(last.not_reviewed)
    for k, rel in enumerate(last.not_reviewed):
        at = project.where(last, "not_reviewed", k)
        if rel not in sections:
            diags.emit(
                READY_UNKNOWN_ENTRY,
                f"'{rel}' is not the file of any section",
                at,
                "give the path as a section's `file:` in report.yaml",
            )
            continue
        diags.emit(
            READY_NOT_REVIEWED,
            f"{rel} is carried over from {project.dated.shifted(-1)} and not reviewed yet "
            f"({k + 1} of {pending})",
            at,
            f"bring it up to date for {project.dated.label}, then delete this line",
        )
    by_id = {i.id: i for i in indicators.indicators} if indicators else {}
    priorities = project.dataset("priorities", Priorities)
    progress = {p.id: bool(p.progress) for p in priorities.priorities} if priorities else {}
    for k, entry in enumerate(last.to_fill):
        at = project.where(last, "to_fill", k)
        kind, _, ident = entry.partition(".")
        message: str | None = None
        if kind == "indicator" and ident in by_id:
            ind = by_id[ident]
            if ind.prior is None or ind.value == ind.prior:
                message = (
                    f"indicator '{ident}' ({ind.label}): the value is still "
                    f"{project.dated.shifted(-1)}'s, {figures.by_unit(ind.unit.value, ind.value)}"
                )
        elif kind == "priority" and ident in progress:
            if not progress[ident]:
                message = f"priority '{ident}': no progress written for {project.dated.label}"
        elif (project.root / entry).is_file():
            message = f"{entry}: figures carried over from {project.dated.shifted(-1)} to update"
        else:
            diags.emit(
                READY_UNKNOWN_ENTRY,
                f"'{entry}' is not an indicator, priority or file of this project",
                at,
                "write indicator.ID, priority.ID or a data file's path",
            )
            continue
        if message is not None:
            diags.emit(READY_TO_FILL, message, at, "type this year's figure, then delete this line")
