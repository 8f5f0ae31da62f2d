"""Font programs merged by the join (render/pdffonts.py): subsets of one TrueType font with
glyph ids kept become one program with every glyph of each; programs that differ in
anything but their glyphs are left alone. The split tests (test_pdfsplit.py) check the
merge in whole PDFs, against the same page laid out whole."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fontTools import subset
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from reportgen.render.pdffonts import merged_program

_NAMES = [".notdef", "A", "B", "C", "D"]


def _outline(pen: Any, index: int, shift: int) -> None:
    pen.moveTo((0, 0))
    pen.lineTo((100 + 50 * index + shift, 0))
    pen.lineTo((100, 700))
    pen.closePath()


def _font(family: str = "Test", shift: int = 0, cff: bool = False) -> bytes:
    """A font of four letters, each a triangle of its own width (`shift` widens A's)."""
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(_NAMES)
    builder.setupCharacterMap({ord(name): name for name in _NAMES[1:]})
    metrics = {name: (500 + 10 * i, 0) for i, name in enumerate(_NAMES)}
    if cff:
        charstrings = {}
        for i, name in enumerate(_NAMES):
            t2 = T2CharStringPen(metrics[name][0], None)
            _outline(t2, i, shift if name == "A" else 0)
            charstrings[name] = t2.getCharString()
        builder.setupCFF(family, {"FullName": family}, charstrings, {})
    else:
        glyphs = {}
        for i, name in enumerate(_NAMES):
            tt = TTGlyphPen(None)
            _outline(tt, i, shift if name == "A" else 0)
            glyphs[name] = tt.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _subset(program: bytes, gids: list[int], recalc: bool = False) -> bytes:
    """The glyphs `gids` of `program`, ids kept, as WeasyPrint subsets (its fontTools
    options). HarfBuzz keeps the whole font's bounds and maxima (`recalc=False`);
    WeasyPrint's fontTools fallback computes them for the glyphs kept (`recalc=True`)."""
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        desubroutinize=True,
        notdef_outline=False,
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    font = TTFont(io.BytesIO(program), recalcBBoxes=recalc)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _drawn(font: TTFont, gid: int) -> tuple[Any, tuple[int, int]]:
    name = font.getGlyphName(gid)
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[name].draw(pen)
    return pen.value, font["hmtx"][name]


@pytest.mark.parametrize("recalc", [False, True], ids=["harfbuzz", "fonttools"])
def test_subsets_of_one_font_merge_into_one_program_with_every_glyph(recalc: bool) -> None:
    whole = _font()
    first, second = _subset(whole, [1], recalc), _subset(whole, [3], recalc)
    merged = merged_program([first, second])
    assert merged is not None
    assert merged_program([first, second]) == merged  # no timestamp: the same bytes
    font, original = TTFont(io.BytesIO(merged)), TTFont(io.BytesIO(whole))
    assert font["maxp"].numGlyphs == 4  # up to C, the last glyph either part keeps
    for gid in (1, 3):  # A from the first part, C from the second: outline and advance
        assert _drawn(font, gid) == _drawn(original, gid)
        assert _drawn(font, gid)[0] != []
    assert _drawn(font, 2) == ([], (0, 0))  # B: neither part draws it
    assert font.getBestCmap() == {ord("A"): font.getGlyphName(1), ord("C"): font.getGlyphName(3)}
    assert (font["OS/2"].usFirstCharIndex, font["OS/2"].usLastCharIndex) == (ord("A"), ord("C"))
    # The bounds: the whole font's as HarfBuzz kept them (D's x), or computed for A and C.
    assert font["head"].xMax == (250 if recalc else 300)


def test_programs_that_differ_beyond_their_glyphs_are_not_merged() -> None:
    whole = _font()
    kept = _subset(whole, [1, 3])
    # The same glyph id drawn two ways: not subsets of one font.
    assert merged_program([kept, _subset(_font(shift=5), [1])]) is None
    # Another font's name table (or any other table that is not about the glyphs).
    assert merged_program([kept, _subset(_font(family="Other"), [2])]) is None
    # OpenType with CFF outlines: kept as they are.
    cff = _font(cff=True)
    assert TTFont(io.BytesIO(cff)).sfntVersion == "OTTO"
    assert merged_program([cff, cff]) is None
    # Not a font at all.
    assert merged_program([kept, b"not a font"]) is None
    # One font's subsets still merge (the cases above fail for what they change).
    assert merged_program([kept, _subset(whole, [2])]) is not None
