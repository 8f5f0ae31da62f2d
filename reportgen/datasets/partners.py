"""data/partners.yaml: partner agencies' contributions, inspections and reach.

The dataset's declaration (`DATASET`, at the end) and its derive step."""

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
            CardPart(heading, None, list(items))
            for heading, items in [
                ("What we did", c.evidence),
                ("Impact for children", c.impact),
                ("What we learned", c.learning),
                ("Challenges", c.challenges),
            ]
            if items
        ]
        cards.append(Card(f"agency-{slug(c.agency)}", c.agency, None, [], parts))
    out.add_block("cards", "partners.contributions", CardsView("cards-contributions", None, cards))
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
            parts.append(CardPart("Strengths", None, list(i.strengths)))
        if i.improvements:
            parts.append(CardPart("Areas for improvement", None, list(i.improvements)))
        inspections.append(Card(f"inspection-{i.id}", i.title, None, meta, parts))
    out.add_block(
        "cards", "partners.inspections", CardsView("cards-inspections", None, inspections)
    )
    messages = [
        Card(
            f"messages-{slug(m.audience)}",
            f"For {m.audience}",
            None,
            [],
            [CardPart("Key messages", None, list(m.messages))],
        )
        for m in data.key_messages
    ]
    out.add_block("cards", "partners.key_messages", CardsView("cards-key-messages", None, messages))
    rows = []
    for r in data.reach:
        value = ("about " if r.approximate else "") + figures.count(r.value)
        out.references[f"reach.{r.id}"] = value
        change = "–"
        if r.prior is not None:
            change = figures.change_words("count", Decimal(r.value), Decimal(r.prior))[0]
        rows.append([Cell(r.label), Cell(value, True), Cell(change)])
    out.add_block(
        "table",
        "partners.reach",
        TableView(
            "table-reach",
            "Communication and engagement reach",
            ["Measure", "This year", "Against last year"],
            rows,
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
