"""The charts of one report: from memory or the build cache, or drawn with matplotlib.

A chart's text alternative and data table come from its spec alone, so the print page
can be written before any chart is drawn: it shows each chart as an image at a
`reportgen-chart:` address that names the chart's cache key, and WeasyPrint asks for
the image (`image`) only when it lays the chart out. A build that needs a PDF and has
charts to draw starts drawing them in a second process (`draw_in_background`), so on a
machine with two cores the drawing overlaps WeasyPrint's start (import, styles, boxes)
instead of preceding it; a build of the page alone starts one before it validates
(`ChartWorkers`).
The screen page waits for the drawings (`view`), or is rendered with a marker where
each goes and gets them last (`drawn_later`, `fill`). Each chart is drawn once per
cache key: a build or `serve` that finds it in memory or in the cache never draws it
again.
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.progress import ProgressEvent
from reportgen.render.charts import alt_text, data_table
from reportgen.views import CHART_URL, BlockKey, ChartSpec, ChartView

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from reportgen.cache import BuildCache
    from reportgen.derive import Derived
    from reportgen.project import Project
    from reportgen.theme import ResolvedTheme

log = logging.getLogger(__name__)


_MARKER = "<!--reportgen-chart-"  # then a nonce, the chart's key and its shape: `fill`

# Drawn charts by cache key: the screen and print pages share them, and a long-running
# `serve` redraws only what changed. Bounded, so memory stays flat.
_MEMORY: OrderedDict[str, ChartView] = OrderedDict()
_MEMORY_SIZE = 128


@dataclass
class _Chart:
    spec: ChartSpec
    key: str  # chart_key(): everything that shapes the drawing
    view: ChartView | None = None  # drawn (or read back)
    drawing: Future[ChartView] | None = None  # being drawn in the worker process
    marked: bool = False  # its places in a page are marked, for `fill` (`drawn_later`)


class ChartSet:
    """The charts one report page shows, by block key (`chart budget.income`)."""

    def __init__(
        self, specs: Mapping[BlockKey, ChartSpec], theme: ResolvedTheme, cache: BuildCache
    ) -> None:
        from reportgen.cache import chart_key

        self._cache = cache
        fonts = [f.path for f in theme.print_fonts]
        self._style = (theme.primary, theme.accent, theme.font_family, fonts)
        self._charts: dict[BlockKey, _Chart] = {}
        for block, spec in specs.items():
            key = chart_key(spec, *self._style)
            view = _MEMORY.get(key) or cache.stored_chart(key)
            self._charts[block] = _Chart(spec, key, view)
            if view is not None:
                _remember(key, view)
        self._pool: ProcessPoolExecutor | None = None
        self._drawn = 0
        self._marker: str | None = None  # within `drawn_later`: this page's marker prefix

    @classmethod
    def of_report(cls, project: Project, derived: Derived, cache: BuildCache) -> ChartSet:
        """The charts the narrative places, in the page's order (a chart no section names
        is not drawn)."""
        from reportgen.theme import resolve_theme

        placed = [  # the narrative is kept in the sections' order
            BlockKey(ref.kind, ref.target)
            for source in project.narrative.values()
            for ref in source.refs
            if ref.kind == "chart"
        ]
        specs = {k: b for k in placed if isinstance(b := derived.blocks.get(k), ChartSpec)}
        return cls(specs, resolve_theme(project), cache)

    def __contains__(self, block: object) -> bool:
        return block in self._charts

    def draw_in_background(
        self, *, page_only: bool = False, workers: ChartWorkers | None = None
    ) -> None:
        """Start drawing the charts not yet drawn in worker processes, if that can help.

        With a PDF to make, one worker draws while this process runs WeasyPrint: worth
        it with a chart to draw and a second CPU. With the page only (`page_only`), this
        process has nothing to do but wait, so two workers share the charts: worth it
        with two CPUs and two charts (one chart is drawn as fast here). `workers`
        started before validation (`ChartWorkers.start`) have matplotlib imported
        already: they draw them all."""
        missing = [c for c in self._charts.values() if c.view is None and c.drawing is None]
        if workers is not None:  # in the page's order (`fill` takes them in that order)
            for chart in missing:
                chart.drawing = workers.pool.submit(_draw, chart.spec, *self._style)
            return
        # The costliest first, so two workers finish at about the same time.
        missing.sort(key=lambda c: -len(c.spec.categories) * len(c.spec.series))
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor  # here: only a build draws

        from reportgen.cpus import usable_cpus

        cpus = usable_cpus()
        count = min(2, cpus, len(missing)) if page_only else min(1, len(missing))
        if cpus < 2 or count < (2 if page_only else 1):
            return
        # spawn: nothing inherited from a caller that may run threads.
        context = multiprocessing.get_context("spawn")
        try:
            self._pool = ProcessPoolExecutor(
                count, mp_context=context, initializer=_leave_interrupts
            )
            for chart in missing:
                chart.drawing = self._pool.submit(_draw, chart.spec, *self._style)
        except OSError as exc:  # no semaphores (some containers), no process to spare...
            log.info("charts: no second process (%s); drawing them here", exc)
            self.close()
            for chart in missing:
                chart.drawing = None

    def view(self, block: BlockKey) -> ChartView:
        """The drawn chart (inline SVG), waiting for the worker or drawing it here (within
        `drawn_later`, a chart the worker still draws is only marked, not waited for)."""
        chart = self._charts[block]
        if chart.view is not None:
            return chart.view
        if self._marker is not None and chart.drawing is not None:
            chart.marked = True
            alt = alt_text(chart.spec)
            return ChartView(
                id=chart.spec.id,
                title=chart.spec.title,
                alt=alt,
                svg=Markup(self._mark(chart, "wide")),
                table=data_table(chart.spec),
                narrow=Markup(self._mark(chart, "narrow")),
            )
        self._drawn += 1
        if self._cache.progress is not None:
            self._cache.progress(ProgressEvent("charts", self._drawn, chart.spec.title))
        view = None
        if chart.drawing is not None:
            try:
                view = chart.drawing.result()
            except Exception as exc:  # the worker died (BrokenProcessPool), or a bug
                log.info("chart %s: the drawing process failed (%r); drawing here", block, exc)
        if view is None:
            view = _draw(chart.spec, *self._style)
        chart.view = view
        self._cache.keep_chart(chart.key, view)
        _remember(chart.key, view)
        return view

    @contextmanager
    def drawn_later(self) -> Iterator[str]:
        """Within: a page rendered shows each chart still being drawn in the worker as a
        marker of its place, and `fill` puts the drawings there. The page, the digest
        and the open data are made while the worker draws, not one chart wait at a time
        (about 0.2 s of a page-only build: docs/performance.md)."""
        # Random per page: no text of a report can make a marker by chance or on purpose.
        self._marker = f"{_MARKER}{secrets.token_hex(8)}"
        try:
            yield self._marker
        finally:
            self._marker = None

    def fill(self, page: str, marker: str) -> str | None:
        """`page` with its charts' drawings where `drawn_later` (which gave `marker`)
        marked them, waiting for each. None if a project template changed a marker (it
        altered the drawing it was given): the page must be rendered again."""
        for block, chart in self._charts.items():
            if not chart.marked:
                continue
            chart.marked = False
            view = self.view(block)
            page = page.replace(self._mark(chart, "wide", marker), view.svg)
            page = page.replace(self._mark(chart, "narrow", marker), view.narrow or "")
        # Any of its nonce left, in any case, is a marker a template changed.
        return None if marker.removeprefix(_MARKER).lower() in page.lower() else page

    def _mark(self, chart: _Chart, shape: str, marker: str | None = None) -> str:
        return f"{marker or self._marker}-{chart.key}-{shape}-->"

    def print_view(self, block: BlockKey) -> ChartView:
        """The chart for the print page, without waiting for its drawing: an image at
        the chart's `reportgen-chart:` address, with the whole text alternative as its
        alt (WeasyPrint writes it as the Figure's /Alt)."""
        chart = self._charts[block]
        alt = alt_text(chart.spec)
        image = f'<img class="chart-image" src="{CHART_URL}{chart.key}" alt="{escape(alt)}">'
        return ChartView(
            id=chart.spec.id,
            title=chart.spec.title,
            alt=alt,
            svg=Markup(image),
            table=data_table(chart.spec),
        )

    def image(self, url: str) -> bytes | None:
        """The SVG behind a `reportgen-chart:` address of this set (None: not one)."""
        for block, chart in self._charts.items():
            if url == CHART_URL + chart.key:
                return self.view(block).svg.encode("utf-8")
        return None

    def images(self) -> dict[str, bytes]:
        """Every chart's image by address, drawn now (for a PDF made in another process)."""
        return {
            CHART_URL + c.key: self.view(b).svg.encode("utf-8") for b, c in self._charts.items()
        }

    def close(self) -> None:
        """Stop the worker process, if one was started (drawings not collected are lost)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChartSet:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _leave_interrupts() -> None:
    """In the worker: Ctrl-C is the build's to handle (it stops the worker itself); and
    the worker ends with the build, however the build ends. A pool's worker reads its
    tasks from a queue whose other end it holds itself, so a build killed outright (out
    of memory, `kill -9`) would leave it waiting for ever."""
    import signal
    import threading
    from multiprocessing import parent_process

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    """Wait for the build's process to end, then end this one at once."""
    import os
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(0)


class ChartWorkers:
    """A chart-drawing process started before validation, for a build of the page alone:
    it imports matplotlib (0.5 s) while the build loads, validates and derives the
    report, so drawing starts as soon as the charts are known (`pipeline.ON_DERIVED`).
    One, not two: the example's charts take about as long to draw (0.5 s) as matplotlib
    to import, and a second process importing it on a 2-core machine took CPU time from
    validation (docs/performance.md)."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    @classmethod
    def start(cls) -> ChartWorkers | None:
        """Start it, where two CPUs are free (None: not worth it, or not possible)."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from reportgen.cpus import usable_cpus

        if usable_cpus() < 2:
            return None
        context = multiprocessing.get_context(_start_method())
        try:
            pool = ProcessPoolExecutor(1, mp_context=context, initializer=_warm_worker)
            pool.submit(int)  # the process starts (and runs its initializer) with a task
        except OSError as exc:
            log.info("charts: no second process (%s); drawing them here", exc)
            return None
        return cls(pool)

    def close(self) -> None:
        """Stop the process at once: the build has collected every drawing it wanted by
        now, and waiting for it to exit (its interpreter's teardown) or, unused, for its
        import of matplotlib to finish, would hold the build's exit."""
        # The executor's own list (Python < 3.14 has no public way to end its workers).
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()  # SIGKILL: a SIGTERM ignored by the parent is by them too


def _start_method() -> str:
    """How to start the chart process: "fork" where that is safe, else "spawn".

    A forked process begins as a copy of this one, with Python and every module the
    build has imported already there: no new interpreter importing reportgen again
    (about 0.1 s, docs/performance.md "Issue 18, fifth session"), and no resource
    tracker process (a forked pool's semaphores need none). Forking is safe only while
    this process runs one thread: a lock another thread held at that instant (logging's,
    a queue's, the progress line's) would stay locked in the copy for ever. So: Linux
    (macOS's system libraries are not safe to use after a fork; Windows has none), one
    thread running, counted by the system (`ChartWorkers.start` is called before the
    progress line or any pool starts one), and no other child process (a PDF engine's
    pipes would be copied into the chart process, and the engine would not see the
    build end until the chart process did too).
    """
    import multiprocessing
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return "spawn"
    try:  # every thread of the process, those a C library started included
        threads = len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc: cannot tell
        return "spawn"
    if threads != 1 or multiprocessing.active_children():
        return "spawn"
    # The copy would write again what is buffered for stdout and stderr when it ends.
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: left to the end of the command
        return "spawn"
    return "fork"


def _warm_worker() -> None:
    """In a worker started early: leave Ctrl-C to the build, import matplotlib now."""
    import gc

    _leave_interrupts()
    gc.set_threshold(100_000, 50, 100)  # as the command line's (reportgen/cli): imports
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401

    import reportgen.render.charts  # noqa: F401

    # The imports' objects (most of this process's) are kept to the end: out of the
    # collector's sight, whose first pass over them took 0.035 s of the drawing.
    gc.freeze()


def _draw(spec: ChartSpec, *style: Any) -> ChartView:
    """Draw one chart, here or in the worker process (matplotlib is imported there)."""
    from reportgen.render.charts import render_chart

    return render_chart(spec, *style)


def _remember(key: str, view: ChartView) -> None:
    _MEMORY[key] = view
    _MEMORY.move_to_end(key)
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)


def forget_drawn_charts() -> None:
    """Empty the in-memory charts (tests that count drawings, as a new process would)."""
    _MEMORY.clear()


__all__ = ["CHART_URL", "ChartSet", "ChartWorkers", "forget_drawn_charts"]
