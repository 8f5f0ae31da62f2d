"""`reportgen explain` (diagnostic codes) and `reportgen docs` (the packaged documentation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from reportgen.cli.common import EXIT_USAGE, QuietOpt, VerboseOpt, _logging

if TYPE_CHECKING:
    pass


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
