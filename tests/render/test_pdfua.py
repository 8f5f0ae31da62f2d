"""render/pdfua.py on hand-made pages: re-marking page furniture as artifacts.

The example PDF's structure is checked end to end in test_pdf_structure.py; these tests
pin the two ways a page's marked content is re-marked: the fast substitution on the
bytes WeasyPrint writes, and the parser it falls back to for anything else.
"""

from __future__ import annotations

from typing import Any

import pikepdf
import pytest

from reportgen.render.pdfua import _make_artifacts


def _page(content: bytes) -> tuple[Any, Any]:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    return pdf, page


def _marks(page: Any) -> list[tuple[str, Any]]:
    """(tag, MCID or artifact type) of each BDC, in order."""
    found = []
    for instruction in pikepdf.parse_content_stream(page, "BDC"):
        tag, props = instruction.operands
        found.append((str(tag), props.get("/MCID", props.get("/Type"))))
    return found


WEASYPRINT = (  # as pydyf writes it: one token a line
    b"/Span\n<</MCID 0>>\nBDC\nBT ET\nEMC\n"
    b"/P\n<</MCID 1>>\nBDC\nBT ET\nEMC\n"
    b"/Span\n<</MCID 12>>\nBDC\nEMC\n"
)
# The same marks written another way: an extra key, and the MCID not first.
OTHER_WRITER = (
    b"/Span <</Lang (en-GB) /MCID 0>> BDC BT ET EMC\n"
    b"/P <</MCID 1>> BDC BT ET EMC\n/Span <</ActualText <0031> /MCID 12>> BDC EMC\n"
)


@pytest.mark.parametrize("content", [WEASYPRINT, OTHER_WRITER], ids=["weasyprint", "other"])
def test_only_the_named_marks_become_pagination_artifacts(content: bytes) -> None:
    pdf, page = _page(content)
    _make_artifacts(pdf, page, {0, 12})
    assert _marks(page) == [("/Artifact", "/Pagination"), ("/P", 1), ("/Artifact", "/Pagination")]
    # MCID 1 and 12 differ by more than a prefix: "/MCID 1" must not match "/MCID 12".
    pdf, page = _page(content)
    _make_artifacts(pdf, page, {1})
    assert [mark for _tag, mark in _marks(page)] == [0, "/Pagination", 12]


def test_the_rewritten_page_survives_a_save_and_reopen(tmp_path: Any) -> None:
    pdf, page = _page(WEASYPRINT)
    _make_artifacts(pdf, page, {1})
    pdf.save(tmp_path / "page.pdf")
    with pikepdf.open(tmp_path / "page.pdf") as reopened:
        assert [mark for _tag, mark in _marks(reopened.pages[0])] == [0, "/Pagination", 12]
