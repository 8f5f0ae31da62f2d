"""Last year's report as a source of truth, and what a new year still needs from a person.

Three kinds of check, all driven by `last_year:` in report.yaml (`reportgen new-year`
writes it) except the first:

- an indicator's `history` that gives last year's value must agree with its `prior`
  (and so must training's and serious incidents' with `prior_bookings`, `prior_incidents`);
- readiness: narrative files carried over and not reviewed yet, and figures whose value
  for this year is still to be typed, each listed once (`ready.*`);
- against last year's project: this year's values for earlier years must be what last
  year published, next year's plan must not repeat last year's, and every item of last
  year's plan must be reported on somewhere (`history.*`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from pydantic import BaseModel

from reportgen import figures, history
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.layout import CONFIG_FILE
from reportgen.model.config import LastYear
from reportgen.model.indicators import Indicator, Indicators
from reportgen.model.priorities import Priorities
from reportgen.model.reviews import Reviews
from reportgen.model.training import Training
from reportgen.project import Project, load_project
from reportgen.readiness import check_readiness, unreported_priorities

HISTORY_PRIOR_DISAGREES = Code(
    "history.prior-disagrees",
    Severity.ERROR,
    "Last year's value is given twice, differently",
    """
    An indicator's `prior` is last year's value; its `history` holds earlier years. A
    history entry for last year's period that differs from `prior` leaves the report
    with two values for one year. Keep one: delete the history entry. The same holds
    for training's `prior_bookings` and serious incidents' `prior_incidents`.
    """,
)
HISTORY_LAST_YEAR_MISSING = Code(
    "history.last-year-missing",
    Severity.ERROR,
    "Last year's project named in report.yaml cannot be read",
    """
    `last_year: project:` names the folder of last year's report, so that this year's
    figures for earlier years can be checked against what was published. The folder is
    missing, or its report.yaml or indicators cannot be read.
    """,
)
HISTORY_PRIOR_MISMATCH = Code(
    "history.prior-mismatch",
    Severity.WARNING,
    "A figure for an earlier year differs from what last year's report published",
    """
    This year's report gives a value for last year (or an earlier year) that last year's
    project published differently. Usually one was retyped wrongly; correct it. If the
    figure was revised since, say so in the indicator's `note` and raise nothing: this
    stays a warning.
    """,
)
HISTORY_PLAN_REPEATED = Code(
    "history.plan-repeated",
    Severity.WARNING,
    "Next year's plan repeats last year's plan",
    """
    An item of the plan for next year is the same, or almost the same once capitals,
    punctuation and small changes of wording are set aside, as an item of last year's
    plan for this year. Say what was achieved and what will be different, or why the
    plan carries on unchanged.
    """,
)
HISTORY_PLAN_NOT_REPORTED = Code(
    "history.plan-not-reported",
    Severity.WARNING,
    "An item of last year's plan is never mentioned this year",
    """
    Last year's report said this would be done this year, but neither the priorities
    nor the narrative of this year's report mention it. Report what happened to it,
    even if it was dropped.
    """,
)
# Two plan items this alike (0 to 1, over their words) are one repeated item.
SIMILAR = 0.85
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "we",
        "will",
        "with",
        "more",
        "make",
        "work",
        "across",
        "partnership",
        "partners",
        "newham",
    ]
)


def check_last_year(project: Project, diags: DiagnosticList) -> None:
    """Every check of this module on a loaded project (see the module docstring)."""
    indicators = project.dataset("indicators", Indicators)
    if project.period is None:
        return
    if indicators is not None:
        _history_agrees(project, indicators, diags)
    _counts_agree(project, diags)
    last = getattr(project.config, "last_year", None)
    unreported_priorities(project, last.to_fill if isinstance(last, LastYear) else [], diags)
    if not isinstance(last, LastYear):
        return
    check_readiness(project, last, indicators, diags)
    if last.project is not None:
        _against_last_year(project, last.project, indicators, diags)
    elif last.export is not None and indicators is not None:
        exported = _exported_values(project, last.export, diags)
        if exported is not None:
            _compare_values(project, indicators, exported, "last year's data export", diags)


def _history_agrees(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    last_label = project.dated.shifted(-1)
    for ind in data.indicators:
        if ind.prior is None:
            continue
        period = ind.prior_period or last_label
        for point in ind.history:
            if point.period == period and point.value != ind.prior:
                diags.emit(
                    HISTORY_PRIOR_DISAGREES,
                    f"indicator '{ind.id}': history gives {_shown(ind, point.value)} for "
                    f"{period} but prior is {_shown(ind, ind.prior)} (line "
                    f"{project.where(ind, 'prior').line})",
                    project.where(point, "value"),
                    "last year's value is `prior`: delete this history entry",
                )


def _counts_agree(project: Project, diags: DiagnosticList) -> None:
    """Training bookings and serious incidents: last year's given as `prior_*` and in
    `history` must be one value (the training year's label names its own last year)."""
    training = project.dataset("training", Training)
    if training is not None and training.prior_bookings is not None:
        start, end = training.start.year, training.end.year
        last = f"{start - 1}/{start % 100:02d}" if end == start + 1 else None
        for point in training.history:
            if point.period == last and point.bookings not in (None, training.prior_bookings):
                diags.emit(
                    HISTORY_PRIOR_DISAGREES,
                    f"training: history gives {point.bookings} bookings for {last} but "
                    f"prior_bookings is {training.prior_bookings} (line "
                    f"{project.where(training, 'prior_bookings').line})",
                    project.where(point, "bookings"),
                    "last year's bookings are `prior_bookings`: delete them from this entry",
                )
    reviews = project.dataset("reviews", Reviews)
    n = reviews.notifications if reviews is not None else None
    if n is not None and n.prior_incidents is not None:
        last = project.dated.shifted(-1)
        for year in n.history:
            if year.period == last and year.incidents not in (None, n.prior_incidents):
                diags.emit(
                    HISTORY_PRIOR_DISAGREES,
                    f"serious incident notifications: history gives {year.incidents} for "
                    f"{last} but prior_incidents is {n.prior_incidents} (line "
                    f"{project.where(n, 'prior_incidents').line})",
                    project.where(year, "incidents"),
                    "last year's is `prior_incidents`: delete it from this entry",
                )


# --- against last year's project -------------------------------------------------------


@dataclass(frozen=True)
class _Published:
    """What last year's project held: its indicators, plan and where they are."""

    project: Project
    rel: str  # its folder as report.yaml names it


def _against_last_year(
    project: Project, rel: str, indicators: Indicators | None, diags: DiagnosticList
) -> None:
    last_year = getattr(project.config, "last_year", None)
    at = project.where(last_year, "project") if last_year is not None else Location(CONFIG_FILE)
    folder = (project.root / rel).resolve()
    loaded = load_project(folder, DiagnosticList()) if folder.is_dir() else None
    if loaded is None or loaded.period is None:
        diags.emit(
            HISTORY_LAST_YEAR_MISSING,
            f"last year's project '{rel}' cannot be read"
            + ("" if folder.is_dir() else ": there is no such folder"),
            at,
            f"run `reportgen validate {rel}` to see what is wrong there, or correct the path",
        )
        return
    last = _Published(loaded, rel)
    theirs = loaded.dataset("indicators", Indicators)
    if indicators is not None and theirs is not None:
        _published_values(project, indicators, last, theirs, diags)
    ours_plan = project.dataset("priorities", Priorities)
    their_plan = loaded.dataset("priorities", Priorities)
    if their_plan is not None and their_plan.next_year is not None:
        if ours_plan is not None:
            _plan_repeated(project, ours_plan, last, their_plan, diags)
            _plan_reported(project, ours_plan, last, their_plan, diags, at)
        elif not project.blocked("priorities"):  # a file with errors: they are reported
            _plan_reported(project, None, last, their_plan, diags, at)


def _points_with_places(project: Project, ind: Indicator) -> list[tuple[history.Point, Location]]:
    """The series' points before this year, each with the place it is typed."""
    assert project.period is not None
    points = history.series(ind, project.period.label, project.period.shifted(-1))
    places: list[tuple[history.Point, Location]] = []
    for point in points[:-1]:
        k = next((n for n, h in enumerate(ind.history) if h.period == point.period), None)
        if ind.prior is not None and point.period == (
            ind.prior_period or project.period.shifted(-1)
        ):
            where = project.where(ind, "prior")
        elif k is not None:
            where = project.where(ind.history[k], "value")
        else:
            continue
        places.append((point, where))
    return places


def _published_values(
    project: Project,
    ours: Indicators,
    last: _Published,
    theirs: Indicators,
    diags: DiagnosticList,
) -> None:
    then = last.project
    assert then.period is not None
    published: _Held = {}
    for ind in theirs.indicators:
        series = history.series(ind, then.period.label, then.period.shifted(-1))
        held: dict[str, tuple[Decimal, str]] = {}
        for point in series:
            if point.period == series[-1].period:
                where = then.where(ind, "value")
            else:
                earlier = next((h for h in ind.history if h.period == point.period), None)
                where = (
                    then.where(earlier, "value")
                    if earlier is not None
                    else then.where(ind, "prior")
                )
            held[point.period] = (point.value, _place(last.rel, where))
        published[ind.id] = held
    _compare_values(project, ours, published, f"the {then.period.label} report", diags)


# Last year's published values: indicator id -> year label -> (value, file and line).
_Held = dict[str, dict[str, tuple[Decimal, str]]]
_UNITS = ("count", "percent", "rate_per_10k", "money", "number")


def _exported_values(project: Project, rel: str, diags: DiagnosticList) -> _Held | None:
    """The reporting area's indicator values in last year's data export (indicators.csv
    of `build/data/`, `reportgen docs open-data`); withheld ones (`c`) are left out."""
    import csv

    table = (project.root / rel / "indicators.csv").resolve()
    try:
        with table.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        diags.emit(
            HISTORY_LAST_YEAR_MISSING,
            f"last year's data export '{rel}' has no readable indicators.csv",
            project.where(project.config.last_year, "export")  # type: ignore[attr-defined]
            if getattr(project.config, "last_year", None) is not None
            else Location(CONFIG_FILE),
            "name the data folder of last year's build (its build/data), or correct the path",
        )
        return None
    held: _Held = {}
    for number, row in enumerate(rows, start=2):  # the header is row 1
        code = row.get("time_period") or ""
        if row.get("comparator") != "Reporting area" or not re.fullmatch(r"\d{6}", code):
            continue
        text = next((row[u] for u in _UNITS if row.get(u) not in (None, "", "z", "c")), None)
        if text is None or not row.get("indicator"):
            continue
        try:
            value = Decimal(text)
        except ArithmeticError:
            continue
        place = f"{rel.rstrip('/')}/indicators.csv row {number}"
        held.setdefault(row["indicator"], {})[f"{code[:4]}/{code[4:]}"] = (value, place)
    return held


def _compare_values(
    project: Project, ours: Indicators, published: _Held, source: str, diags: DiagnosticList
) -> None:
    """Each value this year gives for an earlier year against what `source` published."""
    for ind in ours.indicators:
        held = published.get(ind.id, {})
        for point, where in _points_with_places(project, ind):
            if point.period not in held:
                continue
            value, their_place = held[point.period]
            if value == point.value:
                continue
            diags.emit(
                HISTORY_PRIOR_MISMATCH,
                f"indicator '{ind.id}': {point.period} is {_shown(ind, point.value)} here, but "
                f"{source} published {_shown(ind, value)} ({their_place})",
                where,
                "type the value last year's report published, or say in `note` why it was revised",
            )


def _place(rel: str, where: Location) -> str:
    """Last year's file and line, as seen from this project."""
    path = f"{rel.rstrip('/')}/{where.path}" if where.path else rel
    return f"{path}:{where.line}" if where.line else path


def _shown(ind: Indicator, value: Decimal) -> str:
    return figures.by_unit(ind.unit.value, value)


# --- plans -----------------------------------------------------------------------------


def _plan_items(plan: Priorities) -> list[tuple[str, str, BaseModel]]:
    """(title, description, the item itself) of every item of `plan`'s next_year."""
    ny = plan.next_year
    if ny is None:
        return []
    items: list[tuple[str, str, BaseModel]] = [
        (t.title, t.description or "", t) for t in ny.priorities
    ]
    items += [(a.title, a.description, a) for a in ny.actions]
    return items


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _plan_repeated(
    project: Project,
    ours: Priorities,
    last: _Published,
    theirs: Priorities,
    diags: DiagnosticList,
) -> None:
    # difflib's ratio is costly (about 0.1 s for the example's plans): each of last
    # year's texts is given to its matcher once as the second sequence (which difflib
    # indexes), and the upper bounds real_quick_ratio >= quick_ratio >= ratio rule out
    # most pairs before ratio runs. The verdicts are exactly ratio's.
    before = [
        (_normal(t), SequenceMatcher(None, "", _normal(f"{t} {d}")), t, item)
        for t, d, item in _plan_items(theirs)
    ]
    label = last.project.period.label if last.project.period else "last year"
    for title, description, item in _plan_items(ours):
        mine = _normal(f"{title} {description}")
        for their_title_words, matcher, their_title, theirs_item in before:
            need = 0.6 if _normal(title) == their_title_words else SIMILAR
            if not _alike(matcher, mine, need):
                continue
            where = last.project.where(theirs_item, "title")
            diags.emit(
                HISTORY_PLAN_REPEATED,
                f"'{title}' repeats the {label} report's plan for {project.dated.label} "
                f"('{their_title}', {_place(last.rel, where)})",
                project.where(item, "title"),
                "say what was achieved and what will be different next year",
            )
            break


def _alike(matcher: SequenceMatcher[str], text: str, need: float) -> bool:
    """`SequenceMatcher(None, text, b).ratio() >= need`, with `matcher` holding b: the
    cheap upper bounds first."""
    matcher.set_seq1(text)
    return (
        matcher.real_quick_ratio() >= need
        and matcher.quick_ratio() >= need
        and matcher.ratio() >= need
    )


def _keywords(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS}


@functools.cache  # the same few hundred words, asked about 5,000 times
def _stem(word: str) -> str:
    # Plural and simple verb endings: "reviews" and "review", "priorities" and "priority".
    for end, put in (("ies", "y"), ("ing", ""), ("es", ""), ("s", "")):
        if len(word) > len(end) + 3 and word.endswith(end):
            return word[: -len(end)] + put
    return word


def _passages(project: Project, plan: Priorities | None) -> list[set[str]]:
    """This year's report as passages of keywords: each paragraph of the narrative and
    each text of priorities.yaml (but not next year's plan, which is not a report)."""
    passages: list[set[str]] = []
    for section in project.config.sections:
        path = project.root / section.file
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        passages += [_keywords(p) for p in re.split(r"\n\s*\n", text)]
    if plan is not None:
        for p in plan.priorities:
            texts = [p.title, p.rationale or "", *p.strands, *p.progress, *p.impact]
            texts += [p.status_note or "", p.planned_impact or ""]
            passages += [_keywords(t) for t in texts]
        passages += [_keywords(t) for t in plan.last_year_plan]
    return passages


def _plan_reported(
    project: Project,
    ours: Priorities | None,
    last: _Published,
    theirs: Priorities,
    diags: DiagnosticList,
    at: Location,
) -> None:
    """Each item of last year's plan that this year's report never mentions, said at
    this year's priorities, or at `at` (report.yaml's `last_year`) where there are none."""
    passages = _passages(project, ours)
    for title, _description, item in _plan_items(theirs):
        words = _keywords(title)
        if not words:
            continue
        # Mentioned: one passage holds most of the item's key words (all, for one or two).
        need = len(words) if len(words) <= 2 else -(-len(words) * 2 // 3)
        if any(len(words & passage) >= need for passage in passages):
            continue
        where = last.project.where(item, "title")
        diags.emit(
            HISTORY_PLAN_NOT_REPORTED,
            f"last year's plan for {project.dated.label} had '{title}' "
            f"({_place(last.rel, where)}), but this year's report never mentions it",
            at if ours is None else project.where(ours, "priorities"),
            "report what happened to it this year, even if it was dropped",
        )
