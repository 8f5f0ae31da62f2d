"""data/plan.yaml: its checks, and what it offers narrative.

References: `plan.priorities` and `plan.outcomes` (counts), `plan.owner`, `plan.author`,
`plan.version`, `plan.status`, `plan.date`. Blocks: `list plan.priorities` (the
numbered hierarchy), `table plan.document_control`, `table plan.outcomes.ID` (one
priority's outcome rows, e.g. `plan.outcomes.3a`) and `cards plan.priorities` (every
priority with its aim and outcome table, printed on landscape pages).
"""

from __future__ import annotations

import datetime as dt

from reportgen import figures
from reportgen.checks.consistency import DATA_DUPLICATE_ID
from reportgen.derive import Derived
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.plan import BusinessPlan, OutcomeRow, PlanPart, PlanPriority
from reportgen.project import Project
from reportgen.views import Card, CardPart, CardsView, Cell, ListItem, ListView, TableView

# The diagnostic codes this module emits; reportgen.catalogue collects them.
PLAN_DOCUMENT_CONTROL_EMPTY = Code(
    "plan.document-control-empty",
    Severity.ERROR,
    "A document-control label of the plan is empty",
    """
    A business plan says who owns it, who wrote it, its version, status and date. A
    label printed with nothing after it ("Document Owner", and then nothing) leaves a
    reader unable to tell whose plan it is or whether it is the approved one. Fill in
    the field under `document_control:` in data/plan.yaml.
    """,
)

CONTROL_LABELS = {
    "owner": "Document owner",
    "author": "Document author",
    "version": "Version",
    "status": "Status",
    "date": "Date",
}
COLUMNS = ["Outcome", "Key activities", "Inputs and resources", "Lead", "Outputs and measures"]


def entries(plan: BusinessPlan) -> list[tuple[PlanPriority | PlanPart, tuple[str | int, ...]]]:
    """Every priority and part, in reading order, with its path in data/plan.yaml."""
    found: list[tuple[PlanPriority | PlanPart, tuple[str | int, ...]]] = []
    for i, priority in enumerate(plan.priorities):
        found.append((priority, ("priorities", i)))
        found += [(part, ("priorities", i, "parts", j)) for j, part in enumerate(priority.parts)]
    return found


def outcome_rows(
    plan: BusinessPlan,
) -> list[tuple[str, PlanPriority | PlanPart, OutcomeRow, tuple[str | int, ...]]]:
    """(id, its priority or part, the row, its path) for every outcome row: `3a.2` is the
    second row of 3a, as an annual report's data/plan-progress.yaml names it."""
    return [
        (f"{entry.id}.{n}", entry, row, (*path, "outcomes", n - 1))
        for entry, path in entries(plan)
        for n, row in enumerate(entry.outcomes, start=1)
    ]


def check(project: Project, diags: DiagnosticList) -> None:
    plan = project.dataset("plan", BusinessPlan)
    if plan is None:
        return
    control = plan.document_control
    for name, label in CONTROL_LABELS.items():
        value = getattr(control, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            diags.emit(
                PLAN_DOCUMENT_CONTROL_EMPTY,
                f"document control: '{label}' is empty",
                project.locate("plan", "document_control", name),
                f"fill in document_control.{name} in data/plan.yaml",
            )
    seen: dict[str, int | None] = {}
    for entry, path in entries(plan):
        where = project.locate("plan", *path, "id")
        if entry.id in seen:
            diags.emit(
                DATA_DUPLICATE_ID,
                f"priority '{entry.id}' is numbered twice (first at line {seen[entry.id]})",
                where,
                "give each priority and part its own number",
            )
        seen.setdefault(entry.id, where.line)


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _row(row: OutcomeRow) -> list[Cell]:
    return [
        Cell(f"**{row.timeframe}**", lines=tuple(row.outcomes)),
        Cell("", lines=tuple(row.activities)) if row.activities else Cell("–"),
        Cell("", lines=tuple(row.resources)) if row.resources else Cell("–"),
        Cell("", lines=tuple(row.leads)) if row.leads else Cell("–"),
        Cell("", lines=tuple(row.measures)) if row.measures else Cell("–"),
    ]


def _table(entry: PlanPriority | PlanPart) -> TableView:
    return TableView(
        f"table-plan-{entry.id}",
        f"Priority {entry.id}: outcomes, activities, resources, leads and measures",
        COLUMNS,
        [_row(row) for row in entry.outcomes],
        wide=True,
    )


def derive(project: Project, out: Derived) -> None:
    plan = project.dataset("plan", BusinessPlan)
    if plan is None:
        return
    control = plan.document_control
    for name in CONTROL_LABELS:
        value = getattr(control, name)
        if value:
            out.references[f"plan.{name}"] = _date(value) if name == "date" else str(value)
    listed = entries(plan)
    out.references["plan.priorities"] = figures.count(len(plan.priorities))
    out.references["plan.outcomes"] = figures.count(sum(len(e.outcomes) for e, _ in listed))
    out.add_block(
        "table",
        "plan.document_control",
        TableView(
            "table-document-control",
            "Owner, author, version, status and date of the plan",
            ["Label", "Value"],
            [
                [Cell(label), Cell(_control_text(getattr(control, name)))]
                for name, label in CONTROL_LABELS.items()
            ],
        ),
    )
    # Parts are numbered under their priority (3a under 3), so the numbers show the tree.
    items = [ListItem(entry.title, f"{entry.id}.") for entry, _path in listed]
    out.add_block("list", "plan.priorities", ListView("list-plan-priorities", None, items))
    cards = []
    for entry, _path in listed:
        if entry.outcomes:
            out.add_block("table", f"plan.outcomes.{entry.id}", _table(entry))
        parts = [CardPart("What we want to be assured of", entry.aim)] if entry.aim else []
        cards.append(
            Card(
                f"plan-priority-{entry.id}",
                f"Priority {entry.id}: {entry.title}",
                parts=parts,
                table=_table(entry) if entry.outcomes else None,
                wide=True,  # one run of landscape pages, parts and their priority alike
            )
        )
    out.add_block("cards", "plan.priorities", CardsView("cards-plan-priorities", None, cards))


def _control_text(value: object) -> str:
    if isinstance(value, dt.date):
        return _date(value)
    return str(value) if value else "not stated"
