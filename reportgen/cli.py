"""Command line: a thin shell over `reportgen.pipeline`.

The only module that imports Typer or prints. Exit codes: 0 clean (or warnings
only), 1 the project has errors (or warnings under --strict), 2 a bug in reportgen
(or a command-line usage error, as for any Click program).
"""

from __future__ import annotations

import os
import shutil
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
    from reportgen.checks.completeness import Checklist
    from reportgen.disclosure import DisclosureControl
    from reportgen.many import ProjectOutcome
    from reportgen.progress import ProgressEvent

app = typer.Typer(
    help="Compile a safeguarding children partnership annual report from YAML, CSV and Markdown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_ERRORS, EXIT_BUG = 0, 1, 2


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"  # GitHub Actions annotations: ::error file=...,line=...::message


ProjectArg = Annotated[
    Path,
    typer.Argument(help="Report project folder (the one with report.yaml).", show_default="."),
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
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress display and no 'wrote' lines.")
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
    checklist: Checklist | None = None,
    disclosure: DisclosureControl | None = None,
    prefix: str = "",
) -> None:
    from reportgen import validation_report as report

    items = diags.sorted()
    if fmt is OutputFormat.JSON:
        if checklist is None and disclosure is None:
            typer.echo(to_json_document(items))
        else:
            typer.echo(report.json_document(items, checklist, disclosure))
        return
    if fmt is OutputFormat.GITHUB:
        for d in items:
            typer.echo(d.format_github(prefix))
    else:
        for d in items:
            typer.echo(d.format_text(), err=True)
        extra: list[str] = []
        if checklist is not None:
            extra += checklist.format_text()
        if disclosure is not None and disclosure.withheld:
            extra += report.disclosure_lines(disclosure)
        extra += report.summary_lines(items)
        if extra:
            typer.echo("\n" + "\n".join(extra), err=True)
    errors, warnings, infos = len(diags.errors), len(diags.warnings), len(diags.infos)
    if errors or warnings or infos:
        tail = f", {infos} info(s)" if infos else ""
        typer.echo(f"{errors} error(s), {warnings} warning(s){tail}" + summary_tail, err=True)


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
    raise typer.Exit(EXIT_BUG)


def _interrupted(what: str) -> NoReturn:
    typer.echo(f"interrupted; {what}", err=True)
    raise typer.Exit(130)


@app.command()
def validate(
    project: ProjectArg = Path("."),
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check a report project and list every problem with file and line."""
    from reportgen.pipeline import validate as run_validate

    try:
        result = run_validate(project)
    except ReportgenError as exc:
        result_diags = DiagnosticList(list(exc.diagnostics))
        _emit(result_diags, fmt)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)
    from reportgen.checks.severity import promote_warnings

    diags = promote_warnings(result.diagnostics) if strict else result.diagnostics
    _emit(
        diags,
        fmt,
        checklist=result.checklist,
        disclosure=result.derived.disclosure if result.derived else None,
        prefix=_path_prefix(project),
    )
    code = _exit_code(diags, strict)
    if fmt is OutputFormat.TEXT and code == EXIT_OK:
        typer.echo(f"{project}: report is valid", err=True)
    raise typer.Exit(code)


@app.command()
def build(
    projects: ProjectsArg = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: PROJECT/build; one project)."),
    ] = None,
    html_only: Annotated[bool, typer.Option("--html-only", help="Skip the PDF.")] = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write the report as HTML and PDF (several projects in parallel).

    Charts and the PDF are reused from build/.cache when nothing that shapes them
    changed; a build with no change at all does nothing (see `reportgen docs performance`).
    """
    from reportgen.many import find_projects
    from reportgen.pipeline import build as run_build

    roots = find_projects(projects or [Path(".")])
    if len(roots) > 1:
        if out is not None:
            raise typer.BadParameter("needs a single project", param_hint="--out")
        _build_many(roots, jobs, html_only, no_cache, fmt, strict)
    project = roots[0]
    progress = _progress_line(quiet)
    try:
        result = run_build(
            project, out, pdf=False if html_only else None, cache=not no_cache, progress=progress
        )
    except ReportgenError as exc:
        _close(progress)
        _emit(DiagnosticList(list(exc.diagnostics)), fmt, "; nothing was written")
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
        prefix=_path_prefix(project),
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
) -> None:
    """Explain a diagnostic code, or list every code (`reportgen docs validation`)."""
    import difflib

    from reportgen.catalogue import CATALOGUE, listing
    from reportgen.catalogue import explain as explain_code

    if code is None:
        typer.echo(listing())
        return
    if code not in CATALOGUE:
        close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; 'reportgen explain' lists them"
        typer.echo(f"unknown code '{code}'{hint}", err=True)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(explain_code(code))


@app.command()
def docs(
    topic: Annotated[
        str | None, typer.Argument(help="A topic, e.g. references; none lists them.")
    ] = None,
) -> None:
    """Print reportgen's documentation (packaged with it), or list its topics."""
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
        raise typer.Exit(EXIT_ERRORS) from None


# --- open data (reportgen/docs/open-data.md) ----------------------------------------


@app.command("explain-figure")
def explain_figure(
    figure: Annotated[str, typer.Argument(help="A figure's id, e.g. budget.income.total.")],
    project: ProjectArg = Path("."),
    debug: DebugOpt = False,
) -> None:
    """Say where a published figure comes from: its file and line, and how it is computed."""
    import difflib

    from reportgen.export import explain as explain_published
    from reportgen.pipeline import validate as run_validate

    try:
        result = run_validate(project)
    except ReportgenError as exc:
        _emit(DiagnosticList(list(exc.diagnostics)), OutputFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)
    if result.derived is None:
        _emit(result.diagnostics, OutputFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS)
    ledger = result.derived.ledger
    found = ledger.find(figure)
    if found is None:
        close = difflib.get_close_matches(figure, ledger.ids(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        typer.echo(f"no published figure '{figure}'{hint}", err=True)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(explain_published(found))


@app.command()
def collect(
    exports: Annotated[
        list[Path],
        typer.Argument(help="Data exports: build/data folders (or builds or projects)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the combined dataset.")],
    debug: DebugOpt = False,
) -> None:
    """Combine the data exports of several reports into one dataset (with DuckDB)."""
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
        _emit(DiagnosticList(list(exc.diagnostics)), OutputFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _interrupted("the previous dataset is unchanged")
    except Exception as exc:
        _internal_error(exc, debug)
    if result.diagnostics.has_errors():
        _emit(result.diagnostics, OutputFormat.TEXT)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(f"combined {len(result.exports)} exports into {out}", err=True)


# --- authoring loop and many projects (reportgen/docs/authoring.md, performance.md) --------


class _ProgressLine:
    """One status line on stderr, rewritten in place as charts and the PDF are made."""

    def __init__(self) -> None:
        self.shown = False
        self.stage = ""
        self.started = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        if event.finished:
            self.close()
            return
        if event.stage != self.stage:
            self.stage, self.started = event.stage, time.monotonic()
        seconds = f"{time.monotonic() - self.started:4.1f} s"
        if event.stage == "charts":
            text = f"{seconds}  drawing chart {event.done}: {event.detail}"
        else:
            text = f"{seconds}  making the PDF: {event.detail}"
        width = shutil.get_terminal_size((80, 20)).columns - 1
        typer.echo("\r\x1b[K" + text[:width], nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            typer.echo("\r\x1b[K", nl=False, err=True)
            self.shown = False


def _progress_line(quiet: bool) -> _ProgressLine | None:
    """Progress only for a person watching: a terminal, not --quiet, not CI."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return _ProgressLine()


def _close(progress: _ProgressLine | None) -> None:
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
) -> NoReturn:
    """Build several projects at once; a line for each; exit with the worst code."""
    import json
    from dataclasses import replace

    from reportgen.many import build_many

    def code_of(outcome: ProjectOutcome) -> int:
        if outcome.crash:
            return EXIT_BUG
        return _exit_code(DiagnosticList(outcome.diagnostics), strict)

    def show(outcome: ProjectOutcome) -> None:
        if fmt is OutputFormat.JSON:
            return
        if fmt is OutputFormat.TEXT:
            for d in DiagnosticList(outcome.diagnostics).sorted():
                if d.location is not None:  # clickable from the folder the command ran in
                    where = replace(d.location, path=str(outcome.root / d.location.path))
                    d = replace(d, location=where)
                typer.echo(d.format_text(), err=True)
        else:
            _emit(DiagnosticList(outcome.diagnostics), fmt, prefix=_path_prefix(outcome.root))
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
        typer.echo(f"{line} ({outcome.seconds:.1f} s)", err=True)

    outcomes = build_many(
        roots, jobs=jobs, pdf=False if html_only else None, cache=not no_cache, on_done=show
    )
    codes = [code_of(o) for o in outcomes]
    if fmt is OutputFormat.JSON:
        document = {
            "projects": [
                {
                    "project": str(o.root),
                    "exit_code": code,
                    "crash": o.crash,
                    "up_to_date": o.up_to_date,
                    "outputs": [str(p) for p in o.outputs],
                    **json.loads(to_json_document(DiagnosticList(o.diagnostics).sorted())),
                }
                for o, code in zip(outcomes, codes, strict=True)
            ]
        }
        typer.echo(json.dumps(document, indent=2))
    failed = sum(code != EXIT_OK for code in codes)
    typer.echo(f"{len(roots)} projects: {len(roots) - failed} ok, {failed} failed", err=True)
    raise typer.Exit(max(codes))


class PdfMode(StrEnum):
    BACKGROUND = "background"
    REQUEST = "request"
    OFF = "off"


@app.command()
def serve(
    project: ProjectArg = Path("."),
    port: Annotated[int, typer.Option("--port", "-p", help="Port on 127.0.0.1.")] = 8000,
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
) -> None:
    """Preview the report in a browser; rebuild and reload on every saved change."""
    from reportgen.serve import PreviewServer, ServeEvent

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
        typer.echo(event.message, err=True)

    try:
        server = PreviewServer(project, port=port, pdf=pdf.value, cache=not no_cache, on_event=show)
    except OSError as exc:
        typer.echo(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}", err=True)
        typer.echo("hint: another program uses that port; try --port 8001", err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    import signal

    def _terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # stop as for Ctrl-C: end the PDF process, save the cache

    signal.signal(signal.SIGTERM, _terminate)
    server.start()
    typer.echo(f"serving {server.url}  (PDF: {server.url}report.pdf; Ctrl-C stops)", err=True)
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
) -> None:
    """Start a new report project: every file it needs, commented, valid from the start."""
    from reportgen.scaffold import ScaffoldError, create_project

    try:
        written = create_project(
            directory, partnership=partnership, short_name=short_name, area=area, period=period
        )
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    typer.echo(f"created {len(written)} files in {directory}", err=True)
    typer.echo(
        f"next: open {directory / 'README.md'}, then run: reportgen serve {directory}", err=True
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
) -> None:
    """Write JSON Schemas of report.yaml and every data file, for editors.

    See `reportgen docs authoring`.
    """
    from reportgen.jsonschema import add_modelines, write_schemas

    target = out if out is not None else project / "schemas"
    try:
        schema_dir = target.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        if modelines:
            raise typer.BadParameter(
                "with --modelines the schemas must be inside the project", param_hint="--out"
            ) from None
    for path in write_schemas(target):
        typer.echo(f"wrote {path}", err=True)
    if modelines:
        for path in add_modelines(project, schema_dir):
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
    app(prog_name="reportgen")


if __name__ == "__main__":
    main()
