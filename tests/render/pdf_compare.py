"""What two PDFs of the same page must share, whichever way they were made: for the
split layout (render/pdfsplit.py), whose joined PDF is compared with one laid out whole."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pikepdf

from tests.render.pdf_structure import (
    Element,
    Instructions,
    _unicode_map,
    marked_text,
    structure,
    walk,
)


@dataclass
class Summary:
    """A PDF as a reader meets it: text per page, outline, links, structure."""

    page_texts: list[str]
    outline: list[tuple[int, str, int, tuple[float, float]]]  # depth, title, page, (x, y)
    links: list[tuple[int, str, int | None]]  # page, destination name or URI, target page
    elements: Counter[str]
    reading_order: list[str]  # the top-level sections' kinds and texts, in order


def shown_strings(pdf: pikepdf.Pdf) -> Iterator[tuple[int, Any, bytes]]:
    """Every string a page shows (Tj, TJ; forms it draws included), in drawing order:
    the page's index, the font it is shown in and its bytes."""

    def shown(stream: Any, resources: Any) -> Iterator[tuple[Any, bytes]]:
        font = None
        drawing = pikepdf.parse_content_stream(stream, "Tf Tj TJ Do")
        for operands, operator in cast(Instructions, drawing):
            op = str(operator)
            if op == "Tf":
                font = resources.Font[operands[0]]
            elif op in ("Tj", "TJ") and font is not None:
                for part in operands[0] if op == "TJ" else operands:
                    if isinstance(part, pikepdf.String):
                        yield font, bytes(part)
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    yield from shown(xobject, xobject.get("/Resources", resources))

    for index, page in enumerate(pdf.pages):
        for font, data in shown(page.obj, page.obj.Resources):
            yield index, font, data


def _codes(font: Any, data: bytes) -> list[int]:
    """The character codes of a shown string: two bytes each in a composite font."""
    step = 2 if str(font.get("/Subtype")) == "/Type0" else 1
    return [int.from_bytes(data[i : i + step], "big") for i in range(0, len(data), step)]


def page_texts(pdf: pikepdf.Pdf) -> list[str]:
    """Everything drawn on each page, tagged, artifact ("Page 3 of 52") or neither, in
    drawing order, without spaces (the parts' fonts are subset apart, not the text)."""
    maps: dict[tuple[int, int], dict[int, str]] = {}
    texts = [""] * len(pdf.pages)
    for index, font, data in shown_strings(pdf):
        if font.objgen not in maps:
            maps[font.objgen] = _unicode_map(font)
        texts[index] += "".join(maps[font.objgen].get(code, "") for code in _codes(font, data))
    return [text.replace(" ", "") for text in texts]


def _destinations(pdf: pikepdf.Pdf) -> dict[str, Any]:
    names = pdf.Root.get("/Names", pikepdf.Dictionary()).get("/Dests")
    if names is None:
        return {}
    items = list(names.Names)
    return {str(k): v for k, v in zip(items[::2], items[1::2], strict=True)}


def summary(pdf: pikepdf.Pdf) -> Summary:
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    outline: list[tuple[int, str, int, tuple[float, float]]] = []

    def visit(item: Any, depth: int) -> None:
        while item is not None:
            dest = item.Dest
            point = (round(float(dest[2]), 1), round(float(dest[3]), 1))
            outline.append((depth, str(item.Title), pages[dest[0].objgen], point))
            if "/First" in item:
                visit(item.First, depth + 1)
            item = item.get("/Next")

    if "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines:
        visit(pdf.Root.Outlines.First, 0)
    dests = _destinations(pdf)
    links: list[tuple[int, str, int | None]] = []
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if "/Dest" in annot:
                name = str(annot.Dest)
                links.append((index, name, pages[dests[name][0].objgen]))
            elif "/A" in annot:
                links.append((index, str(annot.A.URI), None))
    tree: Element = structure(pdf, marked_text(pdf))
    return Summary(
        page_texts(pdf),
        outline,
        links,
        Counter(e.kind for e in walk(tree)),
        [f"{e.kind} {e.text[:40]}" for e in tree.children],
    )


def parent_tree_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Where the parent tree and the pages' and annotations' keys do not match up."""
    problems: list[str] = []
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    keys = [int(k) for k in nums[::2]]
    if keys != sorted(set(keys)):
        problems.append("parent tree keys are not unique and ascending")
    mapped = dict(zip(keys, nums[1::2], strict=True))
    for index, page in enumerate(pdf.pages):
        key = int(page.obj.StructParents)
        if not isinstance(mapped.get(key), pikepdf.Array):
            problems.append(f"page {index + 1}: /StructParents {key} maps to no array")
        for annot in page.obj.get("/Annots", []):
            # The parent tree maps an annotation's key to the element that holds it.
            key = int(annot.StructParent)
            element = mapped.get(key)
            held = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
            kids = list(held) if isinstance(held, pikepdf.Array) else [held]
            if not any(
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") == annot for kid in kids
            ):
                problems.append(f"page {index + 1}: an annotation's /StructParent {key}")
    return problems


def font_programs(pdf: pikepdf.Pdf) -> Counter[str]:
    """How many font programs the file embeds for each font (its name, subset prefix
    included): every copy is downloaded by every reader."""
    found: Counter[str] = Counter()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            found[str(obj.FontName)] += sum(f"/FontFile{n}" in obj for n in ("", "2", "3"))
    return found


def glyphs_drawn(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[Any, set[int]]]:
    """Each composite (Type0) font drawn on a page: the font and the glyph ids drawn."""
    found: dict[tuple[int, int], tuple[Any, set[int]]] = {}
    for _index, font, data in shown_strings(pdf):
        if font.get("/Subtype") == "/Type0":
            found.setdefault(font.objgen, (font, set()))[1].update(_codes(font, data))
    return found


def _widths(font: Any) -> dict[int, float]:
    items = list(font.DescendantFonts[0].W)
    return {
        int(first) + offset: float(width)
        for first, run in zip(items[::2], items[1::2], strict=True)
        for offset, width in enumerate(run)
    }


def glyph_problems(pdf: pikepdf.Pdf, reference: pikepdf.Pdf) -> list[str]:
    """Glyphs drawn in `pdf` whose outline, advance or width is not the one `reference`
    (the same page laid out whole) has for that font and glyph id: a font merged from
    the parts must hold every glyph either part's pages draw."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    programs: dict[tuple[int, int], Any] = {}

    def glyph(font: Any, gid: int) -> tuple[Any, ...]:
        stream = font.DescendantFonts[0].FontDescriptor.FontFile2
        if stream.objgen not in programs:
            programs[stream.objgen] = TTFont(io.BytesIO(stream.read_bytes()))
        program = programs[stream.objgen]
        if gid >= program["maxp"].numGlyphs:
            return ("no such glyph",)
        name = program.getGlyphName(gid)
        glyphs = program.getGlyphSet()
        pen = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(pen)
        return (pen.value, program["hmtx"][name], _widths(font).get(gid))

    expected = {str(font.BaseFont): font for font, _ in glyphs_drawn(reference).values()}
    problems: list[str] = []
    for font, ids in glyphs_drawn(pdf).values():
        name = str(font.BaseFont)
        for gid in sorted(ids):
            if name not in expected or glyph(font, gid) != glyph(expected[name], gid):
                problems.append(f"{name}: glyph {gid} differs from the whole layout's")
    return problems
