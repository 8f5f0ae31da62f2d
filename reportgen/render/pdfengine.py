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
(`render_in_new_engines`). Anything else unexpected (an engine that fails with an error that is
not a chart's) and the build makes the PDF in its own process: slower, never different.
Only a failure of the split itself (the same for a page on any machine: a moved page
break, `target-text()` across the cut) lays the page out whole.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
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
        """The PDF of one print page, made in the engine (see `render_all`)."""
        return self.render_all([html], project_root, charts)[0]

    def render_all(
        self,
        pages: list[str],
        project_root: Path,
        charts: ChartImages,
        *,
        together: bool = True,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[bytes]:
        """The PDF of each print page (the report first, then its digest), made in the
        engines; chart images served from here.

        The first page, if it is split (`split_cut`), is laid out in two parts by this
        engine and its partner (started now if it was not before validation), and
        joined; the other pages are laid out whole by whichever engine is free first (the
        second part's, which finishes before the join), or at once by the partner when
        the first page is not split. With `together=False` the engines take turns (one
        CPU's worth of work at a time: `reportgen build -j`), with the same bytes. If the
        split fails (SplitFailed: so it would on any machine), the first page is laid out
        whole instead. `meanwhile` (the build's own work) is called once the engines have
        their pages.

        Raises a chart's own error if drawing it failed, and EngineLost for anything
        else (the caller makes the PDFs itself, which reports the real problem). An
        engine lost during the split raises EngineLost too, and the build lays the parts
        out again with new engines (`render_in_new_engines`)."""
        parts = split_cut(pages[0]) if pages else None
        if parts is not None and self._partner is None:
            self._partner = self._spawn()
            if self._partner is None:
                raise EngineLost("no process for the second part")
        engines = [self] if self._partner is None else [self, self._partner]
        try:
            return _lay_out(
                engines, pages, parts, project_root, charts, together, meanwhile=meanwhile
            )
        except EngineLost:
            self.close()  # both: the one left may still be busy with its part
            raise

    def render_parts(self, parts: Cut, project_root: Path, charts: ChartImages) -> bytes:
        """The PDF of a cut page, its parts laid out by this engine and its partner at
        once and joined. Raises SplitFailed where that cannot match the whole layout,
        EngineLost if an engine died, or a chart's own error."""
        if self._partner is None:
            raise EngineLost("no second engine")
        # No whole page to fall back to (the first page's text is unused): the split's
        # failure is raised, for the tests of the split itself.
        engines = [self, self._partner]
        return _lay_out(engines, [""], parts, project_root, charts, whole_on_failure=False)[0]

    def close(self) -> None:
        """Stop the engine and its partner: at once if not idle (it may still be
        importing); both told first, so they end at the same time."""
        engines = [self] if self._partner is None else [self._partner, self]
        for engine in engines:
            engine._connection.close()
            if not engine._done:
                engine._process.terminate()
        for engine in engines:
            engine._process.join(timeout=10)
            if engine._process.is_alive():
                engine._process.kill()
                engine._process.join()


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

    from reportgen.render.pdf import import_weasyprint

    try:
        # The point: imported while the build validates. Without Pango it raises; the
        # build then makes its own attempt, which says what to install.
        import_weasyprint()
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
        except EOFError:  # the build is done with this engine
            # Ended at once: the interpreter's teardown (a collection over WeasyPrint's
            # objects, 0.1 to 0.2 s) frees memory the system takes back anyway, and the
            # build waits for it. Nothing is left to flush or delete (render_pdf removes
            # WeasyPrint's temporary font files once each PDF is written).
            import os

            os._exit(0)
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


def render_in_new_engines(
    pages: list[str],
    project_root: Path,
    charts: ChartImages,
    *,
    together: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> list[bytes] | None:
    """The PDF of each page where the first is split but no engine was started for it
    (one CPU, `build A B`, a lost engine): two engines started now lay its parts out,
    at once or taking turns, and the other pages after, so the bytes are those of a
    machine with two CPUs. None where the pages are laid out here: the first is not
    split.

    Raises a chart's own error. Where no process can be started at all, the pages are
    laid out here too, with a warning: the first PDF's bytes differ from the split one's."""
    if not pages or split_cut(pages[0]) is None:
        return None
    engines = [PdfEngine._spawn(), PdfEngine._spawn()]
    try:
        first, second = engines
        if first is None or second is None:
            log.warning("pdf: no processes for the two parts; laid out whole (other bytes)")
            return None
        first._partner = second
        return first.render_all(pages, project_root, charts, together=together, meanwhile=meanwhile)
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


@dataclass(frozen=True)
class _Task:
    """What an engine is doing: a part of the cut first page, or a page laid out whole."""

    page: int  # index in the pages
    part: int | None = None  # 0 or 1 for a part of the cut page


def _lay_out(
    engines: list[PdfEngine],
    pages: list[str],
    parts: Cut | None,
    project_root: Path,
    charts: ChartImages,
    together: bool = True,
    whole_on_failure: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> list[bytes]:
    """The PDF of each page, laid out by the engines (see `PdfEngine.render_all`). The
    build relays what the two parts of a cut first page tell each other
    (render/pdfsplit.py), serves the charts, and gives each engine that falls idle the
    next page. With `together=False` one engine works at a time. `meanwhile` is called
    once the engines have their pages, before their questions are answered (a chart
    asked for meanwhile waits in the pipe)."""
    from collections import deque
    from multiprocessing.connection import wait

    from reportgen.render.pdfsplit import SplitFailed

    progress = logging.getLogger("weasyprint.progress")
    root = str(project_root)
    connections = [engine._connection for engine in engines]
    started = time.perf_counter()
    queue = deque(range(1 if parts is not None else 0, len(pages)))  # pages laid out whole
    tasks: dict[int, _Task] = {}  # engine index -> what it is doing
    paginated: dict[int, Paginated] = {}
    held: list[tuple[Any, ...]] = []  # taking turns: the first part's settle, sent later
    results: dict[int, bytes] = {}
    failure: BaseException | None = None  # a chart's own error
    problem: str | None = None  # why the split failed
    lost: str | None = None  # what an engine laying out a whole page raised

    def send(index: int, task: _Task, message: tuple[Any, ...]) -> None:
        engines[index]._done = False
        tasks[index] = task
        connections[index].send(message)

    def send_part(index: int) -> None:
        assert parts is not None
        foreign = sorted(parts.anchors[1 - index])
        send(index, _Task(0, index), ("part", index, parts.parts[index], root, foreign))

    def idle(index: int) -> None:
        engines[index]._done = True
        del tasks[index]

    def give_work() -> None:
        for index in range(len(engines)):
            if queue and index not in tasks and failure is None and lost is None:
                if tasks and not together:
                    return  # taking turns: one engine at a time
                page = queue.popleft()
                send(index, _Task(page), ("page", pages[page], root))

    try:
        if parts is not None:
            send_part(0)
            if together:
                send_part(1)
        give_work()
    except (EOFError, OSError) as exc:  # an engine died
        raise EngineLost(repr(exc)) from exc
    if meanwhile is not None:
        meanwhile()  # the engines have their pages: the build's own work, while they lay out
    try:
        while tasks:
            for ready in wait([connections[i] for i in tasks]):
                index = connections.index(ready)  # type: ignore[arg-type]
                task = tasks[index]
                message: tuple[Any, ...] = connections[index].recv()
                kind = message[0]
                if kind == "progress":
                    # The report's page numbers count up: its first part's, or its own.
                    if task.part != 1 and (
                        task.page == 0 or all(t.page != 0 for t in tasks.values())
                    ):
                        progress.info("%s", message[1])
                elif (
                    task.part is not None and problem is not None and kind in ("chart", "paginated")
                ):
                    continue  # aborted: the engine reads the abort as its answer
                elif kind == "chart":
                    asked = time.perf_counter()
                    try:
                        connections[index].send((charts(message[1]), False))
                        log.debug(
                            "pdf: chart for engine %d after %.2f s, waited %.2f s",
                            index + 1,
                            asked - started,
                            time.perf_counter() - asked,
                        )
                    except Exception as exc:  # drawing failed: stop the parts, raise it after
                        failure = exc
                        problem = problem or f"chart {message[1]}"
                        connections[index].send((None, True))
                        _abort_parts(engines, tasks, but=index)
                elif kind == "paginated":
                    paginated[task.part or 0] = Paginated(message[1], message[2])
                    log.debug(
                        "pdf: part %d paginated (%d pages) after %.2f s",
                        (task.part or 0) + 1,
                        message[1],
                        time.perf_counter() - started,
                    )
                    if not together and task.part == 0:
                        send_part(1)  # taking turns: the second part now
                    if len(paginated) == 2:
                        first, second = _settlements(paginated)
                        if together:
                            connections[0].send(first)
                        else:
                            held.append(first)  # the first part goes on after the second
                        connections[1].send(second)
                elif kind == "part":  # the second part: to the first's engine, to join
                    idle(index)
                    log.debug("pdf: part 2 written after %.2f s", time.perf_counter() - started)
                    if held:
                        connections[0].send(held.pop())
                    connections[0].send(("join", message[1]))
                elif kind == "pdf":
                    idle(index)
                    results[task.page] = message[1]
                    what = "joined" if task.part is not None else f"page {task.page + 1} made"
                    log.debug("pdf: %s after %.2f s", what, time.perf_counter() - started)
                else:  # "error": what the engine raised, as text (it may not pickle)
                    idle(index)
                    if task.part is None:
                        lost = lost or message[1]
                    elif problem is None:
                        problem = message[1]
                        _abort_parts(engines, tasks, but=index)
                    if (
                        task.part is not None
                        and whole_on_failure
                        and failure is None
                        and all(t.part is None for t in tasks.values())
                    ):
                        # The split cannot match the whole layout (so it would on any
                        # machine): the first page is laid out whole, by an idle engine.
                        log.debug("pdf: the split layout failed (%s); laid out whole", problem)
                        paginated.clear()
                        queue.appendleft(0)
                give_work()
    except (EOFError, OSError) as exc:  # an engine died
        raise EngineLost(repr(exc)) from exc
    if failure is not None:
        raise failure
    if lost is not None:
        raise EngineLost(lost)
    if problem is not None and not whole_on_failure:
        raise SplitFailed(problem)
    return [results[i] for i in range(len(pages))]


def _abort_parts(engines: list[PdfEngine], tasks: dict[int, _Task], but: int) -> None:
    """Stop the other part, if it is still laid out (an engine that has finished reads the
    abort after its work and drops it)."""
    for index, task in tasks.items():
        if index != but and task.part is not None:
            engines[index]._connection.send(("abort",))


def _settlements(paginated: dict[int, Paginated]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What each part is told: where it sits in the whole and where the other's anchors are."""
    first, second = paginated[0], paginated[1]
    total = first.pages + second.pages
    return (
        ("settle", 0, total, {a: first.pages + i + 1 for a, i in second.anchors.items()}),
        ("settle", first.pages, total, {a: i + 1 for a, i in first.anchors.items()}),
    )


__all__ = ["EngineLost", "PdfEngine", "render_in_new_engines", "split_wanted"]
