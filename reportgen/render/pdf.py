"""Render the report page to a tagged A4 PDF with WeasyPrint.

WeasyPrint is imported inside the functions: `reportgen --help` and `validate`
never pay for it. Every resource the page asks for goes through a fetcher that
refuses the network and anything outside the project: builds never reach out.
The one other address it serves is a chart image of the print page
(`reportgen-chart:<key>`), from the build's charts (reportgen/render/chartset.py).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reportgen.diagnostics import Diagnostic, Location, ReportgenError
from reportgen.views import CHART_URL

ChartImages = Callable[[str], bytes | None]  # a chart image's address -> its SVG


def _make_fetcher(root: Path, charts: ChartImages | None) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve data: URIs, chart images and files inside the project; refuse the rest."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.refused: list[str] = []
            self.chart_failure: BaseException | None = None

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(CHART_URL) and charts is not None:
                try:
                    svg = charts(url)
                except Exception as exc:  # drawing failed: stop, and raise it after
                    self.chart_failure = exc
                    raise FatalURLFetchingError(url) from exc
                if svg is not None:
                    return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"refused: {url}")

    return ConfinedFetcher()


# Python's cyclic garbage collector during the layout. WeasyPrint makes millions of small
# container objects (boxes, styles, lines) that live until the PDF is written and are not
# garbage; with the default thresholds (700, 10, 10) the collector runs about a thousand
# times and scans them again and again: 0.96 s to 1.47 s of the example's 7.6 s of CPU
# (measured with gc.callbacks). With everything that exists before the layout frozen
# (modules, the page) and young objects collected after 100,000 allocations instead of
# 700, it runs 0.08 s to 0.16 s, for about 5.5 MiB more peak memory (147.7 -> 153.2
# MiB). See docs/performance.md.
LAYOUT_GC_THRESHOLDS = (100_000, 50, 100)
_gc_lock = threading.Lock()
_gc_users = 0  # PDFs being laid out now (serve may make one while a build runs)
_gc_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage rarely while WeasyPrint lays out and writes; as before after."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*LAYOUT_GC_THRESHOLDS)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)
                gc.unfreeze()


def render_pdf(html: str, project_root: Path, charts: ChartImages | None = None) -> bytes:
    """PDF bytes for the report's print page: tagged PDF/UA-1, reproducible.

    The page's base URL is the project folder, but no path of it reaches the PDF: the
    same inputs give the same bytes from any checkout (dates only from SOURCE_DATE_EPOCH,
    via the page's dcterms meta tags). `charts` gives the SVG behind each chart image
    address of the page (`ChartSet.image`); it may draw the chart while WeasyPrint waits.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from reportgen.render.pdfua import finish_pdf

    root = project_root.resolve()
    fetcher = _make_fetcher(root, charts)
    try:
        with fewer_collections():
            document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError:
        if fetcher.chart_failure is not None:
            raise fetcher.chart_failure from None
        raise ReportgenError(
            Diagnostic(
                "render.resource-refused",
                f"the report asks for '{url}', which is outside the project or on the network",
                location=Location("report.yaml"),
                hint="keep images and other files inside the project folder; "
                "builds never fetch from the network",
            )
            for url in fetcher.refused
        ) from None
    assert isinstance(pdf, bytes)
    return finish_pdf(pdf)
