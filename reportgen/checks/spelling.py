"""Spelling of headings and labels, against a British English dictionary.

Headings in the narrative and the titles, labels and captions of report.yaml and the
data files are read by everyone, and a misspelt one is the first thing a reader
notices. Which fields those are is the schema's to say: a field marked `Label`
(`reportgen.model.meaning`) is checked, and the words of a field marked `PersonName`
or `ProperName` (partners, people, groups, areas, courses, sources) are the project's
own. Words are checked with Hunspell's en_GB dictionary (through pyenchant: the one
LibreOffice uses for British English) plus those names, `validation: words:` in
report.yaml and `words.txt` in the project folder (a build input: editing it alone
makes the next build check again).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from reportgen.checks.fields import project_values
from reportgen.checks.text import TextItem
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.layout import WORDS_FILE
from reportgen.model.meaning import PersonName, ProperName
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_SPELLING = Code(
    "content.spelling",
    Severity.WARNING,
    "A heading or label has a word that is not in the British English dictionary",
    """
    Headings, titles, labels and captions are checked against Hunspell's British English
    dictionary (en_GB). Names that the data holds (partners, people, groups, areas) are
    known words already; a word that is right but not in the dictionary (a local place, a
    service's name) goes in `validation: words:` in report.yaml, or in `words.txt` in
    the project folder, one word a line.
    """,
)
CONTENT_SPELLING_UNAVAILABLE = Code(
    "content.spelling-unavailable",
    Severity.INFO,
    "Spelling was not checked: no British English dictionary is installed",
    """
    The spelling check needs the Enchant library and Hunspell's en_GB dictionary. On
    Debian or Ubuntu: `apt-get install libenchant-2-2 hunspell-en-gb` (`make setup`
    installs them); see `reportgen docs install` for Windows and macOS.
    """,
)

log = logging.getLogger(__name__)

LANGUAGE = "en_GB"
# Words of the field that Hunspell's en_GB dictionary lacks, all in use in published
# partnership reports.
_FIELD_WORDS = frozenset(
    {
        "wellbeing",
        "neurodiversity",
        "neurodivergent",
        "coproduction",
        "adultification",
        "interagency",
    }
)
# Fields whose words are names the project vouches for (a mapping's keys too: the
# organisations of an attendance register).
_NAMES = (PersonName, ProperName)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")


class Speller(Protocol):
    def check(self, word: str) -> bool: ...
    def suggest(self, word: str) -> list[str]: ...


def dictionary() -> Speller | None:
    """The British English dictionary, or None when it (or Enchant) is not installed."""
    try:
        import enchant  # deferred: only `validate` needs it, and not every machine has it
    except ImportError as exc:  # pyenchant is installed, but the Enchant C library is not
        log.info("spelling not checked: %s", exc)
        return None
    try:
        speller: Speller = enchant.Dict(LANGUAGE)
    except enchant.errors.DictNotFoundError:
        log.info("spelling not checked: no %s dictionary", LANGUAGE)
        return None
    return speller


class _RememberedSpeller:
    """The dictionary's verdicts and suggestions, remembered per word in the build cache
    (reportgen.memo): Enchant and the dictionary are loaded only for a word it has not
    answered yet under the same dictionaries, libraries and tool."""

    def __init__(self, root: Path) -> None:
        from reportgen.fingerprints import digest_json, spelling_fingerprint, tool_fingerprint
        from reportgen.memo import WordMemo

        def key() -> str:
            return digest_json([LANGUAGE, spelling_fingerprint(), tool_fingerprint()])

        self.memo = WordMemo(root, "spelling", key)
        self._speller: Speller | None = None

    def available(self) -> bool:
        """Whether there is a dictionary: a memo under this key was made with one."""
        return self.memo.loaded or self._loaded() is not None

    def _loaded(self) -> Speller | None:
        if self._speller is None:
            self._speller = dictionary()
        return self._speller

    def suggestions(self, word: str) -> list[str] | None:
        """None for a word the dictionary knows, else up to three one-word suggestions."""
        answer = self.memo.get(word)
        if answer is True:
            return None
        if isinstance(answer, list) and all(isinstance(s, str) for s in answer):
            return answer
        speller = self._loaded()
        assert speller is not None  # available() said so
        if speller.check(word) or speller.check(word.lower()):
            self.memo.put(word, True)
            return None
        close = [s for s in speller.suggest(word) if " " not in s][:3]
        self.memo.put(word, close)
        return close


def _labels(items: Iterable[TextItem]) -> Iterator[TextItem]:
    """Narrative headings, and the values of fields the schema marks `Label`."""
    return (item for item in items if item.kind == "heading" or item.label)


def known_words(project: Project) -> set[str]:
    """Words the project vouches for: its word lists and the names its data holds."""
    words: set[str] = set(project.config.validation.words) | _FIELD_WORDS
    path = project.root / WORDS_FILE
    if path.is_file():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word)
    for value in project_values(project):
        if isinstance(value.value, str) and any(isinstance(m, _NAMES) for m in value.meanings):
            words.update(_WORD.findall(value.value))
    return {w.lower() for w in words}


def _needs_checking(word: str) -> bool:
    # Acronyms (LADO, CDOP, SEND) and words with capitals inside (eLearning) are names.
    return sum(ch.isupper() for ch in word) < 2


def _table_labels(project: Project) -> Iterator[TextItem]:
    """Column headings and row labels of CSV tables: what a reader sees as labels."""
    for tab in project.crosstabs.values():
        for column in tab.columns:
            where = tab.source_map.locate(("header", column))
            yield TextItem(column, "data", where.path, where.line, where.column)
        for (label, _cells), record in zip(tab.rows, tab.record_index, strict=False):
            where = tab.source_map.locate((record, tab.row_header))
            yield TextItem(label, "data", where.path, where.line, where.column)


def check_spelling(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    labels = [*_labels(items), *_table_labels(project)]
    if not labels:
        return
    speller = _RememberedSpeller(project.root)
    if not speller.available():
        diags.emit(
            CONTENT_SPELLING_UNAVAILABLE,
            f"headings and labels were not spell-checked: no {LANGUAGE} dictionary is installed",
            Location("report.yaml"),
            "install libenchant-2-2 and hunspell-en-gb (reportgen docs install)",
        )
        return
    known = known_words(project)
    for item in labels:
        for match in _WORD.finditer(item.text):
            word = match.group(0).replace("’", "'").strip("'")
            word = word.removesuffix("'s")  # a name's possessive is the name
            if not word or not _needs_checking(word) or word.lower() in known:
                continue
            close = speller.suggestions(word)
            if close is None:
                continue
            diags.emit(
                CONTENT_SPELLING,
                f"'{word}' in '{_short(item.text)}' is not in the British English dictionary",
                item.location(match.start()),
                (f"did you mean '{close[0]}'? " if close else "")
                + "if it is right, add it to validation: words: in report.yaml or to "
                + WORDS_FILE,
            )
    speller.memo.save()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
