"""Finish WeasyPrint's tagged PDF so its structure is complete for PDF/UA-1.

WeasyPrint (70) tags the page content well but leaves three gaps, closed here with pikepdf
after it writes:

- running headers and page numbers (page-margin boxes) are marked content whose
  structure elements hang outside the tree; they become `/Artifact` of type
  `/Pagination`, which screen readers skip, as ISO 14289-1 7.8 asks;
- header cells carry `/Headers` ids but no `/Scope`; a `<th>` in `<thead>` is given
  `/Column`, any other `/Row`, for readers that ignore ids;
- a link's `/Contents` is its anchor id (`#budget`); it becomes the link's own text.

Everything here is deterministic: the same PDF in gives the same bytes out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

_HEX = re.compile(r"<([0-9A-Fa-f]+)>")


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [] if kids is None else [kids]


def _elements(root: Any) -> Iterator[tuple[Any, Any]]:
    """(element, parent) for every structure element under `root`, in reading order."""
    import pikepdf

    stack = [(root, None)]
    while stack:
        element, parent = stack.pop()
        yield element, parent
        children = [k for k in _kids(element) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        stack.extend((child, element) for child in reversed(children))


def _unicode_map(font: Any) -> dict[int, str]:
    """Character code -> text, from a font's ToUnicode CMap (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    text = font.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        pairs = _HEX.findall(block)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
            found[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", errors="replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for line in block.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if "[" in line:
                for offset, dst in enumerate(parts[2:]):
                    found[low + offset] = bytes.fromhex(dst).decode("utf-16-be", errors="replace")
            else:
                base, width = int(parts[2], 16), len(parts[2]) // 2
                for code in range(low, high + 1):
                    found[code] = (
                        (base + code - low)
                        .to_bytes(width, "big")
                        .decode("utf-16-be", errors="replace")
                    )
    return found


# How WeasyPrint (through pydyf) opens marked content: `/Tag <</MCID n>> BDC`. Names and
# dictionaries cannot contain a hex string's `<`-digit start, so this cannot match text.
_MARKED = re.compile(rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def _marked_text(
    page: Any, wanted: set[int], fonts: dict[tuple[int, int], dict[int, str]]
) -> dict[int, str]:
    """The text shown inside each marked-content id of `wanted` on `page`."""
    import pikepdf

    text: dict[int, str] = {}
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    stack: list[int | None] = []
    font: Any = None
    # Only the operators that matter here: the parser skips the rest in C++.
    for instruction in pikepdf.parse_content_stream(page, "BDC BMC EMC Tf Tj TJ"):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None and int(mcid) in wanted else None)
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC" and stack:
            stack.pop()
        elif op == "Tf":
            font = resources.Font.get(operands[0])
        elif op in ("Tj", "TJ") and font is not None and stack and stack[-1] is not None:
            key = font.objgen
            if key not in fonts:
                fonts[key] = _unicode_map(font)
            cmap = fonts[key]
            step = 2 if str(font.get("/Subtype")) == "/Type0" else 1
            strings = operands[0] if op == "TJ" else operands
            for part in strings:
                if isinstance(part, pikepdf.String):
                    data = bytes(part)
                    text[stack[-1]] = text.get(stack[-1], "") + "".join(
                        cmap.get(int.from_bytes(data[i : i + step], "big"), "")
                        for i in range(0, len(data), step)
                    )
    return text


def _make_artifacts(pdf: Any, page: Any, mcids: set[int]) -> None:
    """Re-mark the marked content `mcids` of `page` as pagination artifacts."""
    import pikepdf

    page.contents_coalesce()
    stream = page.obj.Contents
    found: set[int] = set()

    def remark(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(1))
        if mcid not in mcids:
            return match.group(0)
        found.add(mcid)
        return _PAGINATION

    # A substitution on the bytes is ten times faster than parsing and rewriting the
    # stream; if WeasyPrint ever writes these operators another way, do it the slow way.
    data = _MARKED.sub(remark, stream.read_bytes())
    if found == mcids:
        stream.write(data)
        return
    artifact: list[Any] = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
    ops = []
    for instruction in pikepdf.parse_content_stream(page):
        operands: Any = instruction.operands
        if str(instruction.operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in mcids:
                operands = artifact
        ops.append(pikepdf.ContentStreamInstruction(operands, instruction.operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def _text(element: Any, texts: dict[tuple[int, int], dict[int, str]]) -> str:
    """The text an element marks, its descendants included."""
    import pikepdf

    page = texts.get(element.Pg.objgen, {}) if "/Pg" in element else {}
    parts = []
    for kid in _kids(element):
        if isinstance(kid, int):
            parts.append(page.get(kid, ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            parts.append(_text(kid, texts))
    return "".join(parts)


def _marked_ids(element: Any) -> Iterator[tuple[tuple[int, int], int]]:
    """(page, marked-content id) of everything under `element`."""
    for part, _ in _elements(element):
        if "/Pg" in part:
            page = part.Pg.objgen
            yield from ((page, kid) for kid in _kids(part) if isinstance(kid, int))


def finish_pdf(data: bytes) -> bytes:
    """The PDF with artifacts, header scopes and link descriptions completed."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot.K[0]
        reachable: set[tuple[int, int]] = set()
        parents: dict[tuple[int, int], Any] = {}
        links: list[Any] = []
        for element, parent in _elements(root):
            reachable.add(element.objgen)
            if str(element.get("/S")) == "/Link":
                links.append(element)
            if parent is not None:
                parents[element.objgen] = parent
            if str(element.get("/S")) == "/TH":
                row_group = parents.get(parent.objgen) if parent is not None else None
                in_head = row_group is not None and str(row_group.get("/S")) == "/THead"
                attributes = element.get("/A")
                if isinstance(attributes, pikepdf.Dictionary):
                    attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row

        # A link's description is the text it marks, as a screen reader says it. Only
        # the pages with links are read, and only for the ids inside links.
        wanted: dict[tuple[int, int], set[int]] = {}
        for link in links:
            for page_id, mcid in _marked_ids(link):
                wanted.setdefault(page_id, set()).add(mcid)
        fonts: dict[tuple[int, int], dict[int, str]] = {}
        texts = {
            page.obj.objgen: _marked_text(page, wanted[page.obj.objgen], fonts)
            for page in pdf.pages
            if page.obj.objgen in wanted
        }
        for link in links:
            label = " ".join(_text(link, texts).split())
            # A link's inner boxes (a number in a <span>) carry annotations of their own.
            for part, _ in _elements(link):
                for kid in _kids(part):
                    if (
                        label
                        and isinstance(kid, pikepdf.Dictionary)
                        and kid.get("/Type") == "/OBJR"
                    ):
                        kid.Obj.Contents = pikepdf.String(label)

        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        for index, page in enumerate(pdf.pages):
            slots = nums[2 * index + 1]
            orphans = {
                mcid
                for mcid, element in enumerate(slots)
                if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
            }
            if orphans:
                _make_artifacts(pdf, page, orphans)
                for mcid in orphans:
                    slots[mcid] = None  # no longer marked content: nothing to map

        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
