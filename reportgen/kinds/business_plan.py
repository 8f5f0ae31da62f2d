"""The business plan: priorities over more than one year, each a table of outcome rows
(outcome and timeframe, key activities, inputs, lead, measures), under document control.
Its data file names it: data/plan.yaml (reportgen/datasets/plan.py).
"""

from __future__ import annotations

from reportgen.kinds.base import DocumentKind, Period, PeriodRule, Wording
from reportgen.model.config import DocumentConfig
from reportgen.model.plan import PlanConfig


class SeveralYears(PeriodRule):
    """`period:` in report.yaml: years such as `2015 to 2017`, more than twelve months."""

    name = "more than one year"

    def __init__(self, years: int = 2) -> None:
        self.years = years

    def period_of(self, config: DocumentConfig) -> Period | None:
        assert isinstance(config, PlanConfig)  # this kind's schema
        # Each plan has its own length, so its neighbours are labelled with it.
        rule = SeveralYears(config.period.years)
        return Period(config.period.label, config.period.start, config.period.end, rule)

    def span_problem(self, period: Period) -> str | None:
        if period.days > 366:
            return None
        return f"the plan covers {period.days} days: a business plan spans more than a year"

    def label_for(self, first_year: int) -> str:
        return f"{first_year} to {first_year + self.years}"


BUSINESS_PLAN = DocumentKind(
    name="business-plan",
    title="Business plan",
    summary="The partnership's plan over several years: priorities, the outcomes sought "
    "and how they will be reached and measured.",
    config_schema=PlanConfig,
    period_rule=SeveralYears(),
    profile="none",
    wording=Wording(document="business plan"),
)
