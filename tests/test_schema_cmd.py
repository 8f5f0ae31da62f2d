"""`reportgen schema`: JSON Schemas that accept what reportgen accepts and catch mistakes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.jsonschema import (
    MODELINE_PREFIX,
    modeline,
    project_kind,
    schema_files,
    schema_names,
)
from reportgen.kinds import DocumentKind
from reportgen.pipeline import validate
from reportgen.project import annual_report_files
from tests.conftest import REPO, ProjectWriter

runner = CliRunner()


class Yaml12(yaml.SafeLoader):
    """YAML as the YAML language server reads it (1.2 core schema): dates and yes/no
    stay text; only true/false are booleans."""


Yaml12.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def editor_errors(rel: str, text: str, kind: DocumentKind | None = None) -> list[str]:
    """What an editor using the schema would underline in `text` (a file named `rel`)."""
    name = schema_names(kind)[rel]
    document = schema_files(kind)[name][1]
    data: Any = yaml.load(text, Loader=Yaml12)  # a SafeLoader subclass
    validator = jsonschema.Draft202012Validator(document)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_command_writes_one_valid_schema_per_yaml_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", str(REPO), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        ["report.schema.json", *(f"{n}.schema.json" for n in annual_report_files())]
    )
    for path in tmp_path.iterdir():
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(document)
        assert document["additionalProperties"] is False  # unknown keys are mistakes


# Every YAML file of the examples of the other kinds, checked against the schemas of
# its project's kind (the annual report's files: the test below).
EXAMPLE_FILES = [
    (root.relative_to(REPO).as_posix() or ".", rel)
    for root in [REPO / "examples" / "arrangements", REPO / "examples" / "business-plan"]
    for rel in schema_names(project_kind(root))
    if (root / rel).is_file()
]


@pytest.mark.parametrize(("project", "rel"), EXAMPLE_FILES)
def test_other_kinds_examples_have_no_editor_errors(project: str, rel: str) -> None:
    root = REPO / project
    text = (root / rel).read_text(encoding="utf-8")
    assert editor_errors(rel, text, project_kind(root)) == []


@pytest.mark.parametrize("rel", list(schema_names()))
def test_example_project_has_no_editor_errors(rel: str) -> None:
    # A file the example does not have (a dataset its seed lacks) has a fixture project.
    roots = [REPO, *sorted((REPO / "tests" / "projects").iterdir())]
    path = next((root / rel for root in roots if (root / rel).is_file()), None)
    assert path is not None, f"neither the example nor a fixture project has {rel}"
    assert editor_errors(rel, path.read_text(encoding="utf-8")) == []


def test_values_reportgen_accepts_are_not_underlined() -> None:
    text = (REPO / "data/budget.yaml").read_text(encoding="utf-8")
    text = text.replace("amount: 50000", "amount: £50,000").replace(
        "amount: 5000\n", "amount: 5,000.50\n"
    )
    assert editor_errors("data/budget.yaml", text) == []
    indicators = """\
groups:
  - {id: a, title: A}
indicators:
  - id: x
    label: X
    group: a
    unit: percent
    value: 45%
    comparators:
      england: 4.9
      london: {value: '5,001', period: 2023/24}
"""
    assert editor_errors("data/indicators.yaml", indicators) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      amount: 50000", "      amont: 50000", "Additional properties"),
        ("      amount: 50000", "      amount: fifty thousand", "amount"),
        ("year: 2024/25", "year: 2024-25", "year"),
        ("      partner: icb", "      partner: [icb]", "partner"),
    ],
)
def test_mistakes_are_underlined(old: str, new: str, expected: str) -> None:
    text = (REPO / "data/budget.yaml").read_text(encoding="utf-8")
    assert old in text
    errors = editor_errors("data/budget.yaml", text.replace(old, new, 1))
    assert errors, "the editor saw no mistake"
    assert any(expected in e for e in errors), errors


def test_modelines_point_each_file_at_its_schema(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    result = runner.invoke(app, ["schema", str(root), "--modelines"])
    assert result.exit_code == 0, result.output
    budget = (root / "data/budget.yaml").read_text(encoding="utf-8")
    assert budget.startswith(modeline("data/budget.yaml") + "\n")
    assert modeline("data/budget.yaml") == f"{MODELINE_PREFIX}../schemas/budget.schema.json"
    assert (root / "schemas/budget.schema.json").is_file()
    assert (root / "report.yaml").read_text().startswith(f"{MODELINE_PREFIX}schemas/report")
    # Running it again adds nothing, and the project is still valid.
    again = runner.invoke(app, ["schema", str(root), "--modelines"])
    assert again.exit_code == 0
    assert (root / "data/budget.yaml").read_text(encoding="utf-8") == budget
    assert not validate(root).diagnostics.has_errors()


def test_modelines_need_the_schemas_inside_the_project(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    root = write_project(minimal_files)
    result = runner.invoke(app, ["schema", str(root), "--out", str(tmp_path / "x"), "--modelines"])
    assert result.exit_code == 2
    assert "--out" in result.output
    assert not (tmp_path / "x").exists()


def test_authoring_guide_explains_the_editor_setup() -> None:
    guide = (REPO / "reportgen/docs/authoring.md").read_text(encoding="utf-8")
    for needle in ("reportgen schema", "yaml-language-server", "yaml.schemas", "--modelines"):
        assert needle in guide


def test_authoring_guide_covers_every_authoring_command_and_option() -> None:
    import typer.main

    guide = (REPO / "reportgen/docs/authoring.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name in ("init", "serve", "schema", "build"):
        assert f"reportgen {name}" in guide, name
        command = group.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option not in ("--format", "--strict", "--debug"):
                    assert option in guide, f"{name} {option} is not in reportgen/docs/authoring.md"
