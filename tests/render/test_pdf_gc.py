"""render/pdf.py: the garbage collector runs rarely during the layout, as before after it."""

from __future__ import annotations

import gc
import threading

import pytest

from reportgen import pipeline
from reportgen.cache import BuildCache
from reportgen.render.chartset import ChartSet
from reportgen.render.html import render_report
from reportgen.render.pdf import LAYOUT_GC_THRESHOLDS, fewer_collections, render_pdf
from tests.conftest import CHARTS_MD, ProjectWriter


def test_collections_are_rare_during_the_layout_and_normal_after(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    before = gc.get_threshold()
    seen: list[tuple[tuple[int, int, int], int]] = []
    with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
        page = render_report(result.project, result.derived, medium="print", charts=charts)

        def images(url: str) -> bytes | None:  # called by WeasyPrint while it lays out
            seen.append((gc.get_threshold(), gc.get_freeze_count()))
            return charts.image(url)

        pdf = render_pdf(page, root, images)
    assert pdf.startswith(b"%PDF")
    assert len(seen) == 2
    assert all(threshold == LAYOUT_GC_THRESHOLDS and frozen > 0 for threshold, frozen in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_overlapping_layouts_restore_the_thresholds_once_both_end() -> None:
    """serve may lay out a PDF in a thread while a build lays out another."""
    gc.set_threshold(700, 10, 10)
    first_in, second_done = threading.Event(), threading.Event()
    during: list[tuple[int, int, int]] = []

    def other() -> None:
        with fewer_collections():
            first_in.set()
            second_done.wait(10)
            during.append(gc.get_threshold())

    thread = threading.Thread(target=other)
    thread.start()
    assert first_in.wait(10)
    with fewer_collections():
        pass
    assert gc.get_threshold() == LAYOUT_GC_THRESHOLDS  # the other layout still runs
    second_done.set()
    thread.join(10)
    assert during == [LAYOUT_GC_THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10) and gc.get_freeze_count() == 0


def test_an_error_in_the_layout_still_restores_the_collector() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("layout failed")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
