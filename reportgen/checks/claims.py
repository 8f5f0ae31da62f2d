"""Claims the words make that the rest of the report can contradict.

How often a group met against the meetings governance.yaml records; a quotation given
to two different people; one review called by two names (reportgen.checks.review_names); a
sentence that stops mid-way inside a paragraph (the end of a text is
`content.unfinished-sentence`'s).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.checks.review_names import check_review_names
from reportgen.checks.text import NARRATIVE_KINDS, TextItem, normalise, sentence_at
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.governance import Governance, Group
from reportgen.model.training import Training
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_MEETING_CLAIM = Code(
    "content.meeting-claim",
    Severity.WARNING,
    "The text says how often a group met, and the meetings recorded disagree",
    """
    "The Executive met quarterly" promises four meetings in a year; governance.yaml (or
    the attendance grid) records fewer. Either a meeting is missing from the record, or
    the sentence is carried over from a year when the group met more often. A monthly
    group may skip one month (often August). Groups with no meetings recorded are not
    checked.
    """,
)
CONTENT_QUOTE_TWO_SOURCES = Code(
    "content.quote-two-sources",
    Severity.WARNING,
    "The same quotation is given to two different people",
    """
    The words are quoted twice, each time from someone else (a parent here, a social
    worker there). At least one attribution is wrong; check the evaluation form or
    the notes of the conversation it came from.
    """,
)
CONTENT_BROKEN_SENTENCE = Code(
    "content.broken-sentence",
    Severity.WARNING,
    "A sentence stops mid-way inside a paragraph",
    """
    A sentence ends on a word that cannot end one ("the", "of", "and", "our"): words
    were deleted or a sentence was cut when the text was pasted. The end of a paragraph
    is checked by `content.unfinished-sentence`.
    """,
)

# How often, as written, and the months between meetings it promises.
_FREQUENCIES = {
    "weekly": 0.25,
    "fortnightly": 0.5,
    "monthly": 1,
    "every month": 1,
    "bi-monthly": 2,
    "bimonthly": 2,
    "every two months": 2,
    "every 2 months": 2,
    "every six weeks": 1.5,
    "every 6 weeks": 1.5,
    "every eight weeks": 2,
    "every 8 weeks": 2,
    "quarterly": 3,
    "every quarter": 3,
    "every three months": 3,
    "every 3 months": 3,
    "twice a year": 6,
    "six-monthly": 6,
    "every six months": 6,
}
_FREQUENCY = re.compile(
    r"\b(?:met|meets|meet|meeting|meetings|convened|convenes|sat)\b[^.;]{0,40}?\b("
    + "|".join(sorted(map(re.escape, _FREQUENCIES), key=len, reverse=True))
    + r")\b|\b("
    + "|".join(sorted(map(re.escape, _FREQUENCIES), key=len, reverse=True))
    + r")\s+(?:meetings?|board|panel|group|executive)\b",
    re.I,
)
# A monthly group may take August off; a group meeting more often may miss a few.
_GRACE_MONTHS = 1.0

_QUOTED = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
_AFTER = re.compile(
    r"^\s*[,.]?\s*(?:[-–—]+\s*|(?:said|says|told us|wrote)\s+|\()"
    r"(?P<who>[A-Za-z][^.;:()\"“”\n]{1,60})"
)
_BEFORE = re.compile(
    r"(?:^|[.;:]\s+)(?P<who>[A-Z][^.;:\"“”\n]{1,60}?)\s+(?:said|says|told us|wrote)"
    r"(?:\s+that)?[,:]?\s*$"
)

# Words that cannot end a sentence. Prepositions can, in plain English ("the families we
# work with.", "what we signed up to."), so they are not among them.
_DANGLING = frozenset("a an the of and or but than our their".split())  # noqa: SIM905
_SENTENCE_END = re.compile(r"\b([A-Za-z]+)\s*\.\s+(?=[A-Z])")


def check_claims(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    gov = project.dataset("governance", Governance)
    if gov is not None and gov.meetings:
        _meeting_claims(project, gov, items, diags)
    _quotes(project, items, diags)
    check_review_names(project, items, diags)
    for item in items:
        if item.kind in ("paragraph", "item"):
            _broken_sentences(item, diags)


def _months(project: Project) -> float:
    if project.period is None:
        return 12.0
    days = (project.period.end - project.period.start).days + 1
    return float(round(days / (365.25 / 12)))  # whole months: a year is 12, not 11.99


def _group_named(gov: Governance, item: TextItem, sentence: str) -> Group | None:
    """The group a sentence is about: the group whose field it is, or the one it names."""
    if item.source == "governance" and item.field.startswith("governance.groups."):
        index = item.field.split(".")[2]
        if index.isdigit() and int(index) < len(gov.groups):
            return gov.groups[int(index)]
    lowered = sentence.lower()
    named = [g for g in gov.groups if g.name.lower() in lowered]
    if not named:
        # "The Executive met quarterly": a group's one-word id as a word of its own.
        named = [g for g in gov.groups if re.search(rf"\b{re.escape(g.id)}\b", lowered)]
    return named[0] if len(named) == 1 else None


def _meeting_claims(
    project: Project, gov: Governance, items: list[TextItem], diags: DiagnosticList
) -> None:
    held: dict[str, int] = {}
    for meeting in gov.meetings:
        if not meeting.held:
            continue  # planned but not held (not quorate, cancelled): no meeting to count
        if project.period is None or project.period.start <= meeting.date <= project.period.end:
            held[meeting.group] = held.get(meeting.group, 0) + 1
    months = _months(project)
    for item in items:
        if item.kind == "heading":
            continue
        for match in _FREQUENCY.finditer(item.text):
            written = (match.group(1) or match.group(2)).lower()
            sentence = sentence_at(item.text, match.start())
            group = _group_named(gov, item, sentence)
            if group is None or group.id not in held:
                continue  # no group named, or its meetings are not recorded: not checkable
            every = _FREQUENCIES[written]
            expected = int(months / every + 1e-9)
            allowed = expected - int(_GRACE_MONTHS / every) if every < 3 else expected
            count = held[group.id]
            if count < allowed:
                diags.emit(
                    CONTENT_MEETING_CLAIM,
                    f"'{written}' says {group.name} met about {expected} times in the year, "
                    f"but {count} meeting{'s are' if count != 1 else ' is'} recorded",
                    item.location(match.start()),
                    "add the missing meetings to governance.yaml, or say how often it met",
                )


@dataclass(frozen=True)
class _Quote:
    words: str  # normalised
    who: str  # as written
    location: Location


def _quotes_in(project: Project, items: list[TextItem]) -> Iterator[_Quote]:
    training = project.dataset("training", Training)
    if training is not None:
        for quote in training.quotes:
            yield _Quote(normalise(quote.text), quote.who, project.where(quote))
    for item in items:
        if item.kind not in NARRATIVE_KINDS:
            continue
        for match in _QUOTED.finditer(item.text):
            words = normalise(match.group(1))
            if len(words.split()) < 4:
                continue  # a phrase in quotation marks, not a quotation
            after = _AFTER.match(item.text[match.end() :])
            before = _BEFORE.search(item.text[: match.start()])
            who = after.group("who") if after else before.group("who") if before else None
            if who:
                yield _Quote(words, who.strip(), item.location(match.start()))


def _who_key(who: str) -> str:
    words = [w for w in normalise(who).split() if w not in ("a", "an", "the", "one")]
    return " ".join(words)


def _quotes(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    first: dict[str, _Quote] = {}
    for quote in _quotes_in(project, items):
        seen = first.setdefault(quote.words, quote)
        if seen is quote or _who_key(seen.who) == _who_key(quote.who):
            continue
        where = seen.location
        diags.emit(
            CONTENT_QUOTE_TWO_SOURCES,
            f"this quotation is given to '{quote.who}' here and to '{seen.who}' at "
            f"{where.path}:{where.line or where.row or ''}".rstrip(":"),
            quote.location,
            "check who said it and correct one of the attributions",
        )


def _broken_sentences(item: TextItem, diags: DiagnosticList) -> None:
    for match in _SENTENCE_END.finditer(item.text):
        word = match.group(1)
        if word.lower() not in _DANGLING or word.isupper():
            continue
        diags.emit(
            CONTENT_BROKEN_SENTENCE,
            f"a sentence ends with '{word}.': words seem to be missing before the full stop",
            item.location(match.start(1)),
            "finish the sentence, or delete it",
        )
