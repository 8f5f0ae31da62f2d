"""The annual report: the partnership's yearly report under Working Together 2023.

Twelve months (a `2024/25` year label, 365 or 366 days), the data files of `data/`
(with the business plan and progress on its outcome rows, when the report gives them),
judged against the `wt2023` completeness profile, printed as a "yearly report".
"""

from __future__ import annotations

from reportgen.kinds.base import DatasetFile, DocumentKind, Period, PeriodRule, Wording
from reportgen.model.budget import Budget
from reportgen.model.config import DocumentConfig, ReportConfig
from reportgen.model.feedback import Feedback
from reportgen.model.governance import Governance
from reportgen.model.indicators import Indicators
from reportgen.model.partners import Partners
from reportgen.model.plan import BusinessPlan, PlanProgress
from reportgen.model.priorities import Priorities
from reportgen.model.reviews import Reviews
from reportgen.model.tables import Tables
from reportgen.model.training import Training
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


ANNUAL_REPORT = DocumentKind(
    name="annual-report",
    title="Annual report",
    summary="The partnership's yearly report: what it did, for whom and how well, "
    "over twelve months.",
    config_schema=ReportConfig,
    datasets=(
        DatasetFile("governance", "data/governance.yaml", Governance),
        DatasetFile("budget", "data/budget.yaml", Budget),
        DatasetFile("priorities", "data/priorities.yaml", Priorities),
        DatasetFile("indicators", "data/indicators.yaml", Indicators),
        DatasetFile("training", "data/training.yaml", Training),
        DatasetFile("reviews", "data/reviews.yaml", Reviews),
        DatasetFile("tables", "data/tables.yaml", Tables),
        DatasetFile("partners", "data/partners.yaml", Partners),
        DatasetFile("feedback", "data/feedback.yaml", Feedback),
        # The partnership's business plan, and this year's progress on its outcome rows.
        DatasetFile("plan", "data/plan.yaml", BusinessPlan, dated=False),
        DatasetFile("plan_progress", "data/plan-progress.yaml", PlanProgress),
    ),
    period_rule=TwelveMonths(),
    profile=DEFAULT_PROFILE,
    wording=Wording(document="yearly report"),
)
