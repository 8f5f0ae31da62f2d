"""The user documentation, packaged with reportgen: `reportgen docs TOPIC` prints it.

The Markdown files in `reportgen/docs/` are the documentation the README links to; they
ship in the wheel, so hints and `--help` can point a user who installed reportgen with
pipx (and has no clone) to `reportgen docs references` instead of a file they lack.
"""

from __future__ import annotations

import difflib
from importlib import resources

_SUMMARY_PREFIX = "# "


def topics() -> dict[str, str]:
    """Each topic's name (the file's stem) and its first heading."""
    found: dict[str, str] = {}
    for entry in sorted(resources.files("reportgen").joinpath("docs").iterdir(), key=str):
        if entry.name.endswith(".md"):
            first = entry.read_text(encoding="utf-8").split("\n", 1)[0]
            found[entry.name[:-3]] = first.removeprefix(_SUMMARY_PREFIX).strip()
    return found


def read_topic(name: str) -> str:
    """The Markdown text of one topic; KeyError (with a suggestion) when there is none."""
    known = topics()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=1)
        raise KeyError(f"did you mean '{close[0]}'?" if close else "")
    return resources.files("reportgen").joinpath("docs", f"{name}.md").read_text(encoding="utf-8")
