"""Source positions for loaded values, keyed by their path inside the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.diagnostics import Location

# A path into loaded data: mapping keys and list indices, as Pydantic reports `loc`.
DataPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Maps each data path in one file to its line/column (or CSV row/field)."""

    path: str
    positions: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)  # where each key is written

    def record(self, data_path: DataPath, location: Location) -> None:
        self.positions[data_path] = location

    def locate_key(self, data_path: DataPath) -> Location:
        """Where the key of `data_path` is written (for unknown-key errors)."""
        return self.keys.get(tuple(data_path)) or self.locate(data_path)

    def locate(self, data_path: DataPath) -> Location:
        """Return the closest known position: the value, else its nearest parent."""
        probe = tuple(data_path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), Location(self.path))

    def child(self, prefix: DataPath) -> SourceMap:
        """A view of the positions below `prefix`, re-rooted there."""
        sub = SourceMap(self.path)
        n = len(prefix)
        for key, loc in self.positions.items():
            if key[:n] == prefix:
                sub.positions[key[n:]] = loc
        for key, loc in self.keys.items():
            if key[:n] == prefix:
                sub.keys[key[n:]] = loc
        return sub


def editor_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]` as an editor shows them.

    Lines end at \\n, \\r\\n or \\r only: YAML and Python's `splitlines` also break at
    U+0085, U+2028 and U+2029, which editors show inside a line.
    """
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, index - start + 1


def editor_lines(text: str) -> list[str]:
    """`text` split into lines as an editor shows them (see `editor_position`)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
