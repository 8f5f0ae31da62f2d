"""data/priorities.yaml: this year's priorities and themes, and next year's plan.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.words import RAG_WORDS
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.priorities import Priorities, Theme
from reportgen.project import Project
from reportgen.views import (
    Card,
    CardPart,
    CardsView,
    ListItem,
    ListView,
)


def _theme_items(themes: list[Theme]) -> list[ListItem]:
    return [
        ListItem(text=t.description or "", title=t.title)
        if t.description
        else ListItem(text=t.title)
        for t in themes
    ]


def derive_priorities(project: Project, data: Priorities, out: Derived) -> None:
    next_label = project.dated.shifted(1)
    cards: list[Card] = []
    for p in data.priorities:
        parts = [
            CardPart(
                heading=f"Progress in {project.dated.label}", text=None, items=list(p.progress)
            )
            if p.progress
            else CardPart(heading=f"Progress in {project.dated.label}", text="Not reported yet."),
        ]
        if p.planned_impact:  # not stated: no heading over nothing
            parts.insert(0, CardPart(heading="What we want to achieve", text=p.planned_impact))
        if p.rationale:  # not stated: no heading over nothing
            parts.insert(0, CardPart(heading="Why this is a priority", text=p.rationale))
        parts.append(
            CardPart(heading="Evidence of impact", text=None, items=list(p.impact))
            if p.impact
            else CardPart(
                heading="Evidence of impact",
                text="No evidence of impact on children has been recorded yet.",
            )
        )
        if p.status_note:
            parts.append(CardPart(heading="Status", text=p.status_note))
        if p.next_year:
            parts.append(
                CardPart(heading=f"Focus for {next_label}", text=None, items=list(p.next_year))
            )
        elif not p.continues:
            parts.append(
                CardPart(heading=f"Focus for {next_label}", text="This priority ends this year.")
            )
        meta = []
        if p.joint_with:
            meta.append(("Shared with", p.joint_with))
        if p.strands:
            meta.append(("Covers", "; ".join(p.strands)))
        status = RAG_WORDS[p.status] if p.status else None  # None: the report gives none
        card = Card(id=f"priority-{p.id}", title=p.title, status=status, meta=meta, parts=parts)
        cards.append(card)
        out.add_block(
            "cards",
            f"priorities.{p.id}",
            CardsView(id=f"cards-priority-{p.id}", title=None, cards=[card]),
        )
    out.add_block("cards", "priorities", CardsView(id="cards-priorities", title=None, cards=cards))
    out.add_block(
        "list",
        "priorities.themes",
        ListView(id="list-themes", title=None, items=_theme_items(data.themes)),
    )
    if data.next_year:
        ny = data.next_year
        out.add_block(
            "list",
            "next_year.themes",
            ListView(id="list-next-themes", title=None, items=_theme_items(ny.themes)),
        )
        out.add_block(
            "list",
            "next_year.priorities",
            ListView(id="list-next-priorities", title=None, items=_theme_items(ny.priorities)),
        )
        out.add_block(
            "list",
            "next_year.actions",
            ListView(
                id="list-next-actions",
                title=None,
                items=[ListItem(text=a.description, title=a.title) for a in ny.actions],
                ordered=True,
            ),
        )


DATASET = Dataset(
    name="priorities",
    file="data/priorities.yaml",
    schema=Priorities,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="This year's priorities and themes, with progress, and next year's plan.",
    blocks=(
        Offered(names=("list priorities.themes",), gives="this year's cross-cutting themes"),
        Offered(names=("cards priorities", "cards priorities.ID"), gives="all priorities, or one"),
        Offered(
            names=("list next_year.themes", "list next_year.priorities", "list next_year.actions"),
            gives="next year's plan",
        ),
    ),
    derive=derive_priorities,
)
