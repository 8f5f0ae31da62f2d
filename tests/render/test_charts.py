"""SVG charts: bars and labels, accessibility, determinism, id namespacing, alt text, tables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import pytest

from reportgen.render.charts import (
    accessible_colour,
    alt_text,
    contrast_ratio,
    format_value,
    palette,
    render_chart,
)
from reportgen.views import Cell, ChartSpec, Series
from tests.conftest import REPO

FONTS = REPO / "reportgen" / "templates" / "fonts"

SVG_NS = "{http://www.w3.org/2000/svg}"
PRIMARY = "#1d70b8"
ACCENT = "#d4351c"

# Newham Safeguarding Children Partnership, 2024/25 budget.
INCOME = {
    "Barts Health": 5000.0,
    "ELFT": 10000.0,
    "ICB": 50000.0,
    "Police": 5000.0,
    "LBN - CSC": 107000.0,
    "LBN - Education": 10000.0,
    "Housing": 5500.0,
    "Probation": 2100.0,
}
EXPENDITURE = {  # item: (full-year budget, year-end spend)
    "Salaries": (145000.0, 153000.0),
    "Training/events": (30000.0, 27000.0),
    "LCSPRs": (13000.0, 12000.0),
    "ICT/Printing/Misc": (6600.0, 4000.0),
}


def income_spec(values: Mapping[str, float | None] | None = None, **changes: object) -> ChartSpec:
    data = INCOME if values is None else values
    fields: dict[str, object] = {
        "id": "chart-budget-income",
        "title": "Income by contributor, 2024/25",
        "kind": "hbar",
        "categories": list(data),
        "series": [Series(name="Income", values=list(data.values()))],
        "unit": "money",
        "value_axis": "Amount (£)",
    }
    fields.update(changes)
    return ChartSpec(**fields)  # type: ignore[arg-type]


def expenditure_spec(kind: str = "hbar") -> ChartSpec:
    return ChartSpec(
        id="chart-budget-expenditure",
        title="Budget and year-end spend, 2024/25",
        kind=kind,  # type: ignore[arg-type]
        categories=list(EXPENDITURE),
        series=[
            Series(name="Full-year budget", values=[b for b, _ in EXPENDITURE.values()]),
            Series(name="Year-end spend", values=[s for _, s in EXPENDITURE.values()]),
        ],
        unit="money",
        value_axis="Amount (£)",
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    """The text drawn in the chart (not its <title> or <desc>)."""
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG_NS}text")]


def text_y(svg: str, content: str) -> float:
    (element,) = [t for t in parse(svg).iter(f"{SVG_NS}text") if t.text == content]
    return float(element.attrib["y"])


def fills(svg: str) -> list[str]:
    """Every solid fill colour in the SVG, from style properties and fill attributes."""
    found = re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg)
    found += re.findall(r'fill="(#[0-9a-fA-F]{6})"', svg)
    return [c.lower() for c in found]


def pattern_fills(svg: str) -> list[str]:
    return re.findall(r"fill:\s*url\(#([^)]+)\)", svg)


# --- bars and labels ----------------------------------------------------------------


def test_one_bar_per_contributor_with_money_labels() -> None:
    chart = render_chart(income_spec(), PRIMARY, ACCENT)
    assert fills(chart.svg).count(PRIMARY) == 8  # one bar each, no legend swatch
    drawn = texts(chart.svg)
    for label in ["£107,000", "£50,000", "£10,000", "£5,500", "£5,000", "£2,100"]:
        assert label in drawn
    assert drawn.count("£5,000") == 2 and drawn.count("£10,000") == 2
    assert set(INCOME) <= set(drawn)
    assert "Amount (£)" in drawn
    assert "Income" not in drawn  # a single series needs no legend
    assert chart.title not in drawn  # the page shows the title as a caption


def test_hbar_puts_the_first_category_at_the_top() -> None:
    svg = render_chart(income_spec(), PRIMARY, ACCENT).svg
    assert text_y(svg, "Barts Health") < text_y(svg, "ELFT") < text_y(svg, "Probation")


def test_two_series_have_a_legend_and_distinct_hatches() -> None:
    chart = render_chart(expenditure_spec(), PRIMARY, ACCENT)
    drawn = texts(chart.svg)
    assert "Full-year budget" in drawn and "Year-end spend" in drawn
    for label in ["£145,000", "£153,000", "£30,000", "£27,000", "£6,600", "£4,000"]:
        assert label in drawn
    # budget: solid primary; spend: a hatch pattern. 4 bars + 1 legend swatch each.
    assert fills(chart.svg).count(PRIMARY) == 5
    patterns = pattern_fills(chart.svg)
    assert len(patterns) == 5 and len(set(patterns)) == 1
    assert chart.svg.count("<pattern ") == 1


def test_three_series_each_get_their_own_hatch() -> None:
    spec = ChartSpec(
        id="chart-rereferrals",
        title="Re-referrals within 12 months",
        kind="bar",
        categories=["2022/23", "2023/24", "2024/25"],
        series=[
            Series(name="Newham", values=[21.5, 20.0, 19.0]),
            Series(name="London", values=[18.0, 17.2, 16.9]),
            Series(name="England", values=[22.4, 22.1, 22.0]),
        ],
        unit="percent",
        value_axis="Per cent",
    )
    svg = render_chart(spec, PRIMARY, ACCENT).svg
    assert fills(svg).count(PRIMARY) == 4  # 3 solid bars + legend swatch
    patterns = pattern_fills(svg)
    assert len(patterns) == 8 and len(set(patterns)) == 2  # 2 hatched series x (3 bars + swatch)
    drawn = texts(svg)
    assert {"Newham", "London", "England", "21.5%", "20%", "16.9%", "Per cent"} <= set(drawn)


def test_long_category_labels_are_wrapped() -> None:
    long_label = "Multi-agency safeguarding training events"
    spec = income_spec({long_label: 1200.0, "Housing": 5500.0})
    drawn = texts(render_chart(spec, PRIMARY, ACCENT).svg)
    assert long_label not in drawn
    label_lines = [t for t in drawn if t and t in long_label]
    assert len(label_lines) == 2 and all(len(line) <= 28 for line in label_lines)
    assert " ".join(label_lines) == long_label


def test_very_long_labels_are_shortened_but_kept_whole_in_table_and_alt() -> None:
    long_label = (
        "Learning from Sudden Unexpected Death in Infancy (SUDI) and Sudden Infant "
        "Death Syndrome (SIDS) - Basic Safer Sleep Training"
    )
    chart = render_chart(income_spec({long_label: 63.0, "Housing": 5500.0}), PRIMARY, ACCENT)
    drawn = [t for t in texts(chart.svg) if t and (t in long_label or t.endswith("…"))]
    assert len(drawn) == 2 and drawn[-1].endswith("…")
    assert chart.table.rows[1][0].text == long_label or chart.table.rows[0][0].text == long_label
    assert long_label in chart.alt


def test_hbar_height_grows_with_categories() -> None:
    def height(n: int) -> float:
        spec = income_spec({f"Partner {i}": float(i + 1) for i in range(n)})
        view_box = parse(render_chart(spec, PRIMARY, ACCENT).svg).attrib["viewBox"]
        return float(view_box.split()[3])

    assert height(3) < height(8) < height(20)


def test_missing_value_draws_no_bar_and_reads_na() -> None:
    values: dict[str, float | None] = {**INCOME, "Probation": None}
    chart = render_chart(income_spec(values), PRIMARY, ACCENT)
    assert fills(chart.svg).count(PRIMARY) == 7
    assert "n/a" in texts(chart.svg)
    assert "£2,100" not in texts(chart.svg)
    assert chart.table.rows[-1] == [Cell(text="Probation"), Cell(text="n/a", numeric=True)]
    assert "Probation n/a" in chart.alt
    assert "Lowest: Barts Health and Police (£5,000)." in chart.alt


# --- SVG hygiene -----------------------------------------------------------------------


def test_rendering_is_deterministic() -> None:
    first = render_chart(expenditure_spec(), PRIMARY, ACCENT)
    second = render_chart(expenditure_spec(), PRIMARY, ACCENT)
    assert first.svg == second.svg
    assert first == second


def test_root_element_is_accessible_and_scalable() -> None:
    chart = render_chart(income_spec(), PRIMARY, ACCENT)
    svg = chart.svg
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata" not in svg
    assert svg.startswith("<svg ")
    root_tag = re.match(r"<svg\b[^>]*>", svg)
    assert root_tag is not None
    assert 'width="' not in root_tag.group(0) and 'height="' not in root_tag.group(0)
    root = parse(svg)
    assert root.attrib["viewBox"].startswith("0 0 ")
    assert root.attrib["style"] == "max-width:100%;height:auto"
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == "chart-budget-income-title chart-budget-income-desc"
    title, desc = list(root)[:2]
    assert title.tag == f"{SVG_NS}title" and title.attrib["id"] == "chart-budget-income-title"
    assert title.text == "Income by contributor, 2024/25"
    assert desc.tag == f"{SVG_NS}desc" and desc.attrib["id"] == "chart-budget-income-desc"
    assert desc.text == chart.alt
    assert "font-family" in svg and "<text" in svg  # text stays text (svg.fonttype none)
    assert re.search(r"<style[^>]*>\s*\*", svg) is None  # no CSS rule for the whole page


def test_title_and_description_are_escaped() -> None:
    spec = income_spec(
        {"Health & <care>": 5000.0, 'Police "central"': 3000.0},
        title='Income <draft> & "estimates"',
    )
    chart = render_chart(spec, PRIMARY, ACCENT)
    assert "<draft>" not in chart.svg
    root = parse(chart.svg)  # well-formed despite the markup characters
    assert root[0].text == 'Income <draft> & "estimates"'
    assert "Health & <care> £5,000" in (root[1].text or "")


def _ids(svg: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', svg)


def _refs(svg: str) -> list[str]:
    return re.findall(r"url\(#([^)]+)\)", svg) + re.findall(r'href="#([^"]+)"', svg)


def test_ids_are_prefixed_unique_and_resolve() -> None:
    income = render_chart(income_spec(), PRIMARY, ACCENT).svg
    spend = render_chart(expenditure_spec(), PRIMARY, ACCENT).svg
    for svg, prefix in [(income, "chart-budget-income-"), (spend, "chart-budget-expenditure-")]:
        ids = _ids(svg)
        assert ids and all(i.startswith(prefix) for i in ids)
        assert len(ids) == len(set(ids))
        refs = _refs(svg)
        assert refs and set(refs) <= set(ids)  # every clip path / pattern / use resolves
    assert not set(_ids(income)) & set(_ids(spend))  # both can be inlined in one page


def test_same_data_under_another_id_differs_only_by_prefix() -> None:
    a = render_chart(income_spec(), PRIMARY, ACCENT).svg
    b = render_chart(income_spec(id="chart-other"), PRIMARY, ACCENT).svg
    assert not set(_ids(a)) & set(_ids(b))


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, reportgen.render.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_drawing_uses_the_figure_api_with_one_canvas_and_no_pyplot() -> None:
    """No pyplot on the build path: no global figure registry, no GUI backend lookup."""
    code = (
        "import sys\n"
        "from reportgen.render.charts import render_chart\n"
        "from reportgen.views import ChartSpec, Series\n"
        "one = [Series(name='One', values=[1.0, 2.0])]\n"
        "spec = ChartSpec(id='chart-p', title='P', kind='bar', categories=['A', 'B'],"
        " series=one, unit='count', value_axis='N')\n"
        "svg = render_chart(spec, '#1d70b8', '#d4351c').svg\n"
        "print(svg.startswith('<svg'), 'matplotlib.pyplot' in sys.modules,"
        " sorted(m for m in sys.modules if 'backends.backend_' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    drawn, pyplot, backends = result.stdout.strip().split(" ", 2)
    assert (drawn, pyplot) == ("True", "False")
    # The SVG canvas only (backend_mixed and backend_agg are the SVG renderer's helpers).
    assert "backend_svg" in backends and "backend_tk" not in backends and "qt" not in backends


# --- colour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("primary", "accent"), [("#ffdd00", "#ffeeaa"), ("#ffffff", "#00ffff"), (PRIMARY, ACCENT)]
)
def test_every_fill_has_3_to_1_contrast_against_white(primary: str, accent: str) -> None:
    for colour in palette(primary, accent):
        assert contrast_ratio(colour, "#ffffff") >= 3.0
    spec = ChartSpec(
        id="chart-c",
        title="Contrast",
        kind="bar",
        categories=["A", "B"],
        series=[
            Series(name="One", values=[1.0, 2.0]),
            Series(name="Two", values=[2.0, 1.0]),
            Series(name="Three", values=[3.0, 1.0]),
        ],
        unit="count",
        value_axis="Number",
    )
    used = {c for c in fills(render_chart(spec, primary, accent).svg) if c != "#ffffff"}
    assert accessible_colour(primary) in used and accessible_colour(accent) in used
    for colour in used:
        assert contrast_ratio(colour, "#ffffff") >= 3.0, colour


def test_pale_brand_colour_is_darkened_keeping_its_hue() -> None:
    darker = accessible_colour("#ffdd00")
    assert darker != "#ffdd00"
    assert 3.0 <= contrast_ratio(darker, "#ffffff") < 3.2  # darkened no more than needed
    r, g, b = (int(darker[i : i + 2], 16) for i in (1, 3, 5))
    assert b == 0 and r > g > 0 and abs(g / r - 0xDD / 0xFF) < 0.02


def test_colours_that_pass_are_kept() -> None:
    assert accessible_colour("#1D70B8") == PRIMARY
    assert palette(PRIMARY, ACCENT)[:2] == [PRIMARY, ACCENT]
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


# --- numbers, alt text and data table -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1286.0, "count", "1,286"),
        (5000.0, "money", "£5,000"),
        (107000.0, "money", "£107,000"),
        (1250.5, "money", "£1,250.50"),
        (53.0, "percent", "53%"),
        (4.9, "percent", "4.9%"),
        (32.1, "rate_per_10k", "32.1"),
        (12.5, "number", "12.5"),
        (None, "money", "n/a"),
    ],
)
def test_format_value(value: float | None, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


def test_alt_text_for_one_series_lists_values_highest_first() -> None:
    alt = render_chart(income_spec(), PRIMARY, ACCENT).alt
    assert alt.startswith("Horizontal bar chart: Income by contributor, 2024/25. ")
    assert "LBN - CSC £107,000; ICB £50,000; " in alt
    assert "Housing £5,500" in alt and "Probation £2,100" in alt
    assert alt.index("LBN - CSC") < alt.index("ICB") < alt.index("Probation")
    assert alt.endswith("Highest: LBN - CSC (£107,000). Lowest: Probation (£2,100).")
    assert len(alt) <= 600


def test_alt_text_for_two_series_names_each_value() -> None:
    alt = alt_text(expenditure_spec("bar"))
    assert alt.startswith("Bar chart: Budget and year-end spend, 2024/25.")
    assert "Salaries: Full-year budget £145,000, Year-end spend £153,000; " in alt
    assert "ICT/Printing/Misc: Full-year budget £6,600, Year-end spend £4,000" in alt
    assert "Highest: Salaries, Year-end spend (£153,000)." in alt
    assert "Lowest: ICT/Printing/Misc, Year-end spend (£4,000)." in alt


def test_alt_text_with_many_categories_lists_the_top_five() -> None:
    data = {f"Partner agency number {i}": 1000.0 * i for i in range(1, 31)}
    alt = alt_text(income_spec(data))
    assert len(alt) <= 600
    assert "Top 5: Partner agency number 30 £30,000; " in alt
    assert "Partner agency number 26 £26,000; and 25 others." in alt
    assert "Partner agency number 25 £25,000" not in alt
    assert "Highest: Partner agency number 30 (£30,000)." in alt
    assert "Lowest: Partner agency number 1 (£1,000)." in alt


def test_data_table_rows_and_cells() -> None:
    table = render_chart(expenditure_spec(), PRIMARY, ACCENT).table
    assert table.id == "chart-budget-expenditure-data"
    assert table.caption == "Data for chart: Budget and year-end spend, 2024/25"
    assert table.columns == ["Category", "Full-year budget", "Year-end spend"]
    assert table.rows == [
        [
            Cell(text="Salaries"),
            Cell(text="£145,000", numeric=True),
            Cell(text="£153,000", numeric=True),
        ],
        [
            Cell(text="Training/events"),
            Cell(text="£30,000", numeric=True),
            Cell(text="£27,000", numeric=True),
        ],
        [
            Cell(text="LCSPRs"),
            Cell(text="£13,000", numeric=True),
            Cell(text="£12,000", numeric=True),
        ],
        [
            Cell(text="ICT/Printing/Misc"),
            Cell(text="£6,600", numeric=True),
            Cell(text="£4,000", numeric=True),
        ],
    ]
    assert table.totals is None


def test_income_table_keeps_data_order() -> None:
    table = render_chart(income_spec(), PRIMARY, ACCENT).table
    assert [row[0].text for row in table.rows] == list(INCOME)
    assert [row[1].text for row in table.rows][:3] == ["£5,000", "£10,000", "£50,000"]
    assert all(not row[0].numeric and row[1].numeric for row in table.rows)


def test_series_length_must_match_categories() -> None:
    spec = income_spec(series=[Series(name="Income", values=[1.0, 2.0])])
    with pytest.raises(ValueError, match="2 values for 8 categories"):
        render_chart(spec, PRIMARY, ACCENT)


def test_dollars_in_labels_are_text_never_mathtext() -> None:
    # Mathtext would draw "Spend $5k vs $10k" as maths without its dollars, and fail
    # on an unknown command: labels come from the data, so they are drawn as written.
    labels = {"Spend $5k vs $10k": 5.0, r"Bad $\undefinedcommand$ maths": 7.0}
    drawn = " ".join(texts(render_chart(income_spec(labels), PRIMARY, ACCENT).svg))
    assert "$5k" in drawn and "$10k" in drawn
    assert r"$\undefinedcommand$" in drawn


def test_label_widths_are_kept_by_font_file_content(tmp_path: Path) -> None:
    """A long `serve` whose project font file is replaced measures with the new file."""
    from reportgen.render.chartfont import glyph_table

    font = tmp_path / "Regular.ttf"
    font.write_bytes((FONTS / "AtkinsonHyperlegible-Regular.ttf").read_bytes())
    regular = glyph_table(str(font))
    assert glyph_table(str(font)) is regular  # measured once per file content
    before = regular.size("Income", 10)
    replacement = tmp_path / "new.ttf"  # replaced as an installer does: a new file renamed
    replacement.write_bytes((FONTS / "AtkinsonHyperlegible-Bold.ttf").read_bytes())
    os.replace(replacement, font)
    bold = glyph_table(str(font))
    assert bold is not regular
    assert bold.size("Income", 10) != before
