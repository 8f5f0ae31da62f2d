"""data/partners.yaml: partner agencies' contributions, inspections and reach.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from reportgen import figures
from reportgen.checks import agencies, printed
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.reach import derive_commitments, derive_reach
from reportgen.datasets.words import long_date
from reportgen.derived import Derived
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.partners import AgencyContribution, Contact, FigureScope, Partners
from reportgen.project import Project
from reportgen.views import (
    Card,
    CardPart,
    CardsView,
    Cell,
    TableView,
)

_SCOPE_WORDS = {FigureScope.LOCAL: "Local", FigureScope.NATIONAL: "National"}


def _agency_card(project: Project, c: AgencyContribution) -> Card:
    """One agency's section: its blocks in order, case studies, then its figures."""
    parts = [
        CardPart(heading=heading, text=None, items=list(items))
        for heading, items in [
            ("What we did", c.evidence),
            ("Impact for children", c.impact),
            ("What we learned", c.learning),
            ("What we will improve", c.improvement),
            ("Challenges", c.challenges),
        ]
        if items
    ]
    parts += [
        CardPart(
            heading=b.label,
            text=b.text,
            items=list(b.items),
            covers=_in_words([project.config.area_label(a) for a in b.covers]) or None,
        )
        for b in c.blocks
    ]
    for study in c.case_studies:
        text = " ".join(study.text)
        items = [f"Outcome: {study.outcome}"] if study.outcome else []
        parts.append(CardPart(heading=f"Case study: {study.title}", text=text, items=items))
    table = None
    if c.figures:
        table = TableView(
            id=f"table-agency-{slug(c.agency)}",
            caption=f"{c.agency}: figures",
            columns=["Measure", "Figure", "Local or national", "Period"],
            rows=[
                [
                    Cell(text=f.label),
                    Cell(text=figures.by_unit(f.unit.value, f.value), numeric=True),
                    Cell(text=_SCOPE_WORDS[f.scope]),
                    Cell(text=f.period or "–"),
                ]
                for f in c.figures
            ],
            note="Local figures are for the partnership's area; national figures are "
            "England's, for comparison.",
        )
    return Card(
        id=f"agency-{slug(c.agency)}",
        title=c.agency,
        status=None,
        meta=[("Area", project.config.area_label(c.area))] if c.area else [],
        parts=parts,
        table=table,
    )


def _in_words(labels: list[str]) -> str:
    """'Fernmoor', 'Fernmoor and Coldwater', 'A, B and C'."""
    return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 2 else labels)


def derive_partners(project: Project, data: Partners, out: Derived) -> None:
    cards = [_agency_card(project, c) for c in data.contributions]
    out.add_block(
        "cards",
        "partners.contributions",
        CardsView(id="cards-contributions", title=None, cards=cards),
    )
    inspections = []
    for i in data.inspections:
        meta = [("Inspectorate", i.inspectorate)]
        if i.visited and i.visited_until and i.visited_until != i.visited:
            meta.append(("Inspected", f"{long_date(i.visited)} to {long_date(i.visited_until)}"))
        elif i.visited:
            meta.append(("Inspected", long_date(i.visited)))
        if i.published:
            meta.append(("Published", long_date(i.published)))
        if i.judgement:
            meta.append(("Judgement", i.judgement))
        meta += [(g.area, g.grade) for g in i.judgements]
        parts = []
        if i.strengths:
            parts.append(CardPart(heading="Strengths", text=None, items=list(i.strengths)))
        if i.improvements:
            parts.append(
                CardPart(heading="Areas for improvement", text=None, items=list(i.improvements))
            )
        if i.action_plan:
            parts.append(CardPart(heading="Action plan", text=i.action_plan))
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
            parts=[CardPart(heading="Key messages", text=None, items=list(m.messages))]
            + (
                [CardPart(heading="Contacts", text=None, items=[_contact(c) for c in m.contacts])]
                if m.contacts
                else []
            ),
        )
        for m in data.key_messages
    ]
    out.add_block(
        "cards",
        "partners.key_messages",
        CardsView(id="cards-key-messages", title=None, cards=messages),
    )
    derive_reach(data, out)
    derive_commitments(data, out)


def _contact(c: Contact) -> str:
    ways = [w for w in (c.phone, c.email, c.web) if w]
    return f"{c.name}: {', '.join(ways)}" if ways else c.name


DATASET = Dataset(
    name="partners",
    file="data/partners.yaml",
    schema=Partners,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="What partner agencies contributed, their inspections, key messages and reach.",
    references=(
        Offered(names=("reach.ID",), gives="a communication figure", example="350"),
        Offered(
            names=("reach.ID.share",),
            gives="a communication figure's share of the measure it is part of",
            example="42%",
        ),
        Offered(
            names=("reach.ID.change",),
            gives="a communication figure's change on last year, in per cent",
            example="a 12% increase",
        ),
        Offered(
            names=("survey.ID.responses", "survey.ID.rate"),
            gives="a survey's responses, and its response rate against those it was sent to",
            example="212",
        ),
        Offered(
            names=("pledge.ID.new",), gives="how many of a pledge's items are new", example="2"
        ),
        Offered(
            names=("pledge.ID.intro",),
            gives="the sentence that introduces a pledge",
            example="The partners make these promises.",
        ),
    ),
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
        Offered(names=("table partners.surveys",), gives="surveys and their response rates"),
        Offered(names=("list survey.ID.findings",), gives="what a survey found"),
        Offered(
            names=("list pledge.ID",),
            gives="a pledge's commitments, new ones marked 'New'",
        ),
        Offered(
            names=("list partners.principles", "list partners.children_told_us"),
            gives="the principles the partnership works by; what children have told us",
        ),
    ),
    derive=derive_partners,
    checks=(printed._printed_reach, agencies.check_agencies),
)
