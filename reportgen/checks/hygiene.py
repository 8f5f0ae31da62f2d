"""Content hygiene: text that should never reach a published report.

Placeholders and drafting notes, unfinished sentences, empty paragraphs and labels,
repeated paragraphs and headings, the same person or entry listed twice, names spelt
two ways, subgroups called by a name governance.yaml does not know, and next year's
plan copied from this year's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from pydantic import BaseModel

from reportgen.checks.fields import project_values
from reportgen.checks.text import NARRATIVE_KINDS, TextItem, normalise
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.governance import Governance, Member
from reportgen.model.meaning import EntryName, PersonName, model_meanings
from reportgen.model.priorities import Priorities
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_DUPLICATE_PERSON = Code(
    "data.duplicate-person",
    Severity.WARNING,
    "The same person appears twice in one group",
    """
    Two members of one group have the same name, or names that differ only in spelling,
    hyphens or capitals (e.g. "Stephens-Row" and "Stephens Row"). List each person once
    and use `start:`/`end:` for a change during the year.
    """,
)
DATA_DUPLICATE_ENTRY = Code(
    "data.duplicate-entry",
    Severity.WARNING,
    "The same entry appears twice in a list",
    """
    Two entries of one list have the same title or text, such as one inspection or one
    learning event recorded twice. Keep one.
    """,
)
CONTENT_PLACEHOLDER = Code(
    "content.placeholder",
    Severity.WARNING,
    "A placeholder was never filled in",
    """
    TBC, TBD, TODO, XX, "link here", "insert ...", "[...]" and the like mark text that
    was never finished. Replace them with the real text or figure.
    """,
)
CONTENT_DRAFTING_NOTE = Code(
    "content.drafting-note",
    Severity.WARNING,
    "An internal note or drafting aside is left in the text",
    """
    All-capital remarks that read like notes to colleagues ("SHE NEVER COMES") and
    bracketed asides with informal words ("(basically there is no timeframe for
    this)", "(this should either be ... or be removed)") must not be published.
    """,
)
CONTENT_UNFINISHED_SENTENCE = Code(
    "content.unfinished-sentence",
    Severity.WARNING,
    "A paragraph ends in the middle of a sentence",
    """
    The paragraph ends with a word such as "at", "the" or "and" and no full stop, as
    in "We have looked at". Finish the sentence or remove it.
    """,
)
CONTENT_EMPTY_TEXT = Code(
    "content.empty-text",
    Severity.WARNING,
    "A paragraph or list item has no words",
    """
    A paragraph of only punctuation (".") or an empty bullet is usually debris from a
    word processor.
    """,
)
CONTENT_EMPTY_LABEL = Code(
    "content.empty-label",
    Severity.WARNING,
    "A label has no value",
    """
    Labels such as "GLD: KS2: KS4:" with nothing after them, or a field whose whole
    text is a label ending in ':', are figures that were never filled in.
    """,
)
CONTENT_REPEATED_TEXT = Code(
    "content.repeated-text",
    Severity.WARNING,
    "The same paragraph or entry appears twice",
    "A repeated paragraph is usually a copy-and-paste slip; keep one.",
)
CONTENT_DUPLICATE_HEADING = Code(
    "content.duplicate-heading",
    Severity.WARNING,
    "The same heading appears twice in one section",
    "Two headings with the same text in one section; merge or rename them.",
)
CONTENT_REPEATED_PLAN = Code(
    "content.repeated-plan",
    Severity.WARNING,
    "Next year's plan repeats this year's (or last year's) word for word",
    """
    An action for next year has the same words as something already reported as done
    this year, or as last year's plan (`last_year_plan` in priorities.yaml). Say what
    will be different, or report why it was not done.
    """,
)
CONTENT_NAME_MISMATCH = Code(
    "content.name-mismatch",
    Severity.WARNING,
    "A person's name is spelt differently from the member list",
    """
    Narrative or data text names a member with a different spelling, hyphen or
    capitals ("Julia Stephens Row" for "Julia Stephens-Row"). Use the spelling in
    governance.yaml.
    """,
)
CONTENT_UNKNOWN_GROUP = Code(
    "content.unknown-group",
    Severity.WARNING,
    "Narrative names a subgroup that is not in governance.yaml",
    """
    A subgroup named in text must match a group in governance.yaml, so one group is not
    called by two names ("Learning and Workforce Development Subgroup" and
    "subgroup for Safeguarding and Workforce Development").
    """,
)

# --- placeholders ------------------------------------------------------------------

_PLACEHOLDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:TBC|TBD|TBA|TODO|FIXME)\b"), "a 'to be done' marker"),
    (re.compile(r"(?<![A-Za-z])X{2,}(?![A-Za-z])"), "an 'XX' placeholder figure"),
    (re.compile(r"\b(?:link|insert|add) (?:here|link|figure|date|name|text)\b", re.I), "a note"),
    (re.compile(r"\[\s*(?:insert|add|tbc|tbd|todo|placeholder)\b[^\]]*\]", re.I), "a note"),
    (re.compile(r"\blorem ipsum\b", re.I), "dummy text"),
    (re.compile(r"\?{2,}"), "question marks standing in for text"),
    (re.compile(r"\bto be (?:confirmed|decided|determined)\b", re.I), "a 'to be confirmed' note"),
]

# --- drafting notes ------------------------------------------------------------------

_CAPS_RUN = re.compile(r"(?<![\w-])[A-Z][A-Z'’]+(?:[ \t]+[A-Z][A-Z'’]+)+(?![\w-])")
# Ordinary English words: an all-capital run containing one reads as a remark, not an
# acronym (NSCP, MASH, NHS ...).
_COMMON_WORDS = frozenset(
    """
    A AN THE SHE HE THEY WE I YOU IT IS ARE WAS WERE BE BEEN NOT NEVER NO YES DO DOES DID
    DONT DON'T DOESN'T CAN'T CANNOT WON'T TO OF FOR IN ON AT BY WITH AND OR BUT THIS THAT
    THESE THOSE HERE THERE WHO WHAT WHY WHEN WHERE HOW CHECK PLEASE NEED NEEDS ASK CONFIRM
    DELETE REMOVE UPDATE ADD COMES COME GOES ALWAYS STILL YET MISSING NOTE WRONG FIX LATER
    ANY SOME ALL HAS HAVE HAD WILL WOULD SHOULD COULD JUST ONLY AGAIN
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_ASIDE = re.compile(r"\(([^()]{3,300})\)")
_INFORMAL = re.compile(
    r"\bbasically\b|\bshould either\b|\bnot sure\b|\bcheck (?:with|this|that|if|whether)\b"
    r"|\bto (?:check|confirm)\b|\bconfirm (?:with|this|if)\b|\bbe removed\b|\bremove this\b"
    r"|\bdelete (?:this|it)\b|\bi think\b|\bno idea\b|\bimpossible task\b|\?\s*$",
    re.I,
)

# --- unfinished sentences, empty text and labels ------------------------------------------

# Words a sentence cannot end on ("... we have looked at"); prepositions that can end a
# clause ("what it is responsible for") are left out.
_DANGLING = frozenset(
    """
    a an the at of to and or but with from by into onto that which whose is are was were
    has have had been be we our their its will would could should than if
    """.split()  # noqa: SIM905
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_LABELS_ONLY = re.compile(r"^\s*(?:[A-Za-z0-9][\w /&()-]{0,30}:\s*){2,}$")
_FIELD_LABEL = re.compile(r"^[\w /&()-]{1,40}:$")

MIN_REPEAT_WORDS = 8  # shorter texts (list entries like "Domestic abuse") may repeat
# Data fields that name things rather than say things: they may repeat, and need no full stop.
_NAMING_FIELDS = {
    "label", "title", "name", "role", "item", "contributor", "funder", "inspectorate",
    "source", "who", "how", "chair", "grade", "course", "module", "joint_with", "judgement",
    "organisation_type", "audience", "period", "prior_period", "received", "spent", "note",
}  # fmt: skip


def _naming(item: TextItem) -> bool:
    last = item.field.rsplit(".", 1)[-1]
    if last.isdigit():  # a list entry: named by its list (strands, uses, ...)
        last = item.field.rsplit(".", 2)[-2]
    return item.kind == "data" and last in _NAMING_FIELDS | {"strands", "uses", "briefings"}


def check_hygiene(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Run every content-hygiene check; `items` are the project's texts (`all_items`)."""
    for item in items:
        _placeholders(item, diags)
        _drafting_notes(item, diags)
        _empty(item, diags)
        _unfinished(item, diags)
    _repeats([i for i in items if i.kind in NARRATIVE_KINDS], diags, "narrative")
    _repeats([i for i in items if i.kind == "data"], diags, "data")
    _duplicate_headings(project, diags)
    gov = project.dataset("governance", Governance)
    if gov is not None:
        _duplicate_people(project, gov, diags)
        _group_names(gov, items, diags)
    _name_spellings(project, items, diags)
    _duplicate_entries(project, diags)
    pri = project.dataset("priorities", Priorities)
    if pri is not None:
        _repeated_plan(project, pri, diags)


def _placeholders(item: TextItem, diags: DiagnosticList) -> None:
    for pattern, what in _PLACEHOLDERS:
        match = pattern.search(item.text)
        if match:
            diags.emit(
                CONTENT_PLACEHOLDER,
                f"'{match.group(0)}' looks like {what} that was never filled in",
                item.location(match.start()),
                "replace it with the finished text or figure",
            )
            return


def _drafting_notes(item: TextItem, diags: DiagnosticList) -> None:
    if re.search(r"[a-z]", item.text):  # an all-capital title is a style, not a remark
        for match in _CAPS_RUN.finditer(item.text):
            words = match.group(0).split()
            if any(w.strip("'’") in _COMMON_WORDS for w in words):
                diags.emit(
                    CONTENT_DRAFTING_NOTE,
                    f"'{match.group(0)}' reads like an internal note, not published text",
                    item.location(match.start()),
                    "delete the remark",
                )
                return
    for match in _ASIDE.finditer(item.text):
        if _INFORMAL.search(match.group(1)):
            diags.emit(
                CONTENT_DRAFTING_NOTE,
                f"the aside '{_short(match.group(0))}' reads like a drafting note",
                item.location(match.start()),
                "delete the aside, or rewrite it as finished text",
            )
            return


def _empty(item: TextItem, diags: DiagnosticList) -> None:
    if item.kind == "empty-item":
        diags.emit(
            CONTENT_EMPTY_TEXT,
            "empty list item",
            item.location(),
            "delete the bullet or write the item",
        )
        return
    if item.kind in ("paragraph", "item") and not re.search(r"[\w#]", item.text):
        diags.emit(
            CONTENT_EMPTY_TEXT,
            f"a {'list item' if item.kind == 'item' else 'paragraph'} with no words: "
            f"'{item.text.strip()}'",
            item.location(),
            "delete it: it is probably left over from a word processor",
        )
        return
    labels_only = item.kind in ("paragraph", "item", "cell") and _LABELS_ONLY.match(item.text)
    field_label = item.kind == "data" and _FIELD_LABEL.match(item.text.strip())
    if labels_only or field_label:
        diags.emit(
            CONTENT_EMPTY_LABEL,
            f"'{item.text.strip()}' has labels but no values",
            item.location(),
            "fill in the figures, or delete the labels",
        )


def _unfinished(item: TextItem, diags: DiagnosticList) -> None:
    if item.kind not in ("paragraph", "item", "data") or _naming(item):
        return
    text = item.text.rstrip()
    if len(text.split()) < 3 or text.endswith((".", "!", "?", ":", ";", ")", '"', "”", "’")):
        return
    match = _LAST_WORD.search(text)
    if match and match.group(1).lower() in _DANGLING and match.end(1) == len(text):
        diags.emit(
            CONTENT_UNFINISHED_SENTENCE,
            f"text ends in the middle of a sentence: '…{_short(text[-40:])}'",
            item.location(len(text)),
            "finish the sentence or delete it",
        )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repeats(items: list[TextItem], diags: DiagnosticList, what: str) -> None:
    seen: dict[str, TextItem] = {}
    for item in items:
        if item.kind not in ("paragraph", "item", "data") or _naming(item):
            continue
        key = normalise(item.text)
        if len(key.split()) < MIN_REPEAT_WORDS:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = item
            continue
        where = f"{first.path}:{first.line}" if first.line else first.path
        diags.emit(
            CONTENT_REPEATED_TEXT,
            f"this text repeats {what} already given at {where}: '{_short(item.text)}'",
            item.location(),
            "keep one of them",
        )


def _duplicate_headings(project: Project, diags: DiagnosticList) -> None:
    for source in project.narrative.values():
        seen: dict[str, int] = {}
        for _level, title, line in source.headings:
            key = normalise(title)
            if key in seen:
                diags.emit(
                    CONTENT_DUPLICATE_HEADING,
                    f"heading '{title}' already appears on line {seen[key]} of this section",
                    Location(source.path, line),
                    "merge the two parts, or give them different headings",
                )
            else:
                seen[key] = line


def _person_key(name: str) -> str:
    return " ".join(re.findall(r"[a-z]+", name.lower()))


def _duplicate_people(project: Project, gov: Governance, diags: DiagnosticList) -> None:
    by_group: dict[str, list[tuple[Member, str]]] = {}
    for member in gov.members:
        if member.name:  # a role with no name given is no one to list twice
            by_group.setdefault(member.group, []).append((member, member.name))
    for members in by_group.values():
        for n, (person, name) in enumerate(members):
            for earlier, other in members[:n]:
                a, b = _person_key(name), _person_key(other)
                same = a == b or a.replace(" ", "") == b.replace(" ", "")
                close = difflib.SequenceMatcher(None, a, b).ratio() >= 0.9
                if same or (close and a.split()[:1] == b.split()[:1]):
                    first = project.where(earlier, "name")
                    diags.emit(
                        DATA_DUPLICATE_PERSON,
                        f"'{name}' is listed again (as '{other}' on line {first.line})",
                        project.where(person, "name"),
                        "list each person once; use start:/end: for a change of role",
                    )
                    break


def _name_spellings(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Text that names a person (a `PersonName` field: the member list) spelt otherwise."""
    people = [v for v in project_values(project, config=False) if v.marked(PersonName) is not None]
    # A name where it is listed is the reference spelling, not a use of it.
    listed = {(v.location.path, v.location.line) for v in people}
    names = {str(v.value) for v in people if len(re.split(r"[\s-]+", str(v.value))) >= 2}
    patterns = []
    for name in sorted(names):
        parts = re.split(r"[\s-]+", name)
        # The same words with other hyphens, spaces or capitals ("Stephens Row").
        variant = re.compile(r"\b" + r"[\s-]*".join(re.escape(p) for p in parts) + r"\b", re.I)
        # The first name followed by as many capitalised words: a misspelt surname.
        rest = r"[A-Z][\w'’]+" + r"(?:[\s-][A-Z][\w'’]+)" * (len(parts) - 2)
        typo = re.compile(rf"\b{re.escape(parts[0])}\s+({rest})\b")
        patterns.append((name, parts[0].lower(), variant, typo))
    for item in items:
        if item.kind == "data" and (item.path, item.line) in listed:
            continue
        lowered = item.text.lower()
        for name, first_name, variant, typo in patterns:
            if first_name not in lowered:
                continue  # both patterns start with the first name: skip the regexes
            for match in variant.finditer(item.text):
                if match.group(0) != name:
                    _name_warning(item, match.start(), match.group(0), name, diags)
            for match in typo.finditer(item.text):
                written = match.group(0)
                if written in names:
                    continue  # another member, spelt as listed
                a, b = _person_key(written), _person_key(name)
                if a != b and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88:
                    _name_warning(item, match.start(), written, name, diags)


def _name_warning(
    item: TextItem, offset: int, written: str, name: str, diags: DiagnosticList
) -> None:
    diags.emit(
        CONTENT_NAME_MISMATCH,
        f"'{written}' is spelt '{name}' in the member list",
        item.location(offset),
        "use one spelling everywhere (the member list is the reference)",
    )


# "Performance and Quality Assurance Subgroup" and "the subgroup for Learning ...".
_SUBGROUP_BEFORE = re.compile(r"((?:(?:[A-Z][\w'’&-]*|and|of|for|the)\s+){1,8})[Ss]ub-?group\b")
_SUBGROUP_AFTER = re.compile(r"\b[Ss]ub-?group for ((?:[A-Z][\w'’&-]*\s*|and\s+|of\s+){1,8})")


def _group_names(gov: Governance, items: list[TextItem], diags: DiagnosticList) -> None:
    known = {
        normalise(re.sub(r"\b(?:sub-?group|nscp|group)\b", "", g.name, flags=re.I)): g.name
        for g in gov.groups
    }
    if not known:
        return
    for item in items:
        # Both patterns need "ubgroup" or "ub-group": most texts are ruled out at once
        # (the patterns try up to eight words before every word).
        if item.source == "governance" or not ("ubgroup" in item.text or "ub-group" in item.text):
            continue
        matches = [*_SUBGROUP_BEFORE.finditer(item.text), *_SUBGROUP_AFTER.finditer(item.text)]
        for match in matches:
            written = match.group(1).strip()
            written = re.sub(r"^(?:the|and|of|for)\s+", "", written, flags=re.I)
            words = written.split()
            while words and words[0] in ("NSCP", "The", "the", "Our", "A", "This"):
                words = words[1:]
            key = normalise(" ".join(words))
            if not key or key in known or any(k.endswith(key) for k in known if key):
                continue
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
            diags.emit(
                CONTENT_UNKNOWN_GROUP,
                f"'{match.group(0).strip()}' is not a group in governance.yaml",
                item.location(match.start()),
                f"did you mean the {known[close[0]]}?"
                if close
                else "use the group's name as it is in governance.yaml",
            )


def _duplicate_entries(project: Project, diags: DiagnosticList) -> None:
    """Two entries of one list named alike (the schema marks the naming field `EntryName`)."""
    for model in project.datasets.values():
        for owner, name, entries in _lists(model):
            seen: dict[str, tuple[object, int]] = {}
            for i, entry in enumerate(entries):
                text, person = _entry_text(entry)
                if person:
                    continue  # people: data.duplicate-person
                key = _entry_key(entry, text)
                if not key:
                    continue
                if key in seen:
                    first = _entry_where(project, owner, name, *seen[key])
                    diags.emit(
                        DATA_DUPLICATE_ENTRY,
                        f"this entry repeats the one on line {first.line}: '{_short(text)}'",
                        _entry_where(project, owner, name, entry, i),
                        "keep one of them (merge what differs)",
                    )
                else:
                    seen[key] = (entry, i)


def _entry_where(project: Project, owner: BaseModel, name: str, entry: object, i: int) -> Location:
    """Where an entry of the list `owner.name` is: a record, or a list item of text."""
    if isinstance(entry, BaseModel):
        return project.where(entry)
    return project.where(owner, name, i)


def _entry_text(entry: object) -> tuple[str, bool]:
    """The words that name an entry (a text item is its own name), and whether they name
    a person."""
    if isinstance(entry, str):
        return entry, False
    if isinstance(entry, BaseModel):
        for field in model_meanings(type(entry)):
            value = getattr(entry, field.name)
            if isinstance(value, str) and any(isinstance(m, EntryName) for m in field.meanings):
                return value, any(isinstance(m, PersonName) for m in field.meanings)
    return "", False


def _entry_key(entry: object, text: str) -> str:
    # Entries in different groups (an indicator in two tables, say), or of different areas
    # (one figure for each area of the partnership), are different entries. So are a
    # count and its percentage named alike (a tile printing "825 (3.6%)").
    group = getattr(entry, "group", None)
    area = getattr(entry, "area", None)
    unit = getattr(entry, "unit", None)
    words = normalise(text)
    scope = ":".join(str(part) for part in (group, area, unit) if part)
    return f"{scope}:{words}" if scope and words else words


def _lists(value: BaseModel) -> Iterable[tuple[BaseModel, str, list[object]]]:
    """Every list field under `value`: (the record holding it, its field name, the list)."""
    for name in type(value).model_fields:
        field = getattr(value, name)
        if isinstance(field, list):
            yield value, name, field
            for item in field:
                if isinstance(item, BaseModel):
                    yield from _lists(item)
        elif isinstance(field, BaseModel):
            yield from _lists(field)


def _repeated_plan(project: Project, pri: Priorities, diags: DiagnosticList) -> None:
    done: dict[str, str] = {}
    for p in pri.priorities:
        for j, text in enumerate(p.progress):
            line = project.where(p, "progress", j).line
            done[normalise(text)] = f"this year's progress ({p.id}, line {line})"
    for k, text in enumerate(pri.last_year_plan):
        line = project.where(pri, "last_year_plan", k).line
        done[normalise(text)] = f"last year's plan (line {line})"

    def check(text: str, where: Location) -> None:
        earlier = done.get(normalise(text))
        if earlier:
            diags.emit(
                CONTENT_REPEATED_PLAN,
                f"next year's action repeats {earlier} word for word: '{_short(text)}'",
                where,
                "say what will be different next year, or why it was not done",
            )

    for p in pri.priorities:
        for j, text in enumerate(p.next_year):
            check(text, project.where(p, "next_year", j))
    if pri.next_year is not None:
        for action in pri.next_year.actions:
            check(action.description, project.where(action, "description"))
            check(action.title, project.where(action, "title"))
        for theme in pri.next_year.priorities:
            check(theme.title, project.where(theme, "title"))
