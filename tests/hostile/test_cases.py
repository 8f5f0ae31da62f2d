"""Every broken or hostile fixture project gives exactly its expected errors.

Each case runs through the library (`pipeline.validate` or `pipeline.build`) and
through the command line: no traceback, exit code 1, the same errors as the library.
A build that fails writes nothing. Only errors are compared, and only those the base
project does not give itself (its warnings about completeness, say), so a new check
elsewhere does not make these cases drift.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.diagnostics import Diagnostic, ReportgenError, Severity
from reportgen.pipeline import build, validate
from tests.hostile.fixtures import BASE, Case, load_cases

CASES = load_cases()


def _all(case: Case, root: Path) -> list[Diagnostic]:
    try:
        if case.command == "validate":
            return list(validate(root).diagnostics)
        result = build(root, pdf=case.command == "build-pdf")
        return list(result.diagnostics)
    except ReportgenError as exc:
        return list(exc.diagnostics)


@functools.cache
def _base_keys() -> frozenset[tuple[str, str | None, int | None]]:
    return frozenset(_key(d) for d in validate(BASE).diagnostics)


def _run(case: Case, root: Path) -> list[Diagnostic]:
    """The errors of a case that the base project does not have."""
    return [
        d for d in _all(case, root) if d.severity is Severity.ERROR and _key(d) not in _base_keys()
    ]


def _key(d: Diagnostic) -> tuple[str, str | None, int | None]:
    loc = d.location
    return (d.code, loc.path if loc else None, loc.line if loc else None)


def _expected_key(e: dict[str, Any]) -> tuple[str, str | None, int | None]:
    return (e["code"], e.get("path"), e.get("line"))


def test_base_project_is_valid_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "base"
    shutil.copytree(BASE, root)
    assert not validate(root).diagnostics.has_errors()
    result = build(root, pdf=False)
    assert [p.name for p in result.outputs] == ["report.html", "data"]  # data: the export


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_its_expected_diagnostics(case: Case, tmp_path: Path) -> None:
    root = case.materialise(tmp_path)
    found = _run(case, root)
    assert sorted(map(_key, found), key=str) == sorted(map(_expected_key, case.expect), key=str), (
        case.about + "\n" + "\n".join(d.format_text() for d in found)
    )
    for expected in case.expect:
        if "message" in expected:
            match = [d for d in found if _key(d) == _expected_key(expected)]
            assert any(expected["message"] in d.message for d in match), (
                expected,
                [d.message for d in match],
            )
        if "hint" in expected:
            match = [d for d in found if _key(d) == _expected_key(expected)]
            assert any(expected["hint"] in (d.hint or "") for d in match)
    for d in found:
        assert d.message and d.location is not None
    if case.command != "validate" and case.expect:
        assert not (root / "build").exists(), "a failed build wrote outputs"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_on_the_command_line(case: Case, tmp_path: Path) -> None:
    root = case.materialise(tmp_path)
    command = "validate" if case.command == "validate" else "build"
    args = [command, str(root), "--format", "json"]
    if case.command == "build":
        args.append("--html-only")
    done = CliRunner().invoke(app, args)
    assert done.exit_code == (1 if case.expect else 0), done.output
    assert "Traceback" not in done.output
    assert "internal error" not in done.output
    document = json.loads(done.stdout)
    keys = sorted(
        (
            (d["code"], d["location"]["path"], d["location"]["line"])
            for d in document["diagnostics"]
            if d["severity"] == "error"
        ),
        key=str,
    )
    keys = [k for k in keys if k not in _base_keys()]
    assert keys == sorted(map(_expected_key, case.expect), key=str)
