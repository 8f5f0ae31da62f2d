"""Figures of the report as printed that no dataset's own export table carried: for the ledger.

Issue 14 let a report hold what partnerships print; each such figure is published here,
with its area where it has one, its source and, when computed, how:

- expected (planned) income by partner, beside the amount received (table `budget`);
- each area's serious incident notifications (table `reviews`);
- communication reach as ranges with their average, shares and printed changes, and
  survey responses with their response rate (table `activity`);
- training attendance by area or type of organisation, counts or shares (`training`);
- every derived figure typed as printed (`stated:`), with the figure it was checked
  against (table `stated`).

A figure the report does not state is published as not available (`x`), never 0; a
small count of children is withheld exactly as the pages withhold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from reportgen.activity import TABLE as ACTIVITY
from reportgen.diagnostics import Location
from reportgen.identifiers import slug
from reportgen.ledger import FigureTable, Measure, TimePeriod, describe, sum_of
from reportgen.model.budget import Budget
from reportgen.model.controls import Disclosure
from reportgen.model.indicators import Indicator, Indicators, Stated, Unit
from reportgen.model.lado import Lado
from reportgen.model.partners import Partners, reach_change, reach_share, response_rate
from reportgen.model.reviews import Reviews

if TYPE_CHECKING:
    from reportgen.derived import Derived
    from reportgen.project import Project

STATED = "stated"
_ONE_PLACE = Decimal("0.1")
# What each field of `stated:` is, as the export's filter says it.
_STATED_WORDS = {
    "change_percent": "Per cent change on last year",
    "difference": "Difference from last year",
    "points": "Change in percentage points",
    "times": "Ratio",
    "part": "Share of a stated base",
}


def publish_printed(project: Project, out: Derived) -> None:
    """Add the figures above to the ledger of a dated project."""
    if project.period is None:
        return  # open data is dated; an undated kind publishes none
    _expected_income(project, out)
    _notifications_by_area(project, out)
    _reach_and_surveys(project, out)
    _training_breakdowns(project, out)
    _stated(project, out)


def _expected_income(project: Project, out: Derived) -> None:
    budget = project.dataset("budget", Budget)
    if budget is None or "budget" not in out.ledger.tables:
        return
    lines = budget.income.lines
    if all(line.expected is None for line in lines):
        return  # the report prints no expected income: nothing to say "not stated" about
    out.ledger.table(
        FigureTable(
            "budget", "", {}, {"expected": Measure("Expected (planned) amount (£)", "money")}
        )
    )
    for line in lines:
        out.ledger.add(
            f"budget.income.{slug(line.contributor)}.expected",
            "budget",
            "expected",
            line.expected,
            [("budget_part", "Income"), ("budget_line", line.contributor)],
            [project.where(line, "expected")],
            area=line.area,
        )
    if all(line.expected is not None for line in lines):
        at = [project.where(line, "expected") for line in lines]
        out.ledger.add(
            "budget.income.expected_total",
            "budget",
            "expected",
            sum((line.expected for line in lines if line.expected is not None), Decimal(0)),
            [("budget_part", "Income"), ("budget_line", "Total")],
            at,
            derivation=sum_of(at),
        )


def _notifications_by_area(project: Project, out: Derived) -> None:
    reviews = project.dataset("reviews", Reviews)
    if reviews is None or reviews.notifications is None or "reviews" not in out.ledger.tables:
        return
    control = out.disclosure
    for part in reviews.notifications.by_area:
        filt = [
            ("review_kind", "Notifications"),
            ("review", "Serious incident notifications"),
            ("breakdown", "Total"),
        ]
        for key, measure, value in (
            ("incidents", "serious_incidents", part.incidents),
            ("children", "children", part.children),
        ):
            out.ledger.add(
                f"reviews.notifications.{part.area}.{key}",
                "reviews",
                measure,
                value,
                filt,
                [project.where(part, key)],
                withheld=value is not None and control.is_small(value),
                area=part.area,
            )


def _rounded(value: Decimal | None) -> Decimal | None:
    return value.quantize(_ONE_PLACE, ROUND_HALF_UP) if value is not None else None


def _reach_and_surveys(project: Project, out: Derived) -> None:
    partners = project.dataset("partners", Partners)
    if partners is None or not (partners.reach or partners.surveys):
        return
    ledger = out.ledger
    ledger.table(
        FigureTable(
            ACTIVITY,
            "Partnership activity and reach: groups, feedback, communication, training",
            {
                "activity_group": "What the figure is about",
                "activity": "What was counted",
                "approximate": "Whether the report gives the figure as approximate",
            },
            {
                "count": Measure("Count", "count"),
                "low": Measure("Lowest of a range", "count"),
                "high": Measure("Highest of a range", "count"),
                "average": Measure("Average over the range", "count"),
                "share": Measure("Share of the whole it is part of (%)", "percent"),
                "change": Measure("Change on last year (%)", "percent"),
                "sent_to": Measure("Sent to", "count"),
                "response_rate": Measure("Response rate (%)", "percent"),
            },
        )
    )
    by_id = {r.id: r for r in partners.reach}
    for r in partners.reach:
        filt = [
            ("activity_group", "Communication and reach"),
            ("activity", r.label),
            ("approximate", "Yes" if r.approximate else "No"),
        ]
        if r.value is None:
            # A range (subscribers 1,200 to 1,450) with its average, where printed.
            for name in ("low", "high", "average"):
                ledger.add(
                    f"reach.{r.id}.{name}",
                    ACTIVITY,
                    name,
                    getattr(r, name),
                    filt,
                    [project.where(r, name)],
                )
        share = _rounded(reach_share(r, by_id)) if r.share is None else r.share
        if share is not None:
            whole = by_id[r.part_of] if r.part_of else None
            ledger.add(
                f"reach.{r.id}.share",
                ACTIVITY,
                "share",
                share,
                filt,
                [project.where(r, "share" if r.share is not None else "value")],
                derivation=None
                if r.share is not None or whole is None
                else f"{describe(project.where(r, 'value'))} as a share of "
                f"{describe(project.where(whole, 'value'))}",
            )
        change = _rounded(reach_change(r)) if r.change is None else r.change
        if change is not None:
            ledger.add(
                f"reach.{r.id}.change",
                ACTIVITY,
                "change",
                change,
                filt,
                [project.where(r, "change" if r.change is not None else "value")],
                derivation=None
                if r.change is not None
                else f"{describe(project.where(r, 'value'))} against "
                f"{describe(project.where(r, 'prior'))}",
            )
    for s in partners.surveys:
        filt = [("activity_group", "Surveys"), ("activity", s.title), ("approximate", "No")]
        ledger.add(
            f"survey.{s.id}.responses",
            ACTIVITY,
            "count",
            s.responses,
            filt,
            [project.where(s, "responses")],
        )
        ledger.add(
            f"survey.{s.id}.sent_to",
            ACTIVITY,
            "sent_to",
            s.sent_to,
            filt,
            [project.where(s, "sent_to")],
        )
        rate = s.response_rate if s.response_rate is not None else _rounded(response_rate(s))
        ledger.add(
            f"survey.{s.id}.response_rate",
            ACTIVITY,
            "response_rate",
            rate,
            filt,
            [project.where(s, "response_rate" if s.response_rate is not None else "responses")],
            derivation=None
            if s.response_rate is not None or rate is None
            else f"{describe(project.where(s, 'responses'))} as a share of "
            f"{describe(project.where(s, 'sent_to'))}",
        )


def _training_breakdowns(project: Project, out: Derived) -> None:
    training = project.training
    if training is None or not training.spec.breakdowns:
        return
    # The training table, or these columns of it when the training dataset declared it.
    out.ledger.table(
        FigureTable(
            "training",
            "Multi-agency training: courses, e-learning and attendance by organisation",
            {
                "training_part": "Part of the training offer",
                "training_item": "Course, module or measure",
            },
            {"count": Measure("Number", "count"), "percent": Measure("Per cent", "percent")},
            time=TimePeriod.of_dates(training.spec.start, training.spec.end),
        )
    )
    # A row that names an area of report.yaml is that area's figure.
    areas: dict[str, str] = {}
    for a in project.config.partnership.areas:
        for name in (a.id, a.name, a.short_label):
            if name:
                areas[name.casefold()] = a.id
    for b in training.spec.breakdowns:
        for row in b.rows:
            area = areas.get(row.label.casefold())
            filt = [("training_part", b.title), ("training_item", row.label)]
            key = f"training.breakdown.{b.id}.{slug(row.label)}"
            out.ledger.add(
                key,
                "training",
                "count",
                row.count,
                filt,
                [project.where(row, "count")],
                area=area,
            )
            out.ledger.add(
                f"{key}.share",
                "training",
                "percent",
                row.share,
                filt,
                [project.where(row, "share")],
                area=area,
            )


@dataclass(frozen=True)
class _Beside:
    """A figure a `stated:` block is printed beside, and where its values are written."""

    key: str
    label: str
    stated: Stated
    value: Decimal
    prior: Decimal | None
    area: str | None
    small: bool  # a withheld count: its printed change would give it away
    value_at: list[Location]
    prior_at: list[Location]


def _stated(project: Project, out: Derived) -> None:
    """Each derived figure typed as printed, beside the figure it was checked against."""
    control = out.disclosure

    def small(counts: bool, *values: Decimal | None) -> bool:
        return counts and any(v is not None and control.is_small(int(v)) for v in values)

    found: list[_Beside] = []
    indicators = project.dataset("indicators", Indicators)
    if indicators is not None:
        groups = {g.id: g for g in indicators.groups}
        for ind in indicators.indicators:
            if ind.stated is not None:
                found.append(
                    _Beside(
                        f"indicator.{ind.id}",
                        ind.label,
                        ind.stated,
                        ind.value,
                        ind.prior,
                        ind.area,
                        small(_of_children(ind, groups.get(ind.group)), ind.value, ind.prior),
                        [project.where(ind, "value")],
                        [project.where(ind, "prior")],
                    )
                )
    lado = project.dataset("lado", Lado)
    for r in lado.returns if lado is not None else []:
        parts = r.referrals is not None and r.consultations is not None
        total = r.referrals + r.consultations if parts else r.contacts  # type: ignore[operator]
        if r.stated is None or total is None:
            continue
        prior = Decimal(r.prior) if r.prior is not None else None
        found.append(
            _Beside(
                f"lado.{r.area}" if r.area else "lado",
                "Contacts with the LADO",
                r.stated,
                Decimal(total),
                prior,
                r.area,
                small(r.disclosure is Disclosure.CHILDREN, Decimal(total), prior),
                [
                    project.where(r, n)
                    for n in (("referrals", "consultations") if parts else ("contacts",))
                ],
                [project.where(r, "prior")],
            )
        )
    if not found:
        return
    out.ledger.table(
        FigureTable(
            STATED,
            "Derived figures as the report prints them, and what they are checked against",
            {"figure": "Figure", "stated": "What the report states"},
            {
                "printed": Measure("As printed", "number"),
                "value": Measure("This year's value it is checked against", "number"),
                "prior": Measure("Last year's value it is checked against", "number"),
                "base": Measure("The stated base it is a share of", "number"),
            },
        )
    )
    for b in found:
        for name, words in _STATED_WORDS.items():
            printed = getattr(b.stated, name)
            if printed is None:
                continue
            if b.stated.direction is not None and name in ("change_percent", "difference"):
                words += f" ({b.stated.direction.value})"
            filt = [("figure", b.label), ("stated", words)]
            figures: list[tuple[str, str, Decimal | None, list[Location], bool]] = [
                ("", "printed", printed, [project.where(b.stated, name)], b.small),
                (".value", "value", b.value, b.value_at, b.small),
            ]
            if name in ("change_percent", "difference", "points"):
                figures.append((".prior", "prior", b.prior, b.prior_at, b.small))
            if name == "part":
                figures.append(
                    (".base", "base", b.stated.base, [project.where(b.stated, "base")], False)
                )
            for suffix, measure, value, at, withheld in figures:
                out.ledger.add(
                    f"{b.key}.stated.{name}{suffix}",
                    STATED,
                    measure,
                    value,
                    filt,
                    at,
                    withheld=withheld,
                    area=b.area,
                )


def _of_children(ind: Indicator, group: object) -> bool:
    """Whether an indicator is a count of children, which the policy withholds when small."""
    kind = ind.disclosure or getattr(group, "disclosure", None) or Disclosure.CHILDREN
    return ind.unit is Unit.COUNT and kind is Disclosure.CHILDREN


__all__ = ["publish_printed"]
