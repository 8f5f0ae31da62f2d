"""Keep the rest of a data file when one list item in it is wrong.

A file whose every value is checked against its schema used to be all or nothing: one
bad value (`12,5%`) discarded the whole file, and every reference, total and checklist
item that used it. Here the items the errors are in are left out, the rest is
validated again, and the positions of the items after them are moved up, so the
checks that follow still point at the right lines.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.diagnostics import DiagnosticList
from reportgen.load.positions import DataPath, SourceMap
from reportgen.load.schema import schema_diagnostics

M = TypeVar("M", bound=BaseModel)

# Left-out items can leave errors of their own (a list that must not be empty); those
# are consequences of an error already reported, not new ones.
_CONSEQUENCES = {"too_short", "missing"}
# Each round leaves out the items one round's errors are in; a model validator that
# only runs once its fields are valid can find more. Three rounds is plenty.
_ROUNDS = 3


@dataclass
class Salvaged:
    """What was kept of a file, and the list items that were left out: each path is
    that of the removed item where its list is in `value` (for the checks to ask)."""

    value: BaseModel | None
    source_map: SourceMap
    dropped: list[DataPath] = field(default_factory=list)


def _item_of(loc: tuple[Any, ...]) -> DataPath | None:
    """The path of the innermost list item an error is in, or None (not in a list)."""
    for end in range(len(loc), 0, -1):
        if isinstance(loc[end - 1], int):
            return tuple(loc[:end])
    return None


def _remove(data: Any, path: DataPath) -> bool:
    """Remove the list item at `path` from `data`; False when the path is not there."""
    parent: Any = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    index = path[-1]
    if not isinstance(parent, list) or not isinstance(index, int) or index >= len(parent):
        return False
    del parent[index]
    return True


def shifted(smap: SourceMap, removed: DataPath) -> SourceMap:
    """`smap` with the item at `removed` gone and the later items of its list moved up."""
    prefix, index = removed[:-1], removed[-1]
    assert isinstance(index, int)
    n = len(prefix)

    def move(table: dict[DataPath, Any]) -> dict[DataPath, Any]:
        moved: dict[DataPath, Any] = {}
        for key, loc in table.items():
            at = key[n] if key[:n] == prefix and len(key) > n else None
            if isinstance(at, int):
                if at == index:
                    continue
                if at > index:
                    key = (*prefix, at - 1, *key[n + 1 :])
            moved[key] = loc
        return moved

    return SourceMap(smap.path, move(smap.positions), move(smap.keys))


def leave_out(data: Any, smap: SourceMap, item: DataPath) -> SourceMap:
    """Remove the list item at `item` from `data` (a dataset's `prepare` found an error in
    it); the map with the later items of its list moved up."""
    return shifted(smap, item) if _remove(data, item) else smap


def validate_keeping_items(
    model: type[M], data: Any, smap: SourceMap, diags: DiagnosticList
) -> Salvaged:
    """Validate `data`; when errors are inside list items, report them, leave those items
    out and keep the rest. `value` is None only when an error is outside every list."""
    try:
        return Salvaged(model.model_validate(data), smap)
    except ValidationError as exc:
        error = exc
    schema_diagnostics(error, smap, model, diags)
    current, current_map, dropped = copy.deepcopy(data), smap, []
    for _ in range(_ROUNDS):
        items = {_item_of(tuple(err["loc"])) for err in error.errors(include_url=False)}
        if None in items:
            return Salvaged(None, smap)
        # Last first within each list, so the earlier indices still hold.
        for path in sorted((p for p in items if p is not None), reverse=True):
            if not _remove(current, path):
                return Salvaged(None, smap)
            current_map = shifted(current_map, path)
            dropped.append(path)
        try:
            return Salvaged(model.model_validate(current), current_map, dropped)
        except ValidationError as exc:
            error = exc
        new = [e for e in error.errors(include_url=False) if e["type"] not in _CONSEQUENCES]
        if len(new) != len(error.errors()):
            return Salvaged(None, smap)  # leaving items out broke the file: keep it whole
        # Errors a validator of the whole could only find now: real ones, reported.
        schema_diagnostics(error, current_map, model, diags)
    return Salvaged(None, smap)
