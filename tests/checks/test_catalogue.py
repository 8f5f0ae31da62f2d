"""Each diagnostic code is declared once, beside its check; the catalogue reads them all."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import pytest
from typer.testing import CliRunner

import reportgen
from reportgen.catalogue import CATALOGUE, FAMILIES, explain, validation_markdown
from reportgen.checks import totals
from reportgen.cli import app
from reportgen.diagnostics import Code, Diagnostic, DiagnosticList, Severity
from reportgen.load import yaml_advice
from tests.conftest import REPO

PACKAGE = REPO / "reportgen"
# Rebuilding a diagnostic a build (or a validate) recorded earlier is not emitting a new one.
REBUILDS_DIAGNOSTICS = {"reportgen/diagnostics.py", "reportgen/cache.py", "reportgen/replay.py"}


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(REPO)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _declarations(tree: ast.Module) -> dict[str, ast.Call]:
    """NAME = Code("family.name", ...) at module level, by NAME."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "Code"
        ):
            found[node.targets[0].id] = node.value
    return found


def undeclared_emissions(path: str, source: str) -> list[str]:
    """Where `source` makes a diagnostic other than through a module-level `Code`."""
    tree = ast.parse(source)
    declared = {id(call) for call in _declarations(tree).values()}
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name == "Code" and id(node) not in declared:
            problems.append(f"{path}:{node.lineno}: Code(...) is not a module-level declaration")
        if name == "Diagnostic" and path not in REBUILDS_DIAGNOSTICS:
            problems.append(f"{path}:{node.lineno}: Diagnostic(...) names a code by hand")
        first = node.args[0] if node.args else None
        if (
            name in {"error", "warning", "info"}
            and isinstance(first, ast.Constant)
            and str(first.value).split(".")[0] in FAMILIES
        ):
            problems.append(f"{path}:{node.lineno}: {first.value!s} emitted by hand")
    codes = {id(call.args[0]) for call in _declarations(tree).values() if call.args}
    for node in ast.walk(tree):
        # A declared code typed again (to emit, compare or pass on) instead of its name.
        if isinstance(node, ast.Constant) and node.value in CATALOGUE and id(node) not in codes:
            problems.append(f"{path}:{node.lineno}: '{node.value}' typed instead of declared")
    return problems


def test_every_diagnostic_is_made_through_its_declaration() -> None:
    problems = [p for path, text in _sources().items() for p in undeclared_emissions(path, text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "snippet",
    [
        'diags.add(Diagnostic("data.made-up", "a problem"))',
        'diags.error("data.total-mismatch", "a problem")',
        'def check(diags):\n    diags.emit(Code("data.made-up", E, "t", "x"), "a problem")',
        'if d.code == "data.total-mismatch":\n    pass',
    ],
)
def test_a_code_emitted_without_a_declaration_fails(snippet: str) -> None:
    assert undeclared_emissions("reportgen/checks/example.py", snippet)


def test_a_list_of_diagnostics_takes_declared_codes_only() -> None:
    diags = DiagnosticList()
    assert not hasattr(diags, "error") and not hasattr(diags, "warning")
    diags.emit(totals.DATA_TOTAL_MISMATCH, "income total is typed as £2 but adds up to £1")
    assert [(d.code, d.severity) for d in diags] == [("data.total-mismatch", Severity.ERROR)]


def _package_modules() -> list[str]:
    names = [reportgen.__name__]
    for info in pkgutil.walk_packages(reportgen.__path__, prefix="reportgen."):
        if info.name != "reportgen.__main__":  # runs the CLI when imported
            names.append(info.name)
    return names


def test_the_catalogue_holds_every_declaration() -> None:
    # Imports every module, so a module that declares codes but is missing from
    # catalogue.DECLARING_MODULES (and so from explain and the docs) fails here.
    declared: dict[str, Code] = {}
    for name in _package_modules():
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Code):
                assert declared.setdefault(value.code, value) is value, f"{value.code} twice"
    assert declared.keys() == CATALOGUE.keys()
    assert all(CATALOGUE[code] is code_ for code, code_ in declared.items())


def test_every_declared_code_is_emitted() -> None:
    declared: dict[str, str] = {}
    used: set[str] = set()
    for path, text in _sources().items():
        tree = ast.parse(text)
        declared.update((name, path) for name in _declarations(tree))
        if path == "reportgen/catalogue.py":
            continue  # listing the declarations is not emitting them
        used |= {
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    stale = sorted(f"{name} ({path})" for name, path in declared.items() if name not in used)
    assert not stale, f"declared but never emitted (remove or emit them): {stale}"


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


def test_declarations_live_beside_their_checks() -> None:
    assert CATALOGUE["data.total-mismatch"] is totals.DATA_TOTAL_MISMATCH
    assert CATALOGUE["yaml.syntax"] is yaml_advice.YAML_SYNTAX
    assert isinstance(yaml_advice.YAML_SYNTAX.diagnostic("bad"), Diagnostic)
    assert len(CATALOGUE) > 100  # the catalogue reads every module, not a few
