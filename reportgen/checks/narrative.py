"""Narrative against the data it quotes.

Every {{ reference }} resolves to data (content.unresolved-reference, content.unknown-block),
and a figure typed as digits that equals one the data offers is named
(content.typed-figure): typed, it is neither computed nor checked, and goes stale.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation

from reportgen.checks.text import narrative_items
from reportgen.datasets import Dataset, offering
from reportgen.derive import BlockKey, Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.project import Project, reference_sources

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_UNRESOLVED_REFERENCE = Code(
    "content.unresolved-reference",
    Severity.ERROR,
    "A {{ reference }} in narrative does not match any data",
    "See `reportgen docs references` for the names that can be quoted; the hint suggests one.",
)
CONTENT_UNKNOWN_BLOCK = Code(
    "content.unknown-block",
    Severity.ERROR,
    "A {{ table/chart/tiles/list/cards ... }} block does not exist",
    "See `reportgen docs references` for the blocks each data file provides.",
)
CONTENT_TYPED_FIGURE = Code(
    "content.typed-figure",
    Severity.WARNING,
    "Narrative types a figure that the data offers",
    """
    A number typed in a sentence ("33 deaths", "a 14% rise", "£47,300") equals a figure
    a data file offers as a `{{ reference }}`. Typed, it is neither computed nor checked,
    and it goes stale when the data changes: quote the reference instead. Compared are
    percentages, money, decimals and whole numbers from 10 up (smaller whole numbers
    match too many figures by chance; small counts of children are
    disclosure.count-in-text's). Not compared: years, dates, ages and age ranges,
    durations ("60 years", "12 weeks"), "Year 6", "Level 3", "grade 4" and rates' bases
    ("per 100,000"). A figure that only happens to be equal can stay: the warning can
    be lowered for the project in report.yaml's severity rules.
    """,
)


def check_references(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    block_keys = sorted(str(k) for k in derived.blocks)
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is None:
            continue
        for ref in source.refs:
            dataset = offering(ref.target.split(".")[0])
            if project.blocked(*reference_sources(ref.target)):
                continue  # its data file already failed: reported there, once
            where = Location(source.path, ref.line)
            if ref.kind is None:
                if ref.target not in derived.references:
                    if project.incomplete(dataset.name if dataset else None):
                        continue  # it may name an item left out for its errors
                    close = difflib.get_close_matches(ref.target, list(derived.references), n=1)
                    diags.emit(
                        CONTENT_UNRESOLVED_REFERENCE,
                        f"'{{{{ {ref.target} }}}}' does not match any data",
                        where,
                        f"did you mean '{close[0]}'?" if close else _missing_hint(dataset),
                    )
            else:
                key = BlockKey(ref.kind, ref.target)
                if key not in derived.blocks:
                    if project.incomplete(dataset.name if dataset else None):
                        continue
                    close = difflib.get_close_matches(str(key), block_keys, n=1)
                    diags.emit(
                        CONTENT_UNKNOWN_BLOCK,
                        f"'{{{{ {key} }}}}' does not match any table, chart or list",
                        where,
                        f"did you mean '{{{{ {close[0]} }}}}'?"
                        if close
                        else _missing_hint(dataset),
                    )


def _missing_hint(dataset: Dataset | None) -> str:
    if dataset is None:
        return "see `reportgen docs references` for the names you can use"
    return f"is {dataset.file} present and does it define this id? see `reportgen docs references`"


# A figure as typed: optional £, digits (with thousands commas), decimals, % or "per cent"
# (or "percent").
_TYPED = re.compile(
    r"(?<![\w.,/£#-])(?P<money>£)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<places>\.\d+)?"
    r"(?P<percent>%| ?per ?cent\b)?(?![\w/%£-]|[.,]\d)"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
# Words before a number that make it a name or a base, not a count.
_NOT_A_FIGURE_BEFORE = re.compile(
    r"(?:\b(?:Year|Years|Level|Levels|grade|grades|Key Stage|Attainment|Progress|version|"
    r"versions|Module|section|page|step|Stage|priority|per|No\.|" + _MONTH + r")\s+"
    r"(?:\d+\s*(?:to|and|or|-|–)\s*)?|[-–]\s*)$",
    re.I,
)
# Words before a number under 100 that make it an age ("aged 16 to 25", "under 18");
# "over 350 people" is a count.
_AGE_BEFORE = re.compile(
    r"\b(?:aged?|ages|under|over|after)\s+(?:\d+\s*(?:to|and|or|-|–)\s*)?$", re.I
)
# What after a number makes it a date, an age or a length of time.
_NOT_A_FIGURE_AFTER = re.compile(
    r"^(?:\s*(?:to|and|or|-|–)\s*\d+)?(?:\s+" + _MONTH + r"\b"
    r"|[\s-]+(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?|mins?)\b"
    r"|\s+or\s+(?:under|over|older|younger|more)\b|\s*\+|(?:st|nd|rd|th)\b)",
    re.I,
)
_FIGURE = re.compile(r"^(£)?(\d[\d,]*)(\.\d+)?(%)?$")
_LONGEST = 30  # digits (with commas) of the longest number compared


def _key(
    money: str | None, digits: str, places: str | None, percent: str | None
) -> tuple[str, Decimal] | None:
    """A figure's unit and value, so `£5000` meets `£5,000` and `14 per cent` meets `14%`."""
    try:
        value = Decimal(digits.replace(",", "") + (places or "")).normalize()
    except InvalidOperation:
        return None
    return ("£" if money else "%" if percent else "", value)


def _offered(derived: Derived) -> dict[tuple[str, Decimal], list[str]]:
    """Every reference whose text is a figure alone ("33", "14%", "£47,300"), by figure."""
    out: dict[tuple[str, Decimal], list[str]] = {}
    for name, text in derived.references.items():
        m = _FIGURE.match(text)
        key = m and _key(m.group(1), m.group(2), m.group(3), m.group(4))
        if key:
            out.setdefault(key, []).append(name)
    return out


def _typed_figures(text: str) -> list[tuple[int, str, tuple[str, Decimal]]]:
    """The figures typed in `text` that could be a report's data: (offset, as typed, key)."""
    found = []
    for m in _TYPED.finditer(text):
        money, digits, places, percent = m.group("money", "digits", "places", "percent")
        if len(digits) > _LONGEST:
            continue  # no figure of a report, and int() refuses thousands of digits
        bare = not (money or places or percent)
        if bare:
            whole = int(digits.replace(",", ""))
            if whole < 10 or ("," not in digits and 1900 <= whole <= 2100):
                continue  # a small whole number or a year
            before = text[max(0, m.start() - 40) : m.start()]
            if _NOT_A_FIGURE_BEFORE.search(before) or (whole < 100 and _AGE_BEFORE.search(before)):
                continue
            if _NOT_A_FIGURE_AFTER.match(text[m.end() : m.end() + 40]):
                continue
        key = _key(money, digits, places, percent)
        if key is not None:
            found.append((m.start(), m.group(0), key))
    return found


def check_typed_figures(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    """Warn where narrative types a figure that equals one the data offers (data files'
    words are not looked at: they cannot quote a reference)."""
    offered = _offered(derived)
    for item in narrative_items(project):
        for offset, typed, key in _typed_figures(item.text):
            names = offered.get(key)
            if not names:
                continue
            # The figure itself before its series words (.years, .average ...).
            names = sorted(names, key=lambda n: (n.count("."), n))
            also = f" (or {', '.join(names[1:3])}{', ...' if len(names) > 3 else ''})"
            diags.emit(
                CONTENT_TYPED_FIGURE,
                f"'{typed}' is typed, and the data offers that figure as "
                f"'{{{{ {names[0]} }}}}'" + (also if len(names) > 1 else ""),
                item.location(offset),
                f"write '{{{{ {names[0]} }}}}' so the printed figure comes from the data; "
                "if it is another figure that is only equal, move it into data too",
            )
