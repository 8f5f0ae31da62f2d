"""What a field means, written into the schema's types for the generic checks to walk.

A field's type says more than "a string" or "a date": this one is an id other records
refer to, that one names a record of another dataset, this date must fall inside the
document's period, that text is prose to check for placeholders. The markers below go
into `Annotated[...]` (`GroupId = Annotated[Slug, IdOf("group")]`), and
`reportgen.checks.fields` walks a loaded dataset for them, so a new dataset whose schema
uses them gets the checks (ids unique, references resolve, dates inside the period,
text hygiene) without an edit to any check.

A string field with no marker is prose: the report's own words, checked like narrative.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo


class Meaning:
    """Base of the markers: what a value is, beyond its type."""


@dataclass(frozen=True)
class IdOf(Meaning):
    """An id that other records and the narrative use; unique within its list."""

    what: str  # named in messages and by `RefTo`: "group", "indicator group"


@dataclass(frozen=True)
class RefTo(Meaning):
    """The id of a record that `dataset` declares with `IdOf(what)` ("report": report.yaml).

    `if_any`: checked only when that dataset lists at least one such record (a default
    such as `group: executive` is no error in a file that lists no groups).
    `checked`: False where another check resolves the reference and says more."""

    dataset: str
    what: str
    if_any: bool = False
    checked: bool = True


@dataclass(frozen=True)
class EventDate(Meaning):
    """A date that must fall inside the document's period (for a dated kind of document).

    `what` names the record in the message, with its fields in braces: "audit '{id}'".
    `bound`: "period" (inside it), "ends" (a finish, only not before the start) or
    "starts" (a beginning, only not after the end). `unless`: other date fields of the
    record that date it instead when they are given. A record with `timing:` other than
    current is not checked."""

    what: str
    bound: Literal["period", "ends", "starts"] = "period"
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthInTitle(Meaning):
    """A title whose "March 2024" dates the record when none of its `unless` dates is given."""

    what: str
    unless: tuple[str, ...]


@dataclass(frozen=True)
class YearLabel(Meaning):
    """A year label (2024/25) that must name the document's period, or the one `offset`
    periods from it (-1: last year's, 1: next year's), for a dated kind of document. A
    record with `timing:` other than current is not checked.

    `message` and `hint` say what is wrong, with the record's fields in braces and
    `{written}` (the label as written), `{expected}` (the label it should be) and
    `{covered}` (the document's own). `exact`: the label must be written as reportgen
    writes it; otherwise only a one-year label (2024-25 too) is compared, and other
    text (a range, a month) is left alone. Still the document's words."""

    message: str
    hint: str
    offset: int = 0
    exact: bool = False


@dataclass(frozen=True)
class ProjectFile(Meaning):
    """A path to a file of the project, relative to its folder: not words."""


@dataclass(frozen=True)
class Token(Meaning):
    """A code, setting or name of something that is not the document's own words: a
    colour, a language tag, a figure name, an organisation as partners write it."""


@dataclass(frozen=True)
class PersonName(Meaning):
    """A person's name, as the member list spells it: other text must spell it the same."""


@dataclass(frozen=True)
class Prose(Meaning):
    """The document's own words (the meaning of an unmarked string)."""


@dataclass(frozen=True)
class EntryName(Meaning):
    """The words that name an entry of a list: two entries with the same are one entry
    listed twice. Also prose."""


@dataclass(frozen=True)
class Label(Prose):
    """Words that label what a reader sees: a title, a heading, a figure's label, a
    caption, a grade. Spell-checked against the dictionary; also prose."""


@dataclass(frozen=True)
class ProperName(Prose):
    """The name of an organisation, place, service, course or role, as it is written:
    the spelling check takes its words as the project's own (a person's name is
    `PersonName`). Also prose, unless the field is a `Token` as well."""


PROSE = Prose()
ENTRY_NAME = EntryName()
LABEL = Label()
PROPER_NAME = ProperName()
PROJECT_FILE = ProjectFile()
TOKEN = Token()
PERSON_NAME = PersonName()

# Marked versions of the plain types, for fields that are not the document's words.
FilePath = Annotated[str, PROJECT_FILE]
Setting = Annotated[str, TOKEN]


@dataclass(frozen=True)
class FieldMeaning:
    """One field of a model with its markers, worked out once per model class."""

    name: str
    key: str  # the key it is written under: its alias, if it has one
    annotation: Any
    meanings: tuple[Meaning, ...]  # the field's own
    item: Any  # a list's item type or a mapping's value type (None: neither)
    item_meanings: tuple[Meaning, ...]
    key_meanings: tuple[Meaning, ...]  # a mapping's keys'


@functools.cache
def model_meanings(model: type[BaseModel]) -> tuple[FieldMeaning, ...]:
    """Every field of `model` with its markers (cached: walks run on every validate)."""
    found = []
    for name, info in model.model_fields.items():
        key, item = item_annotation(info.annotation)
        found.append(
            FieldMeaning(
                name,
                data_key(name, info),
                info.annotation,
                field_meanings(info),
                item,
                annotation_meanings(item),
                annotation_meanings(key),
            )
        )
    return tuple(found)


def data_key(name: str, info: FieldInfo) -> str:
    """The key a field is written under in a source: its alias, if it has one."""
    if isinstance(info.validation_alias, str):
        return info.validation_alias
    return info.alias if isinstance(info.alias, str) else name


def meanings_of(metadata: list[Any]) -> tuple[Meaning, ...]:
    """The markers among a field's (or an `Annotated` type's) metadata."""
    return tuple(m for m in metadata if isinstance(m, Meaning))


def field_meanings(info: FieldInfo) -> tuple[Meaning, ...]:
    """A field's own markers: pydantic keeps a top-level `Annotated`'s metadata apart."""
    return meanings_of(info.metadata) or annotation_meanings(info.annotation)


def annotation_meanings(annotation: Any) -> tuple[Meaning, ...]:
    """The markers of a type, looking through `X | None`."""
    if typing.get_origin(annotation) is Annotated:
        return meanings_of(list(annotation.__metadata__))
    if typing.get_origin(annotation) in (typing.Union, _UnionType):
        for arg in typing.get_args(annotation):
            found = annotation_meanings(arg)
            if found:
                return found
    return ()


def item_annotation(annotation: Any) -> tuple[Any, Any]:
    """For a `list[X]` or `dict[K, V]` type (or one of them `| None`): (key type, item type);
    (None, None) for anything else."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, _UnionType):
        for arg in args:
            found = item_annotation(arg)
            if found != (None, None):
                return found
        return None, None
    if origin in (list, tuple) and args:
        return None, args[0]
    if origin is dict and len(args) == 2:
        return args[0], args[1]
    return None, None


_UnionType = type(int | None)
