"""Where a report project keeps its files: one definition for every command.

The config file, the folders whose every file is an input, and the one rule for what
counts as an input file there. The manifest of a build (`write`), the up-to-date check
(`cache`) and the live preview's watcher (`serve`) all read the project through
`input_files`, so they cannot disagree about what shaped a report.

The rule: a regular file inside the project. A symlink counts when it resolves to a
regular file inside the project (one out of it, or to a pipe, is never read); folders
that are symlinks are not walked into. Hidden files and folders (`.name`), editors'
backup and lock files (`name~`, `#name#`, `.swp`, `.tmp`) and `__pycache__` are not
inputs: saving in an editor must not look like a change to the report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

CONFIG_FILE = "report.yaml"
# The project's own word list beside it, read by the spelling check (one word a line):
# an input like the config, so editing it alone makes the next build check again.
WORDS_FILE = "words.txt"
# Folders whose every file is an input; the config and the files it names are added.
INPUT_DIRS = ("content", "data", "templates")
_BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".tmp")


def is_ignored(name: str) -> bool:
    """Whether a file or folder called `name` is never an input (hidden, backup, cache)."""
    return name.startswith((".", "#")) or name.endswith(_BACKUP_SUFFIXES) or name == "__pycache__"


def _inside(path: Path, root: Path) -> bool:
    """A regular file (after symlinks) within `root`."""
    try:
        return path.is_file() and path.resolve().is_relative_to(root)
    except OSError:
        return False


def folder_files(folder: Path, root: Path) -> list[Path]:
    """The input files under `folder` by the rule above, sorted; [] when it is no folder."""
    found: list[Path] = []
    if folder.is_symlink() or not folder.is_dir():
        return found
    for here, dirs, files in os.walk(folder):  # never follows a folder symlink
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            path = Path(here, name)
            if not is_ignored(name) and _inside(path, root):
                found.append(path)
    return found


def input_files(root: Path, named: Iterable[str] = ()) -> list[str]:
    """Every input of the project at `root`, as project-relative POSIX paths, sorted:
    the config file, the word list (when there is one), the files of `INPUT_DIRS`, and
    the files the project `named` (`reportgen.project.project_files`), such as a logo
    kept elsewhere. The config is listed even when it is missing (a deleted report.yaml
    is a change); a word list added or deleted changes the list itself."""
    root = root.resolve()
    names = {CONFIG_FILE}
    if _inside(root / WORDS_FILE, root):
        names.add(WORDS_FILE)
    for folder in INPUT_DIRS:
        names.update(p.relative_to(root).as_posix() for p in folder_files(root / folder, root))
    names.update(rel for rel in named if _inside(root / rel, root))
    return sorted(names)


def referenced_files(root: Path, values: Iterable[object]) -> set[str]:
    """Project files named anywhere in the loaded config and data (sections, tables,
    logo, fonts, ...), found by value so a new file-valued field needs no change here."""
    root = root.resolve()
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if 0 < len(value) < 260 and "\n" not in value and ("/" in value or "." in value):
                path = Path(os.path.abspath(root / value))
                # os.path.isfile is False (never an error) for names too long to be files.
                if path.is_relative_to(root) and os.path.isfile(path):
                    found.add(path.relative_to(root).as_posix())
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)

    for value in values:
        walk(value)
    return found
