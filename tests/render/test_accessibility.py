"""The built HTML in a real browser: axe-core finds no WCAG 2.x A/AA violation.

Debian's Chromium (installed by scripts/install-system-deps.sh) is driven by Playwright;
axe-core comes from the npm registry, pinned by tests/browser/package-lock.json and
installed by `make setup`. Nothing here is skipped: a missing browser or axe-core is a
failure that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen import pipeline
from tests.conftest import CHROMIUM_ARGS, REPO, copy_project

AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# WCAG 2.2 reflow (1.4.10): 320 CSS px is the width the criterion names; 375 a common phone.
NARROW = [{"width": 320, "height": 720}, {"width": 375, "height": 812}]


def chromium_path() -> str:
    found = os.environ.get("REPORTGEN_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: run `bash scripts/install-system-deps.sh`")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE}): run `make setup`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _build_html(root: Path, out: Path) -> Path:
    result = pipeline.build(root, out, pdf=False)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    (html,) = [p for p in result.outputs if p.suffix == ".html" and "-digest" not in p.name]
    return html


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_html(REPO, tmp_path_factory.mktemp("a11y-example"))


# A wide table written in Markdown narrative (no caption: named by its heading).
WIDE_NARRATIVE_TABLE = """
## Contributions by year

| Partner | 2019/20 | 2020/21 | 2021/22 | 2022/23 | 2023/24 | 2024/25 | Change since 2019/20 |
|---|---:|---:|---:|---:|---:|---:|---:|
| Children's services | £98,000 | £99,500 | £101,000 | £103,000 | £105,000 | £107,000 | £9,000 |
| Integrated Care Board | £45,000 | £46,000 | £47,500 | £48,000 | £49,000 | £50,000 | £5,000 |
"""


@pytest.fixture(scope="module")
def narrative_table_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a wide table in its narrative."""
    root = copy_project(tmp_path_factory.mktemp("a11y-narrative-table") / "project")
    budget = root / "content" / "06-budget.md"
    budget.write_text(budget.read_text(encoding="utf-8") + WIDE_NARRATIVE_TABLE, encoding="utf-8")
    return _build_html(root, root / "build")


@pytest.fixture(scope="module")
def branded_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example rebranded with colours too pale for text, and a logo."""
    root = copy_project(tmp_path_factory.mktemp("a11y-branded") / "project")
    (root / "images").mkdir()
    (root / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
        '<rect width="120" height="40" fill="#7fb2e5"/></svg>\n',
        encoding="utf-8",
    )
    config = (REPO / "report.yaml").read_text(encoding="utf-8")
    config += textwrap.dedent(
        """
        theme:
          primary_colour: "#7fb2e5"
          accent_colour: "#ffd966"
          logo: images/logo.svg
        """
    )
    (root / "report.yaml").write_text(config, encoding="utf-8")
    return _build_html(root, root / "build")


def _open(
    browser: Any, page_path: Path, viewport: dict[str, int], requests: list[str] | None = None
) -> Any:
    """Open the page (recording what it fetches into `requests`), with axe-core loaded."""
    page = browser.new_page(viewport=viewport)
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.add_script_tag(path=str(AXE))
    return page


def _violations(page: Any, tags: list[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": "
                    + n.failureSummary.replace(/\\s+/g, " "))}));
        }""",
        tags,
    )
    assert isinstance(result, list)
    return result


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_example_has_no_wcag_violations(
    browser: Any, example_page: Path, viewport: dict[str, int]
) -> None:
    page = _open(browser, example_page, viewport)
    violations = _violations(page)
    page.close()
    assert violations == [], "axe-core found WCAG A/AA violations:\n" + _report(violations)


@pytest.mark.parametrize("kind", ["arrangements", "business-plan"])
def test_other_kinds_examples_have_no_wcag_violations(
    browser: Any, tmp_path: Path, kind: str
) -> None:
    """The examples of the other kinds of document: tables of several lists per cell,
    landscape tables, signatures and appendices, on a desktop and a phone."""
    page_path = _build_html(REPO / "examples" / kind, tmp_path)
    for viewport in (DESKTOP, PHONE):
        page = _open(browser, page_path, viewport)
        violations = _violations(page) + _violations(page, ["best-practice"])
        page.close()
        assert violations == [], f"axe-core findings ({kind}):\n" + _report(violations)


def test_example_follows_axe_best_practices(browser: Any, example_page: Path) -> None:
    """Beyond the law: unique landmark names, one main, headings in order, and so on."""
    page = _open(browser, example_page, DESKTOP)
    violations = _violations(page, ["best-practice"])
    page.close()
    assert violations == [], "axe-core best-practice findings:\n" + _report(violations)


def test_example_printed_from_a_browser_has_no_wcag_violations(
    browser: Any, example_page: Path
) -> None:
    page = _open(browser, example_page, DESKTOP)
    page.emulate_media(media="print")
    violations = _violations(page)
    page.close()
    assert violations == [], "print styles break WCAG A/AA:\n" + _report(violations)


def test_pale_brand_colours_fall_back_to_accessible_ones(browser: Any, branded_page: Path) -> None:
    html = branded_page.read_text(encoding="utf-8")
    assert "--brand: #7fb2e5" not in html  # darkened, as validation warned
    page = _open(browser, branded_page, DESKTOP)
    violations = _violations(page)
    page.close()
    assert violations == [], "a fallback colour still fails:\n" + _report(violations)


def test_page_is_self_contained_and_keyboard_usable(browser: Any, example_page: Path) -> None:
    requests: list[str] = []
    page = _open(browser, example_page, PHONE, requests)
    # Offline: nothing but the page itself (fonts, logo and charts are inline).
    assert requests == [example_page.as_uri()]
    fonts = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.status == 'loaded')"
        ".map(f => f.family))"
    )
    assert any("Atkinson Hyperlegible" in family for family in fonts), fonts
    # The first Tab reaches the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const a = document.activeElement, r = a.getBoundingClientRect();"
        " return {href: a.getAttribute('href'), x: r.left, w: r.width,"
        " background: getComputedStyle(a).backgroundColor}; })()"
    )
    assert focused["href"] == "#main"
    assert focused["x"] >= 0 and focused["w"] > 0, "the skip link stays off screen"
    assert focused["background"] == "rgb(255, 221, 0)", "focus is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # No sideways scrolling of the page on a phone (WCAG 1.4.10 reflow).
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert width <= PHONE["width"]


# Every chart's box and every text of it (labels, legends, value labels) within the
# viewport, and no text smaller than 11 CSS px; the document never wider than the
# viewport; each table that is wider than its column in a named, focusable region with
# a visible cue.
REFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5
        && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    const charts = [...document.querySelectorAll("figure.chart")].map(figure => {
        const shown = [...figure.querySelectorAll("svg")]
            .filter(svg => svg.getBoundingClientRect().width > 0);
        const svg = shown[0];
        const box = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll("text")];
        const scale = box.width / svg.viewBox.baseVal.width;  // user units to CSS px
        return {id: figure.id, shown: shown.map(s => s.getAttribute("class")),
            left: box.left, right: box.right, width: box.width,
            viewBox: svg.getAttribute("viewBox"), fixedWidth: svg.getAttribute("width"),
            texts: texts.length,
            smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize)))
                * scale,
            clipped: texts.filter(t => !inside(t.getBoundingClientRect(), box))
                .map(t => t.textContent)};
    });
    const tables = [...document.querySelectorAll(".table-wrap")]
        .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
        .map(wrap => {
            const caption = wrap.querySelector("caption");
            return {table: wrap.querySelector("table").id, role: wrap.getAttribute("role"),
                tabindex: wrap.getAttribute("tabindex"),
                labelledby: wrap.getAttribute("aria-labelledby"),
                label: wrap.getAttribute("aria-label"),
                caption: caption && caption.id,
                cue: getComputedStyle(wrap).backgroundImage};
        });
    return {width, scrollWidth: document.documentElement.scrollWidth, charts, tables};
}"""


@pytest.mark.parametrize("viewport", NARROW, ids=["320px", "375px"])
def test_example_reflows_at_phone_width(
    browser: Any, narrative_table_page: Path, viewport: dict[str, int]
) -> None:
    page = _open(browser, narrative_table_page, viewport)
    page.evaluate("document.fonts.ready")
    found = page.evaluate(REFLOW)
    violations = _violations(page)
    page.close()
    assert found["scrollWidth"] <= found["width"] == viewport["width"]
    assert len(found["charts"]) == 7  # with the children in care trend
    for chart in found["charts"]:
        assert chart["viewBox"] and chart["fixedWidth"] is None, chart["id"]
        assert chart["left"] >= 0 and chart["right"] <= found["width"], chart
        assert chart["width"] >= found["width"] - 1, chart  # the whole width of a phone
        assert chart["texts"] > 5 and chart["clipped"] == [], chart
        assert chart["shown"] == ["chart-narrow"], chart  # the phone's drawing, alone
        assert chart["smallest"] >= 11, chart  # CSS px: no text smaller on a phone
    assert found["tables"], "no table is wider than a phone: the region check tests nothing"
    # The Markdown table is among them: named by its heading, as a region of its own.
    assert [t["label"] for t in found["tables"] if t["label"]] == ["Table: Contributions by year"]
    for table in found["tables"]:
        assert table["role"] == "region" and table["tabindex"] == "0", table
        if table["label"] is None:  # a data table: named by its caption
            assert table["labelledby"] == table["caption"] is not None, table
        assert table["cue"].count("gradient") == 4, table  # the edge shadows
    assert violations == [], "axe-core found WCAG A/AA violations:\n" + _report(violations)


@pytest.fixture(scope="module")
def digest_page(example_page: Path) -> Path:
    """The plain-language digest, built beside the example page (report.yaml asks for it)."""
    (page,) = example_page.parent.glob("*-digest.html")
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW[0]], ids=["desktop", "320px"])
def test_digest_has_no_wcag_violations_and_reflows(
    browser: Any, digest_page: Path, viewport: dict[str, int]
) -> None:
    requests: list[str] = []
    page = _open(browser, digest_page, viewport, requests)
    violations = _violations(page) + _violations(page, ["best-practice"])
    width = page.evaluate("document.documentElement.scrollWidth")
    page.emulate_media(media="print")
    violations += _violations(page)
    page.close()
    assert requests == [digest_page.as_uri()]  # self-contained, as the report
    assert width <= viewport["width"]
    assert violations == [], "axe-core found violations in the digest:\n" + _report(violations)


def test_the_check_catches_violations(browser: Any, tmp_path: Path) -> None:
    """Guard the harness: a page with known faults must fail it."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>Bad</h1>"
        '<p style="color:#aaaaaa">Pale text</p><img src="data:image/gif;base64,'
        'R0lGODlhAQABAAAAACw=">'
        "</main></body></html>",
        encoding="utf-8",
    )
    page = _open(browser, bad, DESKTOP)
    found = {v["id"] for v in _violations(page)}
    page.close()
    assert {"html-has-lang", "color-contrast", "image-alt"} <= found
