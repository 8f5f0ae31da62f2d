"""One embedded font program per font in a joined PDF (render/pdfjoin.py).

Each part of a split layout embeds its own subset of every font it uses. WeasyPrint (70)
subsets TrueType fonts with their glyph ids kept (HarfBuzz's RETAIN_GIDS, fontTools'
`retain_gids`) and draws text as CIDFontType2 / Identity-H, so a page's content names
each glyph by its id in the original font, and two parts' subsets of one font differ
only in which outlines they keep (a glyph dropped is empty, with zero metrics) and how
many glyphs trail the last one used. One program holding every glyph either part keeps,
with the union of the parts' `/W` widths and `/ToUnicode` maps, serves the pages of
both: the pages and drawings of the later parts name the first part's font dictionary.

WeasyPrint names a font by a hash of its description (the subset prefix) and family, so
the same `/BaseFont` in two parts is the same font face. A group is merged only where
nothing but the glyphs differs: every other table byte for byte (`head`, `hhea`, `maxp`
and `OS/2` but for what the glyphs set), no glyph id drawn two ways, the same width for a
glyph id in every part (the pages' text positions are written against it). A glyph's
text is the first part's where two differ, as WeasyPrint keeps a glyph's first text when
it lays the page out whole. Anything else (an OpenType/CFF program, a font with
WeasyPrint's own encoding for missing glyphs, a bitmap font) keeps one program per part.
The merge is deterministic: the same parts give the same bytes (no timestamp written).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

# Tables rebuilt from the glyphs (or compared field by field); every other table must be
# the same bytes in every part's program.
_FROM_GLYPHS = {"glyf", "loca", "hmtx", "cmap", "head", "OS/2", "maxp", "hhea", "GDEF"}
_CHAR_RANGE = {"usFirstCharIndex", "usLastCharIndex"} | {f"ulUnicodeRange{i}" for i in range(1, 5)}
# FontDescriptor entries that may differ between parts (FontBBox: the widest glyph used).
_DESCRIPTOR_OWN = {"/FontBBox", "/FontFile2"}
# Bounds and maxima a subsetter may compute from the glyphs it keeps.
_SUMMARY = {
    ("head", "xMin"), ("head", "yMin"), ("head", "xMax"), ("head", "yMax"),
    ("hhea", "advanceWidthMax"), ("hhea", "minLeftSideBearing"),
    ("hhea", "minRightSideBearing"), ("hhea", "xMaxExtent"),
    ("maxp", "maxPoints"), ("maxp", "maxContours"), ("maxp", "maxCompositePoints"),
    ("maxp", "maxCompositeContours"), ("maxp", "maxComponentElements"),
    ("maxp", "maxComponentDepth"),
}  # fmt: skip
_BFCHAR = re.compile(rb"(\d+) beginbfchar(.*?)endbfchar", re.S)
_BFCHAR_PAIR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def merge_fonts(whole: Any) -> int:
    """Give each font of `whole` one embedded program; return how many were merged away."""
    resources = _font_resources(whole)
    groups: dict[str, dict[tuple[int, int], Any]] = {}
    for fonts in resources:
        for font in fonts.values():
            if font.is_indirect and font.get("/Subtype") == "/Type0":
                groups.setdefault(str(font.BaseFont), {})[font.objgen] = font
    merged = 0
    same: dict[tuple[int, int], Any] = {}  # a later part's font dictionary -> the first's
    for name in sorted(groups):
        # The first part's objects keep their numbers; the others' are copied in after.
        fonts = [groups[name][objgen] for objgen in sorted(groups[name])]
        if len(fonts) < 2:
            continue
        if _merge_group(whole, fonts):
            merged += len(fonts) - 1
            same.update((font.objgen, fonts[0]) for font in fonts[1:])
        else:
            log.debug(
                "font %s kept as %d programs: its parts differ beyond glyphs", name, len(fonts)
            )
    # Every page and drawing names the first part's font dictionary of a merged font (the
    # later ones, unused then, are not written; each also points at the merged program).
    for fonts in resources:
        for key, font in list(fonts.items()):
            if font.is_indirect and font.objgen in same:
                fonts[key] = same[font.objgen]
    return merged


def _font_resources(whole: Any) -> list[Any]:
    """The `/Font` resource dictionaries of the pages and of the drawings (form XObjects,
    patterns) they use, each once."""
    import pikepdf

    found: list[Any] = []
    seen: set[tuple[int, int]] = set()
    holders = [page.obj for page in whole.pages]
    while holders:
        holder = holders.pop()
        if holder.is_indirect:
            if holder.objgen in seen:
                continue
            seen.add(holder.objgen)
        resources = holder.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        fonts = resources.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            found.append(fonts)
        for kind in ("/XObject", "/Pattern"):
            drawings = resources.get(kind)
            if isinstance(drawings, pikepdf.Dictionary):
                holders.extend(
                    d
                    for d in drawings.values()
                    if isinstance(d, pikepdf.Dictionary | pikepdf.Stream)
                )
    return found


def _merge_group(whole: Any, fonts: list[Any]) -> bool:
    """Make `fonts` (one face, a dictionary per part) share the first one's descendant."""
    import pikepdf

    if not all(_mergeable(font) for font in fonts):
        return False
    descendants = [font.DescendantFonts[0] for font in fonts]
    descriptors = [d.FontDescriptor for d in descendants]
    first = descriptors[0]
    for descriptor in descriptors[1:]:
        if _entries(descriptor, _DESCRIPTOR_OWN) != _entries(first, _DESCRIPTOR_OWN):
            return False
    for descendant in descendants[1:]:
        if _entries(descendant, {"/W", "/FontDescriptor"}) != _entries(
            descendants[0], {"/W", "/FontDescriptor"}
        ):
            return False
    widths = _union(_widths(d.W) for d in descendants)
    text = _union((_unicode(font.ToUnicode) for font in fonts), first_wins=True)
    program = merged_program([d.FontFile2.read_bytes() for d in descriptors])
    if widths is None or text is None or program is None:
        return False

    # The box of every glyph used: the lowest corner and the highest of the parts'.
    low_x, low_y, high_x, high_y = zip(*(list(d.FontBBox) for d in descriptors), strict=True)
    first.FontBBox = pikepdf.Array([min(low_x), min(low_y), max(high_x), max(high_y)])
    first.FontFile2 = whole.make_stream(program, Length1=len(program))
    descendants[0].W = _width_array(widths)
    to_unicode = whole.make_stream(_cmap(text))
    for font in fonts:
        font.ToUnicode = to_unicode
        font.DescendantFonts = pikepdf.Array([descendants[0]])
    return True


def _mergeable(font: Any) -> bool:
    """A TrueType CID font drawn by glyph id, as WeasyPrint writes one with no glyph missing."""
    if font.get("/Encoding") != "/Identity-H" or "/ToUnicode" not in font:
        return False
    if len(font.get("/DescendantFonts", [])) != 1:
        return False
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    return (
        descendant.get("/Subtype") == "/CIDFontType2"
        and descendant.get("/CIDToGIDMap") == "/Identity"
        and descriptor is not None
        and "/FontFile2" in descriptor
        and "/CIDSet" not in descriptor  # PDF 1.4 only; a glyph set per part
    )


def _entries(dictionary: Any, own: set[str]) -> dict[str, str]:
    return {str(key): repr(value) for key, value in dictionary.items() if str(key) not in own}


def _union(
    maps: Iterable[dict[int, Any] | None], first_wins: bool = False
) -> dict[int, Any] | None:
    """All parts' entries; None where a part is unreadable or (unless the first part's
    entry is to win) two parts disagree."""
    found: dict[int, Any] = {}
    for one in maps:
        if one is None:
            return None
        for key, value in one.items():
            if found.setdefault(key, value) != value and not first_wins:
                return None
    return found


def _widths(array: Any) -> dict[int, Any] | None:
    """Glyph id -> width from a `/W` array in WeasyPrint's form (`first [w w ...]`)."""
    import pikepdf

    items = list(array)
    if len(items) % 2:
        return None
    found: dict[int, Any] = {}
    for first, run in zip(items[::2], items[1::2], strict=True):
        if not isinstance(run, pikepdf.Array):
            return None  # the `first last width` form: WeasyPrint does not write it
        for offset, width in enumerate(run):
            found[int(first) + offset] = width
    return found


def _width_array(widths: dict[int, Any]) -> Any:
    """`widths` as WeasyPrint writes a `/W` array: a run per range of consecutive ids."""
    import pikepdf

    flat: list[Any] = []
    for gid in sorted(widths):
        if gid - 1 not in widths:
            flat.extend([gid, pikepdf.Array()])
        flat[-1].append(widths[gid])
    return pikepdf.Array(flat)


def _unicode(stream: Any) -> dict[int, bytes] | None:
    """Glyph id -> UTF-16BE text, from a ToUnicode CMap of bfchar entries (WeasyPrint's)."""
    data = stream.read_bytes()
    if b"bfrange" in data:
        return None
    found: dict[int, bytes] = {}
    for count, block in _BFCHAR.findall(data):
        pairs = _BFCHAR_PAIR.findall(block)
        if len(pairs) != int(count):
            return None  # entries of a form not read here: left as they are
        for gid, text in pairs:
            found[int(gid, 16)] = text.lower()
    return found


def _cmap(text: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes one (bfchar, 100 a block), by glyph id."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (gid, value) for gid, value in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def merged_program(programs: list[bytes]) -> bytes | None:
    """One TrueType program with every glyph any of `programs` (subsets of one font with
    glyph ids kept) has; None where they differ in anything but which glyphs they keep."""
    from fontTools.ttLib import TTFont

    try:
        fonts = [
            TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False) for data in programs
        ]
        return _merged(fonts)
    except Exception as exc:
        # A program fontTools cannot read or write is left as each part has it: the PDF
        # is as correct as before, only larger.
        log.debug("font programs not merged: %s: %s", type(exc).__name__, exc)
        return None


def _merged(fonts: list[Any]) -> bytes | None:
    base = fonts[0]
    tags = set(base.reader.keys())
    if base.sfntVersion != "\0\1\0\0" or "glyf" not in tags:
        return None  # OpenType/CFF outlines: kept as they are
    for font in fonts[1:]:
        if font.sfntVersion != base.sfntVersion or set(font.reader.keys()) != tags:
            return None
        if any(font.reader[tag] != base.reader[tag] for tag in tags - _FROM_GLYPHS):
            return None
    differing = set().union(*(_differing_fields(base, font) for font in fonts[1:]))
    if differing - _SUMMARY:
        return None
    # HarfBuzz keeps the whole font's bounds and maxima in every subset; fontTools (which
    # WeasyPrint uses where HarfBuzz is older than 4.1) computes them for each subset's
    # glyphs, so they are computed again for the merged glyphs.
    base.recalcBBoxes = bool(differing)
    # Name glyphs by id in every program before any table is read: names derived from
    # each subset's cmap would differ between parts for one glyph id.
    counts = [font["maxp"].numGlyphs for font in fonts]
    order = [".notdef"] + [f"glyph{gid:05d}" for gid in range(1, max(counts))]
    for font, count in zip(fonts, counts, strict=True):
        font.setGlyphOrder(order[:count])
    glyphs: dict[str, Any] = {}
    metrics: dict[str, tuple[int, int]] = {}
    for name in order:
        having = [font for font in fonts if name in font["glyf"].glyphs]
        drawn = {_glyph_bytes(font["glyf"].glyphs[name]) for font in having} - {b""}
        if len(drawn) > 1:
            return None  # one glyph id, two outlines: not subsets of one font
        kept = {font["hmtx"][name] for font in having} - {(0, 0)}
        if len(kept) > 1:
            return None
        source = next(
            (font for font in having if _glyph_bytes(font["glyf"].glyphs[name])), having[0]
        )
        glyphs[name] = source["glyf"].glyphs[name]
        metrics[name] = kept.pop() if kept else (0, 0)
    if counts[0] < len(order):
        base.setGlyphOrder(order)
    base["glyf"].glyphs = glyphs
    base["glyf"].glyphOrder = order
    base["hmtx"].metrics = metrics
    if not _merge_cmaps(base, fonts[1:]) or not _merge_glyph_classes(base, fonts[1:]):
        return None
    _merge_char_range(base, fonts[1:])
    out = io.BytesIO()
    base.save(out, reorderTables=False)
    return out.getvalue()


def _glyph_bytes(glyph: Any) -> bytes:
    """A glyph's stored bytes (an outline not yet read), or b"" for an empty glyph."""
    data: bytes = getattr(glyph, "data", b"")
    return data


def _differing_fields(base: Any, font: Any) -> set[tuple[str, str]]:
    """Where `head`, `hhea`, `maxp` and `OS/2` differ, but for what the glyph count and
    the characters set (rebuilt from the glyphs in any case)."""
    rebuilt = {
        "head": {"checkSumAdjustment", "modified"},  # fontTools' save sets the time
        "hhea": {"numberOfHMetrics"},
        "maxp": {"numGlyphs"},
        "OS/2": _CHAR_RANGE,
    }
    found: set[tuple[str, str]] = set()
    for tag, fields in rebuilt.items():
        if tag in base.reader:
            one, other = _fields(base[tag], fields), _fields(font[tag], fields)
            found |= {
                (tag, key) for key in one.keys() | other.keys() if one.get(key) != other.get(key)
            }
    return found


def _fields(table: Any, own: set[str]) -> dict[str, Any]:
    return {
        key: vars(value) if hasattr(value, "__dict__") else value
        for key, value in vars(table).items()
        if key not in own and key != "tableTag"
    }


def _merge_cmaps(base: Any, others: list[Any]) -> bool:
    """Each cmap subtable: the characters of every part (the same glyph for each)."""
    layout = [(t.platformID, t.platEncID, t.format) for t in base["cmap"].tables]
    for font in others:
        if [(t.platformID, t.platEncID, t.format) for t in font["cmap"].tables] != layout:
            return False
        for mine, theirs in zip(base["cmap"].tables, font["cmap"].tables, strict=True):
            for code, name in theirs.cmap.items():
                if mine.cmap.setdefault(code, name) != name:
                    return False
    return True


def _merge_glyph_classes(base: Any, others: list[Any]) -> bool:
    """GDEF's glyph classes and mark sets, which subsetting cuts to the glyphs kept: the
    union of the parts'. Anything else in GDEF must be absent (or the same bytes)."""
    if "GDEF" not in base.reader or all(f.reader["GDEF"] == base.reader["GDEF"] for f in others):
        return True
    mine = base["GDEF"].table
    for font in others:
        theirs = font["GDEF"].table
        if theirs.Version != mine.Version:
            return False
        for field in ("AttachList", "LigCaretList", "VarStore"):
            if getattr(mine, field, None) is not None or getattr(theirs, field, None) is not None:
                return False
        for field in ("GlyphClassDef", "MarkAttachClassDef"):
            classes = getattr(theirs, field, None)
            if classes is None:
                continue
            if getattr(mine, field, None) is None:
                setattr(mine, field, classes)
                continue
            kept = getattr(mine, field).classDefs
            for name, value in classes.classDefs.items():
                if kept.setdefault(name, value) != value:
                    return False
        sets: Any = getattr(mine, "MarkGlyphSetsDef", None)
        their_sets: Any = getattr(theirs, "MarkGlyphSetsDef", None)
        if sets is None or their_sets is None:
            if sets is not their_sets:
                return False
            continue
        if len(sets.Coverage) != len(their_sets.Coverage):
            return False
        for coverage, their_coverage in zip(sets.Coverage, their_sets.Coverage, strict=True):
            glyphs = set(coverage.glyphs) | set(their_coverage.glyphs)
            coverage.glyphs = sorted(glyphs, key=base.getGlyphID)
    return True


def _merge_char_range(base: Any, others: list[Any]) -> None:
    if "OS/2" not in base.reader:
        return
    table = base["OS/2"]
    for font in others:
        other = font["OS/2"]
        table.usFirstCharIndex = min(table.usFirstCharIndex, other.usFirstCharIndex)
        table.usLastCharIndex = max(table.usLastCharIndex, other.usLastCharIndex)
        for i in range(1, 5):
            field = f"ulUnicodeRange{i}"
            setattr(table, field, getattr(table, field) | getattr(other, field))
