"""data/reviews.yaml: reviews, audits, recommendations and learning.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportgen import figures, history
from reportgen.checks import arithmetic, totals
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.earlier import offer_series, series_offered
from reportgen.datasets.words import RAG_WORDS, long_date
from reportgen.derived import Derived
from reportgen.diagnostics import Location
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    TimePeriod,
    describe,
)
from reportgen.model.reviews import Audit, Recommendation, Review, Reviews
from reportgen.project import Project
from reportgen.views import (
    Card,
    CardPart,
    CardsView,
    Cell,
    ChartSpec,
    ListItem,
    ListView,
    Series,
    TableView,
)

# A fact the source does not state (a status it never printed) is shown as this, never
# made up.
NOT_STATED = "Not stated"


def _status_cell(r: Recommendation) -> Cell:
    """The printed words with the normalised status as badge; "Not stated" when neither."""
    status = r.normalised_status
    if status is None:
        return Cell(text=r.status_as_printed or NOT_STATED)
    words = RAG_WORDS[status]
    # The badge says the normalised status; the tracker's own words are shown beside it.
    return Cell(text=r.status_as_printed or words, badge=words)


def _recommendation_rows(recs: list[Recommendation], source: str) -> list[list[Cell]]:
    return [
        [
            Cell(text=r.text),
            Cell(text=source),
            Cell(text=", ".join(r.owner_names) or "–"),
            _status_cell(r),
            Cell(text=r.evidence or "–"),
        ]
        for r in recs
    ]


_STAGES = {
    "notified": "Notified",
    "rapid_review": "Rapid review",
    "decision": "Decision made",
    "ongoing": "Review ongoing",
    "final_draft": "Final draft",
    "published": "Published",
    "not_to_be_published": "Not to be published",
}
_DECISIONS = {
    "lcspr": "Local review (LCSPR)",
    "no_lcspr": "No local review",
    "national": "National review",
    "pending": "Not yet decided",
}


def _lifecycle(project: Project, r: Review) -> list[tuple[str, str]]:
    """The card lines of a review's progress, from the notification to publication."""
    meta = []
    if r.area:
        meta.append(("Area", project.config.area_label(r.area)))
    if r.notified:
        meta.append(("Notified", long_date(r.notified)))
    if r.rapid_review:
        meta.append(("Rapid review", long_date(r.rapid_review)))
    if r.decision:
        meta.append(("Decision", _DECISIONS[r.decision.value]))
    if r.stage:
        stage = _STAGES[r.stage.value]
        if r.published:
            stage += f", {long_date(r.published)}"
        meta.append(("Stage", stage))
    if r.tracker_as_at:
        meta.append(("Actions as at", long_date(r.tracker_as_at)))
    return meta


def derive_reviews(project: Project, data: Reviews, out: Derived) -> None:
    refs = out.references
    # Serious incidents and the children in reviews are counts of children: the policy applies.
    shown = out.disclosure.count
    if data.notifications:
        n = data.notifications

        def at(key: str) -> Location:
            return project.where(n, key)

        refs["reviews.notifications.incidents"] = shown(
            n.incidents, at("incidents"), "serious incident notifications"
        )
        if n.children is not None:
            refs["reviews.notifications.children"] = shown(
                n.children, at("children"), "children in serious incident notifications"
            )
        for part in n.by_area:
            refs[f"reviews.notifications.{part.area}.incidents"] = shown(
                part.incidents,
                project.where(part, "incidents"),
                f"serious incident notifications in {project.config.area_label(part.area)}",
            )
        if n.prior_incidents is not None:
            refs["reviews.notifications.prior_incidents"] = shown(
                n.prior_incidents, at("prior_incidents"), "notifications last year"
            )
    kinds = {
        "rapid_review": "Rapid review",
        "lcspr": "Local child safeguarding practice review",
        "thematic": "Thematic review",
        "national": "National review",
    }
    cards = []
    tracker: list[list[Cell]] = []
    for r in data.reviews:
        meta = [("Type", kinds[r.kind.value]), *_lifecycle(project, r)]
        if r.started:
            meta.append(("Started", long_date(r.started)))
        if r.completed:
            meta.append(("Completed", long_date(r.completed)))
        if r.children is not None:
            where = project.where(r, "children")
            children = shown(r.children, where, f"review '{r.id}': children")
            meta.append(("Children", children))
            refs[f"review.{r.id}.children"] = children  # the narrative quotes it too
        parts = [CardPart(heading="What it looked at", text=r.summary)] if r.summary else []
        if r.findings:
            parts.append(CardPart(heading="Main findings", text=None, items=list(r.findings)))
        table = None
        if r.recommendations:
            rows = _recommendation_rows(r.recommendations, r.title)
            tracker += rows
            table = TableView(
                id=f"table-recs-{r.id}",
                caption=f"Recommendations: {r.title}",
                columns=["Recommendation", "Owner", "Status", "Evidence"],
                rows=[[row[0], *row[2:]] for row in rows],  # the card already names the review
            )
        cards.append(
            Card(
                id=f"review-{r.id}", title=r.title, status=None, meta=meta, parts=parts, table=table
            )
        )
        refs[f"review.{r.id}.recommendations"] = figures.count(len(r.recommendations))
    out.add_block("cards", "reviews", CardsView(id="cards-reviews", title=None, cards=cards))

    audit_cards = []
    for a in data.audits:
        graded = [g.cases for g in a.gradings]
        # Cases audited as given; else the graded cases when every grade has them; else None.
        whole = a.cases
        if whole is None and graded and all(c is not None for c in graded):
            whole = sum(c for c in graded if c is not None)
        if whole is not None:
            refs[f"audit.{a.id}.cases"] = figures.count(whole)
        # Audited cases are children's: grades of a few cases are withheld, as in any table.
        withheld = _withheld_grades(project, a, whole, out)
        rows = []
        for j, g in enumerate(a.gradings):
            if j in withheld:
                pct = cases = out.disclosure.symbol
            elif g.cases is not None and whole:
                pct = figures.share(g.cases, whole)
                cases = figures.count(g.cases)
            elif g.percent is None:
                continue  # neither given (an error of validate), or no size to share out of
            else:
                pct = figures.percent(g.percent)
                cases = (
                    figures.count(
                        (g.percent * a.cases / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                    )
                    if a.cases is not None
                    else NOT_STATED
                )
            refs[f"audit.{a.id}.{slug(g.grade)}"] = pct
            rows.append(
                [Cell(text=g.grade), Cell(text=cases, numeric=True), Cell(text=pct, numeric=True)]
            )
        table = TableView(
            id=f"table-audit-{a.id}",
            caption=f"Grading of cases: {a.title}",
            columns=["Grade", "Cases", "Share of cases"],
            rows=rows,
            totals=[
                Cell(text="Total"),
                Cell(text=figures.count(whole) if whole is not None else NOT_STATED, numeric=True),
                Cell(text="100%", numeric=True),
            ],
        )
        out.add_block("table", f"audits.{a.id}", table)
        out.add_block(
            "chart",
            f"audits.{a.id}",
            ChartSpec(
                id=f"chart-audit-{a.id}",
                title=f"Grading of cases: {a.title}",
                kind="hbar",
                categories=[g.grade for g in a.gradings],
                series=[
                    Series(
                        name="Share of cases",
                        values=[
                            None
                            if j in withheld
                            else figures.plot(Decimal(g.cases) * 100 / whole)
                            if g.cases is not None and whole
                            else (figures.plot(g.percent) if g.percent is not None else None)
                            for j, g in enumerate(a.gradings)
                        ],
                        marks={j: out.disclosure.symbol for j in withheld},
                    )
                ],
                unit="percent",
                value_axis="Per cent of cases",
            ),
        )
        meta = [("Cases audited", figures.count(whole) if whole is not None else NOT_STATED)]
        if a.completed:
            meta.append(("Completed", long_date(a.completed)))
        parts = []
        if a.strengths:
            parts.append(CardPart(heading="What worked well", text=None, items=list(a.strengths)))
        if a.improvements:
            parts.append(
                CardPart(heading="What needs to improve", text=None, items=list(a.improvements))
            )
        if a.recommendations:
            parts.append(
                CardPart(
                    heading="Recommendations", text=None, items=[r.text for r in a.recommendations]
                )
            )
            tracker += _recommendation_rows(a.recommendations, a.title)
        card = Card(
            id=f"audit-{a.id}",
            title=a.title,
            status=None,
            meta=meta,
            parts=parts,
            table=table if a.gradings else None,
        )
        audit_cards.append(card)
        out.add_block(
            "cards", f"audits.{a.id}", CardsView(id=f"cards-audit-{a.id}", title=None, cards=[card])
        )
    out.add_block("cards", "audits", CardsView(id="cards-audits", title=None, cards=audit_cards))
    _publish_reviews(project, data, out)
    _earlier_years(project, data, out)
    out.add_block(
        "table",
        "reviews.recommendations",
        TableView(
            id="table-recommendations",
            caption="Recommendations from reviews and audits, and their status",
            columns=["Recommendation", "From", "Owner", "Status", "Evidence"],
            rows=tracker,
        ),
    )
    out.add_block(
        "list",
        "reviews.briefings",
        ListView(id="list-briefings", title=None, items=[ListItem(text=b) for b in data.briefings]),
    )
    out.add_block(
        "list",
        "reviews.events",
        ListView(
            id="list-events",
            title=None,
            items=[
                ListItem(
                    text=e.title
                    + (f" ({long_date(e.date)})" if e.date else "")
                    + (
                        f": {figures.count(e.attendees)} attended"
                        if e.attendees is not None
                        else ""
                    )
                )
                for e in data.events
            ],
        ),
    )


def _publish_reviews(project: Project, data: Reviews, out: Derived) -> None:
    ledger = out.ledger
    control = out.disclosure
    ledger.table(
        FigureTable(
            "reviews",
            "Serious incident notifications, reviews and multi-agency audits",
            {
                "review_kind": "Kind",
                "review": "Notifications, review or audit",
                "breakdown": "Breakdown",
            },
            {
                "serious_incidents": Measure("Serious incident notifications", "count"),
                "children": Measure("Children", "count"),
                "recommendations": Measure("Recommendations", "count"),
                "cases": Measure("Cases", "count"),
                "share_of_cases": Measure("Share of cases (%)", "percent"),
            },
        )
    )
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    if data.notifications:
        n = data.notifications
        filt = [
            ("review_kind", "Notifications"),
            ("review", "Serious incident notifications"),
            ("breakdown", "Total"),
        ]
        # Counts of children: withheld exactly as the pages withhold them (reportgen.disclosure).
        for key, measure, value, time in [
            ("incidents", "serious_incidents", n.incidents, now),
            ("children", "children", n.children, now),
            ("prior_incidents", "serious_incidents", n.prior_incidents, now.shifted(-1)),
        ]:
            if value is not None:
                ledger.add(
                    f"reviews.notifications.{key}",
                    "reviews",
                    measure,
                    value,
                    filt,
                    [project.where(n, key)],
                    withheld=control.is_small(value),
                    time=time,
                )
    for r in data.reviews:
        filt = [
            ("review_kind", r.kind.value.replace("_", " ").capitalize()),
            ("review", r.title),
            ("breakdown", "Total"),
        ]
        if r.children is not None:
            ledger.add(
                f"review.{r.id}.children",
                "reviews",
                "children",
                r.children,
                filt,
                [project.where(r, "children")],
                withheld=control.is_small(r.children),
            )
        where = project.where(r, "recommendations")
        ledger.add(
            f"review.{r.id}.recommendations",
            "reviews",
            "recommendations",
            len(r.recommendations),
            filt,
            [where],
            derivation=f"number of recommendations listed at {describe(where)}",
        )
    for a in data.audits:
        cases_at = project.where(a, "cases")
        filt = [("review_kind", "Audit"), ("review", a.title)]
        graded = [g.cases for g in a.gradings]
        whole = a.cases
        if whole is None and graded and all(c is not None for c in graded):
            whole = sum(c for c in graded if c is not None)
        withheld = _withheld_grades(project, a, whole, out)
        if a.cases is not None:
            ledger.add(
                f"audit.{a.id}.cases",
                "reviews",
                "cases",
                a.cases,
                [*filt, ("breakdown", "Total")],
                [cases_at],
            )
        for j, g in enumerate(a.gradings):
            gf = [*filt, ("breakdown", g.grade)]
            g_at = project.where(g)
            if g.cases is not None:
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}.cases",
                    "reviews",
                    "cases",
                    g.cases,
                    gf,
                    [g_at],
                    withheld=j in withheld,
                )
                share = (
                    (Decimal(g.cases) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
                    if whole
                    else None
                )
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}",
                    "reviews",
                    "share_of_cases",
                    share,
                    gf,
                    [g_at, cases_at],
                    derivation=f"{describe(g_at)} as a share of {describe(cases_at)}",
                    withheld=j in withheld,
                )
            elif g.percent is not None:
                ledger.add(
                    f"audit.{a.id}.{slug(g.grade)}",
                    "reviews",
                    "share_of_cases",
                    g.percent,
                    gf,
                    [g_at],
                    withheld=j in withheld,
                )


def _withheld_grades(project: Project, audit: Audit, whole: int | None, out: Derived) -> set[int]:
    """Grades of an audit whose cases (or share) the disclosure policy withholds;
    `whole` is the cases audited, as stated or as the graded cases add up (None: unknown)."""
    grades = [
        (
            g.grade,
            g.cases
            if g.cases is not None
            else int((g.percent * whole / 100).quantize(Decimal(1), ROUND_HALF_UP))
            if g.percent is not None and whole is not None
            else None,
        )
        for g in audit.gradings
    ]
    return out.disclosure.gradings(audit.id, grades, whole, project.where(audit, "gradings"))


def _earlier_years(project: Project, data: Reviews, out: Derived) -> None:
    """Serious incident notifications over the years held: series words, a trend chart
    and the earlier years in the open data (last year's once, as prior_incidents). They
    are counts of children: a small one anywhere makes every series word the symbol."""
    n = data.notifications
    if n is None:
        return
    now, last = project.dated.label, project.dated.shifted(-1)
    earlier = [(y.period, y.incidents) for y in n.history]
    points = history.yearly(now, n.incidents, n.prior_incidents, last, earlier)
    control = out.disclosure

    def withheld(point: history.Point) -> bool:
        return control.is_small(int(point.value))

    offer_series(
        out,
        "reviews.notifications.incidents",
        "Serious incident notifications",
        "count",
        points,
        withheld,
    )
    time = TimePeriod.of_dates(project.dated.start, project.dated.end)
    for k, (period, held) in enumerate(earlier):
        if held is None or (n.prior_incidents is not None and period == last):
            continue  # not stated, or last year's (published as prior_incidents)
        out.ledger.add(
            f"reviews.notifications.incidents.history.{period.replace('/', '-')}",
            "reviews",
            "serious_incidents",
            held,
            [
                ("review_kind", "Notifications"),
                ("review", "Serious incident notifications"),
                ("breakdown", "Total"),
            ],
            [project.where(n.history[k], "incidents")],
            withheld=control.is_small(held),
            time=time.of_label(period),
        )


DATASET = Dataset(
    name="reviews",
    file="data/reviews.yaml",
    schema=Reviews,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="Case reviews, multi-agency audits, their recommendations and the learning shared.",
    references=(
        Offered(
            names=("reviews.notifications.incidents", "reviews.notifications.children"),
            gives="serious incident notifications",
            example="3",
        ),
        Offered(
            names=("reviews.notifications.prior_incidents",),
            gives="serious incident notifications last year",
            example="5",
        ),
        # Series words (reportgen/history.py) over `history`, last year and this year.
        *series_offered(
            ("reviews.notifications.incidents",),
            {
                "highest": "12 in 2024/25",
                "lowest": "7 in 2021/22",
                "rank": "the highest in 4 years",
                "run": "up for the third year running",
                "average": "9",
                "years": "4",
                "first_year": "2021/22",
                "since.YEAR": "up 71% since 2021/22, from 7",
            },
        ),
        Offered(
            names=("reviews.notifications.AREA.incidents",),
            gives="one area's serious incident notifications (from `by_area`)",
            example="4",
        ),
        Offered(
            names=("review.ID.recommendations",),
            gives="how many recommendations a review made",
            example="5",
        ),
        Offered(
            names=("review.ID.children",),
            gives="how many children a review is about (withheld when small)",
            example="c",
        ),
        Offered(names=("audit.ID.cases",), gives="cases audited", example="10"),
        Offered(
            names=("audit.ID.GRADE",),
            gives="share with a grade, grade written in lower case with `_`, "
            "e.g. `audit.csa.requires_improvement`",
            example="60%",
        ),
    ),
    blocks=(
        Offered(names=("cards reviews",), gives="every review with findings and recommendations"),
        Offered(
            names=("table reviews.recommendations",), gives="recommendation tracker with status"
        ),
        Offered(
            names=("list reviews.briefings", "list reviews.events"),
            gives="briefings and learning events",
        ),
        Offered(
            names=("chart reviews.notifications.incidents.trend",),
            gives="serious incident notifications over the years held (a year with no figure "
            "is a gap)",
        ),
        Offered(names=("cards audits", "cards audits.ID"), gives="multi-agency audits"),
        Offered(names=("table audits.ID", "chart audits.ID"), gives="an audit's grading shares"),
    ),
    derive=derive_reviews,
    checks=(totals._audits, arithmetic._gradings, arithmetic._text_shares),
)
