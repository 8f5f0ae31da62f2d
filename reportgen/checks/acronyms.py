"""The partnership's short name spelt another way: 'BCSB' in a report of the BSCB.

A short name with two letters swapped is a typing slip that no dictionary catches (the
spelling check leaves words in capitals alone) and a reader may take for another body.
Only a reordering of the same letters is flagged: another abbreviation one letter away
(the LSCB a partnership replaced, beside its LSCP) is a different name, not a slip.
"""

from __future__ import annotations

import re

from reportgen.checks.text import TextItem
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_SHORT_NAME_VARIANT = Code(
    "content.short-name-variant",
    Severity.WARNING,
    "The partnership's short name is spelt with its letters in another order",
    """
    The text has an abbreviation made of the same letters as the partnership's short
    name (report.yaml `partnership: short_name:`) in another order, e.g. BCSB for BSCB.
    It is almost always a typing slip: correct it to the short name.
    """,
)

_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")


def check_short_names(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Flag every abbreviation that is the short name's letters reordered."""
    short = project.config.partnership.short_name.strip()
    if not _CAPITALS.fullmatch(short):
        return  # a short name in mixed case or with spaces has no such slips to find
    letters = sorted(short)
    for item in items:
        for match in _CAPITALS.finditer(item.text):
            word = match.group(0)
            if word != short and sorted(word) == letters:
                diags.emit(
                    CONTENT_SHORT_NAME_VARIANT,
                    f"'{word}' has the letters of the partnership's short name {short} in "
                    "another order",
                    item.location(match.start()),
                    f"write {short}",
                )
