"""An indicator that is the sum of its parts need not be typed: its value is worked out.

`parts: [a, b]` with no `value:` makes the indicator the sum of its parts (41% to early
help plus 30% to statutory services is 71% that went on to either), so the total can
never disagree with them. A typed value is still allowed, and checked against the sum
(`data.total-mismatch`, checks/arithmetic.py).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from reportgen.load.positions import SourceMap


def _number(value: Any) -> Decimal | None:
    """A part's value as typed, or None when it is not a plain number (the schema says why)."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return None
    text = str(value).strip().removesuffix("%").replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def fill_totals_from_parts(data: Any, smap: SourceMap) -> None:
    """Give each indicator with `parts` and no `value` the sum of its parts' values.

    The value is placed at the `parts:` line, so what points at it (the open data's
    source of the figure) points at what it is made from. When a part is missing or not
    a number the value stays absent and the schema reports the missing field."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        return
    entries = [e for e in data["indicators"] if isinstance(e, dict)]
    by_id = {e.get("id"): e for e in entries if isinstance(e.get("id"), str)}
    for index, entry in enumerate(data["indicators"]):
        if not isinstance(entry, dict) or "value" in entry:
            continue
        parts = entry.get("parts")
        if not isinstance(parts, list) or not parts:
            continue
        values = [_number(by_id[p].get("value")) if p in by_id else None for p in parts]
        if any(v is None for v in values):
            continue
        entry["value"] = str(sum((v for v in values if v is not None), Decimal(0)))
        smap.record(("indicators", index, "value"), smap.locate(("indicators", index, "parts")))
