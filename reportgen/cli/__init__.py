"""Command line: a thin shell over `reportgen.pipeline`.

The only package that imports Typer or prints. Results (problems, summaries, JSON) go
to stdout, progress and log lines to stderr. Exit codes: 0 clean (or warnings only),
1 the project has errors (or warnings under --strict), 2 a usage error (an unknown
option, a missing value: Click's own code), 3 a bug in reportgen, 130 interrupted.

Each module holds the commands of one concern; they are registered on `app` below.
"""

from __future__ import annotations

import gc
import sys
from typing import Annotated

# A command is a short-lived process that makes many objects and little garbage
# (imports, Pydantic's schemas, the parsed report): with the default thresholds
# (700, 10, 10) the cyclic collector ran about 136 times and took 0.04-0.1 s of a
# 0.6 s `validate`. Set before the imports below, which make most of those objects.
# (The PDF's layout sets its own, render/pdf.py, and puts these back afterwards.)
CLI_GC_THRESHOLDS = (100_000, 50, 100)
gc.set_threshold(*CLI_GC_THRESHOLDS)

import typer  # noqa: E402

from reportgen import __version__  # noqa: E402
from reportgen.cli import authoring, building, explaining, open_data, preview  # noqa: E402
from reportgen.cli.common import EXIT_BUG, EXIT_CODES_HELP, _report_bug, app  # noqa: E402

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
