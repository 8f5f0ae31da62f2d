"""A data file's YAML checked against its schema, with Pydantic's errors in plain English.

Each error is placed at the line and column of the value (or key) it is about.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.load.positions import SourceMap
from reportgen.model.common import DECIMAL_COMMA_MESSAGE

# The diagnostic codes this module emits; reportgen.catalogue collects them.
SCHEMA_UNKNOWN_KEY = Code(
    "schema.unknown-key",
    Severity.ERROR,
    "A key is not part of the file's schema",
    """
    Schemas are strict so that a misspelt key is caught instead of silently ignored.
    The message suggests the nearest allowed key; `reportgen docs project-format` lists
    them all.
    """,
)
SCHEMA_MISSING = Code(
    "schema.missing",
    Severity.ERROR,
    "A required field is missing",
    "Add the field.",
)
SCHEMA_INVALID = Code(
    "schema.invalid",
    Severity.ERROR,
    "A field has the wrong type or value",
    """
    For example text where a number is needed, a date not written as YYYY-MM-DD, a
    year label that is not two consecutive years, or a number with thousands
    separators in the wrong places.
    """,
)
SCHEMA_DECIMAL_COMMA = Code(
    "schema.decimal-comma",
    Severity.ERROR,
    "A number is written with a decimal comma",
    """
    `12,5%` or `1.234,5` is how much of Europe writes 12.5% and 1,234.5; in an English
    report a comma only separates thousands, so the value cannot be read. The message
    says what to type. The rest of the file is still loaded and checked: only the list
    item that holds the value is left out until it is corrected.
    """,
)
SCHEMA_EMPTY_FILE = Code(
    "schema.empty-file",
    Severity.ERROR,
    "A data file is empty",
    "Fill it in, or delete it if the report does not use it.",
)

M = TypeVar("M", bound=BaseModel)


def _loc_text(loc: tuple[Any, ...]) -> str:
    """A field's place in words, counting list items from 1 as a reader does:
    ('priorities', 0, 'status') -> 'priorities #1 › status'."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts:
            parts[-1] += f" #{part + 1}"
        else:
            parts.append(f"#{part + 1}" if isinstance(part, int) else str(part))
    return " › ".join(parts) or "(top level)"


def schema_diagnostics(
    error: ValidationError, smap: SourceMap, model: type[BaseModel], diags: DiagnosticList
) -> None:
    """Turn Pydantic's errors into plain-English diagnostics at the right line."""
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        where = smap.nearest(loc)  # a missing value stands at its parent
        name = str(loc[-1]) if loc else ""
        kind = err["type"]
        if kind == "extra_forbidden":
            where = smap.locate_key(loc)
            allowed = _allowed_keys(model, loc[:-1])
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            if not hint and allowed:
                hint = "allowed keys here: " + ", ".join(sorted(allowed))
            diags.emit(SCHEMA_UNKNOWN_KEY, f"unknown key '{name}'", where, hint)
        elif kind == "missing":
            parent = _loc_text(loc[:-1])
            diags.emit(
                SCHEMA_MISSING,
                f"'{name}' is required" + (f" in {parent}" if loc[:-1] else ""),
                where,
                f"add a '{name}:' entry",
            )
        else:
            message = str(err["msg"]).removeprefix("Value error, ")
            field_text = _loc_text(loc)
            decimal_comma = DECIMAL_COMMA_MESSAGE in message
            diags.emit(
                SCHEMA_DECIMAL_COMMA if decimal_comma else SCHEMA_INVALID,
                f"{field_text}: {message[0].lower() + message[1:] if message else 'invalid value'}",
                where,
                "write numbers the English way: 12.5% and 1,234.5"
                if decimal_comma
                else _hint_for(kind),
            )


def _hint_for(kind: str) -> str | None:
    return {
        "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "date_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "date_type": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "enum": "use one of the listed words exactly, in lower case",
        "list_type": "start each item on its own line with '- '",
        "dict_type": "write 'key: value' pairs indented under this key",
        "model_type": "write 'key: value' pairs indented under this key",
        "string_type": "put the text in quotes",
        "bool_parsing": "write true or false",
        "too_short": "add at least one item",
    }.get(kind)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model at `loc`, for 'did you mean' hints."""
    current: Any = model
    skip_key = False  # after a dict-of-models field, the next part is the dict's own key
    for part in loc:
        if isinstance(part, int):
            continue
        if skip_key:
            skip_key = False
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        skip_key = typing.get_origin(annotation) is dict
        current = _inner_model(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validate_model(model: type[M], data: Any, smap: SourceMap, diags: DiagnosticList) -> M | None:
    if data is None:
        diags.emit(
            SCHEMA_EMPTY_FILE,
            "file is empty",
            smap.locate(()),
            "fill it in, or delete it if the report does not use it",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        schema_diagnostics(exc, smap, model, diags)
        return None
