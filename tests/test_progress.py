"""Start-up stays light, and progress is shown only to a person at a terminal."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.cli.display import _progress_line
from reportgen.progress import ProgressEvent, weasyprint_progress
from tests.conftest import REPO, ProjectWriter

HEAVY = ("matplotlib", "weasyprint")

PROBE = """
import sys
sys.argv = ["reportgen", *sys.argv[1:]]
from reportgen.cli import main
try:
    main()
except SystemExit:
    pass
watched = {"matplotlib", "weasyprint", "reportgen.checks", "reportgen.project",
           "reportgen.checks.completeness", "reportgen.model.profile", "reportgen.catalogue",
           "reportgen.model.common", "enchant", "pyphen", "jinja2", "markdown_it",
           "reportgen.model.arrangements", "reportgen.model.plan", "reportgen.hyphenation"}
loaded = sorted(w for w in watched if w in sys.modules)
sys.stdout.write("LOADED=" + ",".join(loaded) + "\\n")
"""


def _loaded_after(*args: str) -> set[str]:
    """Which of matplotlib, WeasyPrint, the checks, the models, the completeness profile,
    the catalogue of codes, the models' base, the dictionaries (Enchant, pyphen), Jinja and
    markdown-it a command imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("LOADED=")]
    assert line, done.stdout + done.stderr
    return set(filter(None, line[-1].removeprefix("LOADED=").split(",")))


def test_importing_the_cli_loads_neither_matplotlib_nor_weasyprint() -> None:
    code = f"import sys, reportgen.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_command_runs_the_garbage_collector_a_few_times_not_a_hundred() -> None:
    """The command line raises the collector's thresholds before its imports: a
    `validate` of the example collected 136 times (0.04-0.1 s) with the defaults."""
    code = (
        "import gc, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(1) if phase == 'start' else None)\n"
        "sys.argv = ['reportgen', 'validate', '-q', '.']\n"
        "from reportgen.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(len(runs), gc.get_threshold())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    runs, threshold = done.stdout.splitlines()[-1].split(" ", 1)  # after the problems
    assert threshold.strip() == "(100000, 50, 100)", done.stdout + done.stderr
    assert int(runs) <= 10, done.stdout


def test_a_worker_process_does_not_import_the_command_line() -> None:
    """Worker processes (charts, the PDF engine, `build A B`) import reportgen/__main__.py
    as __mp_main__: that must not start Typer and the commands."""
    code = (
        "import runpy, sys\n"
        "runpy.run_module('reportgen', run_name='__mp_main__')\n"
        "print(sorted(m for m in ('typer', 'reportgen.cli') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["validate", "."], ["build", "--help"]])
def test_help_and_validate_load_neither_matplotlib_nor_weasyprint(args: list[str]) -> None:
    assert _loaded_after(*args).isdisjoint(HEAVY)


def test_a_cold_validate_reads_the_hyphenation_dictionary_without_importing_pyphen() -> None:
    """pyphen lists its 70 dictionaries when imported; reportgen.hyphenation finds and
    reads the British one itself (and parses only the patterns words need)."""
    loaded = _loaded_after("validate", "--no-cache", "-q", ".")
    assert "reportgen.hyphenation" in loaded  # the digest's reading grade asked for breaks
    assert "pyphen" not in loaded


def test_a_no_op_rebuild_loads_neither_nor_the_models_and_checks(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    # The first build in a process of its own too: this test process has computed (and
    # memoised) the tool's and system's fingerprints long before, while other tests ran.
    first = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(root), "--html-only"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    assert _loaded_after("build", str(root), "--html-only") == set()
    # A real build does load them: the probe would see it.
    assert "reportgen.checks" in _loaded_after("build", str(root), "--html-only", "--no-cache")


def test_progress_only_on_a_terminal_without_ci_or_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _progress_line(quiet=False) is not None
    assert _progress_line(quiet=True) is None
    monkeypatch.setenv("CI", "true")
    assert _progress_line(quiet=False) is None
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _progress_line(quiet=False) is None


def test_build_output_has_no_progress_codes_when_not_a_terminal(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    result = CliRunner().invoke(app, ["build", str(root), "--html-only"])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output and "\r" not in result.output
    quiet = CliRunner().invoke(app, ["build", str(root), "--html-only", "--no-cache", "-q"])
    assert quiet.exit_code == 0
    assert "wrote" not in quiet.output


def test_weasyprint_log_becomes_progress_events_and_goes_nowhere_else(
    caplog: pytest.LogCaptureFixture,
) -> None:
    events: list[ProgressEvent] = []
    logger = logging.getLogger("weasyprint.progress")
    with caplog.at_level(logging.INFO), weasyprint_progress(events.append):
        logger.info("Step 5 - Creating layout - Page %d", 3)
    assert events[0] == ProgressEvent("pdf", 1, "creating layout - page 3")
    assert events[-1].finished
    assert not caplog.records  # not passed on to the application's own log
    assert logger.level == logging.NOTSET and logger.propagate


def test_no_progress_hook_leaves_logging_alone() -> None:
    logger = logging.getLogger("weasyprint.progress")
    with weasyprint_progress(None):
        assert not logger.handlers


def test_validate_imports_only_the_checks_it_runs(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    """No completeness profile: neither its check nor its models; no re-graded codes:
    not the catalogue. The default profile loads both."""
    files = dict(minimal_files)
    plain = write_project(files)
    loaded = _loaded_after("validate", str(plain))
    assert {"reportgen.checks", "reportgen.project"} <= loaded
    assert "reportgen.checks.completeness" in loaded  # the default profile, wt2023
    assert "reportgen.catalogue" not in loaded
    files["report.yaml"] += "validation:\n  profile: none\n"
    without = write_project(files)
    loaded = _loaded_after("validate", str(without))
    assert "reportgen.checks" in loaded
    assert loaded.isdisjoint({"reportgen.checks.completeness", "reportgen.model.profile"})


def test_a_replayed_validate_loads_no_models_checks_or_dictionaries(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    """Nothing changed since the last validate: its result again (reportgen/replay.py),
    with nothing of the models, checks, dictionaries or templates imported."""
    root = write_project(minimal_files)
    first = _loaded_after("validate", str(root))
    assert {"reportgen.checks", "reportgen.model.common", "enchant", "markdown_it"} <= first
    assert _loaded_after("validate", str(root)) == set()
    assert "reportgen.checks" in _loaded_after("validate", str(root), "--no-cache")


def test_an_annual_report_without_templates_loads_no_jinja(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    """Validate compiles a project's own templates (and only then needs Jinja)."""
    root = write_project(minimal_files)
    assert "jinja2" not in _loaded_after("validate", str(root), "--no-cache")
