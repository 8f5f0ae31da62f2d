"""Join the two parts of a split layout (render/pdfsplit.py) into one PDF/UA document.

Each part is a finished, tagged PDF (render/pdfua.py has run on it). The first part's
document keeps its catalog (metadata, language, viewer preferences) and gets the second
part's pages, and with them:

- one structure tree: the second part's top-level elements follow the first's, in
  reading order (WeasyPrint makes them page by page, so nothing is cut in two);
- one parent tree, numbered as WeasyPrint numbers a whole document: pages first
  (`/StructParents` 0 to N-1), then every annotation in page order (`/StructParent`);
- one set of named destinations: each anchor from the part that defines it (a part's
  links into the other part point at a stand-in, replaced here);
- one outline, nested across the cut as WeasyPrint nests it (`make_page_bookmark_tree`);
- one embedded program per font, holding the glyphs of every part (render/pdffonts.py).

It is written with object streams made anew, as WeasyPrint writes one document: the later
parts' objects would otherwise be written one by one, uncompressed.

The same parts give the same bytes (pikepdf's deterministic ID, no dates or paths added).
"""

from __future__ import annotations

import io
import warnings
from types import SimpleNamespace
from typing import Any

from reportgen.render.pdffonts import merge_fonts
from reportgen.render.pdfsplit import PartResult, SplitFailed

_SCALE = 0.75  # CSS px to PDF points at zoom 1, as WeasyPrint's write_pdf uses


def _pairs(array: Any) -> list[tuple[Any, Any]]:
    items = list(array)
    return list(zip(items[::2], items[1::2], strict=True))


def join_parts(parts: list[PartResult]) -> bytes:
    """One PDF of `parts`, in order."""
    import pikepdf

    opened = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        _check_joinable(opened)
        whole = opened[0]
        root = whole.Root.StructTreeRoot
        document = root.K[0]
        counts = [len(pdf.pages) for pdf in opened]
        total = sum(counts)
        nums: list[tuple[int, Any]] = []  # page keys
        # Each annotation key's element and annotations, in page order
        annotations: list[tuple[Any, list[Any]]] = []
        offset = 0
        for index, (pdf, count) in enumerate(zip(opened, counts, strict=True)):
            replaced: dict[tuple[int, int], Any] = {}
            if index:
                with warnings.catch_warnings():  # the destinations are joined below
                    warnings.simplefilter("ignore")
                    whole.pages.extend(pdf.pages)
                replaced = _graft(whole, document, pdf.Root.StructTreeRoot.K[0])
            held: dict[int, list[Any]] = {}  # an annotation key -> its annotations
            for page in list(whole.pages)[offset : offset + count]:
                for annotation in page.obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        held.setdefault(int(annotation.StructParent), []).append(annotation)
            for key, value in sorted(
                _pairs(pdf.Root.StructTreeRoot.ParentTree.Nums), key=lambda pair: int(pair[0])
            ):
                value = _copy(whole, pdf, value) if index else value
                if int(key) >= count:
                    annotations.append((value, held[int(key)]))
                    continue
                if replaced:  # elements that are the first part's now
                    value = pikepdf.Array(
                        replaced.get(v.objgen, v) if isinstance(v, pikepdf.Dictionary) else v
                        for v in value
                    )
                nums.append((offset + int(key), value))
            offset += count
        for index, (_element, held_there) in enumerate(annotations, start=total):
            for annotation in held_there:
                annotation.StructParent = index
        for index, page in enumerate(whole.pages):
            page.obj.StructParents = index
        flat: list[Any] = []
        for key, value in [*nums, *((total + i, a[0]) for i, a in enumerate(annotations))]:
            flat.extend([key, value])
        root.ParentTree = whole.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(flat)))
        _join_destinations(whole, opened, parts)
        _join_outline(whole, parts)
        merge_fonts(whole)
        out = io.BytesIO()
        # Object streams made anew (see above: 0.82 MB for the example, not 0.44 MB).
        whole.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for pdf in opened:
            pdf.close()
    return out.getvalue()


# What this join knows how to merge (or keep once): anything else and the page is laid
# out whole instead (forms, attachments, an ID tree or role map: none in reportgen's PDF).
_CATALOG = {
    "/Type", "/Pages", "/Outlines", "/Names", "/StructTreeRoot", "/MarkInfo", "/Lang",
    "/ViewerPreferences", "/Metadata",
}  # fmt: skip
_STRUCT_ROOT = {"/Type", "/K", "/ParentTree"}


def _check_joinable(opened: list[Any]) -> None:
    for pdf in opened:
        extra = set(map(str, pdf.Root.keys())) - _CATALOG
        extra |= set(map(str, pdf.Root.StructTreeRoot.keys())) - _STRUCT_ROOT
        extra |= set(map(str, pdf.Root.get("/Names", {}).keys())) - {"/Dests"}
        if extra or len(pdf.Root.StructTreeRoot.K) != 1:
            raise SplitFailed(f"entries the join does not merge: {sorted(extra)}")


def _copy(whole: Any, pdf: Any, value: Any) -> Any:
    """`value` of another part's `pdf`, in `whole` (its pages are the copies made)."""
    if not value.is_indirect:
        value = pdf.make_indirect(value)
    return whole.copy_foreign(value)


def _graft(whole: Any, document: Any, other: Any) -> dict[tuple[int, int], Any]:
    """The other part's top-level structure elements, after `document`'s (WeasyPrint
    makes them page by page, so the cut falls between two of them). Returns the other
    part's Document element (copied) -> `document`, for the parent tree."""
    other_document = whole.copy_foreign(other)
    for kid in list(other_document.K):
        kid.P = document
        document.K.append(kid)
    return {other_document.objgen: document}


def _join_destinations(whole: Any, opened: list[Any], parts: list[PartResult]) -> None:
    """Named destinations: each anchor's from the part that lays it out."""
    import pikepdf

    names: dict[str, Any] = {}
    for index, (pdf, part) in enumerate(zip(opened, parts, strict=True)):
        tree = pdf.Root.get("/Names", pikepdf.Dictionary()).get("/Dests")
        if tree is None:
            continue
        if "/Kids" in tree:
            raise SplitFailed("a nested name tree of destinations")
        for key, value in _pairs(tree.Names):
            name = str(key)
            if name in part.anchors and name not in names:
                names[name] = _copy(whole, pdf, value) if index else value
    if not names:
        return
    flat: list[Any] = []
    for name in sorted(names):
        flat.extend([pikepdf.String(name), names[name]])
    if "/Names" not in whole.Root:
        whole.Root.Names = pikepdf.Dictionary()
    whole.Root.Names.Dests = pikepdf.Dictionary(Names=pikepdf.Array(flat))


def _join_outline(whole: Any, parts: list[PartResult]) -> None:
    """The outline of all parts' bookmarks, built as WeasyPrint builds one document's."""
    import pikepdf
    from weasyprint.document import Document

    pages = [
        SimpleNamespace(bookmarks=bookmarks, height=height)
        for part in parts
        for bookmarks, height in zip(part.bookmarks, part.heights, strict=True)
    ]
    tree = Document.make_bookmark_tree(
        SimpleNamespace(pages=pages), scale=_SCALE, transform_pages=True
    )
    if "/Outlines" in whole.Root:
        del whole.Root["/Outlines"]
    if not tree:
        return
    page_objects = [page.obj for page in whole.pages]

    def add(subtrees: list[Any], parent: Any) -> tuple[list[Any], int]:
        count = len(subtrees)
        made: list[Any] = []
        for title, (page, x, y), children, state in subtrees:
            item = whole.make_indirect(
                pikepdf.Dictionary(
                    Title=pikepdf.String(title),
                    Dest=pikepdf.Array([page_objects[page], pikepdf.Name.XYZ, x, y, 0]),
                )
            )
            kids, kids_count = add(children, item)
            item.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if made:
                item.Prev = made[-1]
                made[-1].Next = item
            if kids:
                item.First, item.Last = kids[0], kids[-1]
            if parent is not None:
                item.Parent = parent
            made.append(item)
        return made, count

    outlines = whole.make_indirect(pikepdf.Dictionary())
    made, count = add(tree, None)
    for item in made:
        item.Parent = outlines
    outlines.Count, outlines.First, outlines.Last = count, made[0], made[-1]
    whole.Root.Outlines = outlines
