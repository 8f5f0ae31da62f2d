"""Source positions for loaded values, keyed by their path inside the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from reportgen.diagnostics import Location
from reportgen.model.meaning import data_key, model_meanings

# A path into loaded data: mapping keys and list indices, as Pydantic reports `loc`.
DataPath = tuple[str | int, ...]


class UnrecordedPosition(LookupError):
    """A position was asked for that no loader recorded: a bug in the code that asked."""


@dataclass
class SourceMap:
    """Maps each data path in one file to its line/column (or CSV row/field)."""

    path: str
    positions: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)  # where each key is written

    def record(self, data_path: DataPath, location: Location) -> None:
        self.positions[data_path] = location

    def locate_key(self, data_path: DataPath) -> Location:
        """Where the key of `data_path` is written, else the nearest written parent (for
        Pydantic's unknown-key errors, whose paths come from the data, not the code)."""
        return self.keys.get(tuple(data_path)) or self.nearest(data_path)

    def locate(self, data_path: DataPath) -> Location:
        """Where the value at `data_path` is written; a path never recorded raises.

        A wrong line that looks plausible is worse than a crash a test catches: code that
        wants the nearest written parent says so with `nearest`."""
        found = self.positions.get(tuple(data_path))
        if found is None:
            raise UnrecordedPosition(f"{self.path}: no position recorded for {data_path!r}")
        return found

    def nearest(self, data_path: DataPath) -> Location:
        """The value's position, else its nearest written parent's (for paths that come
        from the data, such as Pydantic's error locations, where a value may be missing)."""
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


@dataclass
class Origins:
    """Where each validated model object came from: its file's map and its data path.

    Recorded once after validation, so a check asks where a record's field is written
    (`where(event, "date")`) instead of typing the path to it. Objects are keyed by
    identity; the entry keeps the object, so its id cannot be reused meanwhile.
    """

    objects: dict[int, tuple[BaseModel, SourceMap, DataPath, Location]] = field(
        default_factory=dict
    )
    # A mapping key the schema changed (`" london "` read as `london`): (map, the mapping's
    # path, the key as validated) -> the key as written.
    written_keys: dict[tuple[int, DataPath, object], str | int] = field(default_factory=dict)

    def record(self, value: object, smap: SourceMap, path: DataPath = ()) -> None:
        """Record `value` (a model, or a list or dict of them) read from `path` in `smap`,
        and every model inside it."""
        children: dict[DataPath, list[str | int]] = {}
        for written in smap.positions:
            if written:
                children.setdefault(written[:-1], []).append(written[-1])
        self._record(value, smap, tuple(path), smap.nearest(path), children)

    def _record(
        self,
        value: object,
        smap: SourceMap,
        path: DataPath,
        parent: Location,
        children: dict[DataPath, list[str | int]],
    ) -> None:
        if isinstance(value, BaseModel):
            # A default object (not written) stands where its nearest written parent is.
            here = smap.positions.get(path, parent)
            self.objects[id(value)] = (value, smap, path, here)
            for meaning in model_meanings(type(value)):
                field_value = getattr(value, meaning.name)
                self._record(field_value, smap, (*path, meaning.key), here, children)
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                self._record(item, smap, (*path, i), parent, children)
        elif isinstance(value, dict):
            written = children.get(path, [])
            # Validation keeps a mapping's order, so keys pair up unless two became one.
            paired = written if len(written) == len(value) else _trimmed(list(value), written)
            for key, raw, item in zip(value, paired, value.values(), strict=True):
                if raw != key:
                    self.written_keys[(id(smap), path, key)] = raw
                self._record(item, smap, (*path, raw), parent, children)

    def _written(self, smap: SourceMap, path: DataPath, within: tuple[str | int, ...]) -> DataPath:
        """`path` extended by `within`, each mapping key as it is written in the source."""
        for key in within:
            path = (*path, self.written_keys.get((id(smap), path, key), key))
        return path

    def _entry(self, owner: BaseModel) -> tuple[BaseModel, SourceMap, DataPath, Location]:
        entry = self.objects.get(id(owner))
        if entry is None or entry[0] is not owner:
            raise UnrecordedPosition(f"no origin recorded for this {type(owner).__name__}")
        return entry

    def _field_path(self, owner: BaseModel, name: str) -> DataPath | None:
        """The data path of field `name` of `owner`, or None when it was not written."""
        info = type(owner).model_fields.get(name)
        if info is None:
            raise UnrecordedPosition(f"{type(owner).__name__} has no field '{name}'")
        _, smap, path, _ = self._entry(owner)
        field_path = (*path, data_key(name, info))
        if name not in owner.model_fields_set or field_path not in smap.positions:
            return None  # a default, or shorthand a validator expanded: at its object
        return field_path

    def where(self, owner: BaseModel, name: str | None = None, *within: str | int) -> Location:
        """Where `owner` is written, or its field `name` (an item `within` it: a list
        index or mapping key). A field that was not written (a default) is located at
        its object, on purpose; a name that is not a field of `owner` raises."""
        _, smap, _, here = self._entry(owner)
        if name is None:
            return here
        field_path = self._field_path(owner, name)
        if field_path is None:
            return here
        return smap.locate(self._written(smap, field_path, within))

    def where_key(self, owner: BaseModel, name: str, key: str) -> Location:
        """Where the mapping key `key` of field `name` of `owner` is written."""
        _, smap, _, here = self._entry(owner)
        field_path = self._field_path(owner, name)
        if field_path is None:
            return here
        written = self._written(smap, field_path, (key,))
        return smap.keys.get(written) or smap.locate(written)


def _trimmed(keys: list[object], written: list[str | int]) -> list[str | int]:
    """Each validated key as written: itself, or the written key it was trimmed from (the
    last of several, whose value validation kept)."""
    found: list[str | int] = []
    for key in keys:
        if key in written or not isinstance(key, str):
            found.append(key if isinstance(key, str | int) else str(key))
        else:
            found.append(next((w for w in reversed(written) if str(w).strip() == key), key))
    return found


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
