"""The annual report: the partnership's yearly report under Working Together 2023.

Twelve months (a `2024/25` year label, 365 or 366 days), the data files of `data/`
whose datasets name it (reportgen/datasets/), judged against the `wt2023` completeness
profile, printed as a "yearly report".
"""

from __future__ import annotations

from reportgen.kinds.base import DocumentKind, Period, PeriodRule, Wording
from reportgen.model.config import DocumentConfig, ReportConfig
from reportgen.model.validation import DEFAULT_PROFILE


class TwelveMonths(PeriodRule):
    """`period:` in report.yaml: a one-year label (2024/25) and its first and last day."""

    name = "twelve months"

    def period_of(self, config: DocumentConfig) -> Period | None:
        assert isinstance(config, ReportConfig)  # this kind's schema
        return Period(config.period.label, config.period.start, config.period.end, self)

    def span_problem(self, period: Period) -> str | None:
        if 365 <= period.days <= 366:
            return None
        return f"the report period is {period.days} days, not a year"


ANNUAL_REPORT_NAME = "annual-report"  # what its datasets name in `kinds`

ANNUAL_REPORT = DocumentKind(
    name=ANNUAL_REPORT_NAME,
    title="Annual report",
    summary="The partnership's yearly report: what it did, for whom and how well, "
    "over twelve months.",
    config_schema=ReportConfig,
    period_rule=TwelveMonths(),
    profile=DEFAULT_PROFILE,
    wording=Wording(document="yearly report"),
)
