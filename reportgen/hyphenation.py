"""Where British English words may break: pyphen's dictionary, read only as far as asked.

The digest's reading grade counts syllables from a hyphenation dictionary's break
points (pyphen's `en_GB`, WeasyPrint's own). `pyphen.Pyphen` parses all of its 14,000
patterns when it opens (about 0.1 s, most of a cold `validate`'s dictionary time), and a
report asks about a few hundred words, which use a few thousand patterns. This reads the
file, keys each pattern by its letters (the digits dropped from the whole text at once)
and parses a pattern the first time a word needs it, exactly as pyphen does: 0.02 s in
all. The breaks are pyphen's (`tests/test_hyphenation.py` compares them word by word).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# As pyphen reads a pattern (its own expressions, restated so that reading the
# dictionary needs no import of pyphen, which lists its 70 dictionaries when imported).
_PARSE = re.compile(r"(\d?)(\D?)").findall
_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_IGNORED = (
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
)
_DIGITS = re.compile(r"\d")  # pyphen's keys: a pattern's characters other than \d
# pyphen's defaults: no break leaves fewer than two letters either side.
_LEFT = _RIGHT = 2
Pattern = tuple[int, tuple[int, ...]]  # pyphen's: the offset of the first value, the values


class Hyphenation:
    """One hyphenation dictionary (a `hyph_*.dic` file), its patterns parsed when used."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == "microsoft-cp1251":  # as pyphen reads it
            encoding = "cp1251"
        lines = [line.strip() for line in path.read_text(encoding).split("\n")[1:]]
        text = "\n".join(lines)
        # ASCII digits dropped from the UTF-8 bytes (no other character's bytes are
        # ASCII): a tenth of the time of the expression, or of str.translate.
        keys = text.encode().translate(None, b"0123456789").decode()
        if any(c.isdecimal() for c in set(keys)):  # other digits, which \d matches too
            keys = _DIGITS.sub("", keys)
        split = keys.split("\n")  # line for line
        # Each key's pattern line; pyphen keeps the last line with a break of each key,
        # so a key written on several lines keeps them all (in `_several`).
        self._lines = dict(zip(split, lines, strict=True))
        self._several: dict[str, list[str]] = {}
        if "^^" in text or "/" in text or len(self._lines) < len(split):
            self._lines = {}
            for line, key in zip(lines, split, strict=True):
                if not line or line.startswith(_IGNORED):
                    continue
                if "^^" in line:  # hex escapes: pyphen's own step, then the key again
                    line = _HEX.sub(lambda m: chr(int(m.group(1), 16)), line)
                    key = _DIGITS.sub("", line)
                if "/" in line and "=" in line:  # a nonstandard break: its pattern's letters
                    key = _DIGITS.sub("", line.split("/", 1)[0])
                if key in self._lines:
                    self._several.setdefault(key, [self._lines[key]]).append(line)
                self._lines[key] = line
        else:  # one line per key (pyphen's own dictionaries): only the headers to drop
            for key in [k for k, line in self._lines.items() if line.startswith(_IGNORED)]:
                del self._lines[key]
        self._lines.pop("", None)  # blank lines
        # Longer than pyphen's when the longest key has no break: only more lookups.
        self._longest = max(map(len, self._lines), default=0)
        self._parsed: dict[str, Pattern | None] = {}

    def _pattern(self, key: str) -> Pattern | None:
        if key in self._parsed:
            return self._parsed[key]
        found: Pattern | None = None
        several = self._several.get(key)
        for line in several or ([self._lines[key]] if key in self._lines else []):
            pattern = line.split("/", 1)[0] if "/" in line and "=" in line else line
            values = tuple(int(digit or "0") for digit, _ in _PARSE(pattern))
            if max(values) == 0:  # only zeros: pyphen skips it
                continue
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            found = start, values[start:end]
        self._parsed[key] = found
        return found

    def breaks(self, word: str) -> int:
        """How many places `word` may break: `len(Pyphen(...).positions(word))`."""
        pointed = f".{word.lower()}."
        references = [0] * (len(pointed) + 1)
        for i in range(len(pointed) - 1):
            for j in range(i + 1, min(i + self._longest, len(pointed)) + 1):
                pattern = self._pattern(pointed[i:j])
                if pattern is None:
                    continue
                offset, values = pattern
                span = slice(i + offset, i + offset + len(values))
                references[span] = map(max, values, references[span])
        last = len(word) - _RIGHT
        return sum(1 for i, ref in enumerate(references) if ref % 2 and _LEFT <= i - 1 <= last)


@cache
def british() -> Hyphenation:
    """pyphen's British English dictionary (the one `Pyphen(lang="en_GB")` opens)."""
    spec = find_spec("pyphen")  # found, not imported
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "dictionaries" / "hyph_en_GB.dic"
        if path.is_file():
            return Hyphenation(path)
    import pyphen  # another layout: pyphen's own lookup

    return Hyphenation(Path(pyphen.LANGUAGES[pyphen.language_fallback("en_GB")]))


__all__ = ["Hyphenation", "british"]
