"""The command line's shared parts: the Typer app, options, exit codes and output.

Results (problems, summaries, JSON) go to stdout, progress and log lines to stderr.
"""

from __future__ import annotations

import atexit
import gc
import logging
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reportgen import __version__
from reportgen.diagnostics import DiagnosticList, ReportgenError

if TYPE_CHECKING:
    from reportgen.checks.completeness import Checklist
    from reportgen.disclosure import DisclosureControl
    from reportgen.pipeline import ValidationResult
    from reportgen.validation_report import ReportParts

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

EXIT_CODES_HELP = """\b
Exit codes:
  0    clean, or warnings only
  1    the report has errors (or warnings, with --strict)
  2    the command was typed wrong (an unknown option, a missing value)
  3    a bug in reportgen (the message says where the details were saved)
  130  interrupted
Results go to stdout; progress and log lines to stderr."""

app = typer.Typer(
    help="Compile a safeguarding children partnership annual report from YAML, CSV and Markdown.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich's panels print a '<bool>' beside every switch, as if it took a value.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"  # GitHub Actions annotations: ::error file=...,line=...::message


# Words someone may type after a switch (`--strict true`): never a project folder.
_SWITCH_VALUES = {"true", "false", "yes", "no", "on", "off", "1", "0"}


def _not_a_switch_value(path: Path) -> None:
    if path.name.lower() in _SWITCH_VALUES and not path.exists():
        raise typer.BadParameter(
            f"there is no folder '{path}'. Switches such as --strict and --html-only take "
            "no value: write the switch on its own to turn it on, leave it out to turn it off"
        )


def _project_path(path: Path) -> Path:
    _not_a_switch_value(path)
    return path


def _project_paths(paths: list[Path] | None) -> list[Path] | None:
    for path in paths or []:
        _not_a_switch_value(path)
    return paths


ProjectArg = Annotated[
    Path,
    typer.Argument(
        help="Report project folder (the one with report.yaml).",
        show_default=".",
        callback=_project_path,
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="How to print problems: text, json or github (Actions annotations)."
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show full tracebacks of internal errors.")]
ProjectsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Report project folder(s), each with report.yaml, or a folder of projects.",
        show_default=".",
        callback=_project_paths,
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Only the problems: no checklist, summaries, progress or logs."
    ),
]
VerboseOpt = Annotated[
    int,
    typer.Option(
        "--verbose",
        "-v",
        count=True,
        show_default=False,
        help="Also log what reportgen does, on stderr (-vv: more).",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Make everything afresh; neither read nor write build/.cache."),
]
NoValidateCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Check everything afresh, even if nothing has changed since the last "
        "validate; neither read nor write build/.cache.",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="CPUs to keep busy: projects built at once, and for one project, its second "
        "process and the two halves of a long PDF at once (default: one per CPU).",
    ),
]


def _emit(
    diags: DiagnosticList,
    fmt: OutputFormat,
    summary_tail: str = "",
    *,
    valid: bool,
    command: str = "validate",
    quiet: bool = False,
    checklist: Checklist | None = None,
    disclosure: DisclosureControl | None = None,
    prefix: str = "",
    outputs: list[Path] | None = None,
    up_to_date: bool | None = None,
    parts: ReportParts | None = None,
) -> None:
    """Print the result on stdout: problems, then (text, unless quiet) the checklist,
    what disclosure withholds and the summaries; or one JSON document. `parts` is a
    replayed validate's checklist and disclosure, in place of the objects."""
    from reportgen import validation_report as report

    items = diags.sorted()
    parts = parts or report.ReportParts.of(checklist, disclosure)
    if fmt is OutputFormat.JSON:
        document = report.json_document(
            items,
            command=command,
            valid=valid,
            outputs=outputs,
            up_to_date=up_to_date,
            parts=parts,
        )
        typer.echo(document)
        return
    if fmt is OutputFormat.GITHUB:
        for d in items:
            typer.echo(d.format_github(prefix))
    else:
        for d in items:
            typer.echo(d.format_text())
        extra = [*parts.checklist_lines, *parts.disclosure_lines, *report.summary_lines(items)]
        if extra and not quiet:
            typer.echo("\n" + "\n".join(extra))
    errors, warnings, infos = len(diags.errors), len(diags.warnings), len(diags.infos)
    if (errors or warnings or infos) and not quiet:
        tail = f", {infos} info(s)" if infos else ""
        # With --format github, stdout holds the workflow commands alone.
        counts = f"{errors} error(s), {warnings} warning(s){tail}" + summary_tail
        typer.echo(counts, err=fmt is OutputFormat.GITHUB)


class _LogToStderr(logging.Handler):
    """reportgen's log records as lines on stderr (looked up at each line, as the
    test runner swaps the stream)."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"{record.levelname.lower()}: {self.format(record)}", err=True)


def _logging(quiet: bool, verbose: int) -> None:
    """-v shows what reportgen does (-vv more); -q leaves only errors."""
    if quiet and verbose:
        raise typer.BadParameter("choose one of --quiet and --verbose", param_hint="--quiet")
    logger = logging.getLogger("reportgen")
    for handler in [h for h in logger.handlers if isinstance(h, _LogToStderr)]:
        logger.removeHandler(handler)
    logger.addHandler(_LogToStderr())  # Python's last-resort handler then stays silent
    if quiet:
        logger.setLevel(logging.ERROR)
    else:
        logger.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG))


def _path_prefix(project: Path) -> str:
    """The project folder relative to where reportgen runs, so CI annotations find files."""
    try:
        rel = project.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return f"{project.resolve().as_posix()}/"
    return "" if rel == Path(".") else f"{rel.as_posix()}/"


def _exit_code(diags: DiagnosticList, strict: bool) -> int:
    if diags.has_errors() or (strict and diags.warnings):
        return EXIT_ERRORS
    return EXIT_OK


def _crash_report(exc: BaseException) -> str:
    """The traceback to save: code locations only, no locals and no exception messages.

    A message can quote the report's data (children's data), and the file is meant
    to be attached to a public bug report.
    """
    from reportgen.many import withheld_traceback

    header = f"reportgen {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n\n"
    return header + withheld_traceback(exc)


def _internal_error(exc: BaseException, debug: bool) -> NoReturn:
    _report_bug(exc, debug)
    raise typer.Exit(EXIT_BUG)


def _report_bug(exc: BaseException, debug: bool) -> None:
    # Never show local variables or messages: a report's data can be about children.
    text = _crash_report(exc)
    with tempfile.NamedTemporaryFile(
        "w", prefix="reportgen-crash-", suffix=".txt", delete=False
    ) as handle:
        handle.write(text)
    if debug:
        typer.echo("".join(traceback.format_exception(exc)), err=True)
    typer.echo(
        f"internal error in reportgen ({type(exc).__name__}); this is a bug, not a problem "
        f"with your report. The traceback (no report data) is saved in {handle.name}: "
        "please attach it to a bug report to the reportgen maintainers.",
        err=True,
    )


def _interrupted(what: str) -> NoReturn:
    typer.echo(f"interrupted; {what}", err=True)
    raise typer.Exit(EXIT_INTERRUPTED)


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection while `validate` runs, nor when its process ends.

    A validate makes about a million objects (the models' schemas, the parsed project)
    and little cyclic garbage (some 2,700 objects in the example). With the command
    line's thresholds the collector still ran once midway (0.04 s, over 100,000 young
    objects), and Python's last collection at exit walked every object left (about
    0.15 s) to free memory the system takes back anyway: freezing them first at exit
    skips that walk. Refcounted objects are freed as before; nothing validate leaves
    waits on a collection (its files are closed by then).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    atexit.register(gc.freeze)  # a test calling the command only freezes at its own end
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validated(
    project: Path,
    debug: bool,
    fmt: OutputFormat = OutputFormat.TEXT,
    quiet: bool = False,
    *,
    replay: bool = False,
) -> ValidationResult:
    """`pipeline.validate`, with the commands' one answer to what stops it: the problems
    and exit 1, exit 130 when interrupted, the crash report (exit 3) for a bug. With
    `replay`, the last validate's result when nothing it read has changed."""
    from reportgen import pipeline

    try:
        if replay:
            return pipeline.validate_recorded(project)
        return pipeline.validate(project)
    except ReportgenError as exc:
        _emit(DiagnosticList(list(exc.diagnostics)), fmt, valid=False, quiet=quiet)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)


def _save_crash(text: str) -> str:
    """Save a traceback (no messages, no data) for a bug report; return the file name."""
    header = f"reportgen {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n\n"
    with tempfile.NamedTemporaryFile(
        "w", prefix="reportgen-crash-", suffix=".txt", delete=False
    ) as handle:
        handle.write(header + text)
    return handle.name
