"""The command line's conventions: what goes to stdout and stderr, exit codes, the JSON
output and its schema, -h, switches, -q/-v, serve --host, the progress display."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from rich.console import Console
from typer.testing import CliRunner

from reportgen import cli, pipeline
from reportgen.cli import app, building
from reportgen.cli.display import _ProgressDisplay
from reportgen.progress import ProgressEvent
from reportgen.serve import is_loopback
from reportgen.validation_report import SCHEMA_VERSION, output_schema
from tests.conftest import ProjectWriter

runner = CliRunner()
COMMANDS = ["validate", "build", "explain", "serve", "init", "schema"]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded = json.loads(output_schema())
    jsonschema.Draft202012Validator.check_schema(loaded)
    assert isinstance(loaded, dict)
    return loaded


def conforms(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    jsonschema.Draft202012Validator(schema).validate(document)
    return document


def broken(files: dict[str, str]) -> dict[str, str]:
    files = dict(files)
    files["content/budget.md"] += "\n{{ table budget.incme }}\n"
    return files


# --- JSON output and its schema ---------------------------------------------------------


def test_validate_json_has_an_envelope_and_matches_the_schema(
    write_project: ProjectWriter, minimal_files: dict[str, str], schema: dict[str, Any]
) -> None:
    clean = runner.invoke(app, ["validate", str(write_project(minimal_files)), "-f", "json"])
    assert clean.exit_code == 0
    document = conforms(json.loads(clean.stdout), schema)
    assert document["schema_version"] == SCHEMA_VERSION
    assert (document["command"], document["valid"]) == ("validate", True)

    bad = runner.invoke(app, ["validate", str(write_project(broken(minimal_files))), "-f", "json"])
    assert bad.exit_code == 1
    assert conforms(json.loads(bad.stdout), schema)["valid"] is False


def test_strict_json_is_not_valid_with_warnings(
    write_project: ProjectWriter, minimal_files: dict[str, str], schema: dict[str, Any]
) -> None:
    root = write_project(minimal_files)  # one warning: spending more than income
    plain = json.loads(runner.invoke(app, ["validate", str(root), "-f", "json"]).stdout)
    assert plain["summary"]["warnings"] and plain["valid"] is True
    strict = runner.invoke(app, ["validate", str(root), "-f", "json", "--strict"])
    assert strict.exit_code == 1
    assert conforms(json.loads(strict.stdout), schema)["valid"] is False


def test_a_project_that_cannot_load_still_gives_the_documented_shape(
    tmp_path: Path, schema: dict[str, Any]
) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    document = conforms(json.loads(result.stdout), schema)
    assert document["valid"] is False
    assert document["diagnostics"][0]["code"] == "config.not-found"


def test_build_json_lists_the_outputs_with_size_and_hash(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    schema: dict[str, Any],
    tmp_path: Path,
) -> None:
    root = write_project(minimal_files)
    out = tmp_path / "out"
    args = ["build", str(root), "--html-only", "--out", str(out), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = conforms(json.loads(result.stdout), schema)  # stdout is the JSON alone
    assert (document["command"], document["valid"], document["up_to_date"]) == (
        "build",
        True,
        False,
    )
    page, *export = document["outputs"]
    # The data export is listed file by file, each with its own size and hash.
    assert {o["kind"] for o in export} == {"data"}
    assert {Path(o["path"]).name for o in export} >= {"budget.csv", "datapackage.json"}
    for record in export:
        blob = Path(record["path"]).read_bytes()
        assert record["bytes"] == len(blob)
        assert record["sha256"] == hashlib.sha256(blob).hexdigest()
    data = (out / "report.html").read_bytes()
    assert page == {
        "path": (out / "report.html").resolve().as_posix(),
        "kind": "html",
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    again = conforms(json.loads(runner.invoke(app, args).stdout), schema)
    assert again["up_to_date"] is True and again["outputs"] == [page, *export]


def test_build_json_with_errors_lists_no_outputs(
    write_project: ProjectWriter, minimal_files: dict[str, str], schema: dict[str, Any]
) -> None:
    root = write_project(broken(minimal_files))
    result = runner.invoke(app, ["build", str(root), "--html-only", "--format", "json"])
    assert result.exit_code == 1
    document = conforms(json.loads(result.stdout), schema)
    assert (document["valid"], document["outputs"]) == (False, [])


def test_build_json_of_many_projects_matches_the_schema(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    schema: dict[str, Any],
    tmp_path: Path,
) -> None:
    good = shutil.copytree(write_project(minimal_files), tmp_path / "good")
    bad = shutil.copytree(write_project(broken(minimal_files)), tmp_path / "bad")
    result = runner.invoke(
        app, ["build", str(good), str(bad), "--html-only", "-j", "1", "--format", "json"]
    )
    assert result.exit_code == 1
    document = conforms(json.loads(result.stdout), schema)
    assert (document["command"], document["valid"]) == ("build", False)
    first, second = document["projects"]
    assert (first["valid"], second["valid"]) == (True, False)
    assert first["outputs"][0]["kind"] == "html"
    assert {o["kind"] for o in first["outputs"][1:]} == {"data"}
    assert second["outputs"] == []


def test_the_schema_is_printed_by_a_command_and_documented() -> None:
    result = runner.invoke(app, ["schema", "--json-output"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(output_schema())
    doc = (Path(__file__).parent.parent / "reportgen" / "docs" / "json-output.md").read_text(
        encoding="utf-8"
    )
    for needle in ("schema_version", "valid", "sha256", "reportgen schema --json-output"):
        assert needle in doc


def test_the_schema_refuses_a_document_without_the_envelope(schema: dict[str, Any]) -> None:
    document: dict[str, Any] = {
        "diagnostics": [],
        "summary": {"errors": 0, "warnings": 0, "infos": 0},
    }
    with pytest.raises(jsonschema.ValidationError):
        conforms({**document, "summary": {**document["summary"], "by_file": {}, "by_code": {}}},
                 schema)  # fmt: skip


# --- stdout for results, stderr for progress and logs ----------------------------------


def test_results_go_to_stdout(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    root = write_project(broken(minimal_files))
    result = runner.invoke(app, ["validate", str(root)])
    assert "error[content.unknown-block]" in result.stdout
    assert "Summary by code:" in result.stdout
    assert "1 error(s)" in result.stdout
    assert result.stderr == ""
    good = write_project(minimal_files)
    built = runner.invoke(app, ["build", str(good), "--html-only", "--out", str(tmp_path / "o")])
    assert built.exit_code == 0
    assert "wrote " in built.stderr and "wrote " not in built.stdout
    valid = runner.invoke(app, ["validate", str(good)])
    assert "report is valid" in valid.stdout


def test_github_annotations_go_to_stdout(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = runner.invoke(app, ["validate", str(write_project(broken(minimal_files))), "-f",
                                 "github"])  # fmt: skip
    assert result.stdout.startswith("::error file=")
    assert "::error" not in result.stderr


def test_quiet_prints_only_the_problems(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    bad = runner.invoke(app, ["validate", str(write_project(broken(minimal_files))), "-q"])
    assert bad.exit_code == 1
    assert "error[content.unknown-block]" in bad.stdout
    assert "Summary" not in bad.stdout and "Completeness" not in bad.stdout
    good = runner.invoke(app, ["validate", str(write_project(minimal_files)), "-q"])
    assert good.exit_code == 0
    assert "warning[data.overspend-unexplained]" in good.stdout  # its one warning
    assert "report is valid" not in good.stdout and "Summary" not in good.stdout
    assert good.stderr == ""


def test_verbose_logs_to_stderr(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = pipeline.validate

    def logging_validate(root: Path) -> pipeline.ValidationResult:
        logging.getLogger("reportgen.pipeline").info("checked the report")
        return original(root)

    monkeypatch.setattr(pipeline, "validate", logging_validate)
    root = str(write_project(minimal_files))
    loud = runner.invoke(app, ["validate", root, "-v"])
    assert "info: checked the report" in loud.stderr
    assert "checked the report" not in loud.stdout
    assert "checked the report" not in runner.invoke(app, ["validate", root]).output


# --- exit codes ---------------------------------------------------------------------------


def test_usage_errors_exit_2(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    root = str(write_project(minimal_files))
    assert runner.invoke(app, ["validate", root, "--no-such-option"]).exit_code == 2
    assert runner.invoke(app, ["validate", root, "--format", "yaml"]).exit_code == 2
    assert runner.invoke(app, ["validate", root, "-q", "-v"]).exit_code == 2
    assert runner.invoke(app, ["explain", "data.no-such-code"]).exit_code == 2


def test_a_bug_outside_a_command_guard_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportgen import scaffold

    def boom(*args: object, **kwargs: object) -> list[Path]:
        raise RuntimeError("secret child data")

    monkeypatch.setattr(scaffold, "create_project", boom)
    argv = ["reportgen", "init", str(tmp_path / "p"), "--partnership", "Riverside"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error in reportgen (RuntimeError)" in err
    assert "secret child data" not in err


@pytest.mark.parametrize("word", ["true", "False", "yes"])
def test_a_value_after_a_switch_is_not_a_folder(
    word: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["validate", "--strict", word], ["build", "--html-only", word]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "take no value" in result.output
        assert "config.not-found" not in result.output


def test_exit_codes_are_in_the_help_and_the_readme() -> None:
    for args in (["-h"], ["validate", "-h"], ["build", "--help"]):
        text = runner.invoke(app, args).stdout
        assert "3    a bug in reportgen" in text and "2    the command was typed wrong" in text
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "**2** the command was typed wrong" in readme
    assert "**3** an internal error" in readme


# --- help and switches -------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_h_q_v_and_no_bool_placeholders(command: str) -> None:
    short, long = runner.invoke(app, [command, "-h"]), runner.invoke(app, [command, "--help"])
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout
    assert "<bool>" not in short.stdout
    assert "-q, --quiet" in short.stdout and "-v, --verbose" in short.stdout


# --- serve --host and the progress display --------------------------------------------


class _RefusingServer:
    """Stands in for PreviewServer: records the address and refuses to listen."""

    hosts: ClassVar[list[str]] = []

    def __init__(self, root: Path, *, host: str, **kwargs: object) -> None:
        self.hosts.append(host)
        raise OSError(98, "Address already in use")


def test_serve_listens_on_loopback_unless_told_and_warns_beyond(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reportgen import serve

    monkeypatch.setattr(serve, "PreviewServer", _RefusingServer)
    local = runner.invoke(app, ["serve", str(tmp_path)])
    assert local.exit_code == 1 and _RefusingServer.hosts[-1] == "127.0.0.1"
    assert "cannot listen on 127.0.0.1:8000" in local.stderr
    assert "warning" not in local.stderr
    wide = runner.invoke(app, ["serve", str(tmp_path), "--host", "0.0.0.0"])
    assert _RefusingServer.hosts[-1] == "0.0.0.0"
    assert "warning: listening on 0.0.0.0: anyone who can reach this computer" in wide.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.4", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_one_progress_display_whose_clock_does_not_restart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    # The display reads the time module's clock (reportgen/cli/display.py).
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    screen = io.StringIO()
    display = _ProgressDisplay(console=Console(file=screen, force_terminal=True, width=100))
    display(ProgressEvent("charts", 1, "Contacts by source"))
    now[0] = 103.0
    display(ProgressEvent("pdf", 0, "starting"))
    now[0] = 107.5
    display(ProgressEvent("pdf", 5, "creating layout - page 3"))
    display._progress.refresh()  # type: ignore[union-attr]
    display(ProgressEvent("pdf", 6, "done", finished=True))  # the build is not over yet
    assert display._progress is not None
    display.close()
    text = screen.getvalue()
    assert "drawing chart 1: Contacts by source" in text
    assert "making the PDF: creating layout - page 3" in text
    assert "7.5 s" in text  # since the build began, not since the PDF began (4.5 s)
    assert "4.5 s" not in text


def test_many_projects_show_one_display_counting_them(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    shown: list[_ProgressDisplay] = []

    def display(quiet: bool, total: int | None = None) -> _ProgressDisplay:
        shown.append(_ProgressDisplay(total, console=console))
        return shown[-1]

    monkeypatch.setattr(building, "_progress_line", display)
    first = shutil.copytree(write_project(minimal_files), tmp_path / "first")
    second = shutil.copytree(first, tmp_path / "second")
    result = runner.invoke(app, ["build", str(first), str(second), "--html-only", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert len(shown) == 1 and shown[0].total == 2
    text = screen.getvalue()
    assert "building 2 projects" in text and "built 2 of 2 projects" in text
    assert "built 2 of 2" not in result.stdout  # the display is not a result
