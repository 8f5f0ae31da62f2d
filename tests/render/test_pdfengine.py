"""render/pdfengine.py: WeasyPrint imported in a second process while the build validates.

The engine must make the very same PDF as the build's own process, get each chart from
the build, and hand anything unexpected back so the build makes the PDF itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import reportgen.cpus as cpus_module
from reportgen import pipeline
from reportgen.cache import BuildCache
from reportgen.progress import ProgressEvent
from reportgen.render.chartset import CHART_URL, ChartSet, forget_drawn_charts
from reportgen.render.html import render_report
from reportgen.render.pdf import render_pdf
from reportgen.render.pdfengine import EngineLost, PdfEngine
from tests.conftest import CHARTS_MD, ProjectWriter


@pytest.fixture
def chart_project(write_project: ProjectWriter, minimal_files: dict[str, str]) -> Path:
    return write_project({**minimal_files, "content/budget.md": CHARTS_MD})


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[PdfEngine]:
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    started = PdfEngine.start()
    assert started is not None
    yield started
    started.close()


def _print_page(root: Path) -> tuple[str, dict[str, bytes]]:
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    forget_drawn_charts()
    with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
        page = render_report(result.project, result.derived, medium="print", charts=charts)
        return page, charts.images()


def test_the_engine_makes_the_same_pdf_and_asks_the_build_for_each_chart(
    engine: PdfEngine, chart_project: Path
) -> None:
    page, images = _print_page(chart_project)
    asked: list[str] = []

    def chart(url: str) -> bytes | None:
        asked.append(url)
        return images.get(url)

    made_there = engine.render(page, chart_project, chart)
    assert sorted(asked) == sorted(images) and len(images) == 2
    assert all(url.startswith(CHART_URL) for url in asked)
    assert made_there == render_pdf(page, chart_project, images.get)


def test_a_chart_that_fails_to_draw_fails_with_its_own_error(
    engine: PdfEngine, chart_project: Path
) -> None:
    page, _images = _print_page(chart_project)

    def broken(url: str) -> bytes | None:
        raise RuntimeError("matplotlib fell over")

    with pytest.raises(RuntimeError, match="matplotlib fell over"):
        engine.render(page, chart_project, broken)


def test_an_engine_that_dies_is_reported_as_lost(engine: PdfEngine, chart_project: Path) -> None:
    page, images = _print_page(chart_project)
    engine._process.kill()  # the test kills it on purpose
    engine._process.join()
    with pytest.raises(EngineLost):
        engine.render(page, chart_project, images.get)


def test_any_other_error_in_the_engine_is_handed_back(
    engine: PdfEngine, chart_project: Path
) -> None:
    page = "<html><body><img src='file:///etc/hostname' alt='x'></body></html>"
    with pytest.raises(EngineLost):  # a refused file: the build makes the PDF to report it
        engine.render(page, chart_project, lambda url: None)


def test_a_build_uses_the_engine_and_shows_its_progress(
    chart_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    used: list[bytes] = []
    real = PdfEngine.render_all

    def spying(self: PdfEngine, *args: object, **kwargs: object) -> list[bytes]:
        assert callable(kwargs.get("meanwhile"))  # the screen page, while it lays out
        pdfs = real(self, *args, **kwargs)  # type: ignore[arg-type]
        used.extend(pdfs)
        return pdfs

    monkeypatch.setattr(PdfEngine, "render_all", spying)
    events: list[ProgressEvent] = []
    result = pipeline.build(chart_project, progress=events.append)
    assert not result.diagnostics.has_errors()
    (pdf,) = [p for p in result.outputs if p.suffix == ".pdf"]
    assert used == [pdf.read_bytes()]
    details = [e.detail for e in events if e.stage == "pdf"]
    assert any("page" in d for d in details), details  # WeasyPrint's steps, forwarded
    # The page made while the engine laid out the PDF is the page made without one.
    alone = pipeline.build(chart_project, tmp_path / "alone", chart_worker=False)
    html = [[p.read_bytes() for p in r.outputs if p.suffix == ".html"] for r in (result, alone)]
    assert html[0] == html[1] and len(html[0]) == 1


def test_a_lost_engine_costs_only_time(
    chart_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    expected = pipeline.build(chart_project, tmp_path / "here", chart_worker=False)

    def lost(self: PdfEngine, *args: object, **kwargs: object) -> list[bytes]:
        raise EngineLost("gone")

    monkeypatch.setattr(PdfEngine, "render_all", lost)
    again = pipeline.build(chart_project, tmp_path / "there")
    pdfs = [[p.read_bytes() for p in r.outputs if p.suffix == ".pdf"] for r in (expected, again)]
    assert pdfs[0] == pdfs[1] and len(pdfs[0]) == 1


def test_with_one_cpu_there_is_no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 1)
    assert PdfEngine.start() is None


def test_an_engine_leaves_no_font_files_and_ends_when_the_build_is_done(
    chart_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the engine's temporary folder, and ours
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    page, images = _print_page(chart_project)
    assert "@font-face" in page  # WeasyPrint writes each face to a temporary folder
    engine = PdfEngine.start()
    assert engine is not None
    try:
        assert engine.render(page, chart_project, images.get).startswith(b"%PDF-")
    finally:
        engine.close()
    assert engine._process.exitcode == 0  # ended by itself, not terminated
    assert render_pdf(page, chart_project, images.get).startswith(b"%PDF-")  # here too
    assert list(scratch.iterdir()) == []
