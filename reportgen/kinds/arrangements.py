"""Published safeguarding arrangements: how the partnership is organised, who signs
for it and what each partner is expected to pay (Working Together 2023, chapter 2).

Not a report on a period: dated by its publication (`published:`, with `version:` and
`review_date:` in report.yaml) or undated. Its data files name it: data/arrangements.yaml
(reportgen/datasets/arrangements.py) and the annual report's data/governance.yaml, so
one `data/` folder can serve both documents.
"""

from __future__ import annotations

from reportgen.kinds.base import DocumentKind, Undated, Wording
from reportgen.model.arrangements import ArrangementsConfig


class ByPublication(Undated):
    """No period: the document is dated by when it was published (and its review date)."""

    name = "by publication (published, version, review date), or undated"


ARRANGEMENTS = DocumentKind(
    name="arrangements",
    title="Published arrangements",
    summary="The partnership's published safeguarding arrangements: who the partners "
    "are, how they work together, who signs, and the expected funding.",
    config_schema=ArrangementsConfig,
    period_rule=ByPublication(),
    profile="wt2023-arrangements",
    wording=Wording(document="published safeguarding arrangements"),
)
