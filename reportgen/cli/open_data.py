"""Open data (reportgen/docs/open-data.md): `reportgen explain-figure` and `reportgen collect`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import (
    EXIT_ERRORS,
    EXIT_USAGE,
    DebugOpt,
    OutputFormat,
    ProjectArg,
    QuietOpt,
    VerboseOpt,
    _emit,
    _internal_error,
    _interrupted,
    _logging,
    _validated,
)
from reportgen.diagnostics import DiagnosticList, ReportgenError


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

    result = _validated(project, debug)
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
