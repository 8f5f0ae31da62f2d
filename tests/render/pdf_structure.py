"""Read a tagged PDF's logical structure the way assistive technology does.

pikepdf gives the objects; this module walks the structure tree, decodes the text of
each marked-content sequence (through the fonts' ToUnicode maps) and reports what a
screen reader would meet: element types in reading order, their text, /Alt, and any
drawn text that is neither tagged nor an artifact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pikepdf

_HEX = re.compile(r"<([0-9A-Fa-f]+)>")

# What pikepdf.parse_content_stream gives, as the tests unpack it: its stubs declare
# instruction objects that are not iterable, but at run time each unpacks (as a sequence)
# into its operands and its operator.
Instructions = list[tuple[list[Any], pikepdf.Operator]]


def _unicode_map(font: Any) -> dict[int, str]:
    """Character code -> text, from a font's ToUnicode CMap (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    text = font.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}

    def utf16(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        pairs = _HEX.findall(block)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
            found[int(src, 16)] = utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for line in block.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            lo, hi = int(parts[0], 16), int(parts[1], 16)
            if "[" in line:
                for offset, dst in enumerate(parts[2:]):
                    found[lo + offset] = utf16(dst)
            else:
                base = int(parts[2], 16)
                width = len(parts[2]) // 2
                for code in range(lo, hi + 1):
                    value = (base + code - lo).to_bytes(width, "big")
                    found[code] = value.decode("utf-16-be", errors="replace")
    return found


@dataclass
class MarkedText:
    """Text drawn on each page, by marked-content id, plus text outside any tag."""

    by_mcid: dict[tuple[int, int], str] = field(default_factory=dict)
    artifact: list[str] = field(default_factory=list)
    untagged: list[str] = field(default_factory=list)


def marked_text(pdf: pikepdf.Pdf) -> MarkedText:
    """Decode every page's text into its marked-content sequence."""
    result = MarkedText()
    maps: dict[tuple[int, int], dict[int, str]] = {}

    def decode(font: Any, data: bytes) -> str:
        key = font.objgen
        if key not in maps:
            maps[key] = _unicode_map(font)
        cmap = maps[key]
        two_byte = str(font.get("/Subtype")) == "/Type0"
        step = 2 if two_byte else 1
        return "".join(
            cmap.get(int.from_bytes(data[i : i + step], "big"), "")
            for i in range(0, len(data), step)
        )

    def walk(page_index: int, stream: Any, resources: Any, stack: list[int | None]) -> None:
        font = None
        for operands, operator in cast(Instructions, pikepdf.parse_content_stream(stream)):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = resources.Properties[props]
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                font = resources.Font[operands[0]]
            elif op in ("Tj", "TJ", "'", '"'):
                parts = operands[0] if op == "TJ" else operands[-1:]
                text = "".join(
                    decode(font, bytes(p)) for p in parts if isinstance(p, pikepdf.String)
                )
                if not text:
                    continue
                mcids = [m for m in stack if m is not None]
                if mcids:
                    key = (page_index, mcids[-1])
                    result.by_mcid[key] = result.by_mcid.get(key, "") + text
                elif stack:
                    result.artifact.append(text)
                else:
                    result.untagged.append(text)
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    walk(page_index, xobject, xobject.get("/Resources", resources), stack)

    for index, page in enumerate(pdf.pages):
        walk(index, page.obj, page.obj.Resources, [])
    return result


@dataclass
class Element:
    """One structure element: type, depth, text it marks, /Alt and attributes."""

    kind: str
    depth: int
    text: str
    alt: str | None
    obj: Any
    children: list[Element] = field(default_factory=list)


def structure(pdf: pikepdf.Pdf, text: MarkedText) -> Element:
    """The structure tree from its root /Document element, with each element's text."""
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def build(obj: Any, depth: int, page: int | None) -> Element:
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        element = Element(str(obj.get("/S")), depth, "", None, obj)
        if "/Alt" in obj:
            element.alt = str(obj.Alt)
        kids = obj.get("/K")
        items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        parts: list[str] = []
        for kid in items:
            if isinstance(kid, int):
                if page is not None:
                    parts.append(text.by_mcid.get((page, kid), ""))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                child = build(kid, depth + 1, page)
                element.children.append(child)
                parts.append(child.text)
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                kid_page = pages[kid.Pg.objgen] if "/Pg" in kid else page
                if kid_page is not None:
                    parts.append(text.by_mcid.get((kid_page, int(kid.MCID)), ""))
        element.text = "".join(parts)
        return element

    return build(pdf.Root.StructTreeRoot.K[0], 0, None)


def walk(element: Element) -> Iterator[Element]:
    """Every element, in reading (depth-first) order."""
    yield element
    for child in element.children:
        yield from walk(child)


def reachable_mcids(root: Element, pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """(page, MCID) of every marked-content sequence the structure tree reaches."""
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found: set[tuple[int, int]] = set()

    def visit(obj: Any, page: int | None) -> None:
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        kids = obj.get("/K")
        items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in items:
            if isinstance(kid, int) and page is not None:
                found.add((page, kid))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid, page)

    visit(root.obj, None)
    return found
