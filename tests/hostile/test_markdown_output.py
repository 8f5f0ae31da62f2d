"""What hostile Markdown becomes in the published page: text, never markup; no fetches."""

from __future__ import annotations

import base64
import shutil
from html.parser import HTMLParser
from pathlib import Path

from reportgen.load.markdown_source import parse_markdown
from reportgen.pipeline import build
from reportgen.render.markdown import render_inline, render_narrative
from tests.hostile.fixtures import BASE, load_cases

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class _Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def _narrative(text: str, root: Path | None = None) -> str:
    source, _ = parse_markdown(text, "content/x.md", root)
    return render_narrative(source, "x", lambda target: "FIG", lambda kind, target: "")


def test_raw_html_in_a_built_report_is_text_not_markup(tmp_path: Path) -> None:
    (case,) = [c for c in load_cases() if c.name == "md-raw-html"]
    root = case.materialise(tmp_path)
    result = build(root, pdf=False)
    assert not result.diagnostics.has_errors()
    html = (root / "build" / "report.html").read_text()
    tags = _elements(html)
    assert not [t for t, _ in tags if t in ("script", "iframe")]
    assert not [(t, a) for t, a in tags if any(name.startswith("on") for name in a)]
    assert "&lt;script&gt;" in html and "&lt;iframe" in html  # shown, as text
    links = [a for t, a in tags if t == "a" and a.get("title")]
    assert links and links[0]["title"] == 'a" onmouseover="alert(1)'


def test_unchecked_or_unsafe_links_are_rendered_inert() -> None:
    html = _narrative("[a](javascript:alert(1)) [b](//evil.example) [c](https://ok.example)")
    hrefs = [a.get("href") for t, a in _elements(html) if t == "a"]
    assert hrefs == [None, None, "https://ok.example"]


def test_images_are_embedded_from_the_project_never_fetched(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart.png").write_bytes(PNG)
    html = _narrative("![Referrals by month](images/chart.png)", tmp_path)
    (img,) = [a for t, a in _elements(html) if t == "img"]
    assert img["alt"] == "Referrals by month"
    assert img["src"] == "data:image/png;base64," + base64.b64encode(PNG).decode()


def test_an_image_that_was_not_checked_is_only_its_alt_text() -> None:
    html = _narrative("![A pixel](https://evil.example/p.png) ![Local](images/x.png)")
    assert "<img" not in html
    assert "A pixel" in html and "Local" in html


def test_data_fields_never_carry_images_or_unsafe_links() -> None:
    html = render_inline(
        "see ![x](https://evil.example/p.png) [y](javascript:alert(1)) "
        "[z](mailto:a@example.org) <script>"
    )
    tags = _elements(html)
    assert not [t for t, _ in tags if t in ("img", "script")]
    assert [a.get("href") for t, a in tags if t == "a"] == [None, "mailto:a@example.org"]


def test_a_built_page_asks_for_nothing_outside_itself(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    (root / "images").mkdir()
    (root / "images" / "logo.png").write_bytes(PNG)
    md = root / "content" / "budget.md"
    md.write_text(md.read_text() + "\n![The partnership's logo](images/logo.png)\n")
    result = build(root, pdf=False)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    html = (root / "build" / "report.html").read_text()
    for tag, attrs in _elements(html):
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is None or (tag == "a" and name == "href"):
                continue
            assert value.startswith(("data:", "#")), (tag, name, value)
