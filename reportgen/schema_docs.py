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

from reportgen.kinds import DocumentKind, kind_named, kind_names
from reportgen.layout import CONFIG_FILE
from reportgen.model.config import DEFAULT_KIND, DocumentConfig, ReportConfig
from reportgen.model.training import Course, ElearningModule, OrganisationAttendance

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
            return {
                "period": "year label",
                "slug": "id",
                "decimal": "number",
                "money_or_misprint": "money or Misprint",
            }.get(word, word)
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


def _field_table(model: type[BaseModel], leave_out: type[BaseModel] | None = None) -> list[str]:
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, f in model.model_fields.items():
        if leave_out is not None and name in leave_out.model_fields:
            continue
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


def _kinds() -> list[DocumentKind]:
    found = [kind_named(name) for name in kind_names()]
    return [k for k in found if k is not None]


def _kinds_section() -> list[str]:
    """The kinds of document `kind:` may name, from their declarations."""
    out = [
        "## Kinds of document",
        "",
        f"`kind:` in `{CONFIG_FILE}` says what the project is; it decides the data files the",
        "project may have, how the document is dated and the completeness profile it is",
        "judged against when `validation.profile` names none. Each data file below says",
        "which kinds read it.",
        "",
        "| kind | what it is | dated | data files | profile |",
        "|---|---|---|---|---|",
    ]
    for kind in _kinds():
        name = kind.name
        files = ", ".join(f"`{d.file}`" for d in kind.accepted()) or "none"
        default = " (default)" if name == DEFAULT_KIND else ""
        out.append(
            f"| `{name}`{default} | {kind.summary} | {kind.period_rule.name} | {files} "
            f"| `{kind.profile}` |"
        )
    return [*out, ""]


def _without(section: list[str], models: set[type[BaseModel]]) -> list[str]:
    """`section` without the `### Model` blocks of `models`."""
    names = {f"### {m.__name__}" for m in models}
    out: list[str] = []
    skipping = False
    for line in section:
        if line.startswith("### ") or line.startswith("## "):
            skipping = line in names
        if not skipping:
            out.append(line)
    return out


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
    out += _model_section(
        f"`{CONFIG_FILE}`", ReportConfig, "The report's configuration (an annual report)."
    )
    for kind in _kinds():
        if kind.config_schema in (ReportConfig, DocumentConfig):
            continue
        out += [
            f"## `{CONFIG_FILE}` of `kind: {kind.name}`",
            "",
            f"The fields of `{CONFIG_FILE}` above, without the annual report's `period`; "
            "and these:",
            "",
            *_field_table(kind.config_schema, leave_out=DocumentConfig),
            "",
        ]
        for nested in nested_models(kind.config_schema):
            if nested in nested_models(DocumentConfig):
                continue
            doc = (nested.__doc__ or "").strip().splitlines()[0]
            out += [f"### {nested.__name__}", "", doc, "", *_field_table(nested), ""]
    readers: dict[str, list[str]] = {}
    schemas: dict[str, type[BaseModel]] = {}
    for kind in _kinds():
        for declared in kind.accepted():
            readers.setdefault(declared.file, []).append(kind.name)
            schemas.setdefault(declared.file, declared.schema)
    shown: set[type[BaseModel]] = set()
    for rel, model in schemas.items():
        intro = (model.__doc__ or "").strip()
        read_by = ", ".join(f"`{k}`" for k in readers[rel])
        section = _model_section(f"`{rel}`", model, f"{intro} Read by: {read_by}.")
        # A model already described (e.g. in-kind support, in budget.yaml) is not repeated.
        repeated = {m for m in nested_models(model) if m in shown}
        out += _without(section, repeated)
        shown |= {model, *nested_models(model)}
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
