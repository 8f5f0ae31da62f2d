"""`reportgen serve`: the authoring loop (reportgen/docs/authoring.md)."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reportgen.cli.common import (
    EXIT_ERRORS,
    NoCacheOpt,
    ProjectArg,
    QuietOpt,
    VerboseOpt,
    _logging,
    _save_crash,
)
from reportgen.diagnostics import DiagnosticList

if TYPE_CHECKING:
    pass


class PdfMode(StrEnum):
    BACKGROUND = "background"
    REQUEST = "request"
    OFF = "off"


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
