"""Text sizes for chart layout from a per-font table of glyph metrics.

matplotlib measures every text it lays out with FreeType (`ft2font.set_text`, about
0.25 ms a text, 600 texts for the example's charts in two shapes), and `_fit_axes`
measured each label once more. Here each font file's glyphs are read once (advance
width and ink top and bottom, unhinted, at matplotlib's 100-point scale) and a text's
size is summed from them: the same heights and descents as matplotlib's measure, and
widths without kerning (at most about 2 points wider in a 40-character label at 10
points; `tests/render/test_chartfont.py` holds it to that). Where a width decides a
margin, `_fit_axes` measures the widest labels exactly.

matplotlib is imported only inside these functions, as in `render/charts.py`.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

SCALE = 100.0  # matplotlib's text-to-path measure reads glyphs at 100 points, 72 dpi

Size = tuple[float, float, float]  # width, height, descent in points


class GlyphTable:
    """One font file's glyph metrics, read from it once per character."""

    def __init__(self, path: str) -> None:
        from matplotlib.ft2font import FT2Font, LoadFlags

        self._flags = LoadFlags.NO_HINTING  # looked up here: an import costs 40 µs a call
        self._font = FT2Font(path)
        self._font.set_size(SCALE, 72)
        self._glyphs: dict[str, tuple[float, int, int] | None] = {}
        self._heights: dict[tuple[float, float], tuple[float, float, float]] = {}

    def _glyph(self, char: str) -> tuple[float, int, int] | None:
        """(advance at 100 points, ink bottom and top in 64ths); None: not in this font."""
        if char not in self._glyphs:
            if self._font.get_char_index(ord(char)) == 0:
                self._glyphs[char] = None
            else:
                glyph = self._font.load_char(ord(char), flags=self._flags)
                _, bottom, _, top = glyph.bbox
                self._glyphs[char] = (glyph.linearHoriAdvance / 65536, bottom, top)
        return self._glyphs[char]

    def size(self, text: str, points: float) -> Size | None:
        """`text` at `points`: None if a character is not in this font (matplotlib would
        take it from a fallback font: measure it the slow way)."""
        if not text:
            return 0.0, 0.0, 0.0
        width = 0.0
        bottom, top = 1 << 30, -(1 << 30)  # the ink's, as FreeType's box: '-' floats
        for char in text:
            glyph = self._glyph(char)
            if glyph is None:
                return None
            width += glyph[0]
            bottom, top = min(bottom, glyph[1]), max(top, glyph[2])
        scale = points / SCALE
        return width * scale, (top - bottom) / 64 * scale, -bottom / 64 * scale

    def line_metrics(self, points: float, dpi: float) -> tuple[float, float, float]:
        """Ascent, descent and line gap of a line of text, as `Text._get_layout` reads
        them from the font's OS/2 (else hhea) table."""
        key = (points, dpi)
        if key not in self._heights:
            head = self._font.get_sfnt_table("head")
            found: tuple[float, float, float] | None = None
            for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table: Any = self._font.get_sfnt_table(table_name)  # type: ignore[call-overload]
                if table is None or head is None:
                    continue
                scale = 1 / head["unitsPerEm"] * points * dpi / 72
                found = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
            if found is None:
                raise LookupError("no OS/2 or hhea table")
            self._heights[key] = found
        return self._heights[key]


# Tables by the font file's content: `serve` keeps a process for hours and a font may be
# replaced; the path and its stat say when to hash it again.
# Keyed by path and content: a table reads its own file lazily, so two paths with the
# same bytes must not share one (the other file may be rewritten in place).
_TABLES: dict[tuple[str, str], GlyphTable] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}


def glyph_table(path: str) -> GlyphTable:
    """The table of the font file at `path`, made once per file content."""
    stat = Path(path).stat()
    where = (path, stat.st_mtime_ns, stat.st_size)
    digest = _DIGESTS.get(where)
    if digest is None:
        digest = _DIGESTS[where] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if (path, digest) not in _TABLES:
        _TABLES[path, digest] = GlyphTable(path)
    return _TABLES[path, digest]


class Measure:
    """Text sizes for one drawing, under one set of matplotlib settings: each font
    (family, style, weight) is found once, not per text (`findfont` reads the settings)."""

    def __init__(self) -> None:
        self._tables: dict[tuple[object, ...], GlyphTable] = {}

    def table(self, prop: FontProperties) -> GlyphTable:
        from matplotlib.font_manager import findfont

        key = (
            tuple(prop.get_family()),
            prop.get_style(),
            prop.get_variant(),
            prop.get_weight(),
            prop.get_stretch(),
            prop.get_file(),
        )
        if key not in self._tables:
            self._tables[key] = glyph_table(str(findfont(prop)))
        return self._tables[key]

    def size(self, text: str, prop: FontProperties) -> Size:
        """Width, height and descent of `text` in points, from the glyph table (or from
        matplotlib's own measure, for a character the font does not have)."""
        size = self.table(prop).size(text, prop.get_size_in_points())
        return size if size is not None else exact_size(text, prop)


def exact_size(text: str, prop: FontProperties) -> Size:
    """matplotlib's own measure (FreeType lays the text out, with kerning)."""
    from matplotlib.textpath import text_to_path

    width, height, descent = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return float(width), float(height), float(descent)


@functools.cache
def measured_figure() -> type[Figure]:
    """A Figure whose texts are measured from the glyph tables when it is drawn."""
    from matplotlib.figure import Figure

    class MeasuredFigure(Figure):
        def draw(self, renderer: Any) -> None:
            # Both are looked up on the renderer by `Text._get_layout`; set on this
            # drawing's renderer only (matplotlib makes one per savefig).
            fonts = Measure()

            def measure(text: str, prop: FontProperties, ismath: Any) -> Size:
                if ismath:  # charts never use mathtext (text.parse_math is off)
                    return renderer._renderer.get_text_width_height_descent(  # type: ignore[no-any-return]
                        text, prop, ismath
                    )
                return fonts.size(text, prop)

            def line_metrics(prop: FontProperties) -> tuple[float, float, float]:
                return fonts.table(prop).line_metrics(prop.get_size_in_points(), self.dpi)

            renderer.get_text_width_height_descent = measure
            renderer._get_font_height_metrics = line_metrics
            super().draw(renderer)

    return MeasuredFigure
