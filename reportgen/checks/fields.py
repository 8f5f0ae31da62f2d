"""Every value of a loaded project with what its field means and where it is written.

The schema's types say what a field is (`reportgen.model.meaning`); this walks a loaded
dataset (or report.yaml) and yields each value with those markers and its exact source
position, so the generic checks (ids unique, references resolve, dates inside the
period, text hygiene) ask for a meaning, never for a field by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

from reportgen.diagnostics import Location
from reportgen.load.positions import DataPath
from reportgen.model.meaning import (
    PROSE,
    EntryName,
    FieldMeaning,
    Meaning,
    MonthInTitle,
    PersonName,
    Prose,
    Token,
    YearLabel,
    annotation_meanings,
    item_annotation,
    model_meanings,
)
from reportgen.project import Project

# The dataset name report.yaml's values go by (as in `RefTo("report", "area")`).
CONFIG = "report"
# Meanings whose values are the document's words, checked like narrative (a year label
# is printed: a placeholder there is as wrong as in a sentence).
_WORDS = (Prose, EntryName, PersonName, MonthInTitle, YearLabel)

T = TypeVar("T", bound=Meaning)


@dataclass(frozen=True)
class FieldValue:
    """One value of a loaded dataset, what it means and where it is written."""

    value: object
    meanings: tuple[Meaning, ...]
    owner: BaseModel  # the record whose field holds it
    field: str  # the field's name
    within: tuple[str | int, ...]  # a list index or mapping key inside the field
    dataset: str  # the dataset's name, or "report"
    path: DataPath  # in the file, as written (aliases, indices)
    location: Location
    key: bool = False  # a mapping's key, not a value

    def marked(self, kind: type[T]) -> T | None:
        """The value's marker of this kind, if it has one."""
        return next((m for m in self.meanings if isinstance(m, kind)), None)

    @property
    def words(self) -> bool:
        """True for the document's own words (prose, names, titles); a token never is."""
        return (
            isinstance(self.value, str)
            and any(isinstance(m, _WORDS) for m in self.meanings)
            and not any(isinstance(m, Token) for m in self.meanings)
        )


def project_values(project: Project, config: bool = True) -> Iterator[FieldValue]:
    """The values of report.yaml (unless `config` is False) and of every loaded dataset."""
    if config:
        yield from dataset_values(project, CONFIG, project.config)
    for name, model in project.datasets.items():
        yield from dataset_values(project, name, model)


def dataset_values(project: Project, dataset: str, model: BaseModel) -> Iterator[FieldValue]:
    """Every value under `model` (loaded into `project`), in the order of the file."""
    # Five checks walk the same frozen models: the walk (about 0.03 s for the example)
    # is made once per model and kept on the project.
    walk = project.walks.get(dataset)
    if not isinstance(walk, _Walk) or walk.model is not model:
        walk = _Walk(model, tuple(_model_values(project, dataset, model, ())))
        project.walks[dataset] = walk
    return iter(walk.values)


@dataclass(frozen=True)
class _Walk:
    """A dataset's values, kept for the next check that walks the same model."""

    model: BaseModel
    values: tuple[FieldValue, ...]


def _model_values(
    project: Project, dataset: str, owner: BaseModel, path: DataPath
) -> Iterator[FieldValue]:
    for meaning in model_meanings(type(owner)):
        name = meaning.name
        value = getattr(owner, name)
        if value is None or isinstance(value, Enum | bool):
            continue  # nothing a marker or a word check is about
        yield from _values(
            _Slot(project, dataset, owner, name, meaning),
            value,
            meaning.annotation,
            meaning.meanings,
            (*path, meaning.key),
            (),
        )


@dataclass(frozen=True)
class _Slot:
    """The field a walk is inside: what each value it yields belongs to."""

    project: Project
    dataset: str
    owner: BaseModel
    field: str
    meaning: FieldMeaning


def _values(
    slot: _Slot,
    value: object,
    annotation: Any,
    meanings: tuple[Meaning, ...],
    path: DataPath,
    within: tuple[str | int, ...],
) -> Iterator[FieldValue]:
    if value is None or isinstance(value, Enum | bool):
        return
    if isinstance(value, BaseModel):
        yield from _model_values(slot.project, slot.dataset, value, path)
    elif isinstance(value, list | tuple):
        item, item_meanings = _items(slot, annotation, within)
        for i, entry in enumerate(value):
            yield from _values(slot, entry, item, item_meanings, (*path, i), (*within, i))
    elif isinstance(value, dict):
        item, item_meanings = _items(slot, annotation, within)
        key_meanings = slot.meaning.key_meanings if not within else ()
        for k, entry in value.items():
            if key_meanings and not within:
                where = slot.project.where_key(slot.owner, slot.field, str(k))
                yield FieldValue(
                    k,
                    key_meanings,
                    slot.owner,
                    slot.field,
                    (k,),
                    slot.dataset,
                    (*path, k),
                    where,
                    key=True,
                )
            yield from _values(slot, entry, item, item_meanings, (*path, k), (*within, k))
    else:
        if not meanings and isinstance(value, str):
            meanings = (PROSE,)  # an unmarked string is the document's words
        if meanings:
            where = slot.project.where(slot.owner, slot.field, *within)
            yield FieldValue(
                value, meanings, slot.owner, slot.field, within, slot.dataset, path, where
            )


def _items(
    slot: _Slot, annotation: Any, within: tuple[str | int, ...]
) -> tuple[Any, tuple[Meaning, ...]]:
    """The item type of a list or mapping and its markers (the field's own: cached)."""
    if not within:
        return slot.meaning.item, slot.meaning.item_meanings
    _, item = item_annotation(annotation)
    return item, annotation_meanings(item)


class RecordFields(dict[str, object]):
    """A record's fields by name, for `str.format_map` of a marker's message."""

    def __init__(self, record: BaseModel) -> None:
        super().__init__()
        self.record = record

    def __missing__(self, key: str) -> object:
        return getattr(self.record, key)
