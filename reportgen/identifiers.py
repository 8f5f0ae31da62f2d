"""How a label becomes part of an identifier: one rule for each kind, in one place.

Figure names are made from labels in several layers (a dataset's derive step names
`budget.income.<contributor>`, the open data names the same line's expected income), and
a heading's anchor is made by the renderer and checked by the link check: what must
agree is computed by the same function.
"""

from __future__ import annotations

import re

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A part of a figure's name: 'Requires improvement' -> 'requires_improvement'."""
    return _NOT_NAME.sub("_", text.lower()).strip("_")


def anchor(text: str) -> str:
    """A heading's anchor, a file's or an id's stem: 'Our priorities' -> 'our-priorities'
    ('' when the text has no letter or digit: the caller says what stands in)."""
    return _NOT_NAME.sub("-", text.lower()).strip("-")
