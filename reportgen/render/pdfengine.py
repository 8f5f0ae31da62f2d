"""The PDF engine, started before validation: WeasyPrint imports while the build validates.

Importing WeasyPrint (and pikepdf) takes about half a second, and a build needs the PDF
engine only after it has loaded, validated and derived the report and written the print
page (about 0.4 s). A build that will make a PDF on a machine with a second CPU starts
this engine process first, so the two overlap. The build then sends the print page; the
engine lays it out with `render_pdf` (the same function, so the same bytes) and asks the
build for each chart image by its address, as WeasyPrint reaches it. WeasyPrint's
progress messages come back as log records, so the progress display is unchanged.

Anything unexpected (the engine cannot start, dies, or fails with an error that is not a
chart's) and the build makes the PDF in its own process instead: slower, never different.
"""

from __future__ import annotations

import logging
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reportgen.render.pdf import ChartImages

log = logging.getLogger(__name__)


class EngineLost(Exception):
    """The engine process could not make the PDF; make it in this process instead."""


class PdfEngine:
    """A second process with WeasyPrint imported, waiting for one print page."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self._process = process
        self._connection = connection
        self._done = False  # the PDF was received: the engine is exiting by itself

    @classmethod
    def start(cls) -> PdfEngine | None:
        """The engine, importing WeasyPrint; None where it cannot help (one CPU) or start."""
        import multiprocessing

        from reportgen.cpus import usable_cpus

        if usable_cpus() < 2:
            return None
        # spawn: nothing inherited from a caller that may run threads.
        context = multiprocessing.get_context("spawn")
        try:
            here, there = context.Pipe()
            process = context.Process(target=_serve, args=(there,), daemon=True)
            process.start()
        except OSError as exc:  # no process to spare, no pipes...
            log.info("pdf: no engine process (%s); the PDF is made here", exc)
            return None
        there.close()
        return cls(process, here)

    def render(self, html: str, project_root: Path, charts: ChartImages) -> bytes:
        """The PDF of the print page, made in the engine; chart images served from here.

        Raises a chart's own error if drawing it failed, and EngineLost for anything
        else (the caller makes the PDF itself, which reports the real problem)."""
        failure: BaseException | None = None
        progress = logging.getLogger("weasyprint.progress")
        try:
            self._connection.send(("page", html, str(project_root)))
            while True:
                message = self._connection.recv()
                kind = message[0]
                if kind == "chart":
                    try:
                        svg = charts(message[1])
                    except Exception as exc:  # drawing failed: stop the PDF, raise it after
                        failure = exc
                        self._connection.send((None, True))
                    else:
                        self._connection.send((svg, False))
                elif kind == "progress":
                    progress.info("%s", message[1])
                elif kind == "pdf":
                    data = message[1]
                    assert isinstance(data, bytes)
                    self._done = True
                    return data
                else:  # "error": what the engine raised, as text (it may not pickle)
                    if failure is not None:
                        raise failure
                    raise EngineLost(message[1])
        except (EOFError, OSError) as exc:  # the engine died
            raise EngineLost(repr(exc)) from exc

    def close(self) -> None:
        """Stop the engine: at once if it made no PDF (it may still be importing)."""
        self._connection.close()
        if not self._done:
            self._process.terminate()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


class _Forward(logging.Handler):
    """In the engine: WeasyPrint's progress messages, sent to the build."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(logging.INFO)
        self._connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        self._connection.send(("progress", record.getMessage()))


def _serve(connection: Connection) -> None:
    """The engine process: import WeasyPrint, then make the one PDF it is sent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    import contextlib
    import io

    try:
        # The point: imported while the build validates. Without Pango it prints a banner
        # and raises; the build then makes its own attempt, which says what to install.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError as exc:
        connection.send(("error", f"OSError: {exc}"))
        return

    from reportgen.render.pdf import render_pdf

    message = connection.recv()
    if message[0] != "page":
        return
    _kind, html, root = message

    def chart(url: str) -> bytes | None:
        connection.send(("chart", url))
        svg, failed = connection.recv()
        if failed:
            raise RuntimeError(f"the build could not draw {url}")
        assert svg is None or isinstance(svg, bytes)
        return svg

    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(_Forward(connection))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        pdf = render_pdf(html, Path(root), chart)
    except BaseException as exc:
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    else:
        connection.send(("pdf", pdf))


__all__ = ["EngineLost", "PdfEngine"]
