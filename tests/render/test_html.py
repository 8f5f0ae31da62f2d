"""The HTML page's structure: landmarks, headings, tables, charts, escaping."""

from __future__ import annotations

import itertools
import os

from reportgen import pipeline
from reportgen.render.html import render_report, report_environment
from tests.conftest import ProjectWriter
from tests.html_outline import outline


def _page(root: object) -> str:
    result = pipeline.validate(root)  # type: ignore[arg-type]
    assert not result.diagnostics.has_errors(), result.diagnostics.items
    assert result.project is not None and result.derived is not None
    return render_report(result.project, result.derived)


def test_page_structure(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    files = dict(minimal_files)
    files["content/budget.md"] += "\n## Spending\n\n{{ chart budget.expenditure }}\n"
    page = outline(_page(write_project(files)))
    (html,) = page.find("html")
    assert html.attrs["lang"] == "en-GB"
    title = page.find("title")[0]  # the page title comes first; charts have their own
    assert "Annual Report 2024/25" in title.text
    assert len(page.find("h1")) == 1
    assert len(page.find("main")) == 1 and len(page.find("nav")) == 1
    skip = page.find("a")[0]
    assert skip.attrs["href"] == "#main" and "Skip" in skip.text
    # Headings never skip a level: h1 cover, h2 contents/section, h3 from '##'.
    levels = [level for level, _ in page.headings()]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert (3, "Spending") in page.headings()
    # Tables: caption and header cells with scope.
    tables = page.find("table")
    assert len(tables) == 2  # income table + the chart's data table in the appendix
    assert all(th.attrs.get("scope") in {"col", "row"} for th in page.find("th"))
    assert any("Income by contributor" in c.text for c in page.find("caption"))
    # Charts: inline SVG with role=img, a title and a description naming the figures;
    # drawn for a phone (first; the CSS shows it on narrow screens) and for the page.
    narrow, wide = page.find("svg")
    assert narrow.attrs["class"] == "chart-narrow" and wide.attrs["class"] == "chart-wide"
    assert narrow.attrs["role"] == wide.attrs["role"] == "img"
    descs = [d.text for d in page.find("desc")]
    assert len(descs) == 2 and descs[0] == descs[1]
    assert "£153,000" in descs[0] and "Salaries" in descs[0]
    links = [a.attrs["href"] for a in page.find("a")]
    assert "#chart-budget-expenditure-data" in links
    assert any(t.attrs.get("id") == "chart-budget-expenditure-data" for t in tables)


def test_narrative_tables_scroll_in_a_named_focusable_region(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    table = "| Partner | 2023/24 | 2024/25 |\n|---|---|---|\n| Police | 1 | 2 |\n"
    files["content/budget.md"] += f"\n## Who paid\n\n{table}\n{table}\n"
    files["content/budget.md"] = table + "\n" + files["content/budget.md"]
    page = outline(_page(write_project(files)))
    regions = [
        div for div in page.find("div") if "table-wrap" in (div.attrs.get("class") or "").split()
    ]
    narrative = [r for r in regions if "aria-label" in r.attrs]
    assert len(narrative) == 3
    for region in narrative:
        assert region.attrs["role"] == "region" and region.attrs["tabindex"] == "0"
    # Named by the heading above, numbered when a heading has two; no heading: the columns.
    assert [r.attrs["aria-label"] for r in narrative] == [
        "Table: Partner, 2023/24, 2024/25",
        "Table: Who paid",
        "Table: Who paid (2)",
    ]


def test_contents_lists_sections_with_numbers(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    page = outline(_page(write_project(minimal_files)))
    toc_links = [a for a in page.find("a") if a.attrs.get("href") == "#budget"]
    assert toc_links and "1." in toc_links[0].text and "Budget" in toc_links[0].text
    sections = page.find("section")
    assert sections[0].attrs["id"] == "budget"


def test_raw_html_in_narrative_is_escaped(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["content/budget.md"] += '\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n'
    html = _page(write_project(files))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_project_template_overrides_packaged_one(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["templates/blocks/table.html"] = (
        '{% include "default:blocks/table.html" %}<p class="custom-note">Checked by finance</p>\n'
    )
    html = _page(write_project(files))
    assert '<p class="custom-note">Checked by finance</p>' in html
    assert "Income by contributor" in html  # the packaged template still ran


def test_templates_are_compiled_once_until_one_is_added_or_edited(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    first = report_environment(root)
    assert report_environment(root) is first  # the print and screen pages share it
    override = root / "templates" / "blocks" / "tiles.html"
    override.parent.mkdir(parents=True)
    override.write_text("{# a project's own tiles #}\n", encoding="utf-8")
    added = report_environment(root)
    assert added is not first and report_environment(root) is added
    stat = override.stat()
    os.utime(override, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert report_environment(root) is not added  # edited, even to the same size
    override.unlink()
    assert report_environment(root) is not added
