"""Generate the project-format reference (reportgen/docs/project-format.md) from the schemas.

The field descriptions in `reportgen.model` are the single source; a test fails
when the committed document differs from what this module produces.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from reportgen.layout import CONFIG_FILE
from reportgen.model.config import DEFAULT_KIND, ReportConfig
from reportgen.model.training import Course, ElearningModule, OrganisationAttendance
from reportgen.project import annual_report_files

CSV_TABLES: list[tuple[str, type[BaseModel], str]] = [
    ("data/training-courses.csv", Course, "named by `courses_file` in training.yaml"),
    ("data/training-elearning.csv", ElearningModule, "named by `elearning_file`"),
    ("data/training-by-organisation.csv", OrganisationAttendance, "named by `organisations_file`"),
]


def _validator_word(metadata: list[Any]) -> str | None:
    """Name of our custom field type (Money, Count, ...) from its validator."""
    for meta in metadata:
        name = getattr(getattr(meta, "func", None), "__name__", "")
        if name.startswith(("_to_", "_check_")):
            word = name.removeprefix("_to_").removeprefix("_check_")
            return {"period": "year label", "slug": "id", "decimal": "number"}.get(word, word)
    return None


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _validator_word(list(args[1:])) or _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(parts)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"map of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    return {"str": "text", "int": "whole number", "bool": "true/false", "date": "date"}.get(
        getattr(annotation, "__name__", str(annotation)), getattr(annotation, "__name__", "value")
    )


def nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model used inside `model`'s fields, at any depth, in the order first met."""
    found: list[type[BaseModel]] = []

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found and annotation is not model:
                found.append(annotation)
                for f in annotation.model_fields.values():
                    walk(f.annotation)
            return
        for arg in typing.get_args(annotation):
            walk(arg)

    for f in model.model_fields.values():
        walk(f.annotation)
    return found


def _field_table(model: type[BaseModel]) -> list[str]:
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, f in model.model_fields.items():
        required = "yes" if f.is_required() else "no"
        kind = _validator_word(f.metadata) or _type_name(f.annotation)
        lines.append(f"| `{name}` | {kind} | {required} | {f.description} |")
    return lines


def _model_section(title: str, model: type[BaseModel], intro: str) -> list[str]:
    out = [f"## {title}", "", intro, "", f"### {model.__name__}", "", *_field_table(model), ""]
    for nested in nested_models(model):
        doc = (nested.__doc__ or "").strip().splitlines()[0]
        out += [f"### {nested.__name__}", "", doc, "", *_field_table(nested), ""]
    return out


def _kinds_section() -> list[str]:
    """The kinds of document `kind:` may name, from their declarations."""
    from reportgen.kinds import kind_named, kind_names

    out = [
        "## Kinds of document",
        "",
        f"`kind:` in `{CONFIG_FILE}` says what the project is; it decides the data files the",
        "project may have, how the document is dated and the completeness profile it is",
        "judged against when `validation.profile` names none. The files below are those",
        "of an annual report.",
        "",
        "| kind | what it is | dated | data files | profile |",
        "|---|---|---|---|---|",
    ]
    for name in kind_names():
        kind = kind_named(name)
        assert kind is not None
        files = ", ".join(f"`{d.file}`" for d in kind.accepted()) or "none"
        default = " (default)" if name == DEFAULT_KIND else ""
        out.append(
            f"| `{name}`{default} | {kind.summary} | {kind.period_rule.name} | {files} "
            f"| `{kind.profile}` |"
        )
    return [*out, ""]


def project_format_markdown() -> str:
    """The whole reference, as Markdown."""
    out = [
        "# Project format reference",
        "",
        "Generated from the schemas in `reportgen/model/` by `make docs`; do not edit by hand.",
        "Every file is strict: a key that is not listed here is an error.",
        "",
        "Types: *money* accepts `5000`, `5000.50` or `£5,000`; *count* is a whole number",
        "(`1,286` allowed); *percent* is 0-100 (`45%` allowed); *year label* is `2024/25`;",
        "*id* is lower-case letters, digits, `-` and `_`; dates are `YYYY-MM-DD`.",
        "",
    ]
    out += _kinds_section()
    out += _model_section(f"`{CONFIG_FILE}`", ReportConfig, "The report's configuration.")
    for rel, model in annual_report_files().values():
        out += _model_section(f"`{rel}`", model, (model.__doc__ or "").strip())
    for rel, model, how in CSV_TABLES:
        out += [
            f"## `{rel}`",
            "",
            f"A CSV table ({how}): one row per record, header row first.",
            "",
        ]
        out += [*_field_table(model), ""]
    out += [
        "## `data/tables/*.csv`",
        "",
        "Generic tables named in `data/tables.yaml`: the first column labels the rows, every",
        "other column holds whole numbers. A column or row headed `Total` is checked against",
        "the sum of the others and then shown as computed.",
        "",
    ]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(project_format_markdown())
