"""The PDF engine, started before validation: WeasyPrint imports while the build validates.

Importing WeasyPrint (and pikepdf) takes about half a second, and a build needs the PDF
engine only after it has loaded, validated and derived the report and written the print
page (about 0.4 s). A build that will make a PDF on a machine with a second CPU starts
this engine process first, so the two overlap. The build then sends the print page; the
engine lays it out with `render_pdf` (the same function, so the same bytes) and asks the
build for each chart image by its address, as WeasyPrint reaches it. WeasyPrint's
progress messages come back as log records, so the progress display is unchanged.

A long page is laid out in two parts by two engines and joined (render/pdfsplit.py);
whether it is depends on the page alone (`split_cut`), never on the machine, because the
joined PDF's bytes differ from the whole layout's. So where no engine was started before
validation (one CPU, `reportgen build A B`, an engine that could not start or died), a
page that is split is laid out by two engines started then, sharing the CPUs
(`render_split`). Anything else unexpected (an engine that fails with an error that is
not a chart's) and the build makes the PDF in its own process: slower, never different.
Only a failure of the split itself (the same for a page on any machine: a moved page
break, `target-text()` across the cut) lays the page out whole.
"""

from __future__ import annotations

import logging
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reportgen.render.pdf import ChartImages
from reportgen.render.pdfsplit import Cut, Paginated, split_cut, split_wanted

log = logging.getLogger(__name__)


class EngineLost(Exception):
    """The engine process could not make the PDF; make it in this process instead."""


class PdfEngine:
    """A second process with WeasyPrint imported, waiting for one print page."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self._process = process
        self._connection = connection
        self._done = False  # idle between pages: it ends by itself when the pipe closes
        self._partner: PdfEngine | None = None  # the second part's engine, for a split

    @classmethod
    def start(cls, split: bool = False) -> PdfEngine | None:
        """The engine, importing WeasyPrint; None where it cannot help (one CPU) or start.
        With `split` (and two CPUs), a second engine for the second part of a long page.
        Started early for speed only: what is split does not depend on it (`render`)."""
        from reportgen.cpus import usable_cpus

        if usable_cpus() < 2:
            return None
        engine = cls._spawn()
        if engine is not None and split and split_wanted():
            engine._partner = cls._spawn()
        return engine

    @classmethod
    def _spawn(cls) -> PdfEngine | None:
        import multiprocessing

        if multiprocessing.current_process().daemon:  # it may not start processes
            log.info("pdf: no engine process from a daemon process")
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
        else (the caller makes the PDF itself, which reports the real problem). A
        page that is split (`split_cut`) is laid out in two parts by this engine and its
        partner (started now if it was not before validation), and joined; if the split
        fails (SplitFailed: so it would on any machine), the whole page is laid out here
        instead. An engine lost during the split raises EngineLost, and the build lays
        the parts out again with new engines (`render_split`)."""
        if (parts := split_cut(html)) is not None:
            from reportgen.render.pdfsplit import SplitFailed

            if self._partner is None:
                self._partner = self._spawn()
            if self._partner is None:
                raise EngineLost("no process for the second part")
            try:
                return self.render_parts(parts, project_root, charts)
            except SplitFailed as exc:
                log.debug("pdf: the split layout failed (%s); laid out whole", exc)
            except EngineLost:
                self.close()  # both: the one left is still busy with its part
                raise
        return self._render_whole(html, project_root, charts)

    def render_parts(self, parts: Cut, project_root: Path, charts: ChartImages) -> bytes:
        """The PDF of a cut page, its parts laid out by this engine and its partner at
        once and joined. Raises SplitFailed where that cannot match the whole layout,
        EngineLost if an engine died, or a chart's own error."""
        if self._partner is None:
            raise EngineLost("no second engine")
        return _render_split((self, self._partner), parts, project_root, charts)

    def _render_whole(self, html: str, project_root: Path, charts: ChartImages) -> bytes:
        failure: BaseException | None = None
        progress = logging.getLogger("weasyprint.progress")
        self._done = False
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
        """Stop the engine: at once if it is not idle (it may still be importing)."""
        if self._partner is not None:
            self._partner.close()
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
    """The engine process: import WeasyPrint, then make each PDF or part it is sent."""
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
    from reportgen.render.pdfsplit import PartLayout, Settled, SplitFailed

    def reply() -> Any:
        """The build's answer; ("abort",) if the other part of a split failed."""
        message = connection.recv()
        if message == ("abort",):
            raise SplitFailed("the other part failed")
        return message

    def chart(url: str) -> bytes | None:
        connection.send(("chart", url))
        svg, failed = reply()
        if failed:
            raise RuntimeError(f"the build could not draw {url}")
        assert svg is None or isinstance(svg, bytes)
        return svg

    def exchange(paginated: Paginated) -> Settled:
        connection.send(("paginated", paginated.pages, paginated.anchors))
        _kind, offset, total, foreign = reply()
        return Settled(offset, total, foreign)

    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(_Forward(connection))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    while True:  # one page after another (the report, its digest), until the pipe closes
        try:
            message = connection.recv()
        except EOFError:
            return
        try:
            if message[0] == "page":
                _kind, html, root = message
                connection.send(("pdf", render_pdf(html, Path(root), chart)))
            elif message[0] == "part":
                _kind, index, html, root, foreign = message
                part = PartLayout(frozenset(foreign), exchange)
                pdf = render_pdf(html, Path(root), chart, part)
                assert part.result is not None
                part.result.pdf = pdf
                if index:  # the second part goes to the first's engine, which joins
                    connection.send(("part", part.result))
                else:
                    from reportgen.render.pdfjoin import join_parts

                    _kind, other = reply()
                    connection.send(("pdf", join_parts([part.result, other])))
            # anything else: an abort that came after this engine had finished
        except BaseException as exc:
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


def render_split(html: str, project_root: Path, charts: ChartImages) -> bytes | None:
    """The PDF of a page that is split, where no engine was started for it (one CPU,
    `build A B`, a lost engine): its two parts laid out by two engines started now,
    sharing the CPUs, so the bytes are those of a machine with two. None where the page
    is laid out whole: not split, or the split failed (then it would everywhere).

    Raises a chart's own error. Where no process can be started at all, the page is laid
    out whole too, with a warning: that PDF's bytes differ from the split one's."""
    from reportgen.render.pdfsplit import SplitFailed

    if (parts := split_cut(html)) is None:
        return None
    engines = [PdfEngine._spawn(), PdfEngine._spawn()]
    try:
        first, second = engines
        if first is None or second is None:
            log.warning("pdf: no processes for the two parts; laid out whole (other bytes)")
            return None
        return _render_split((first, second), parts, project_root, charts)
    except SplitFailed as exc:
        log.debug("pdf: the split layout failed (%s); laid out whole", exc)
    except EngineLost as exc:
        from reportgen.render.pdf import pdf_engine_problem

        # Engines that die importing WeasyPrint: the build says what to install instead.
        if pdf_engine_problem() is None:
            log.warning("pdf: an engine of the split layout died (%s); laid out whole", exc)
    finally:
        for engine in engines:
            if engine is not None:
                engine.close()
    return None


def _render_split(
    engines: tuple[PdfEngine, PdfEngine], parts: Cut, project_root: Path, charts: ChartImages
) -> bytes:
    """The PDF of the cut page: each part laid out by one engine, at the same time; the
    build relays what they tell each other (render/pdfsplit.py) and serves the charts."""
    from multiprocessing.connection import wait

    from reportgen.render.pdfsplit import SplitFailed

    progress = logging.getLogger("weasyprint.progress")
    connections = [engine._connection for engine in engines]
    started = time.perf_counter()
    paginated: dict[int, Paginated] = {}
    failure: BaseException | None = None  # a chart's own error
    problem: str | None = None
    pdf: bytes | None = None
    try:
        for index, engine in enumerate(engines):  # (an engine may have died importing)
            engine._done = False
            foreign = sorted(parts.anchors[1 - index])
            engine._connection.send(("part", index, parts.parts[index], str(project_root), foreign))
        while not all(engine._done for engine in engines):
            for ready in wait(connections):
                index = connections.index(ready)  # type: ignore[arg-type]
                engine, other = engines[index], engines[1 - index]
                message: tuple[Any, ...] = connections[index].recv()
                kind = message[0]
                if kind == "progress":
                    if index == 0:  # the first part's: its page numbers count up
                        progress.info("%s", message[1])
                elif problem is not None and kind in ("chart", "paginated"):
                    continue  # aborted: the engine reads the abort as its answer
                elif kind == "chart":
                    try:
                        engine._connection.send((charts(message[1]), False))
                    except Exception as exc:  # drawing failed: stop both, raise it after
                        failure, problem = exc, f"chart {message[1]}"
                        engine._connection.send((None, True))
                        _abort(other)
                elif kind == "paginated":
                    paginated[index] = Paginated(message[1], message[2])
                    log.debug(
                        "pdf: part %d paginated (%d pages) after %.2f s",
                        index + 1,
                        message[1],
                        time.perf_counter() - started,
                    )
                    if len(paginated) == 2:
                        _settle(engines, paginated)
                elif kind == "part":  # the second part: to the first's engine, to join
                    engine._done = True
                    log.debug("pdf: part 2 written after %.2f s", time.perf_counter() - started)
                    other._connection.send(("join", message[1]))
                elif kind == "pdf":
                    engine._done = True
                    log.debug("pdf: joined after %.2f s", time.perf_counter() - started)
                    pdf = message[1]
                else:  # "error"
                    engine._done = True
                    if problem is None:
                        problem = message[1]
                        _abort(other)
    except (EOFError, OSError) as exc:  # an engine died
        raise EngineLost(repr(exc)) from exc
    if failure is not None:
        raise failure
    if problem is not None or pdf is None:
        raise SplitFailed(problem or "no PDF")
    return pdf


def _abort(engine: PdfEngine) -> None:
    """Stop the other part, unless it has finished (then the abort is read and dropped)."""
    if not engine._done:
        engine._connection.send(("abort",))


def _settle(engines: tuple[PdfEngine, PdfEngine], paginated: dict[int, Paginated]) -> None:
    """Tell each part where it sits in the whole and where the other's anchors are."""
    first, second = paginated[0], paginated[1]
    total = first.pages + second.pages
    engines[0]._connection.send(
        ("settle", 0, total, {a: first.pages + i + 1 for a, i in second.anchors.items()})
    )
    engines[1]._connection.send(
        ("settle", first.pages, total, {a: i + 1 for a, i in first.anchors.items()})
    )


__all__ = ["EngineLost", "PdfEngine", "render_split", "split_wanted"]
