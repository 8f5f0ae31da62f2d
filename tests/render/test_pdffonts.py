"""Font programs merged by the join (render/pdffonts.py): subsets of one TrueType font with
glyph ids kept become one program with every glyph of each; programs that differ in
anything but their glyphs are left alone. The split tests (test_pdfsplit.py) check the
merge in whole PDFs, against the same page laid out whole."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from fontTools import subset
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from reportgen.render.pdffonts import merge_fonts, merged_program

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
    builder.font["head"].created = builder.font["head"].modified = 3_000_000_000  # fixed
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _subset(program: bytes, gids: list[int], recalc: bool = False) -> bytes:
    """The glyphs `gids` of `program`, ids kept, as WeasyPrint subsets (its fontTools
    options). HarfBuzz keeps the whole font's bounds and maxima (`recalc=False`);
    WeasyPrint's fontTools fallback computes them for the glyphs kept (`recalc=True`),
    and its save sets the time it was made."""
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        desubroutinize=True,
        notdef_outline=False,
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    font = TTFont(io.BytesIO(program), recalcBBoxes=recalc, recalcTimestamp=recalc)
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


def _cmap_of(text: dict[int, str]) -> bytes:
    entries = "\n".join(
        f"<{gid:04x}> <{value.encode('utf-16-be').hex()}>" for gid, value in text.items()
    )
    return f"begincmap\n{len(text)} beginbfchar\n{entries}\nendbfchar\nendcmap".encode()


def _two_parts(widths: tuple[int, int]) -> pikepdf.Pdf:
    """A joined PDF as the join has it before the merge: a page per part, each with its
    own dictionary and subset of one font (A on the first page, C and A on the second)."""
    pdf = pikepdf.new()
    whole = _font()
    for gids, text, width in (([1], {1: "A"}, widths[0]), ([1, 3], {3: "C", 1: "a"}, widths[1])):
        program = _subset(whole, gids)
        descriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=pikepdf.Name("/ABCDEF+Test"),
            Flags=4,
            FontBBox=[0, -200, 500 + 10 * max(gids), 800],
            FontFile2=pdf.make_stream(program, Length1=len(program)),
        )
        descendant = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name("/ABCDEF+Test"),
            CIDToGIDMap=pikepdf.Name.Identity,
            W=[1, [width], 3, [530]] if 3 in gids else [1, [width]],
            FontDescriptor=pdf.make_indirect(descriptor),
        )
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type0,
                BaseFont=pikepdf.Name("/ABCDEF+Test"),
                Encoding=pikepdf.Name("/Identity-H"),
                DescendantFonts=[pdf.make_indirect(descendant)],
                ToUnicode=pdf.make_stream(_cmap_of(text)),
            )
        )
        page = pdf.add_blank_page()
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    return pdf


def test_the_parts_font_dictionaries_become_one_with_one_program() -> None:
    pdf = _two_parts(widths=(510, 510))
    assert merge_fonts(pdf) == 1
    fonts = [page.obj.Resources.Font.F1 for page in pdf.pages]
    assert fonts[0].objgen == fonts[1].objgen  # the second page names the first's font
    descendant = fonts[0].DescendantFonts[0]
    assert list(descendant.W) == [1, [510], 3, [530]]
    assert [float(v) for v in descendant.FontDescriptor.FontBBox] == [0, -200, 530, 800]
    program = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
    assert _drawn(program, 1)[0] != [] and _drawn(program, 3)[0] != []
    # A glyph's text: the first part's where the parts differ, as in a whole layout.
    cmap = fonts[0].ToUnicode.read_bytes()
    assert b"<0001> <0041>" in cmap and b"<0003> <0043>" in cmap and b"<0061>" not in cmap


def test_a_font_whose_parts_disagree_on_a_width_keeps_a_program_per_part() -> None:
    # The second page's text positions were written against its own width for A.
    pdf = _two_parts(widths=(510, 511))
    assert merge_fonts(pdf) == 0
    fonts = [page.obj.Resources.Font.F1 for page in pdf.pages]
    assert fonts[0].objgen != fonts[1].objgen
    assert [list(font.DescendantFonts[0].W) for font in fonts] == [[1, [510]], [1, [511], 3, [530]]]
