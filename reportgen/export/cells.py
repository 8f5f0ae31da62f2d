"""CSV cells that are safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide one), so text from a project could run
`=HYPERLINK(...)` on an analyst's machine. As the OWASP guidance on CSV injection
says, such a text cell is prefixed with a single quote, which the spreadsheet shows
as text. Figures are written by reportgen itself from numbers (`-1400` stays `-1400`)
and are never prefixed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence, Set

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text cell a spreadsheet would run as a formula with `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(
    header: Sequence[str], records: Iterable[Sequence[str]], numeric: Set[int] = frozenset()
) -> bytes:
    """UTF-8 CSV with `\\n` line ends; every column but the `numeric` ones is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for record in records:
        writer.writerow(
            [cell if i in numeric else neutralise(cell) for i, cell in enumerate(record)]
        )
    return buffer.getvalue().encode("utf-8")


__all__ = ["FORMULA_STARTS", "csv_bytes", "neutralise"]
