"""partners.yaml's communication and commitments: reach, surveys, pledges, principles.

Part of the partners dataset's derive step (`reportgen/datasets/partners.py`), kept
apart so each module stays short. Shares, changes and response rates are derived from
the counts; what the report printed is only checked (`reportgen/checks/reach.py`).
"""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.derived import Derived
from reportgen.model.partners import Partners, Reach, reach_change, reach_share, response_rate
from reportgen.views import Cell, ListItem, ListView, TableView


def _value_words(r: Reach) -> str:
    about = "about " if r.approximate else ""
    if r.value is not None:
        text = about + figures.count(r.value)
    else:
        assert r.low is not None and r.high is not None  # the schema requires one or other
        text = f"{about}{figures.count(r.low)} to {figures.count(r.high)}"
        if r.average is not None:
            text += f" (average {figures.count(r.average)})"
    return text + (" to date" if r.to_date else "")


def _change_words(r: Reach) -> str:
    if r.value is None or r.prior is None:
        return "–"
    words = figures.change_words("count", Decimal(r.value), Decimal(r.prior))[0]
    change = reach_change(r)
    if change is None or not change or r.change is None:
        return words  # the percentage only where the report prints one
    return f"{words} ({'+' if change > 0 else '−'}{figures.share(abs(change), 100)})"


def derive_reach(data: Partners, out: Derived) -> None:
    by_id = {r.id: r for r in data.reach}
    shares = any(r.part_of for r in data.reach)
    rows = []
    for r in data.reach:
        out.references[f"reach.{r.id}"] = _value_words(r)
        share = reach_share(r, by_id)
        if share is not None:
            out.references[f"reach.{r.id}.share"] = figures.share(share, 100)
        change = reach_change(r)
        if change is not None and change:
            word = "increase" if change > 0 else "decrease"
            out.references[f"reach.{r.id}.change"] = f"a {figures.share(abs(change), 100)} {word}"
        label = r.label if r.part_of is None else f"{r.label} (of {by_id[r.part_of].label})"
        share_cell = Cell(
            text=figures.share(share, 100) if share is not None else "–", numeric=True
        )
        row = [Cell(text=label), Cell(text=_value_words(r), numeric=True)]
        rows.append(
            [*row, share_cell, Cell(text=_change_words(r))]
            if shares
            else [*row, Cell(text=_change_words(r))]
        )
    notes = []
    if shares or any(r.change is not None for r in data.reach):
        notes.append("Shares and changes are worked out from the counts.")
    if any(r.to_date for r in data.reach):
        notes.append("Figures 'to date' are running totals, not the year's alone.")
    out.add_block(
        "table",
        "partners.reach",
        TableView(
            id="table-reach",
            caption="Communication and engagement reach",
            # A share column only when a measure is part of another (web visits by source).
            columns=["Measure", "This year", *(["Share"] if shares else []), "Against last year"],
            rows=rows,
            note=" ".join(notes) or None,
        ),
    )
    survey_rows = []
    for s in data.surveys:
        out.references[f"survey.{s.id}.responses"] = figures.count(s.responses)
        if s.findings:
            out.add_block(
                "list",
                f"survey.{s.id}.findings",
                ListView(
                    id=f"list-survey-{s.id}",
                    title=None,
                    items=[ListItem(text=f) for f in s.findings],
                ),
            )
        rate = response_rate(s)
        if rate is not None:
            out.references[f"survey.{s.id}.rate"] = figures.share(rate, 100)
        survey_rows.append(
            [
                Cell(text=s.title),
                Cell(text=figures.count(s.responses), numeric=True),
                Cell(text=figures.count(s.sent_to) if s.sent_to else "–", numeric=True),
                Cell(text=figures.share(rate, 100) if rate is not None else "–", numeric=True),
            ]
        )
    out.add_block(
        "table",
        "partners.surveys",
        TableView(
            id="table-surveys",
            caption="Surveys",
            columns=["Survey", "Responses", "Sent to", "Response rate"],
            rows=survey_rows,
        ),
    )


def derive_commitments(data: Partners, out: Derived) -> None:
    for pledge in data.pledges:
        out.references[f"pledge.{pledge.id}.new"] = figures.count(sum(i.new for i in pledge.items))
        if pledge.intro:
            out.references[f"pledge.{pledge.id}.intro"] = pledge.intro
        out.add_block(
            "list",
            f"pledge.{pledge.id}",
            ListView(
                id=f"list-pledge-{pledge.id}",
                title=pledge.title,
                items=[ListItem(text=i.text, title="New" if i.new else None) for i in pledge.items],
            ),
        )
    out.add_block(
        "list",
        "partners.principles",
        ListView(
            id="list-principles",
            title=None,
            items=[ListItem(text=p.text or "", title=p.title) for p in data.principles],
        ),
    )
    out.add_block(
        "list",
        "partners.children_told_us",
        ListView(
            id="list-children-told-us",
            title=None,
            items=[ListItem(text=t) for t in data.children_told_us],
        ),
    )
