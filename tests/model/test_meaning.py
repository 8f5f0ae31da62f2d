"""The field markers of every schema are consistent: what they name exists."""

from __future__ import annotations

import string
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from reportgen.kinds import kind_named, kind_names
from reportgen.model.meaning import (
    EventDate,
    IdOf,
    Meaning,
    MonthInTitle,
    RefTo,
    YearLabel,
    annotation_meanings,
    field_meanings,
    item_annotation,
)

CONFIG = "report"


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every model its fields hold, once each."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        for info in current.model_fields.values():
            todo += [t for t in _types(info.annotation) if _is_model(t)]


def _types(annotation: object) -> Iterator[object]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types(arg)


def _is_model(value: object) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _markers(model: type[BaseModel]) -> Iterator[tuple[str, Meaning]]:
    """(field name, marker) for the field and for its items or keys."""
    for name, info in model.model_fields.items():
        key, item = item_annotation(info.annotation)
        found = [*field_meanings(info), *annotation_meanings(key), *annotation_meanings(item)]
        for marker in found:
            yield name, marker


def _schemas() -> dict[str, dict[str, type[BaseModel]]]:
    """Per kind: dataset name -> schema, with report.yaml's as "report"."""
    found = {}
    for name in kind_names():
        kind = kind_named(name)
        assert kind is not None
        schemas = {d.name: d.schema for d in kind.accepted()}
        schemas[CONFIG] = kind.config_schema
        found[name] = schemas
    return found


@pytest.mark.parametrize("kind", kind_names())
def test_dates_name_fields_their_record_has(kind: str) -> None:
    for schema in _schemas()[kind].values():
        for model in _models(schema):
            for name, marker in _markers(model):
                if isinstance(marker, EventDate | MonthInTitle):
                    named = {f for _, f, _, _ in string.Formatter().parse(marker.what) if f}
                    unknown = (named | set(marker.unless)) - set(model.model_fields)
                    assert not unknown, f"{model.__name__}.{name}: {unknown}"
                if isinstance(marker, YearLabel):
                    texts = (marker.message, marker.hint)
                    named = {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}
                    own = {"written", "expected", "covered"}
                    unknown = named - own - set(model.model_fields)
                    assert not unknown, f"{model.__name__}.{name}: {unknown}"
                    assert not own & set(model.model_fields), f"{model.__name__} hides {own}"


@pytest.mark.parametrize("kind", kind_names())
def test_every_reference_names_ids_its_dataset_declares(kind: str) -> None:
    schemas = _schemas()[kind]
    declared = {
        (dataset, marker.what)
        for dataset, schema in schemas.items()
        for model in _models(schema)
        for _, marker in _markers(model)
        if isinstance(marker, IdOf)
    }
    if "governance" in schemas:  # a business plan reads no governance.yaml
        assert ("governance", "group") in declared  # the walk sees into nested models
    for schema in schemas.values():
        for model in _models(schema):
            for name, marker in _markers(model):
                if isinstance(marker, RefTo):
                    target = (marker.dataset, marker.what)
                    assert target in declared, f"{model.__name__}.{name} refers to {target}"
