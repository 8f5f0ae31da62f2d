"""JSON Schemas of report.yaml and every YAML data file, for editors.

Generated from the same Pydantic models `reportgen validate` uses, so an editor with
the YAML language server (VS Code's "YAML" extension, Neovim, JetBrains IDEs) offers
completion and descriptions for every field and underlines a mistake as it is typed.

The schemas describe what reportgen *accepts*, as the editor sees YAML: an amount may
be `5000` (a number to the editor) or `£5,000` (text), a count `1,286`, a percentage
`45%`; a text field may look like a number. They are a first line of help; the
checks that need the whole project (totals, cross-references) stay in `validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from reportgen import __version__
from reportgen.kinds import DocumentKind, default_kind, kind_named
from reportgen.layout import CONFIG_FILE

MODELINE_PREFIX = "# yaml-language-server: $schema="
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# As `reportgen.model.common._clean_number` accepts them: thousands separators in
# the right places, optional decimals.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
MONEY_TEXT = rf"^\s*[+-]?£?\s*{_DIGITS}(?:\.\d{{1,2}})?\s*$"
COUNT_TEXT = rf"^\s*\+?{_DIGITS}(?:\.0+)?\s*$"
NUMBER_TEXT = rf"^\s*[+-]?(?:{_DIGITS}(?:\.\d+)?|\.\d+)\s*%?\s*$"
BOOL_WORDS = [
    word
    for base in ("true", "false", "yes", "no", "on", "off", "y", "n", "t", "f")
    for word in (base, base.capitalize(), base.upper())
]


# Our field types, known by the name of the validator that parses them.
_BY_VALIDATOR: dict[str, Callable[[], JsonSchemaValue]] = {
    "_to_money": lambda: {
        "anyOf": [{"type": "number"}, {"type": "string", "pattern": MONEY_TEXT}],
    },
    "_to_count": lambda: {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": COUNT_TEXT},
        ],
    },
    "_to_decimal": lambda: {
        "anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMBER_TEXT}],
    },
    "_to_percent": lambda: {
        "anyOf": [
            {"type": "number", "minimum": 0, "maximum": 100},
            {"type": "string", "pattern": NUMBER_TEXT},
        ],
    },
    "_check_slug": lambda: {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
    "_check_period": lambda: {"type": "string", "pattern": r"^\d{4}/\d{2}$"},
}

# Shorthands a model accepts before validation (a `mode="before"` validator), which
# a schema generated from the fields alone would reject: (model, field) -> extra form.
_SHORTHANDS: dict[tuple[str, str], Callable[[], JsonSchemaValue]] = {
    # indicators.yaml: `london: 4.9` means `london: {value: 4.9}`.
    ("Indicator", "comparators"): _BY_VALIDATOR["_to_decimal"],
}


def _validator_name(schema: Any) -> str:
    function = schema.get("function", {}).get("function")
    return str(getattr(function, "__name__", ""))


class EditorSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, with reportgen's own value types as YAML editors see them."""

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        make = _BY_VALIDATOR.get(_validator_name(schema))
        return make() if make else super().function_before_schema(schema)

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        make = _BY_VALIDATOR.get(_validator_name(schema))
        return make() if make else super().function_after_schema(schema)

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        # reportgen reads every YAML scalar as text, so `title: 2024` is fine there;
        # the editor must not call it a mistake.
        base = super().str_schema(schema)
        if "pattern" in base or "enum" in base:
            return base
        base["type"] = ["string", "number", "boolean"]
        return base

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": BOOL_WORDS}]}


def _add_shorthands(document: JsonSchemaValue) -> None:
    definitions = document.get("$defs", {})
    for (model, field), make in _SHORTHANDS.items():
        prop = definitions.get(model, {}).get("properties", {}).get(field) or {}
        values = [prop.get("additionalProperties"), *prop.get("patternProperties", {}).values()]
        for value in values:
            if isinstance(value, dict) and "$ref" in value:
                value["anyOf"] = [{"$ref": value.pop("$ref")}, make()]


def schema_for(model: type[BaseModel], file: str) -> JsonSchemaValue:
    """The JSON Schema of one file."""
    document = model.model_json_schema(schema_generator=EditorSchema)
    _add_shorthands(document)
    return {
        "$schema": DRAFT,
        "$comment": f"{file}: generated by reportgen {__version__} (`reportgen schema`); "
        "do not edit, run it again after upgrading reportgen.",
        **document,
    }


def schema_names(kind: DocumentKind | None = None) -> dict[str, str]:
    """{project file: the name of its schema file}, e.g. data/budget.yaml: budget.schema.json.

    The files of `kind` (an annual report's when None): each kind has its own report.yaml
    and data files (`reportgen.kinds`).
    """
    kind = kind or default_kind()
    names = {CONFIG_FILE: "report.schema.json"}
    names.update({d.file: f"{d.name}.schema.json" for d in kind.accepted()})
    return names


def schema_files(kind: DocumentKind | None = None) -> dict[str, tuple[str, JsonSchemaValue]]:
    """{schema file name: (the project file it describes, its schema)}."""
    kind = kind or default_kind()
    models: dict[str, type[BaseModel]] = {CONFIG_FILE: kind.config_schema}
    models.update({d.file: d.schema for d in kind.accepted()})
    return {name: (rel, schema_for(models[rel], rel)) for rel, name in schema_names(kind).items()}


def project_kind(root: Path) -> DocumentKind:
    """The kind `kind:` in the project's report.yaml names (an annual report when it names
    none, or none reportgen knows: `validate` reports that)."""
    from reportgen.load.yaml_source import load_yaml

    path = root / CONFIG_FILE
    doc = load_yaml(path, CONFIG_FILE)[0] if path.is_file() else None
    name = doc.data.get("kind") if doc is not None and isinstance(doc.data, dict) else None
    return (kind_named(name) if isinstance(name, str) else None) or default_kind()


def modeline(
    project_file: str, schema_dir: str = "schemas", kind: DocumentKind | None = None
) -> str:
    """The first-line comment that points the YAML language server at the schema.

    `schema_dir` is relative to the project folder; the path written is relative to
    the file, as the language server expects.
    """
    depth = len(Path(project_file).parent.parts)
    name = schema_names(kind)[project_file]
    return f"{MODELINE_PREFIX}{'../' * depth}{schema_dir}/{name}"


def write_schemas(out: Path, kind: DocumentKind | None = None) -> list[Path]:
    """Write the schema of every file of `kind` into `out`; return the files written."""
    from reportgen.write import write_atomic

    written = []
    for name, (_rel, document) in schema_files(kind).items():
        path = out / name
        write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
        written.append(path)
    return written


def add_modelines(
    root: Path, schema_dir: str = "schemas", kind: DocumentKind | None = None
) -> list[Path]:
    """Point each of the project's YAML files at its schema (first line); return those changed."""
    from reportgen.write import write_atomic

    changed = []
    for rel in schema_names(kind):
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        if text.startswith(MODELINE_PREFIX) or f"\n{MODELINE_PREFIX}" in text:
            continue
        write_atomic(path, (modeline(rel, schema_dir, kind) + "\n" + text).encode("utf-8"))
        changed.append(path)
    return changed
