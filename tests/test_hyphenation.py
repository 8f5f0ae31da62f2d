"""The hyphenation dictionary read as needed breaks every word where pyphen does."""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest

from reportgen.hyphenation import Hyphenation, british

ROOT = Path(__file__).resolve().parents[1]


def _dictionary_words() -> list[str]:
    """Each pattern's letters as a word: every pattern of the dictionary is asked for."""
    path = Path(pyphen.LANGUAGES[pyphen.language_fallback("en_GB")])
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    words = {re.sub(r"[\d.]", "", line.strip()) for line in lines}
    return sorted(w for w in words if w and not w.isupper())


def _example_words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "content").glob("*.md"))
    return sorted({w.lower() for w in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", text)})


def test_breaks_are_pyphens_for_every_pattern_and_the_examples_words() -> None:
    reference = pyphen.Pyphen(lang="en_GB")
    words = _dictionary_words() + _example_words()
    assert len(words) > 10_000
    differ = [w for w in words if british().breaks(w) != len(reference.positions(w))]
    assert differ == []


@pytest.mark.parametrize(
    ("lines", "word"),
    [
        # The same letters twice: pyphen keeps the last with a break (not one of zeros).
        (["a1b", "a3b", "a0b"], "xxaabbxx"),
        (["1ba", "b1a"], "xxbaxx"),
        # Hex escapes and a nonstandard break (its own pattern, before the slash).
        (["^^61^^621c", "c1d/c=c,1,1"], "xxabcdxx"),
    ],
)
def test_a_small_dictionary_breaks_as_pyphen_does(
    tmp_path: Path, lines: list[str], word: str
) -> None:
    dic = tmp_path / "hyph_xx.dic"
    dic.write_text("UTF-8\n" + "\n".join(lines) + "\n", encoding="utf-8")
    reference = pyphen.Pyphen(filename=dic, cache=False)
    assert reference.positions(word)  # the case is about breaks, not their absence
    assert Hyphenation(dic).breaks(word) == len(reference.positions(word))
