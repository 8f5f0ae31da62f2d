"""Render the report page to a tagged A4 PDF with WeasyPrint.

WeasyPrint is imported inside the functions: `reportgen --help` and `validate`
never pay for it. Every resource the page asks for goes through a fetcher that
refuses the network and anything outside the project: builds never reach out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reportgen.diagnostics import Diagnostic, Location, ReportgenError


def _make_fetcher(root: Path) -> Any:
    from weasyprint.urls import URLFetcher

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve data: URIs and files inside the project; refuse everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
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


def render_pdf(html: str, project_root: Path) -> bytes:
    """PDF bytes for the report's print page: tagged PDF/UA-1, reproducible.

    The page's base URL is the project folder, but no path of it reaches the PDF: the
    same inputs give the same bytes from any checkout (dates only from SOURCE_DATE_EPOCH,
    via the page's dcterms meta tags).
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from reportgen.render.pdfua import finish_pdf

    root = project_root.resolve()
    fetcher = _make_fetcher(root)
    try:
        document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError:
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
