"""Command line: a thin shell over `reportgen.pipeline`.

The only module that imports Typer or prints. Results (problems, summaries, JSON) go
to stdout, progress and log lines to stderr. Exit codes: 0 clean (or warnings only),
1 the project has errors (or warnings under --strict), 2 a usage error (an unknown
option, a missing value: Click's own code), 3 a bug in reportgen, 130 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reportgen import __version__
from reportgen.diagnostics import DiagnosticList, ReportgenError, to_json_document

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, Task, TaskID

    from reportgen.checks.completeness import Checklist
    from reportgen.disclosure import DisclosureControl
    from reportgen.many import ProjectOutcome
    from reportgen.progress import ProgressEvent

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
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Projects to build at once (default: one per CPU)."),
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
) -> None:
    """Print the result on stdout: problems, then (text, unless quiet) the checklist,
    what disclosure withholds and the summaries; or one JSON document."""
    from reportgen import validation_report as report

    items = diags.sorted()
    if fmt is OutputFormat.JSON:
        document = report.json_document(
            items,
            checklist,
            disclosure,
            command=command,
            valid=valid,
            outputs=outputs,
            up_to_date=up_to_date,
        )
        typer.echo(document)
        return
    if fmt is OutputFormat.GITHUB:
        for d in items:
            typer.echo(d.format_github(prefix))
    else:
        for d in items:
            typer.echo(d.format_text())
        extra: list[str] = []
        if checklist is not None:
            extra += checklist.format_text()
        if disclosure is not None and disclosure.withheld:
            extra += report.disclosure_lines(disclosure)
        extra += report.summary_lines(items)
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


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    project: ProjectArg = Path("."),
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
) -> None:
    """Check a report project and list every problem with file and line."""
    from reportgen.pipeline import validate as run_validate

    _logging(quiet, verbose)
    try:
        result = run_validate(project)
    except ReportgenError as exc:
        result_diags = DiagnosticList(list(exc.diagnostics))
        _emit(result_diags, fmt, valid=False, quiet=quiet)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)
    from reportgen.checks.severity import promote_warnings

    diags = promote_warnings(result.diagnostics) if strict else result.diagnostics
    code = _exit_code(diags, strict)
    _emit(
        diags,
        fmt,
        valid=code == EXIT_OK,
        quiet=quiet,
        checklist=result.checklist,
        disclosure=result.derived.disclosure if result.derived else None,
        prefix=_path_prefix(project),
    )
    if fmt is OutputFormat.TEXT and code == EXIT_OK and not quiet:
        typer.echo(f"{project}: report is valid")
    raise typer.Exit(code)


@app.command(epilog=EXIT_CODES_HELP)
def build(
    projects: ProjectsArg = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: PROJECT/build; one project)."),
    ] = None,
    html_only: Annotated[bool, typer.Option("--html-only", help="Skip the PDF.")] = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write the report as HTML and PDF (several projects in parallel).

    Charts and the PDF are reused from build/.cache when nothing that shapes them
    changed; a build with no change at all does nothing (see `reportgen docs performance`).
    """
    from reportgen.many import find_projects
    from reportgen.pipeline import build as run_build

    _logging(quiet, verbose)
    roots = find_projects(projects or [Path(".")])
    if len(roots) > 1:
        if out is not None:
            raise typer.BadParameter("needs a single project", param_hint="--out")
        _build_many(roots, jobs, html_only, no_cache, fmt, strict, quiet)
    project = roots[0]
    progress = _progress_line(quiet)
    try:
        result = run_build(
            project, out, pdf=False if html_only else None, cache=not no_cache, progress=progress
        )
    except ReportgenError as exc:
        _close(progress)
        diags = DiagnosticList(list(exc.diagnostics))
        _emit(diags, fmt, "; nothing was written", valid=False, command="build", quiet=quiet)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _close(progress)
        _interrupted("the previous outputs are unchanged")
    except Exception as exc:
        _close(progress)
        _internal_error(exc, debug)
    _close(progress)
    diags = result.diagnostics
    if strict:  # imported only then: an up-to-date build never loads the checks
        from reportgen.checks.severity import promote_warnings

        diags = promote_warnings(diags)
    code = _exit_code(diags, strict)
    _emit(
        diags,
        fmt,
        "; nothing was written" if not result.outputs else "",
        valid=code == EXIT_OK,
        command="build",
        quiet=quiet,
        prefix=_path_prefix(project),
        outputs=result.outputs,
        up_to_date=result.up_to_date,
    )
    if fmt is OutputFormat.TEXT and not quiet:
        for path in result.outputs:
            typer.echo(f"{'up to date' if result.up_to_date else 'wrote'} {path}", err=True)
    raise typer.Exit(code)


@app.command()
def explain(
    code: Annotated[
        str | None, typer.Argument(help="A diagnostic code, e.g. data.total-mismatch.")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Explain a diagnostic code, or list every code (`reportgen docs validation`)."""
    import difflib

    _logging(quiet, verbose)
    from reportgen.catalogue import CATALOGUE, listing
    from reportgen.catalogue import explain as explain_code

    if code is None:
        typer.echo(listing())
        return
    if code not in CATALOGUE:
        close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; 'reportgen explain' lists them"
        typer.echo(f"unknown code '{code}'{hint}", err=True)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(explain_code(code))


@app.command()
def docs(
    topic: Annotated[
        str | None, typer.Argument(help="A topic, e.g. references; none lists them.")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Print reportgen's documentation (packaged with it), or list its topics."""
    _logging(quiet, verbose)
    from reportgen.handbook import read_topic, topics

    if topic is None:
        for name, title in topics().items():
            typer.echo(f"{name:16} {title}")
        return
    try:
        typer.echo(read_topic(topic))
    except KeyError as exc:
        hint = f"; {exc.args[0]}" if exc.args[0] else ""
        typer.echo(f"no topic '{topic}'{hint} ('reportgen docs' lists them)", err=True)
        raise typer.Exit(EXIT_USAGE) from None


# --- open data (reportgen/docs/open-data.md) ----------------------------------------


@app.command("explain-figure")
def explain_figure(
    figure: Annotated[str, typer.Argument(help="A figure's id, e.g. budget.income.total.")],
    project: ProjectArg = Path("."),
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Say where a published figure comes from: its file and line, and how it is computed."""
    import difflib

    _logging(quiet, verbose)
    from reportgen.export import explain as explain_published
    from reportgen.pipeline import validate as run_validate

    try:
        result = run_validate(project)
    except ReportgenError as exc:
        _emit(DiagnosticList(list(exc.diagnostics)), OutputFormat.TEXT, valid=False)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)
    if result.derived is None:
        _emit(result.diagnostics, OutputFormat.TEXT, valid=False)
        raise typer.Exit(EXIT_ERRORS)
    ledger = result.derived.ledger
    found = ledger.find(figure)
    if found is None:
        close = difflib.get_close_matches(figure, ledger.ids(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        typer.echo(f"no published figure '{figure}'{hint}", err=True)
        raise typer.Exit(EXIT_USAGE)  # as for an unknown diagnostic code
    typer.echo(explain_published(found))


@app.command()
def collect(
    exports: Annotated[
        list[Path],
        typer.Argument(help="Data exports: build/data folders (or builds or projects)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the combined dataset.")],
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Combine the data exports of several reports into one dataset (with DuckDB)."""
    _logging(quiet, verbose)
    from reportgen.export.collect import collect as run_collect
    from reportgen.write import write_outputs

    try:
        result = run_collect(exports)
        if not result.diagnostics.has_errors():
            inputs = {
                str(p / "datapackage.json"): (p / "datapackage.json").read_bytes()
                for p in result.exports
            }
            write_outputs(out, result.files, inputs)
    except ReportgenError as exc:
        _emit(DiagnosticList(list(exc.diagnostics)), OutputFormat.TEXT, valid=False)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("the previous dataset is unchanged")
    except Exception as exc:
        _internal_error(exc, debug)
    if result.diagnostics.has_errors():
        _emit(result.diagnostics, OutputFormat.TEXT, valid=False)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(f"combined {len(result.exports)} exports into {out}", err=True)


# --- authoring loop and many projects (reportgen/docs/authoring.md, performance.md) --------


class _ProgressDisplay:
    """One progress display on stderr for the whole command: what is being made, and the
    time since the command started (it does not restart between steps). Drawn by Rich,
    from the first event on, so a build with nothing to make shows nothing."""

    def __init__(self, total: int | None = None, console: Console | None = None) -> None:
        self.started = time.monotonic()
        self.total = total  # projects, for many; None: steps of unknown number
        self.console = console  # stderr unless given (tests)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if event.finished:  # the PDF is made; the display stays until the build ends
            return
        if event.stage == "charts":
            self.update(f"drawing chart {event.done}: {event.detail}")
        else:
            self.update(f"making the PDF: {event.detail}")

    def update(self, description: str, advance: int = 0) -> None:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            self._progress = Progress(
                SpinnerColumn(),
                BarColumn(bar_width=20),
                _elapsed_column(self.started),
                TextColumn("{task.description}"),
                console=self.console or Console(stderr=True),
                transient=True,
                # Lines printed meanwhile go above the display (results to stdout only
                # when stdout is this terminal too: never into a redirected file's place).
                redirect_stdout=sys.stdout.isatty(),
                redirect_stderr=True,
            )
            self._task = self._progress.add_task(description, total=self.total)
            self._progress.start()
        assert self._task is not None
        self._progress.update(self._task, description=description, advance=advance)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _elapsed_column(started: float) -> ProgressColumn:
    """Seconds since `started`, redrawn by Rich as time passes."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Elapsed(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{time.monotonic() - started:5.1f} s")

    return Elapsed()


def _progress_line(quiet: bool, total: int | None = None) -> _ProgressDisplay | None:
    """Progress only for a person watching: a terminal, not --quiet, not CI."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return _ProgressDisplay(total)


def _close(progress: _ProgressDisplay | None) -> None:
    if progress is not None:
        progress.close()


def _save_crash(text: str) -> str:
    """Save a traceback (no messages, no data) for a bug report; return the file name."""
    header = f"reportgen {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n\n"
    with tempfile.NamedTemporaryFile(
        "w", prefix="reportgen-crash-", suffix=".txt", delete=False
    ) as handle:
        handle.write(header + text)
    return handle.name


def _build_many(
    roots: list[Path],
    jobs: int | None,
    html_only: bool,
    no_cache: bool,
    fmt: OutputFormat,
    strict: bool,
    quiet: bool,
) -> NoReturn:
    """Build several projects at once; a line for each; exit with the worst code."""
    import json
    from dataclasses import replace

    from reportgen.many import build_many
    from reportgen.validation_report import envelope, output_records

    progress = _progress_line(quiet, total=len(roots))
    finished = 0

    def code_of(outcome: ProjectOutcome) -> int:
        if outcome.crash:
            return EXIT_BUG
        return _exit_code(DiagnosticList(outcome.diagnostics), strict)

    def show(outcome: ProjectOutcome) -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress.update(f"built {finished} of {len(roots)} projects", advance=1)
        if fmt is OutputFormat.JSON:
            return
        if fmt is OutputFormat.TEXT:
            for d in DiagnosticList(outcome.diagnostics).sorted():
                if d.location is not None:  # clickable from the folder the command ran in
                    where = replace(d.location, path=str(outcome.root / d.location.path))
                    d = replace(d, location=where)
                typer.echo(d.format_text())
        else:
            for d in DiagnosticList(outcome.diagnostics).sorted():
                typer.echo(d.format_github(_path_prefix(outcome.root)))
        counts = f"{outcome.errors} error(s), {outcome.warnings} warning(s)"
        if outcome.crash:
            saved = _save_crash(outcome.traceback or "")
            line = (
                f"CRASH {outcome.root}: internal error in reportgen ({outcome.crash}); a bug, "
                f"not a problem with the report. Details (no report data) in {saved}"
            )
        elif code_of(outcome) != EXIT_OK:
            written = "outputs written" if outcome.outputs else "nothing was written"
            line = f"FAIL  {outcome.root}: {counts}; {written}"
        else:
            done = "up to date" if outcome.up_to_date else f"wrote {len(outcome.outputs)} file(s)"
            line = f"ok    {outcome.root}: {done}, {counts}"
        typer.echo(f"{line} ({outcome.seconds:.1f} s)", err=fmt is OutputFormat.GITHUB)

    if progress is not None:
        progress.update(f"building {len(roots)} projects")
    try:
        outcomes = build_many(
            roots, jobs=jobs, pdf=False if html_only else None, cache=not no_cache, on_done=show
        )
    finally:
        _close(progress)
    codes = [code_of(o) for o in outcomes]
    if fmt is OutputFormat.JSON:
        projects = [
            {
                "project": str(o.root),
                "exit_code": code,
                "valid": code == EXIT_OK,
                "crash": o.crash,
                "up_to_date": o.up_to_date,
                "outputs": output_records(o.outputs),
                **json.loads(to_json_document(DiagnosticList(o.diagnostics).sorted())),
            }
            for o, code in zip(outcomes, codes, strict=True)
        ]
        typer.echo(envelope("build", max(codes) == EXIT_OK, {"projects": projects}))
    else:
        failed = sum(code != EXIT_OK for code in codes)
        summary = f"{len(roots)} projects: {len(roots) - failed} ok, {failed} failed"
        typer.echo(summary, err=fmt is OutputFormat.GITHUB)
    raise typer.Exit(max(codes))


class PdfMode(StrEnum):
    BACKGROUND = "background"
    REQUEST = "request"
    OFF = "off"


@app.command()
def serve(
    project: ProjectArg = Path("."),
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Only this computer can see 127.0.0.1; any other "
            "address shows the draft report to the network.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8000,
    pdf: Annotated[
        PdfMode,
        typer.Option(
            "--pdf",
            help="Make the PDF after every change (background), only when /report.pdf is "
            "opened (request), or never (off).",
        ),
    ] = PdfMode.BACKGROUND,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default web browser.")
    ] = False,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Preview the report in a browser; rebuild and reload on every saved change."""
    from reportgen.serve import PreviewServer, ServeEvent, is_loopback

    _logging(quiet, verbose)

    def show(event: ServeEvent) -> None:
        if event.kind == "crash":
            saved = _save_crash(event.traceback or "")
            typer.echo(
                f"{event.message}: a bug, not a problem with your report. "
                f"Details (no report data) in {saved}",
                err=True,
            )
            return
        for d in DiagnosticList(event.diagnostics).sorted():
            typer.echo(d.format_text(), err=True)
        if not quiet or event.kind in ("problems", "pdf-failed"):
            typer.echo(event.message, err=True)

    if not is_loopback(host):
        typer.echo(
            f"warning: listening on {host}: anyone who can reach this computer on the "
            "network can read the draft report. Use the default (127.0.0.1) unless you mean it.",
            err=True,
        )
    try:
        server = PreviewServer(
            project, host=host, port=port, pdf=pdf.value, cache=not no_cache, on_event=show
        )
    except OSError as exc:
        typer.echo(f"cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        typer.echo(
            "hint: another program may use that port (try --port 8001), or the address "
            "is not one of this computer's (the default is 127.0.0.1)",
            err=True,
        )
        raise typer.Exit(EXIT_ERRORS) from None
    import signal

    def _terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # stop as for Ctrl-C: end the PDF process, save the cache

    signal.signal(signal.SIGTERM, _terminate)
    server.start()
    pdf_note = "" if pdf is PdfMode.OFF else f"PDF: {server.url}report.pdf; "
    typer.echo(f"serving {server.url}  ({pdf_note}Ctrl-C stops)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        typer.echo("stopping", err=True)
    finally:
        server.stop()


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the project in.")],
    partnership: Annotated[
        str,
        typer.Option(
            "--partnership", help="Full name, e.g. 'Newham Safeguarding Children Partnership'."
        ),
    ],
    short_name: Annotated[
        str | None,
        typer.Option("--short-name", help="Abbreviation, e.g. NSCP (default: the initials)."),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Local authority area, e.g. 'London Borough of Newham'."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Year the report covers, e.g. 2024/25 (default: last)."),
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Start a new report project: every file it needs, commented, valid from the start.

    Also a .gitignore and a GitHub Actions workflow (.github/workflows/report.yml) that
    checks, builds and publishes the report on every push (README: Publish from CI).
    """
    from reportgen.scaffold import ScaffoldError, create_project

    _logging(quiet, verbose)
    try:
        written = create_project(
            directory, partnership=partnership, short_name=short_name, area=area, period=period
        )
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    if not quiet:
        typer.echo(f"created {len(written)} files in {directory}", err=True)
        typer.echo(
            f"next: open {directory / 'README.md'}, then run: reportgen serve {directory}",
            err=True,
        )


@app.command()
def schema(
    project: ProjectArg = Path("."),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the schemas (default: PROJECT/schemas)."),
    ] = None,
    modelines: Annotated[
        bool,
        typer.Option(
            "--modelines", help="Also point each YAML file at its schema (a first-line comment)."
        ),
    ] = False,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json-output",
            help="Print the JSON Schema of what --format json prints "
            "(`reportgen docs json-output`) and write nothing.",
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write JSON Schemas of report.yaml and every data file, for editors.

    See `reportgen docs authoring`.
    """
    from reportgen.jsonschema import add_modelines, write_schemas

    _logging(quiet, verbose)
    if json_output:
        from reportgen.validation_report import output_schema

        typer.echo(output_schema(), nl=False)
        return
    target = out if out is not None else project / "schemas"
    try:
        schema_dir = target.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        if modelines:
            raise typer.BadParameter(
                "with --modelines the schemas must be inside the project", param_hint="--out"
            ) from None
    for path in write_schemas(target):
        if not quiet:
            typer.echo(f"wrote {path}", err=True)
    if modelines:
        for path in add_modelines(project, schema_dir):
            if not quiet:
                typer.echo(f"added a schema comment to {path}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """reportgen: safeguarding partnership annual reports as a build."""


def main() -> None:
    try:
        app(prog_name="reportgen")
    except Exception as exc:  # a bug outside the commands' own guards: the same exit code
        _report_bug(exc, debug="--debug" in sys.argv)
        sys.exit(EXIT_BUG)


if __name__ == "__main__":
    main()
