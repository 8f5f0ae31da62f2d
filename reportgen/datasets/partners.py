"""data/partners.yaml: partner agencies' contributions, inspections and reach.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.words import long_date, slug
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.partners import Partners
from reportgen.project import Project
from reportgen.views import (
    Card,
    CardPart,
    CardsView,
    Cell,
    TableView,
)


def derive_partners(project: Project, data: Partners, out: Derived) -> None:
    cards = []
    for c in data.contributions:
        parts = [
            CardPart(heading=heading, text=None, items=list(items))
            for heading, items in [
                ("What we did", c.evidence),
                ("Impact for children", c.impact),
                ("What we learned", c.learning),
                ("Challenges", c.challenges),
            ]
            if items
        ]
        cards.append(
            Card(
                id=f"agency-{slug(c.agency)}",
                title=c.agency,
                status=None,
                meta=[("Area", project.config.area_label(c.area))] if c.area else [],
                parts=parts,
            )
        )
    out.add_block(
        "cards",
        "partners.contributions",
        CardsView(id="cards-contributions", title=None, cards=cards),
    )
    inspections = []
    for i in data.inspections:
        meta = [("Inspectorate", i.inspectorate)]
        if i.visited:
            meta.append(("Inspected", long_date(i.visited)))
        if i.published:
            meta.append(("Published", long_date(i.published)))
        if i.judgement:
            meta.append(("Judgement", i.judgement))
        parts = []
        if i.strengths:
            parts.append(CardPart(heading="Strengths", text=None, items=list(i.strengths)))
        if i.improvements:
            parts.append(
                CardPart(heading="Areas for improvement", text=None, items=list(i.improvements))
            )
        inspections.append(
            Card(id=f"inspection-{i.id}", title=i.title, status=None, meta=meta, parts=parts)
        )
    out.add_block(
        "cards",
        "partners.inspections",
        CardsView(id="cards-inspections", title=None, cards=inspections),
    )
    messages = [
        Card(
            id=f"messages-{slug(m.audience)}",
            title=f"For {m.audience}",
            status=None,
            meta=[],
            parts=[CardPart(heading="Key messages", text=None, items=list(m.messages))],
        )
        for m in data.key_messages
    ]
    out.add_block(
        "cards",
        "partners.key_messages",
        CardsView(id="cards-key-messages", title=None, cards=messages),
    )
    rows = []
    for r in data.reach:
        value = ("about " if r.approximate else "") + figures.count(r.value)
        out.references[f"reach.{r.id}"] = value
        change = "–"
        if r.prior is not None:
            change = figures.change_words("count", Decimal(r.value), Decimal(r.prior))[0]
        rows.append([Cell(text=r.label), Cell(text=value, numeric=True), Cell(text=change)])
    out.add_block(
        "table",
        "partners.reach",
        TableView(
            id="table-reach",
            caption="Communication and engagement reach",
            columns=["Measure", "This year", "Against last year"],
            rows=rows,
        ),
    )


DATASET = Dataset(
    name="partners",
    file="data/partners.yaml",
    schema=Partners,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="What partner agencies contributed, their inspections, key messages and reach.",
    references=(Offered(names=("reach.ID",), gives="a communication figure", example="350"),),
    blocks=(
        Offered(
            names=(
                "cards partners.contributions",
                "cards partners.inspections",
                "cards partners.key_messages",
            ),
            gives="partner agency records",
        ),
        Offered(names=("table partners.reach",), gives="communication reach"),
    ),
    derive=derive_partners,
)
