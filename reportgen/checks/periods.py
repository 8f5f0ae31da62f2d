"""Periods and dates: everything belongs to the year the report covers, unless marked.

Dated items (events, audits, reviews, inspections, meetings, snapshot dates: the fields
the schema marks `EventDate` or `MonthInTitle`) must fall inside the report period
unless their record says `timing: prior`, `comparator` or `forward`. Year labels in
data (the fields the schema marks `YearLabel`), headings and prose must match the report
period: a looking-ahead heading names next year, a title does not name last year, and
text does not speak of passed dates in the future tense.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

from reportgen.checks.fields import FieldValue, RecordFields, project_values
from reportgen.checks.text import TextItem, sentence_at
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.kinds.base import Period
from reportgen.model.config import ReportPeriod
from reportgen.model.controls import Timing
from reportgen.model.meaning import EventDate, MonthInTitle, YearLabel
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATES_OUTSIDE_PERIOD = Code(
    "dates.outside-period",
    Severity.WARNING,
    "A dated item falls outside the report period",
    """
    Events, audits, reviews, inspections, meetings and snapshot dates should fall inside
    the year the report covers. When an earlier or later item is used on purpose, say
    so with `timing: prior`, `comparator` or `forward` on the record. Months written in
    a title, such as "(March 2024)", count as dates.
    """,
)
DATES_WRONG_YEAR = Code(
    "dates.wrong-year",
    Severity.WARNING,
    "A data file or figure is labelled with another year",
    """
    The budget's `year`, an indicator's `period` and next year's plan must match the
    report period (or the year after it, for the plan). A snapshot from the wrong year
    is a common copy-and-paste error.
    """,
)
DATES_STALE_HEADING = Code(
    "dates.stale-heading",
    Severity.WARNING,
    "A heading or title names the wrong year",
    """
    A looking-ahead heading ("Focus for ...", "Plans for ...", "Looking ahead to ...")
    must name the year after the report period, and a title must not name a year before
    it (last year's heading left in). The document's title must not name one calendar
    year ("Annual Report 2023") for a report of a financial year (2023/24): a reader
    cannot tell which year it covers. Quote `{{ period.next }}` and `{{ period.label }}`
    instead of typing years.
    """,
)
DATES_STALE_YEAR = Code(
    "dates.stale-year",
    Severity.WARNING,
    "This year's activity is described with a year two or more years old",
    """
    A sentence about this year mentions work "for" a year two or more years before the
    report period, which suggests text carried over from an older report.
    """,
)
DATES_FUTURE_TENSE = Code(
    "dates.future-tense",
    Severity.WARNING,
    "Future tense about a date that has already passed",
    """
    The sentence says something "will" happen (or is planned or expected) at a date
    inside or before the report period. By publication that date has passed: say what
    happened instead.
    """,
)

DATES_UNDATED_PROMISE = Code(
    "dates.undated-promise",
    Severity.WARNING,
    "A promise with no year",
    """
    The sentence says something will happen "before the end of the year", "later this
    year" or "in the autumn" without saying which year. A report is read long after it
    is written, so the promise cannot be held to and soon reads as stale: name the
    month and year (or the financial year).
    """,
)
DATES_PERIOD_NOT_STATED = Code(
    "dates.period-not-stated",
    Severity.WARNING,
    "The report does not print the period it covers",
    """
    report.yaml marks the period `stated: false`: the source never says which months it
    covers, so its dates were worked out from other clues, and the cover leaves it out.
    A reader cannot tell which year the figures describe. Print the period: once the
    report states it, delete `stated: false` and the cover shows it.
    """,
)

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
# A one-year label: 2024/25, 2024-25, 2024–25, 2024/2025.
_LABEL = re.compile(r"(?<![\d/])(\d{4})\s?[/–-]\s?(\d{2}|\d{4})(?![\d/])")
_FORWARD = re.compile(
    r"\b(?:focus|plans?|looking ahead|look ahead|next steps|ambitions?|key actions|"
    r"what we will do|going forward|the year ahead|priorities for next year)\b",
    re.I,
)
_COMPARISON = re.compile(
    r"\b(?:compared|comparison|since|previous|last year|trend|versus|vs|against)\b", re.I
)
_FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:planning|expected|due|going) to|plans? to|intends? to)\b",
    re.I,
)
# A time that names no year: "before the end of the year", "later this year", "in the
# autumn". With a year ("by the end of 2025", "autumn 2025") it is dated.
_UNDATED_TIME = re.compile(
    r"\b(?:(?:before|by) the end of (?:the|this) (?:financial |calendar )?(?:year|month)|"
    r"later (?:this|in the) year|(?:in the|this|next) (?:spring|summer|autumn|winter)|"
    r"in the new year|in the coming months)\b(?!\s+(?:of\s+)?\d{4})",
    re.I,
)
_ANY_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CLAUSE_END = re.compile(r"[.;!?\n]|,\s+(?:and|but|while|although|so)\b")
_THIS_YEAR = re.compile(r"\b(?:this year|during the year|in the year)\b", re.I)
# Work done this year: "reviewed ... statistics for 2022/23" describes the year reported on.
_DONE = re.compile(
    r"\b(?:reviewed|received|scrutinised|considered|examined|analysed|discussed|studied)\b", re.I
)
_OLD_REPORT = re.compile(r"\b(?:annual )?report\s+(?:for\s+)?$", re.I)


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def label_start(match: re.Match[str]) -> int | None:
    """First year of a one-year label match (2024/25 -> 2024), or None for a longer range."""
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    if end_year < start:
        end_year += 100
    return start if end_year == start + 1 else None


def check_periods(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Run every period and date check; `items` are the project's texts (`all_items`)."""
    period = project.period
    if period is None:
        return  # an undated kind of document: no period for dates and year labels to fit
    values = list(project_values(project, config=False))  # one walk for both checks
    for where, what, day, month_only, bound in _dated_items(values):
        if month_only:
            first = day.replace(day=1)
            last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            outside = last < period.start or first > period.end
            shown = f"{day:%B %Y}"
        else:
            # A finish only needs to be after the start, a beginning before the end.
            outside = {
                "period": not period.contains(day),
                "ends": day < period.start,
                "starts": day > period.end,
            }[bound]
            shown = _date(day)
        if outside:
            diags.emit(
                DATES_OUTSIDE_PERIOD,
                f"{what} is dated {shown}, outside the report period {period.describe()}",
                where,
                "leave it out, or mark the record 'timing: prior' (or comparator, forward) "
                "if it is used on purpose",
            )
    _year_labels(values, period, diags)
    _period_stated(project, diags)
    for item in items:
        _headings(item, period, diags)
        if item.kind == "title" and item.field == "title":
            _title_year(item, period, diags)
        if item.kind in ("paragraph", "item", "data", "cell"):
            _prose(item, period, diags)


def _month(match: re.Match[str]) -> dt.date | None:
    year = int(match.group(2))
    if not 1900 <= year <= 2200:
        return None  # not a year a report would mean
    return dt.date(year, _MONTHS[match.group(1).lower()], 1)


def _title_month(title: str) -> dt.date | None:
    match = _MONTH_YEAR.search(title)
    return _month(match) if match else None


DatedItem = tuple[Location, str, dt.date, bool, str]


def _dated_items(values: list[FieldValue]) -> Iterator[DatedItem]:
    """(where, what, date, month only, bound) for every value the schema marks as dated
    (`EventDate`, or a `MonthInTitle` with no date), unless its record is marked
    `timing:` as another period."""
    for value in values:
        owner = value.owner
        if getattr(owner, "timing", Timing.CURRENT) is not Timing.CURRENT:
            continue
        event = value.marked(EventDate)
        titled = value.marked(MonthInTitle)
        if event is not None and isinstance(value.value, dt.date):
            if not any(getattr(owner, other) for other in event.unless):
                what = event.what.format_map(RecordFields(owner))
                yield value.location, what, value.value, False, event.bound
        elif titled is not None and isinstance(value.value, str):
            if any(getattr(owner, other) for other in titled.unless):
                continue
            month = _title_month(value.value)
            if month is not None:
                what = titled.what.format_map(RecordFields(owner))
                yield value.location, what, month, True, "period"


def _year_labels(values: list[FieldValue], period: Period, diags: DiagnosticList) -> None:
    """Every label the schema marks `YearLabel` names the period it should."""
    for value in values:
        label = value.marked(YearLabel)
        if label is None or not isinstance(value.value, str):
            continue
        if getattr(value.owner, "timing", Timing.CURRENT) is not Timing.CURRENT:
            continue
        offset = label.offset
        expected = period.label if not offset else period.label_for(period.first_year + offset)
        if label.exact:
            wrong = value.value != expected
        else:
            match = _LABEL.fullmatch(value.value.strip())
            first = label_start(match) if match else None
            wrong = first is not None and period.label_for(first) != expected
        if wrong:
            fields = RecordFields(value.owner)
            fields.update(written=value.value, expected=expected, covered=period.label)
            diags.emit(
                DATES_WRONG_YEAR,
                label.message.format_map(fields),
                value.location,
                label.hint.format_map(fields),
            )


def _heading_texts(item: TextItem) -> bool:
    if item.kind == "heading":
        return True
    if item.kind == "title":
        return True
    return item.kind == "data" and item.field.endswith((".title", ".caption"))


def _headings(item: TextItem, period: Period, diags: DiagnosticList) -> None:
    if not _heading_texts(item):
        return
    nxt = period.label_for(period.first_year + 1)
    for match in _LABEL.finditer(item.text):
        first = label_start(match)
        if first is None:
            continue
        written = match.group(0)
        if _FORWARD.search(item.text) and first != period.first_year + 1:
            diags.emit(
                DATES_STALE_HEADING,
                f"'{item.text.strip()}' looks ahead to {written}, but the year after "
                f"{period.label} is {nxt}",
                item.location(match.start()),
                "write {{ period.next }} instead of the year"
                if item.narrative
                else f"correct the year to {nxt}",
            )
        elif first < period.first_year and not _COMPARISON.search(item.text):
            diags.emit(
                DATES_STALE_HEADING,
                f"'{item.text.strip()}' is titled with {written}, but the report covers "
                f"{period.label}",
                item.location(match.start()),
                "update the title (last year's heading may have been left in)",
            )


def _prose(item: TextItem, period: Period, diags: DiagnosticList) -> None:
    text = item.text
    for match in _LABEL.finditer(text):
        first = label_start(match)
        if first is None or first > period.first_year - 2:
            continue
        before = text[max(0, match.start() - 4) : match.start()].lower()
        sentence = sentence_at(text, match.start())
        now = period.label in sentence or _THIS_YEAR.search(sentence) or _DONE.search(sentence)
        titled = _OLD_REPORT.search(text[max(0, match.start() - 20) : match.start()])
        if (before.endswith("for ") and now) or titled:
            diags.emit(
                DATES_STALE_YEAR,
                f"this year's work is described as being for {match.group(0)}: "
                f"'{_short(sentence)}'",
                item.location(match.start()),
                "check whether the sentence was carried over from an older report",
            )
            return
    for future in _FUTURE.finditer(text):
        # The date must belong to the same clause, after the verb: "will host ... in May".
        clause = _CLAUSE_END.split(text[future.end() :], maxsplit=1)[0]
        sentence = sentence_at(text, future.start())
        passed = _passed_date(clause, period)
        if passed:
            diags.emit(
                DATES_FUTURE_TENSE,
                f"'{future.group(0)}' about {passed}, which is before the end of the report "
                f"period: '{_short(sentence)}'",
                item.location(future.start()),
                "say what happened (past tense), or move it to next year's plans",
            )
            return
    for future in _FUTURE.finditer(text):
        clause = _CLAUSE_END.split(text[future.end() :], maxsplit=1)[0]
        sentence = sentence_at(text, future.start())
        when = _UNDATED_TIME.search(clause)
        if when and not _ANY_YEAR.search(sentence):
            diags.emit(
                DATES_UNDATED_PROMISE,
                f"'{future.group(0)} ... {when.group(0)}' names no year: '{_short(sentence)}'",
                item.location(future.start()),
                "say which year, e.g. 'by the end of March 2026'",
            )
            return


def _period_stated(project: Project, diags: DiagnosticList) -> None:
    period = getattr(project.config, "period", None)
    if isinstance(period, ReportPeriod) and not period.stated:
        diags.emit(
            DATES_PERIOD_NOT_STATED,
            "the report does not print the period it covers: its dates here are worked out, "
            "not printed",
            project.where(period, "stated"),
            "print the period (from the first to the last day) on the cover or in the "
            "introduction, then delete 'stated: false'",
        )


# A year on its own in a title ("Annual Report 2023"): not part of a label or a range.
_LONE_YEAR = re.compile(r"(?<![\d/–-])\b((?:19|20)\d{2})\b(?!\s?[/–-]\s?\d)(?!\s+to\s+\d)")


def _title_year(item: TextItem, period: Period, diags: DiagnosticList) -> None:
    """The document's title naming one calendar year when the period spans two."""
    if period.start.year == period.end.year or period.rule.years != 1:
        return  # a calendar-year report's "2024" is its label; a plan names its years
    for match in _LONE_YEAR.finditer(item.text):
        before = item.text[max(0, match.start() - 12) : match.start()].lower()
        if any(month in before for month in _MONTHS) or before.rstrip().endswith(
            ("–", "-", "/", " to", " and")
        ):
            continue  # "March 2025" is a date; "2023 to 2024" and "2023 – 2024" ranges
        diags.emit(
            DATES_STALE_HEADING,
            f"the title '{item.text.strip()}' names {match.group(1)} alone, but the report "
            f"covers {period.describe()}",
            item.location(match.start()),
            f"title it with the period it covers, e.g. {period.label}",
        )
        return


def _passed_date(sentence: str, period: Period) -> str | None:
    for match in _MONTH_YEAR.finditer(sentence):
        month = _month(match)
        if month and period.first_year - 1 <= month.year and month <= period.end.replace(day=1):
            return match.group(0)
    for match in _LABEL.finditer(sentence):
        first = label_start(match)
        if first is not None and period.first_year - 1 <= first <= period.first_year:
            return match.group(0)
    return None


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
