"""A validate replayed: the last result again when nothing validate read has changed.

`reportgen validate`, and a build that uses the build cache once it has written its
outputs, record what validation found (diagnostics, the completeness checklist and the
disclosure summary, as JSON) in `build/.cache/validate.json`, with the hash of
everything that shaped it:

- every input file of the project (`reportgen.layout.input_files`: report.yaml,
  content/, data/, templates/), the files its config and data name (a profile, a logo,
  last year's project inside this one) and `words.txt`, the spelling word list;
- whether each file validate may have looked for is there (and its hash): every value
  in the config and data that looks like a path, and every link and image of the
  narrative, so a missing file that appears (a broken link mended by adding the file
  outside content/ and data/) is a change;
- last year's project and export folders when they lie outside the project: each of
  their files, listed again each time (a file added there is a change);
- the tool (reportgen's files, every installed distribution, Python: the packaged
  profiles and pyphen's hyphenation dictionary are inside it), and the spelling
  dictionaries, Enchant's settings and libraries (`spelling_fingerprint`).

The next validate hashes those (a few hundredths of a second) and, when all are the
same, prints the recorded result without loading a model or running a check. Anything
unreadable, foreign or different is a miss: validate runs and records afresh. Nothing
is recorded when an input changed while validate ran. The project's folder as it was
typed is part of the key too, so no message can show another spelling of it. Plain
JSON, never pickle; written atomically, and a folder that cannot be written is skipped
(validate never needed to write).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.diagnostics import Diagnostic
from reportgen.fingerprints import (
    MISSING,
    digest_json,
    file_digest,
    spelling_fingerprint,
    tool_fingerprint,
)
from reportgen.layout import folder_files, input_files
from reportgen.validation_report import ReportParts

if TYPE_CHECKING:
    from reportgen.project import Project

log = logging.getLogger(__name__)

RECORD_FILE = Path("build") / ".cache" / "validate.json"
FORMAT = "reportgen-validate"
FORMAT_VERSION = 1
WORDS_FILE = "words.txt"  # the project's own spelling word list (reportgen.checks.spelling)


@dataclass(frozen=True)
class Recorded:
    """A validate's result as it was recorded."""

    diagnostics: list[Diagnostic]
    parts: ReportParts


class ValidateRecord:
    """The record of the last validate of the project at `root`.

    `replay()` first, which also takes a snapshot of the inputs; then, after a real
    validate, `record(...)`, which keeps the result only if no input changed meanwhile.
    """

    def __init__(self, root: Path) -> None:
        self.typed = str(root)
        self.root = root.resolve()
        self.path = self.root / RECORD_FILE
        self._snapshot: _State | None = None

    def _state(
        self, extra: list[str], elsewhere: list[tuple[str, str]], probed: list[str]
    ) -> _State:
        """The hashes of everything a validate read (see the module's docstring)."""
        inside = input_files(self.root, [*extra, WORDS_FILE])
        files = {rel: _present(self.root / rel) for rel in probed}
        files.update({rel: file_digest(self.root / rel) for rel in inside})
        for folder, how in elsewhere:
            where = Path(folder)
            names = (
                input_files(where)
                if how == "project"
                else [p.relative_to(where).as_posix() for p in folder_files(where, where)]
            )
            files.update({(where / name).as_posix(): file_digest(where / name) for name in names})
        fingerprints = {
            "root": self.typed,
            "tool": tool_fingerprint(),
            "spelling": spelling_fingerprint(),
        }
        return _State(files, fingerprints)

    def _load(self) -> dict[str, Any] | None:
        try:
            document = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.info("ignoring an unreadable validate record %s: %s", self.path, exc)
            return None
        if (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("version") == FORMAT_VERSION
        ):
            return document
        log.info("ignoring a validate record written by something else: %s", self.path)
        return None

    def snapshot(self) -> dict[str, Any]:
        """Hash the inputs as they are now (what `record` compares with, to tell whether
        one changed while validate ran); return the record on disk ({} if none)."""
        document = self._load() or {}
        extra, elsewhere = _strings(document.get("extra")), document.get("elsewhere")
        probed = _strings(document.get("probed"))
        if not (
            isinstance(elsewhere, list)
            and all(
                isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x)
                for x in elsewhere
            )
        ):
            elsewhere = []
        self._snapshot = self._state(extra, [(f, how) for f, how in elsewhere], probed)
        return document

    def replay(self) -> Recorded | None:
        """The recorded result, if nothing it depends on has changed; else None."""
        document = self.snapshot()
        assert self._snapshot is not None
        if not document or document.get("state") != self._snapshot.digest():
            return None
        try:
            diagnostics = [Diagnostic.from_json(d) for d in document["diagnostics"]]
            parts = ReportParts.from_json(document["parts"])
        except (KeyError, TypeError, ValueError) as exc:
            log.info("ignoring a validate record that does not decode: %s", exc)
            return None
        log.info("validate: nothing it reads has changed since the last one; its result again")
        return Recorded(diagnostics, parts)

    def record(self, project: Project, diagnostics: list[Diagnostic], parts: ReportParts) -> None:
        """Keep this validate's result for the next one (see the module's docstring)."""
        if self._snapshot is None:
            return
        from reportgen.project import project_files  # loaded already: validate ran

        extra = sorted(project_files(project))
        elsewhere = _last_year_elsewhere(project)
        probed = _probed(project)
        state = self._state(extra, elsewhere, probed)
        changed = [k for k, v in self._snapshot.files.items() if state.files.get(k, v) != v]
        if changed or state.fingerprints != self._snapshot.fingerprints:
            log.info("not recording this validate: an input changed while it ran")
            return
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "state": state.digest(),
            "extra": extra,
            "elsewhere": [list(x) for x in elsewhere],
            "probed": probed,
            "diagnostics": [d.to_json() for d in diagnostics],
            "parts": parts.to_json(),
        }
        from reportgen.atomic import write_atomic

        try:
            write_atomic(self.path, (json.dumps(document, indent=1) + "\n").encode())
        except OSError as exc:  # a read-only project: validate never had to write
            log.info("validate's result not recorded (%s)", exc.strerror)


@dataclass(frozen=True)
class _State:
    """What a validate read: files (project-relative, or absolute outside the project)
    with their sha256, and the fingerprints of the tool and the spelling dictionaries."""

    files: dict[str, str]
    fingerprints: dict[str, str]

    def digest(self) -> str:
        return digest_json({"files": self.files, "fingerprints": self.fingerprints})


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _present(path: Path) -> str:
    """A regular file's sha256, else "missing" (never opens a pipe or a device)."""
    return file_digest(path) if os.path.isfile(path) else MISSING


# A value that may name a file: a folder separator, or an extension at its end.
_PATH_LIKE = re.compile(r"[/\\]|\.[A-Za-z0-9]{1,5}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _probed(project: Project) -> list[str]:
    """Project-relative paths validate may have looked for, whether or not they exist:
    path-like values of the config and data, and the narrative's links and images."""
    root = project.root.resolve()
    found: set[str] = set()

    def add(value: str) -> None:
        part = value.split("#", 1)[0].split("?", 1)[0].strip()
        if not part or "\n" in part or len(part) >= 260 or _SCHEME.match(part):
            return
        path = Path(os.path.abspath(root / part))
        if path != root and path.is_relative_to(root):
            found.add(path.relative_to(root).as_posix())

    def walk(value: object) -> None:
        if isinstance(value, str):
            if _PATH_LIKE.search(value):
                add(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(project.config.model_dump(mode="json"))
    for model in project.datasets.values():
        walk(model.model_dump(mode="json"))
    for source in project.narrative.values():
        for token in source.tokens:
            for tok in [token, *(token.children or [])]:
                if tok.type == "image":
                    add(str(tok.attrGet("src") or ""))
                elif tok.type == "link_open":
                    add(str(tok.attrGet("href") or ""))
    return sorted(found)


def _last_year_elsewhere(project: Project) -> list[tuple[str, str]]:
    """Last year's project and export folders that lie outside this project (those
    inside are among `project_files`), resolved, with which of the two each is."""
    last = getattr(project.config, "last_year", None)
    found: list[tuple[str, str]] = []
    for how in ("project", "export"):
        folder = getattr(last, how, None)
        if not isinstance(folder, str):
            continue
        where = (project.root / folder).resolve()
        if not where.is_relative_to(project.root.resolve()) and where.is_dir():
            found.append((str(where), how))
    return found
