"""Command line: a thin shell over `reportgen.pipeline`.

The only package that imports Typer or prints. Results (problems, summaries, JSON) go
to stdout, progress and log lines to stderr. Exit codes: 0 clean (or warnings only),
1 the project has errors (or warnings under --strict), 2 a usage error (an unknown
option, a missing value: Click's own code), 3 a bug in reportgen, 130 interrupted.

Each module holds the commands of one concern; they are registered on `app` below.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from reportgen import __version__
from reportgen.cli import authoring, building, explaining, open_data, preview
from reportgen.cli.common import EXIT_BUG, EXIT_CODES_HELP, _report_bug, app

__all__ = ["app", "main"]

# The commands, in the order `reportgen --help` lists them.
app.command(epilog=EXIT_CODES_HELP)(building.validate)
app.command(epilog=EXIT_CODES_HELP)(building.build)
app.command()(explaining.explain)
app.command()(explaining.docs)
app.command("explain-figure")(open_data.explain_figure)
app.command()(open_data.collect)
app.command()(preview.serve)
app.command()(authoring.init)
app.command("new-year")(authoring.new_year)
app.command()(authoring.schema)


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
