"""Chart text sizes from the glyph table agree with matplotlib's own measure."""

from __future__ import annotations

import io
import re

import pytest
from matplotlib.font_manager import FontProperties, fontManager

from reportgen.render.chartfont import Measure, exact_size, glyph_table, measured_figure
from reportgen.theme import packaged_fonts

LABELS = [
    "Working Together 2023 Awareness Session",  # the most kerning of the example's labels
    "Safe and Together Overview Training",
    "Infancy (SUDI) and Sudden Infant Death…",
    "LBN - CSC",
    "£107,000",
    "53%",
    "4.9%",
    "AV Wa",
    "lp",
    "fi fl",
    "-",
    "",
]


@pytest.fixture(scope="module")
def atkinson() -> FontProperties:
    regular = packaged_fonts()[1][0].path
    fontManager.addfont(str(regular))
    return FontProperties(family="Atkinson Hyperlegible", size=10)


@pytest.mark.parametrize("text", LABELS)
def test_heights_are_matplotlibs_and_widths_within_kerning(
    text: str, atkinson: FontProperties
) -> None:
    width, height, descent = Measure().size(text, atkinson)
    exact_width, exact_height, exact_descent = exact_size(text, atkinson)
    assert height == pytest.approx(exact_height, abs=1e-6)
    assert descent == pytest.approx(exact_descent, abs=1e-6)
    # Kerning only narrows a text, so the sum of advances is at most about two points
    # wider for a 40-character label at 10 points (under 3 px); FreeType's box may also
    # take in a glyph's ink past its advance ('lp': 0.2 points).
    assert exact_width - 0.3 <= width <= exact_width + 2.5


def test_line_metrics_are_the_fonts_tables(atkinson: FontProperties) -> None:
    from matplotlib.ft2font import FT2Font

    path = packaged_fonts()[1][0].path
    font = FT2Font(str(path))
    os2, head = font.get_sfnt_table("OS/2"), font.get_sfnt_table("head")
    assert os2 is not None and head is not None
    ascent, descent, gap = glyph_table(str(path)).line_metrics(10.0, 72.0)
    assert ascent == pytest.approx(os2["sTypoAscender"] / head["unitsPerEm"] * 10)
    assert descent == pytest.approx(-os2["sTypoDescender"] / head["unitsPerEm"] * 10)
    assert gap == pytest.approx(os2["sTypoLineGap"] / head["unitsPerEm"] * 10)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # matplotlib's own, expected
def test_a_character_the_font_lacks_is_measured_by_matplotlib(atkinson: FontProperties) -> None:
    path = str(packaged_fonts()[1][0].path)
    lacking = "\u4e2d"  # a CJK character: not in Atkinson Hyperlegible
    assert glyph_table(path).size(lacking, 10) is None
    assert Measure().size(lacking, atkinson) == exact_size(lacking, atkinson)


def test_a_measured_figure_draws_what_a_plain_one_draws() -> None:
    """Same drawing, texts placed within a point or two (multi-line labels are placed
    line by line from their widths); a single line and every non-text shape agree."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    def svg(cls: type[Figure]) -> str:
        fig = cls(figsize=(4, 3))
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        ax.barh([0, 1], [3, 5])
        ax.set_yticks([0, 1], ["Working Together\nto Safeguard", "Police"])
        ax.set_xlabel("Amount (£)")
        buffer = io.StringIO()
        with rc_context({"svg.hashsalt": "same"}):  # ids from a hash, not a random one
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    clip_id = re.compile(r"\bp[0-9a-f]{10}\b")  # a hash of the clip box: it moves with it
    plain, measured = (clip_id.sub("pID", svg(cls)) for cls in (Figure, measured_figure()))
    number = re.compile(r"-?\d+\.?\d*")
    assert number.sub("0", plain) == number.sub("0", measured)  # the same elements
    pairs = zip(number.findall(plain), number.findall(measured), strict=True)
    assert max(abs(float(a) - float(b)) for a, b in pairs) < 2.5
