"""Answers of slow dictionaries, word by word, remembered in the project's build cache.

Loading Hunspell's British English dictionary through Enchant (and freeing it at exit)
costs about 0.1 s, reading pyphen's hyphenation patterns 0.02 s; `validate` asks each of
them about a few hundred words, mostly the same ones every time. A memo keeps the
answers in `build/.cache/words-<name>.json`, under a key that names everything the
answers depend on (the dictionaries' files, the libraries, the tool): with another key
the memo is empty, so a changed dictionary is asked again. The answers are about the
dictionary alone, never about a project's own word list, which is applied before.

Memos are used only within `remembering()`: by a command whose build cache is on
(`validate`, `build` and `serve` without `--no-cache`), which then decides whether to
write what they gained (a build writes them only with its outputs); a plain
`pipeline.validate` reads and writes nothing. Plain JSON, never pickle; each value is
checked by the caller before use, and an unreadable, foreign or odd memo is an empty
one. Written atomically, only when it gained an answer; a folder that cannot be written
is skipped (the check still ran).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = "reportgen-words"
FORMAT_VERSION = 1
CACHE_DIR = Path("build") / ".cache"  # the build cache's folder (reportgen.cache)


class Remembered:
    """The memos that gained answers within one `remembering()`, to be written or not."""

    def __init__(self) -> None:
        self.memos: list[WordMemo] = []

    def save(self) -> None:
        """Write every memo that gained an answer."""
        for memo in self.memos:
            memo.write()
        self.memos.clear()


_REMEMBERING: ContextVar[Remembered | None] = ContextVar("reportgen_remembering", default=None)


@contextmanager
def remembering(on: bool = True) -> Iterator[Remembered]:
    """Within it (when `on`), memos are read from the build cache; what they gain is
    written when the caller calls `save()` on what this yields."""
    session = Remembered()
    token = _REMEMBERING.set(session if on else None)
    try:
        yield session
    finally:
        _REMEMBERING.reset(token)


class WordMemo:
    """Remembered answers for one dictionary, under the key `key()` computes (only when
    memos are on: outside `remembering()` the memo is empty and never written)."""

    def __init__(self, root: Path, name: str, key: Callable[[], str]) -> None:
        self.path = root.resolve() / CACHE_DIR / f"words-{name}.json"
        self.answers: dict[str, object] = {}
        self.loaded = False  # a memo written under this key was found
        self._gained = False
        self._session = _REMEMBERING.get()
        self.key = key() if self._session is not None else ""
        if self._session is None:
            return
        try:
            document = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("ignoring an unreadable word memo %s: %s", self.path, exc)
            return
        if (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("version") == FORMAT_VERSION
            and document.get("key") == self.key
            and isinstance(document.get("answers"), dict)
        ):
            self.answers = document["answers"]
            self.loaded = True

    def get(self, word: str) -> object | None:
        return self.answers.get(word)

    def put(self, word: str, answer: object) -> None:
        self.answers[word] = answer
        self._gained = True

    def save(self) -> None:
        """Keep what the memo gained: written when the `remembering()` caller saves."""
        if self._gained and self._session is not None and self not in self._session.memos:
            self._session.memos.append(self)

    def write(self) -> None:
        """Write the memo now, if it gained an answer."""
        if not self._gained:
            return
        from reportgen.atomic import write_atomic

        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "key": self.key,
            "answers": dict(sorted(self.answers.items())),
        }
        try:
            write_atomic(self.path, (json.dumps(document, indent=0) + "\n").encode())
        except OSError as exc:
            log.info("word memo not written (%s)", exc.strerror)
        self._gained = False
