"""An indicator that is the sum of its parts need not be typed: its value is worked out.

`parts: [a, b]` with no `value:` makes the indicator the sum of its parts (41% to early
help plus 30% to statutory services is 71% that went on to either), so the total can
never disagree with them. A typed value is still allowed, and checked against the sum
(`data.total-mismatch`, checks/arithmetic.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from reportgen.load.positions import SourceMap

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _number(value: Any) -> Decimal | None:
    """A part's value as typed, or None when it is not a plain number (the schema says why)."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return None
    text = str(value).strip().removesuffix("%").strip()
    if "," in text and not _THOUSANDS.fullmatch(text):
        return None  # 41,5: a decimal comma, which the schema reports
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def sum_of_parts(entry: Any, by_id: dict[Any, Any]) -> Decimal | None:
    """The sum of the values of `entry`'s parts (raw YAML items by id), or None when a
    part is missing or its value cannot be read."""
    parts = entry.get("parts") if isinstance(entry, dict) else None
    if not isinstance(parts, list) or not parts or not all(p in by_id for p in parts):
        return None
    values = [_number(by_id[p].get("value")) for p in parts]
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def fill_totals_from_parts(data: Any, smap: SourceMap) -> list[int]:
    """Give each indicator with `parts` and no `value` the sum of its parts' values.

    The value is placed at the `parts:` line, so what points at it (the open data's
    source of the figure) points at what it is made from. Returns the indices of those
    whose sum cannot be worked out because a part's value cannot be read: that part's
    error is reported where it is, and the total is left out with it. (A part that does
    not exist leaves the value absent: the schema asks for one.)"""
    unreadable: list[int] = []
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        return unreadable
    entries = [e for e in data["indicators"] if isinstance(e, dict)]
    by_id = {e.get("id"): e for e in entries if isinstance(e.get("id"), str)}
    for index, entry in enumerate(data["indicators"]):
        if not isinstance(entry, dict) or "value" in entry:
            continue
        parts = entry.get("parts")
        if not isinstance(parts, list) or not parts:
            continue
        if not all(p in by_id for p in parts):
            continue
        total = sum_of_parts(entry, by_id)
        if total is None:
            unreadable.append(index)
            continue
        entry["value"] = str(total)
        smap.record(("indicators", index, "value"), smap.locate(("indicators", index, "parts")))
    return unreadable
