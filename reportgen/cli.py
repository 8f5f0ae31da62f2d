"""Command line: a thin shell over `reportgen.pipeline`.

The only module that imports Typer or prints. Exit codes: 0 clean (or warnings
only), 1 the project has errors (or warnings under --strict), 2 a bug in reportgen.
"""

from __future__ import annotations

import tempfile
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from reportgen import __version__
from reportgen.diagnostics import DiagnosticList, ReportgenError, to_json_document

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


ProjectArg = Annotated[
    Path,
    typer.Argument(help="Report project folder (the one with report.yaml).", show_default="."),
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="How to print problems: text or json.")
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show full tracebacks of internal errors.")]


def _emit(diags: DiagnosticList, fmt: OutputFormat, summary_tail: str = "") -> None:
    items = diags.sorted()
    if fmt is OutputFormat.JSON:
        typer.echo(to_json_document(items))
        return
    for d in items:
        typer.echo(d.format_text(), err=True)
    errors, warnings = len(diags.errors), len(diags.warnings)
    if errors or warnings:
        typer.echo(f"{errors} error(s), {warnings} warning(s)" + summary_tail, err=True)


def _exit_code(diags: DiagnosticList, strict: bool) -> int:
    if diags.has_errors() or (strict and diags.warnings):
        return EXIT_ERRORS
    return EXIT_OK


def _internal_error(exc: BaseException, debug: bool) -> NoReturn:
    # Never show local variables: a report's data can be about children.
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    with tempfile.NamedTemporaryFile(
        "w", prefix="reportgen-crash-", suffix=".txt", delete=False
    ) as handle:
        handle.write(text)
    if debug:
        typer.echo(text, err=True)
    typer.echo(
        f"internal error in reportgen ({type(exc).__name__}); this is a bug, not a problem "
        f"with your report. Details saved to {handle.name}; please attach it to a bug report.",
        err=True,
    )
    raise typer.Exit(EXIT_BUG)


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
    except Exception as exc:
        _internal_error(exc, debug)
    diags = result.diagnostics
    _emit(diags, fmt)
    code = _exit_code(diags, strict)
    if fmt is OutputFormat.TEXT and code == EXIT_OK:
        typer.echo(f"{project}: report is valid", err=True)
    raise typer.Exit(code)


@app.command()
def build(
    project: ProjectArg = Path("."),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: PROJECT/build).")
    ] = None,
    html_only: Annotated[bool, typer.Option("--html-only", help="Skip the PDF.")] = False,
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write the report as HTML and PDF."""
    from reportgen.pipeline import build as run_build

    try:
        result = run_build(project, out, pdf=False if html_only else None)
    except ReportgenError as exc:
        _emit(DiagnosticList(list(exc.diagnostics)), fmt, "; nothing was written")
        raise typer.Exit(EXIT_ERRORS) from None
    except Exception as exc:
        _internal_error(exc, debug)
    diags = result.diagnostics
    code = _exit_code(diags, strict)
    _emit(diags, fmt, "; nothing was written" if not result.outputs else "")
    if fmt is OutputFormat.TEXT:
        for path in result.outputs:
            typer.echo(f"wrote {path}", err=True)
    raise typer.Exit(code)


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
