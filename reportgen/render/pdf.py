"""Render the report page to a tagged A4 PDF with WeasyPrint.

WeasyPrint is imported inside the functions: `reportgen --help` and `validate`
never pay for it. Everything the print page shows is in the page: images, fonts and
the logo arrive as `data:` URIs. So the fetcher serves only `data:` URIs and the chart
images of the print page (`reportgen-chart:<key>`, from the build's charts,
reportgen/render/chartset.py), and refuses every file and network address: builds
never reach out, and no project file can be read into the PDF. The PDF has no
attachments: `<link rel=attachment>` and `<a rel=attachment>` are dropped before it
is written, so nothing can be embedded in it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from reportgen.diagnostics import Code, Diagnostic, Location, ReportgenError, Severity
from reportgen.layout import CONFIG_FILE
from reportgen.views import CHART_URL

# The diagnostic codes this module emits; reportgen.catalogue collects them.
RENDER_PDF_ENGINE_MISSING = Code(
    "render.pdf-engine-missing",
    Severity.ERROR,
    "The PDF engine's system libraries are missing",
    """
    WeasyPrint, which makes the PDF, needs Pango, HarfBuzz and fontconfig from the
    operating system. Without them reportgen still writes the HTML and exits with 1.
    On Debian or Ubuntu run `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0
    libharfbuzz0b libharfbuzz-subset0 libfontconfig1` (or `make build`, which does
    it); on Windows or macOS follow WeasyPrint's installation guide, or build with
    `--html-only`.
    """,
)
RENDER_RESOURCE_REFUSED = Code(
    "render.resource-refused",
    Severity.ERROR,
    "The report asks the PDF engine for a file or address the report does not provide",
    "The PDF engine serves only the report's own data: URIs and charts. An address a "
    "template builds in an expression is refused and reported at the template line "
    "that holds it; builds never read files for the PDF or reach the network.",
)

if TYPE_CHECKING:
    from reportgen.render.pdfsplit import PartLayout

ChartImages = Callable[[str], bytes | None]  # a chart image's address -> its SVG


def _make_fetcher(root: Path, charts: ChartImages | None) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve data: URIs and chart images; refuse every file and network address."""

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
            if urlsplit(url).scheme == "data":
                return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"refused: {url}")

    return ConfinedFetcher()


def locate_address(url: str, root: Path) -> Location:
    """The project template and line that holds `url` (or, for a file inside the
    project, its path relative to the project folder as the template wrote it)."""
    from reportgen.render.sandbox import MAX_TEMPLATE_BYTES  # here: engines never need Jinja

    written = [url]
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        if path.is_relative_to(root):
            written.append(path.relative_to(root).as_posix())
    templates = root / "templates"
    if templates.is_dir() and templates.resolve().is_relative_to(root):
        for file in sorted(templates.rglob("*")):
            if not file.is_file() or not file.resolve().is_relative_to(root):
                continue
            if file.stat().st_size > MAX_TEMPLATE_BYTES:
                continue  # never a template: the loader refuses it
            try:
                text = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if any(address in line for address in written):
                    return Location(file.relative_to(root).as_posix(), number)
        return Location("templates")
    return Location(CONFIG_FILE)


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


@contextmanager
def _font_files_removed(fonts: Any) -> Iterator[None]:
    """Delete the font configuration's temporary folder (WeasyPrint 70's `_folder`,
    which its `__del__` deletes) when the block ends, written or failed."""
    import shutil

    try:
        yield
    finally:
        folder = getattr(fonts, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
            fonts._folder = None


def render_pdf(
    html: str,
    project_root: Path,
    charts: ChartImages | None = None,
    part: PartLayout | None = None,
) -> bytes:
    """PDF bytes for the report's print page: tagged PDF/UA-1, reproducible.

    The page's base URL is the project folder, but no path of it reaches the PDF: the
    same inputs give the same bytes from any checkout (dates only from SOURCE_DATE_EPOCH,
    via the page's dcterms meta tags). `charts` gives the SVG behind each chart image
    address of the page (`ChartSet.image`); it may draw the chart while WeasyPrint waits.
    With `part`, the page is one part of a split layout (render/pdfsplit.py).
    """
    from contextlib import nullcontext

    import_weasyprint()
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    from reportgen.render.pdfsplit import hooked
    from reportgen.render.pdfua import finish_pdf

    root = project_root.resolve()
    fetcher = _make_fetcher(root, charts)
    # WeasyPrint writes the page's @font-face files to a temporary folder that its font
    # configuration deletes when it is garbage: after a collection, as a document's boxes
    # refer to each other. Deleted here once the PDF is written, so an engine process may
    # end without one (render/pdfengine.py), and nothing is left in /tmp.
    fonts = FontConfiguration()
    try:
        with fewer_collections(), _font_files_removed(fonts):
            with hooked(part) if part is not None else nullcontext():
                document = HTML(
                    string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher
                ).render(pdf_variant="pdf/ua-1", font_config=fonts)
            # Nothing is attached to the PDF, whatever the page asks (rel=attachment).
            document.metadata.attachments = []
            for page in document.pages:
                page.links = [link for link in page.links if link[0] != "attachment"]
            if part is not None:
                part.before_write(document)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError:
        if fetcher.chart_failure is not None:
            raise fetcher.chart_failure from None
        raise ReportgenError(
            RENDER_RESOURCE_REFUSED.diagnostic(
                f"the report asks for '{url}', which the report does not provide",
                location=locate_address(url, root),
                hint="a template may use only what the report provides: images, fonts "
                "and the logo declared in report.yaml; builds never fetch files or the network",
            )
            for url in dict.fromkeys(fetcher.refused)
        ) from None
    assert isinstance(pdf, bytes)
    return finish_pdf(pdf)


# WeasyPrint loads Pango, HarfBuzz and fontconfig with cffi when it is imported; without
# them the import raises OSError. That is a missing system package, not a bug.
_SYSTEM_PACKAGES = (
    "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1"
)


def import_weasyprint() -> None:
    """Import WeasyPrint (once), finding its C libraries in the linker's cache.

    WeasyPrint tries each library under several names (the Windows and macOS ones too),
    and cffi asks `ctypes.util.find_library` for every name it cannot open, which on
    Linux runs `ldconfig -p`, then gcc and ld: some 16 programs, 0.12 s of CPU and 0.2 s
    or more, in every process that imports WeasyPrint (the engines of a build). While it
    imports, each name is looked up in one reading of the linker's cache instead, as
    find_library's first step does; a library the cache lacks is "not found", as gcc
    and ld find it only outside the cache. Where that may not hold (LD_LIBRARY_PATH or
    LIBRARY_PATH set, no linker cache, not Linux) or the quick import fails, WeasyPrint
    is imported as usual. Raises OSError where it cannot be imported at all. WeasyPrint
    prints its own banner before raising: kept off stdout (the diagnostic says it better).
    """
    import contextlib
    import io
    import sys

    if "weasyprint" in sys.modules:
        return
    quick = _linker_cache()
    if quick is not None:
        import ctypes.util

        usual = ctypes.util.find_library
        ctypes.util.find_library = quick  # type: ignore[assignment]
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                import weasyprint

            return
        except OSError:  # found elsewhere after all, or not at all: the usual way says
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = usual
    with contextlib.redirect_stdout(io.StringIO()):
        import weasyprint  # noqa: F401


def _linker_cache() -> Callable[[str], str | None] | None:
    """`find_library` answered from one reading of `ldconfig -p` (the same pattern as
    ctypes' own first step), or None where that may answer differently (see above)."""
    import os
    import re
    import struct
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        return None
    if os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH"):
        return None
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            capture_output=True,
            env={"LC_ALL": "C", "LANG": "C"},
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}")
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


def pdf_engine_problem() -> Diagnostic | None:
    """A diagnostic when the PDF engine cannot start on this machine, else None."""
    try:
        import_weasyprint()
    except OSError as exc:
        missing = str(exc).split(":", 1)[0].strip() or "a system library"
        return RENDER_PDF_ENGINE_MISSING.diagnostic(
            "the PDF was not made: WeasyPrint, reportgen's PDF engine, needs system "
            f"libraries this machine lacks ({missing}); the HTML was still written",
            location=Location(CONFIG_FILE),
            hint=(
                f"on Debian or Ubuntu: sudo apt-get install {_SYSTEM_PACKAGES}; on Windows "
                "or macOS follow WeasyPrint's installation guide (`reportgen docs install`); "
                "or build with --html-only"
            ),
        )
    return None
