"""data/plan.yaml: a business plan's document control, priorities (with parts) and
outcome rows (`kind: business-plan`; an annual report may read it too, to report
progress on the rows in data/plan-progress.yaml).

The dataset's declaration (`DATASET`, at the end) and its derive step; its checks are in
reportgen/checks/business_plan.py."""

from __future__ import annotations

import datetime as dt

from reportgen import figures
from reportgen.checks.business_plan import CONTROL_LABELS, check_plan
from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.plan import BusinessPlan, OutcomeRow, PlanPart, PlanPriority
from reportgen.project import Project
from reportgen.views import Card, CardPart, CardsView, Cell, ListItem, ListView, TableView

COLUMNS = ["Outcome", "Key activities", "Inputs and resources", "Lead", "Outputs and measures"]


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _row(row: OutcomeRow) -> list[Cell]:
    return [
        Cell(text=f"**{row.timeframe}**", lines=tuple(row.outcomes)),
        Cell(text="", lines=tuple(row.activities)) if row.activities else Cell(text="–"),
        Cell(text="", lines=tuple(row.resources)) if row.resources else Cell(text="–"),
        Cell(text="", lines=tuple(row.leads)) if row.leads else Cell(text="–"),
        Cell(text="", lines=tuple(row.measures)) if row.measures else Cell(text="–"),
    ]


def _table(entry: PlanPriority | PlanPart) -> TableView:
    return TableView(
        id=f"table-plan-{entry.id}",
        caption=f"Priority {entry.id}: outcomes, activities, resources, leads and measures",
        columns=COLUMNS,
        rows=[_row(row) for row in entry.outcomes],
        wide=True,
    )


def derive_plan(project: Project, plan: BusinessPlan, out: Derived) -> None:
    control = plan.document_control
    for name in CONTROL_LABELS:
        value = getattr(control, name)
        if value:
            out.references[f"plan.{name}"] = _date(value) if name == "date" else str(value)
    listed = plan.entries()
    out.references["plan.priorities"] = figures.count(len(plan.priorities))
    out.references["plan.outcomes"] = figures.count(sum(len(e.outcomes) for e, _ in listed))
    out.add_block(
        "table",
        "plan.document_control",
        TableView(
            id="table-document-control",
            caption="Owner, author, version, status and date of the plan",
            columns=["Label", "Value"],
            rows=[
                [Cell(text=label), Cell(text=_control_text(getattr(control, name)))]
                for name, label in CONTROL_LABELS.items()
            ],
        ),
    )
    # Parts are numbered under their priority (3a under 3), so the numbers show the tree.
    items = [ListItem(text=entry.title, title=f"{entry.id}.") for entry, _path in listed]
    out.add_block(
        "list", "plan.priorities", ListView(id="list-plan-priorities", title=None, items=items)
    )
    cards = []
    for entry, _path in listed:
        if entry.outcomes:
            out.add_block("table", f"plan.outcomes.{entry.id}", _table(entry))
        parts = (
            [CardPart(heading="What we want to be assured of", text=entry.aim)] if entry.aim else []
        )
        cards.append(
            Card(
                id=f"plan-priority-{entry.id}",
                title=f"Priority {entry.id}: {entry.title}",
                parts=parts,
                table=_table(entry) if entry.outcomes else None,
                wide=True,
            )
        )
    out.add_block(
        "cards", "plan.priorities", CardsView(id="cards-plan-priorities", title=None, cards=cards)
    )


def _control_text(value: object) -> str:
    if isinstance(value, dt.date):
        return _date(value)
    return str(value) if value else "not stated"


DATASET = Dataset(
    name="plan",
    file="data/plan.yaml",
    schema=BusinessPlan,
    kinds=("business-plan", ANNUAL_REPORT_NAME),
    # Derive and checks need no period: an annual report reads the plan of several years.
    dated=False,
    summary="A business plan: document control, priorities with parts and outcome rows.",
    references=(
        Offered(
            names=("plan.priorities", "plan.outcomes"),
            gives="how many priorities (not counting parts) and outcome rows",
            example="4",
        ),
        Offered(
            names=("plan.owner", "plan.author", "plan.version", "plan.status", "plan.date"),
            gives="the plan's document control",
            example="29 May 2015",
        ),
    ),
    blocks=(
        Offered(
            names=("cards plan.priorities",),
            gives="every priority and part with its aim and outcome table (landscape in print)",
        ),
        Offered(names=("table plan.outcomes.ID",), gives="one priority's outcome rows, e.g. 3a"),
        Offered(names=("list plan.priorities",), gives="the numbered priorities and parts"),
        Offered(names=("table plan.document_control",), gives="owner, author, version, ..."),
    ),
    derive=derive_plan,
    checks=(check_plan,),
)
