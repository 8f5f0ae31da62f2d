"""The catalogue of diagnostic codes cannot drift from the code that emits them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.catalogue import CATALOGUE, FAMILIES, explain, validation_markdown
from reportgen.cli import app
from reportgen.diagnostics import Severity
from tests.conftest import REPO

PACKAGE = REPO / "reportgen"
EMITTERS = {"error", "warning", "info"}  # DiagnosticList methods


def _module_constants(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


CODE = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")


def _codes_of(arg: ast.expr, constants: dict[str, str]) -> list[str]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value] if CODE.match(arg.value) else []
    if isinstance(arg, ast.Name) and arg.id in constants:
        return _codes_of(ast.Constant(constants[arg.id]), constants)
    if isinstance(arg, ast.IfExp):  # "a.b" if ... else "a.c"
        return _codes_of(arg.body, constants) + _codes_of(arg.orelse, constants)
    return []


def emitted_codes() -> dict[str, list[str]]:
    """Every code reportgen can emit, with where.

    The first argument of diags.error/warning/info and Diagnostic(...) (any family), and
    any argument of any call that is a code of a known family (e.g. an exception that
    carries a code to be turned into a diagnostic later).
    """
    codes: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "catalogue.py":
            continue  # the catalogue names every code; emitting is what counts
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            emits = (isinstance(func, ast.Attribute) and func.attr in EMITTERS) or (
                isinstance(func, ast.Name) and func.id == "Diagnostic"
            )
            found = _codes_of(node.args[0], constants) if emits and node.args else []
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                found += [c for c in _codes_of(arg, constants) if c.split(".")[0] in FAMILIES]
            for code in dict.fromkeys(found):
                codes.setdefault(code, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    return codes


def test_every_emitted_code_is_catalogued() -> None:
    missing = {code: where for code, where in emitted_codes().items() if code not in CATALOGUE}
    assert not missing, f"add these codes to reportgen/catalogue.py: {missing}"


def test_every_catalogued_code_is_emitted() -> None:
    emitted = emitted_codes()
    stale = sorted(code for code in CATALOGUE if code not in emitted)
    assert not stale, f"catalogued but never emitted (remove or emit them): {stale}"


def test_codes_are_dotted_and_in_a_known_family() -> None:
    for code, entry in CATALOGUE.items():
        family, _, name = code.partition(".")
        assert family in FAMILIES, code
        assert name and name == name.lower() and " " not in name, code
        assert entry.title and entry.explanation, code


def test_disclosure_codes_are_errors() -> None:
    for code, entry in CATALOGUE.items():
        if code.startswith("disclosure."):
            assert entry.severity is Severity.ERROR, code
            assert not entry.lowerable


def test_validation_doc_is_current() -> None:
    committed = (REPO / "reportgen" / "docs" / "validation.md").read_text(encoding="utf-8")
    assert committed == validation_markdown(), (
        "run `python -m reportgen.catalogue > reportgen/docs/validation.md` and commit the result"
    )


def test_every_code_is_documented() -> None:
    doc = (REPO / "reportgen" / "docs" / "validation.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"`{code}`" in doc, code


def test_readme_links_the_validation_doc() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "reportgen/docs/validation.md" in readme


runner = CliRunner()


def test_explain_prints_the_entry() -> None:
    result = runner.invoke(app, ["explain", "data.total-mismatch"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "data.total-mismatch (error): A typed total is not the sum of its parts"
    )
    assert result.output.strip() == explain("data.total-mismatch").strip()


def test_explain_a_warning_says_how_to_raise_it() -> None:
    text = explain("content.placeholder")
    assert "validation: severity: {content.placeholder: error}" in text


def test_explain_without_code_lists_every_code() -> None:
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(CATALOGUE)
    assert any(line.startswith("disclosure.count-in-text") for line in lines)


@pytest.mark.parametrize("written", ["data.total-mismatc", "nothing.like-it"])
def test_explain_unknown_code_is_a_usage_error(written: str) -> None:
    result = runner.invoke(app, ["explain", written])
    assert result.exit_code == 2
    assert f"unknown code '{written}'" in result.output
    if written.startswith("data"):
        assert "did you mean 'data.total-mismatch'?" in result.output


def test_package_data_includes_the_profiles() -> None:
    assert (PACKAGE / "profiles" / "wt2023.yaml").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"profiles/*"' in pyproject


def test_no_module_path_is_missed() -> None:
    # The scan must see the modules that emit most codes, or it proves nothing.
    emitted = emitted_codes()
    assert "data.total-mismatch" in emitted
    assert any(w.startswith("reportgen/checks/hygiene.py") for w in emitted["content.placeholder"])
    assert {Path(w.split(":")[0]).name for w in emitted["yaml.syntax"]} >= {"yaml_advice.py"}
