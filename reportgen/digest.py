"""The plain-language digest of an annual report (`outputs: digest: true`).

A short document for families, made from the same data as the full report: the year at
a glance (report.yaml's `at_a_glance` figures, said in words), each priority's three
plain lines (`why_it_matters`, `improved`, `next` in data/priorities.yaml), what the
partnership learned (`learned`) and next year's plans (`next_year`). Nothing is copied
from the narrative. Every point links back to the place in the full report that tells
more. The digest's own sentences are checked for reading level.

This module builds the digest's view model and checks it; reportgen.render.digest
renders it. Figures come from derive, already through disclosure control.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from reportgen import figures
from reportgen.derived import Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.config import SectionConfig
from reportgen.model.indicators import Indicator, Indicators
from reportgen.model.priorities import KeyAction, Priorities, Theme
from reportgen.project import Project

if TYPE_CHECKING:
    from reportgen.memo import WordMemo

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DIGEST_MISSING_LINE = Code(
    "digest.missing-line",
    Severity.WARNING,
    "A priority has no line for the digest",
    """
    The digest gives every priority three plain lines: why it matters
    (`why_it_matters`), what improved (`improved`) and what comes next (`next`), set
    in data/priorities.yaml. A line that is not stated is left out of the digest, so
    families read less about that priority than about the others.
    """,
)
DIGEST_READING_GRADE = Code(
    "digest.reading-grade",
    Severity.WARNING,
    "A sentence of the digest is harder to read than the level set",
    """
    The digest is for families, so each of its sentences is scored with the
    Flesch-Kincaid grade (longer sentences and longer words score higher; a reading age
    is about the grade plus 5). A sentence above `validation: digest_reading_grade` in
    report.yaml (9 unless set) is reported. Split it, or use shorter, everyday words.
    """,
)
DIGEST_UNKNOWN_SECTION = Code(
    "digest.unknown-section",
    Severity.ERROR,
    "A digest point names a section the report does not have",
    """
    Each entry of `learned` in data/priorities.yaml links to the section of the full
    report that tells more: `section:` must be the id of one of report.yaml's
    `sections`.
    """,
)
DIGEST_NO_SOURCE = Code(
    "digest.no-source",
    Severity.WARNING,
    "A priority of the digest has no place in the full report to link to",
    """
    The digest links each priority to its card in the full report, placed by
    `{{ cards priorities.ID }}` (or `{{ cards priorities }}`) in a section's narrative.
    Without one the digest cannot say where to read more.
    """,
)

# The three lines of a priority, in the order the digest prints them.
PRIORITY_LINES: tuple[tuple[str, str], ...] = (
    ("why_it_matters", "Why it matters"),
    ("improved", "What improved"),
    ("next", "What happens next"),
)


@dataclass(frozen=True)
class DigestLink:
    """Where the full report tells more: an address and how it is named in words."""

    href: str  # the full report's page and anchor, relative: BASENAME.html#priority-csa
    where: str  # e.g. "section 11, Progress on our priorities"


@dataclass(frozen=True)
class DigestPoint:
    """One statement of the digest, with where it comes from in the full report."""

    text: str
    title: str | None = None
    source: DigestLink | None = None


@dataclass(frozen=True)
class DigestLine:
    heading: str  # "Why it matters"
    text: str


@dataclass(frozen=True)
class DigestPriority:
    id: str
    title: str
    lines: list[DigestLine]
    source: DigestLink | None


@dataclass(frozen=True)
class DigestView:
    """Everything the digest template shows, already worded."""

    title: str  # e.g. "A short guide to our Annual Report 2024/25"
    report_title: str
    partnership: str
    partnership_short: str
    period: str | None
    next_period: str | None
    language: str
    published: str | None
    full_report: DigestLink  # the whole report, from the top
    glance: list[DigestPoint] = field(default_factory=list)
    priorities: list[DigestPriority] = field(default_factory=list)
    learned: list[DigestPoint] = field(default_factory=list)
    plans: list[DigestPoint] = field(default_factory=list)
    legend: str | None = None  # the disclosure legend, when a figure shown is withheld


@dataclass(frozen=True)
class _Sentence:
    """Authored text the digest prints, and where it is written."""

    text: str
    location: Location


def digest_basename(project: Project) -> str:
    """The digest's file name without extension: the report's, then `-digest`."""
    return f"{project.basename}-digest"


def _section_numbers(project: Project) -> dict[str, str]:
    """Section id -> its printed number ("" when unnumbered), as the full report numbers."""
    numbers: dict[str, str] = {}
    n = 0
    for section in project.config.sections:
        if section.numbered:
            n += 1
        numbers[section.id] = str(n) if section.numbered else ""
    return numbers


def _link(project: Project, section: SectionConfig, anchor: str) -> DigestLink:
    number = _section_numbers(project).get(section.id, "")
    where = f"section {number}, {section.title}" if number else section.title
    return DigestLink(f"{project.basename}.html#{anchor}", where)


def _section_with(project: Project, kind: str, targets: set[str]) -> SectionConfig | None:
    """The section whose narrative places a block `{{ kind target }}` for one of targets."""
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is not None and any(
            ref.kind == kind and ref.target in targets for ref in source.refs
        ):
            return section
    return None


def _change(ind: Indicator, prior: Decimal, when: str) -> str:
    """How a figure moved, in words a family reader uses: '44 fewer than the year before'."""
    unit = ind.unit.value
    diff = ind.value - prior
    if diff == 0:
        return f"the same as {when}"
    size = abs(diff)
    if unit == "count":
        return f"{figures.count(size)} {'more' if diff > 0 else 'fewer'} than {when}"
    if unit == "percent":
        points = "percentage point" if size == 1 else "percentage points"
        return f"{figures.number(size)} {points} {'higher' if diff > 0 else 'lower'} than {when}"
    if unit == "money":
        return f"{figures.money(size)} {'more' if diff > 0 else 'less'} than {when}"
    return f"{'up' if diff > 0 else 'down'} from {figures.by_unit(unit, prior)} {when}"


def _glance(project: Project, derived: Derived) -> tuple[list[DigestPoint], bool]:
    """The at-a-glance figures as sentences, and whether any of them is withheld."""
    config = project.config.at_a_glance
    glance = derived.glance
    if config is None or glance is None or len(glance.tiles) != len(config.tiles):
        return [], False  # none asked for, or a tile failed (reported by the glance check)
    source = DigestLink(f"{project.basename}.html#at-a-glance", glance.title)
    data = project.dataset("indicators", Indicators)
    by_id = {i.id: i for i in data.indicators} if data is not None else {}
    refs = derived.references
    symbol = derived.disclosure.symbol
    previous = project.period.shifted(-1) if project.period is not None else None
    points: list[DigestPoint] = []
    withheld = False
    for item, tile in zip(config.tiles, glance.tiles, strict=True):
        ind = by_id.get(item.figure.removeprefix("indicator."))
        if not item.figure.startswith("indicator.") or ind is None:
            # Other figures' labels are written to follow the value: "£194,600 paid into ..."
            text = f"{tile.value} {tile.label[:1].lower()}{tile.label[1:]}."
            if tile.detail:
                text += f" {tile.detail}."
            withheld |= symbol in tile.value.split()
            points.append(DigestPoint(text, source=source))
            continue
        value = refs[f"indicator.{ind.id}"]
        shown = value + (" per 10,000 children" if ind.unit.value == "rate_per_10k" else "")
        masked = value == symbol or refs.get(f"indicator.{ind.id}.prior") == symbol
        withheld |= masked
        # The indicator's own label, without the note the tile adds in brackets.
        text = f"{tile.label if item.label else ind.label}: {shown}"
        if ind.prior is not None and not masked:  # a change could give a withheld one away
            when = (
                "the year before"
                if ind.prior_period in (None, previous)
                else f"in {ind.prior_period}"
            )
            text += f", {_change(ind, ind.prior, when)}"
        points.append(DigestPoint(text + ".", source=source))
    return points, withheld


def _sentences_and_view(
    project: Project, derived: Derived, diags: DiagnosticList
) -> tuple[DigestView, list[_Sentence]]:
    cfg = project.config
    data = project.dataset("priorities", Priorities)
    sentences: list[_Sentence] = []
    glance, withheld = _glance(project, derived)
    view = DigestView(
        title=f"A short guide to our {cfg.title}",
        report_title=cfg.title,
        partnership=cfg.partnership.name,
        partnership_short=cfg.partnership.short_name,
        period=project.period.label if project.period is not None else None,
        next_period=project.period.shifted(1) if project.period is not None else None,
        language=cfg.language,
        published=f"{cfg.published.day} {cfg.published:%B %Y}" if cfg.published else None,
        full_report=DigestLink(f"{project.basename}.html", cfg.title),
        glance=glance,
        legend=derived.disclosure.legend if withheld else None,
    )
    if data is None:
        return view, sentences
    sections = {s.id: s for s in cfg.sections}
    for p in data.priorities:
        lines: list[DigestLine] = []
        for name, heading in PRIORITY_LINES:
            text = getattr(p, name)
            if text is None:
                diags.emit(
                    DIGEST_MISSING_LINE,
                    f"priority '{p.id}' has no `{name}` line, so the digest leaves "
                    f"'{heading}' out for it",
                    project.where(p),
                    f"add `{name}:` to the priority: one plain sentence for families",
                )
                continue
            lines.append(DigestLine(heading, text))
            sentences.append(_Sentence(text, project.where(p, name)))
        section = _section_with(project, "cards", {f"priorities.{p.id}", "priorities"})
        if section is None:
            diags.emit(
                DIGEST_NO_SOURCE,
                f"priority '{p.id}' is not shown in any section of the full report, so the "
                "digest cannot link to it",
                project.where(p),
                f"place `{{{{ cards priorities.{p.id} }}}}` in the section that reports on it",
            )
        source = _link(project, section, f"priority-{p.id}") if section else None
        view.priorities.append(DigestPriority(p.id, p.title, lines, source))
    for lesson in data.learned:
        where = project.where(lesson, "section")
        target = sections.get(lesson.section)
        if target is None:
            diags.emit(
                DIGEST_UNKNOWN_SECTION,
                f"learned: section '{lesson.section}' is not a section of the report",
                where,
                "use one of report.yaml's section ids: " + ", ".join(sections),
            )
        link = _link(project, target, target.id) if target else None
        view.learned.append(DigestPoint(lesson.text, source=link))
        sentences.append(_Sentence(lesson.text, project.where(lesson, "text")))
    if data.next_year is not None:
        plan = _section_with(
            project, "list", {"next_year.actions", "next_year.priorities", "next_year.themes"}
        )
        link = _link(project, plan, plan.id) if plan else view.full_report
        # Each plan in its plain words for the digest, else as the full report words it.
        plans: list[Theme | KeyAction] = [*data.next_year.priorities, *data.next_year.actions]
        for entry in plans:
            name = "plain" if entry.plain else "description"
            text = entry.plain or entry.description
            view.plans.append(DigestPoint(text or "", entry.title, link))
            if text:
                sentences.append(_Sentence(text, project.where(entry, name)))
    return view, sentences


def digest_view(
    project: Project, derived: Derived, diags: DiagnosticList | None = None
) -> DigestView:
    """The digest's view model; what is missing from it goes to `diags`."""
    view, _ = _sentences_and_view(project, derived, diags or DiagnosticList())
    return view


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'‘“(])")


def split_sentences(text: str) -> Iterator[str]:
    """The sentences of a line of the digest (a list item without a full stop is one)."""
    for part in _SENTENCE_END.split(text.strip()):
        if part.strip():
            yield part.strip()


_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def syllables(word: str, memo: WordMemo | None = None) -> int:
    """A word's syllables: the places a British English hyphenation dictionary may break
    it, plus one (textstat's method), or its vowel groups where that is more: the
    dictionary never breaks short words ("area"). With `memo`, the dictionary's answer
    is remembered there (reading it costs about 0.02 s, and each new pattern more)."""
    low = word.lower()
    breaks = memo.get(low) if memo is not None else None
    if type(breaks) is not int or breaks < 0:  # not remembered (or not a count)
        from reportgen.hyphenation import british  # pyphen's patterns, read as needed

        breaks = british().breaks(low)
        if memo is not None:
            memo.put(low, breaks)
    groups = len(re.findall(r"[aeiouy]+", low.removesuffix("e")))
    return max(breaks + 1, groups)


def reading_grade(sentence: str, memo: WordMemo | None = None) -> float:
    """The Flesch-Kincaid grade of one sentence: 0.39 words per sentence plus 11.8
    syllables per word, less 15.59. A figure counts as one short word."""
    words = _WORD.findall(sentence)
    figures = len(re.findall(r"\d[\d,.]*", sentence))
    count = len(words) + figures
    if count == 0:
        return 0.0
    total = sum(syllables(w, memo) for w in words) + figures
    return 0.39 * count + 11.8 * total / count - 15.59


def _hyphenation_memo(project: Project) -> WordMemo:
    """The hyphenation dictionary's break counts, remembered in the build cache: the
    dictionary is pyphen's own, so the tool (every installed distribution) is the key."""
    from reportgen.fingerprints import tool_fingerprint
    from reportgen.memo import WordMemo

    return WordMemo(project.root, "hyphenation", tool_fingerprint)


def check_reading(project: Project, sentences: list[_Sentence], diags: DiagnosticList) -> None:
    """Each authored sentence of the digest at or below the configured grade."""
    limit = project.config.validation.digest_reading_grade
    memo = _hyphenation_memo(project)
    for item in sentences:
        for sentence in split_sentences(item.text):
            grade = reading_grade(sentence, memo)
            if grade <= limit:
                continue
            shown = sentence if len(sentence) <= 80 else sentence[:77] + "..."
            diags.emit(
                DIGEST_READING_GRADE,
                f"'{shown}' reads at school grade {grade:.1f} (reading age about "
                f"{grade + 5:.0f}); the digest aims at grade {limit} or below",
                item.location,
                "split the sentence, or use shorter, everyday words",
            )
    memo.save()


def check_digest(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    """When report.yaml asks for a digest: every priority has its three lines, every
    point a place to link to, and every sentence reads at the level set."""
    if not project.config.outputs.digest or project.blocked("priorities"):
        return
    _, sentences = _sentences_and_view(project, derived, diags)
    check_reading(project, sentences, diags)
