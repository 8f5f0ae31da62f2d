"""render/chartset.py: the print page needs no drawing; the PDF engine fetches each chart.

The charts a PDF build must draw are drawn in a second process while WeasyPrint starts;
these tests pin that the drawing is the same wherever it happens, that a dead worker
costs nothing but time, and that the PDF gets exactly the charts of its page.
"""

from __future__ import annotations

import concurrent.futures
import html
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

import reportgen.cpus as cpus_module
import reportgen.render.charts as charts_module
import reportgen.render.chartset as chartset_module
from reportgen import pipeline
from reportgen.cache import BuildCache
from reportgen.diagnostics import ReportgenError
from reportgen.render.chartset import CHART_URL, ChartSet, forget_drawn_charts
from reportgen.render.html import render_report
from reportgen.render.pdf import render_pdf
from reportgen.views import BlockKey, ChartSpec, ChartView
from tests.conftest import CHARTS_MD, ProjectWriter
from tests.render.pdf_structure import marked_text, structure, walk

IMAGE = re.compile(r'<img class="chart-image" src="(reportgen-chart:[0-9a-f]+)" alt="([^"]+)">')


@pytest.fixture
def validated(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> Iterator[pipeline.ValidationResult]:
    root = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    forget_drawn_charts()  # each test draws afresh, as a new process would
    yield result
    forget_drawn_charts()


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the charts drawn in this process."""
    drawn: list[str] = []
    real = charts_module.render_chart

    def counting(spec: ChartSpec, *args: object) -> ChartView:
        drawn.append(spec.id)
        return real(spec, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(charts_module, "render_chart", counting)
    return drawn


def _charts(result: pipeline.ValidationResult) -> ChartSet:
    assert result.project is not None and result.derived is not None
    return ChartSet.of_report(result.project, result.derived, BuildCache.disabled())


def _print_page(result: pipeline.ValidationResult) -> tuple[str, Path]:
    """The print page, none of its charts drawn, and the project's folder."""
    assert result.project is not None and result.derived is not None
    with _charts(result) as charts:
        page = render_report(result.project, result.derived, medium="print", charts=charts)
    return page, result.project.root


def test_print_page_shows_each_chart_as_an_image_and_draws_nothing(
    validated: pipeline.ValidationResult, drawings: list[str]
) -> None:
    assert validated.project is not None and validated.derived is not None
    with _charts(validated) as charts:
        page = render_report(validated.project, validated.derived, medium="print", charts=charts)
        assert drawings == []  # the page is written before any chart is drawn
        images = IMAGE.findall(page)
        assert len(images) == 2 and "<svg" not in page
        for url, alt in images:
            assert alt.startswith("Horizontal bar chart:")  # the whole text alternative
            svg = charts.image(url)
            assert svg is not None and svg.startswith(b"<svg")
        assert sorted(drawings) == ["chart-budget-expenditure", "chart-budget-income"]
        assert charts.image(CHART_URL + "0" * 64) is None  # not a chart of this page
        screen = render_report(validated.project, validated.derived, charts=charts)
    # Each chart twice (for a phone and for the page), both from the one drawing.
    assert screen.count("<svg") == 4 and 'class="chart-image"' not in screen
    assert screen.count('class="chart-narrow"') == 2
    assert len(drawings) == 2  # the screen page reuses the drawings


@pytest.mark.parametrize(("page_only", "workers"), [(False, 1), (True, 2)])
def test_charts_drawn_in_the_worker_are_the_charts_drawn_here(
    validated: pipeline.ValidationResult,
    monkeypatch: pytest.MonkeyPatch,
    page_only: bool,
    workers: int,
) -> None:
    """Beside a PDF, one worker draws; for the page alone, two share the charts."""
    with _charts(validated) as here:
        expected = {
            b: here.view(b).svg
            for b in (BlockKey("chart", "budget.income"), BlockKey("chart", "budget.expenditure"))
        }
    forget_drawn_charts()
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    with _charts(validated) as there:
        there.draw_in_background(page_only=page_only)
        assert there._pool is not None
        # How many workers the pool was made with: private, and not in the library's stubs.
        assert there._pool._max_workers == workers  # type: ignore[attr-defined]

        def not_here(*_args: object) -> ChartView:
            raise AssertionError("drawn in this process, not in the worker")

        monkeypatch.setattr(charts_module, "render_chart", not_here)
        got = {b: there.view(b).svg for b in expected}
    assert got == expected


def test_a_worker_that_dies_costs_only_time(
    validated: pipeline.ValidationResult, drawings: list[str]
) -> None:
    with _charts(validated) as charts:
        charts.draw_in_background()
        pool = charts._pool  # the test kills the worker on purpose
        assert pool is not None
        for process in list(pool._processes.values()):
            process.kill()
        view = charts.view(BlockKey("chart", "budget.income"))
    assert view.svg.startswith("<svg") and "chart-budget-income" in drawings


def test_the_pdf_fetches_its_charts_from_the_set(
    validated: pipeline.ValidationResult, tmp_path: Path
) -> None:
    assert validated.project is not None and validated.derived is not None
    asked: list[str] = []
    with _charts(validated) as charts:
        page = render_report(validated.project, validated.derived, medium="print", charts=charts)

        def images(url: str) -> bytes | None:
            asked.append(url)
            return charts.image(url)

        pdf = render_pdf(page, validated.project.root, images)
    assert sorted(asked) == sorted(url for url, _alt in IMAGE.findall(page))
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    with pikepdf.open(path) as document:
        tree = structure(document, marked_text(document))
        figures = [str(e.obj.get("/Alt")) for e in walk(tree) if e.kind == "/Figure"]
    assert figures == [html.unescape(alt) for _url, alt in IMAGE.findall(page)]


def test_a_chart_that_fails_to_draw_fails_the_pdf_with_its_own_error(
    validated: pipeline.ValidationResult,
) -> None:
    def broken(url: str) -> bytes | None:
        raise RuntimeError("matplotlib fell over")

    with pytest.raises(RuntimeError, match="matplotlib fell over"):
        render_pdf(*_print_page(validated), broken)


def test_a_chart_address_the_build_does_not_know_is_refused(
    validated: pipeline.ValidationResult,
) -> None:
    with pytest.raises(ReportgenError) as caught:
        render_pdf(*_print_page(validated), lambda url: None)
    assert {d.code for d in caught.value.diagnostics} == {"render.resource-refused"}


def test_with_one_cpu_the_charts_are_drawn_here(
    validated: pipeline.ValidationResult, drawings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 1)  # a second process cannot help
    with _charts(validated) as charts:
        charts.draw_in_background()
        charts.view(BlockKey("chart", "budget.income"))
    assert drawings == ["chart-budget-income"]


def test_one_chart_for_the_page_alone_is_drawn_here(
    validated: pipeline.ValidationResult, drawings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No worker to start for one chart when this process would only wait for it."""
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    with _charts(validated) as charts:
        charts.view(BlockKey("chart", "budget.expenditure"))  # already drawn: one chart left
        charts.draw_in_background(page_only=True)
        assert charts._pool is None
        charts.view(BlockKey("chart", "budget.income"))
    assert sorted(drawings) == ["chart-budget-expenditure", "chart-budget-income"]


def test_where_no_process_can_start_the_charts_are_drawn_here(
    validated: pipeline.ValidationResult, drawings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_semaphores(*_args: object, **_kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # a container without /dev/shm

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    with _charts(validated) as charts:
        charts.draw_in_background()  # does not fail the build
        charts.view(BlockKey("chart", "budget.income"))
    assert drawings == ["chart-budget-income"]
    assert chartset_module.ChartWorkers.start() is None  # nor does starting them early


def test_chart_workers_started_early_draw_or_are_ended_at_once(
    validated: pipeline.ValidationResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page-only build starts a chart process before it validates (matplotlib imports
    there meanwhile); it draws what is missing, and it is ended without waiting for its
    import (unused) or its exit (used)."""
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    workers = chartset_module.ChartWorkers.start()
    assert workers is not None
    with _charts(validated) as charts:
        charts.draw_in_background(page_only=True, workers=workers)
        views = [
            charts.view(BlockKey("chart", target))
            for target in ("budget.income", "budget.expenditure")
        ]
    workers.close()
    assert all(v.narrow is not None and 'class="chart-narrow"' in v.narrow for v in views)
    unused = chartset_module.ChartWorkers.start()
    assert unused is not None
    processes = list(unused.pool._processes.values())
    started = time.monotonic()
    unused.close()
    assert time.monotonic() - started < 2  # not waiting for their import to finish
    deadline = time.monotonic() + 10  # (the executor's own thread reaps them too)
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(p.is_alive() for p in processes)


def test_a_page_only_build_starts_drawing_as_soon_as_the_charts_are_derived(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The chart process gets the charts when derive has made them, while the checks
    (the data's, last year's, the report-wide ones) still run in this process."""
    import reportgen.checks as checks_module
    import reportgen.lastyear as lastyear_module

    root = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    forget_drawn_charts()
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    events: list[str] = []
    real_draw, real_check = ChartSet.draw_in_background, lastyear_module.check_last_year

    def drawing(self: ChartSet, **kwargs: object) -> None:
        events.append("drawing" if kwargs.get("workers") is not None else "no worker")
        real_draw(self, **kwargs)  # type: ignore[arg-type]

    def checking(*args: object) -> None:
        events.append("checks")
        real_check(*args)  # type: ignore[arg-type]

    def checks(*args: object) -> None:
        events.append("run_checks")
        real_checks(*args)  # type: ignore[arg-type]

    real_checks = checks_module.run_checks
    monkeypatch.setattr(ChartSet, "draw_in_background", drawing)
    monkeypatch.setattr(lastyear_module, "check_last_year", checking)
    monkeypatch.setattr(checks_module, "run_checks", checks)
    result = pipeline.build(root, pdf=False)
    assert not result.diagnostics.has_errors()
    # Before any check: derive reads only what was loaded.
    assert events[:3] == ["drawing", "run_checks", "checks"]
    page = (root / "build" / "report.html").read_text(encoding="utf-8")
    assert page.count('class="chart-wide"') == 2 and page.count('class="chart-narrow"') == 2
    forget_drawn_charts()


def _worker_page(
    result: pipeline.ValidationResult, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str | None]:
    """The screen page rendered with its charts' places marked while a chart process
    draws them, and the same page with the drawings put in (`fill`)."""
    assert result.project is not None and result.derived is not None
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    workers = chartset_module.ChartWorkers.start()
    assert workers is not None
    try:
        with _charts(result) as charts:
            charts.draw_in_background(page_only=True, workers=workers)
            with charts.drawn_later() as marker:
                marked = render_report(result.project, result.derived, charts=charts)
            return marked, charts.fill(marked, marker)
    finally:
        workers.close()


def test_a_page_made_while_its_charts_are_drawn_is_the_page_made_after(
    validated: pipeline.ValidationResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page-only build renders its page while the chart process draws, with a marker
    where each drawing goes: the page it writes is the one made with them drawn."""
    assert validated.project is not None and validated.derived is not None
    marked, filled = _worker_page(validated, monkeypatch)
    assert marked.count("<!--reportgen-chart-") == 4  # two charts, each in two shapes
    assert 'class="chart-wide"' not in marked
    forget_drawn_charts()
    with _charts(validated) as charts:  # drawn here, before the page
        expected = render_report(validated.project, validated.derived, charts=charts)
    assert filled == expected


def test_a_template_that_changes_a_drawing_gets_the_page_made_again(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A project template may do what it likes with the drawing it is given; a marker it
    changed is not filled (None), and the build renders the page again, drawn."""
    template = '<figure id="{{ block.id }}">{{ block.svg|upper }}</figure>\n'
    root = write_project(
        {
            **minimal_files,
            "content/budget.md": CHARTS_MD,
            "templates/blocks/chart.html": template,
        }
    )
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors()
    forget_drawn_charts()
    marked, filled = _worker_page(result, monkeypatch)
    assert "<!--REPORTGEN-CHART-" in marked and filled is None
    forget_drawn_charts()
    built = pipeline.build(root, pdf=False)
    assert not built.diagnostics.has_errors()
    page = (root / "build" / "report.html").read_text(encoding="utf-8")
    assert page.count('CLASS="CHART-WIDE"') == 2 and "REPORTGEN-CHART" not in page
    forget_drawn_charts()


# Starts the chart process as a build does, prints its pid once it is running, then waits
# to be killed.
_CHART_PROCESS = """
import sys, time
import reportgen.cpus
from reportgen.render.chartset import ChartWorkers

if __name__ == "__main__":
    reportgen.cpus.usable_cpus = lambda: 2
    workers = ChartWorkers.start()
    assert workers is not None
    workers.pool.submit(time.sleep, 0).result()  # started, its initializer run
    print(*workers.pool._processes, flush=True)
    time.sleep(600)
"""


def test_the_chart_process_ends_with_a_build_that_is_killed(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "build.py"
    script.write_text(_CHART_PROCESS)
    build = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    (worker,) = map(int, build.stdout.readline().split())
    build.send_signal(signal.SIGKILL)  # no clean-up of its own: out of memory, kill -9
    build.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return  # ended (and reaped by init)
        time.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the chart process outlived the build")


# The chart process is forked only on Linux (threads counted in /proc).
_LINUX_ONLY = pytest.mark.skipif(sys.platform != "linux", reason="fork is used on Linux only")

# In a fresh process (one thread, no child): how the chart process would be started as
# threads and children come and go.
_START_METHODS = """
import multiprocessing, os, sys, threading, time
from reportgen.render.chartset import _start_method

def one_thread_left():  # a joined thread's system thread ends a moment later
    deadline = time.monotonic() + 10
    while len(os.listdir("/proc/self/task")) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)

if __name__ == "__main__":
    seen = [_start_method()]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    seen.append(_start_method())  # another thread runs
    stop.set()
    thread.join()
    one_thread_left()
    seen.append(_start_method())
    child = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(30,))
    child.start()
    seen.append(_start_method())  # a child process (a PDF engine) runs
    child.kill()
    child.join()
    seen.append(_start_method())
    sys.platform = "darwin"
    seen.append(_start_method())
    print(*seen)
"""


@_LINUX_ONLY
def test_the_chart_process_is_forked_only_while_one_thread_and_no_child_run(
    tmp_path: Path,
) -> None:
    import subprocess

    script = tmp_path / "start.py"
    script.write_text(_START_METHODS)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["fork", "spawn", "fork", "spawn", "fork", "spawn"]


# A page-only build's chart process started as a build starts it (forked: one thread),
# then as it is started when forking is not safe (spawned); the drawings of each.
_FORKED_AND_SPAWNED = """
import sys
from pathlib import Path
import reportgen.cpus
import reportgen.render.chartset as chartset
from reportgen import pipeline
from reportgen.cache import BuildCache

if __name__ == "__main__":
    reportgen.cpus.usable_cpus = lambda: 2
    for method in ("fork", "spawn"):
        chartset._start_method = lambda: method
        workers = chartset.ChartWorkers.start()
        assert workers is not None
        result = pipeline.validate(Path(sys.argv[1]))
        charts = chartset.ChartSet.of_report(result.project, result.derived, BuildCache.disabled())
        charts.draw_in_background(page_only=True, workers=workers)
        views = [charts.view(block) for block in charts._charts]
        print(workers.pool._mp_context.get_start_method(), len(views), flush=True)
        for view in views:
            print(view.svg + "\\n" + (view.narrow or ""), flush=True)
        workers.close()
        chartset.forget_drawn_charts()
"""


@_LINUX_ONLY
def test_a_forked_chart_process_draws_what_a_spawned_one_draws(
    tmp_path: Path, write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    import subprocess

    root = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    script = tmp_path / "draw.py"
    script.write_text(_FORKED_AND_SPAWNED)
    done = subprocess.run(
        [sys.executable, str(script), str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    forked, spawned = done.stdout.split("spawn 2\n")
    assert forked.startswith("fork 2\n")
    assert forked.removeprefix("fork 2\n") == spawned
    assert spawned.count("<svg") == 4  # two charts, each in two shapes
