"""training.yaml as reports print it: definitions, breakdowns and evaluation answers.

Part of the training dataset's derive step (`reportgen/datasets/training.py`), kept
apart so each module stays short. A share is derived from the counts when every row has
one; otherwise the printed shares are shown as printed (and checked to make 100% by
`reportgen/checks/printed.py`).
"""

from __future__ import annotations

from reportgen import figures
from reportgen.derived import Derived
from reportgen.model.training import Band, Training
from reportgen.views import Cell, ListItem, ListView, TableView


def _band_rows(bands: list[Band], whole: int | None) -> tuple[list[list[Cell]], str]:
    counts = [b.count for b in bands]
    derived = all(c is not None for c in counts)
    total = whole if whole is not None else sum(c or 0 for c in counts)
    rows = []
    for b in bands:
        if derived and total:
            share = figures.share(b.count or 0, total)
        else:
            share = figures.percent(b.share) if b.share is not None else "–"
        count = figures.count(b.count) if b.count is not None else "–"
        rows.append(
            [Cell(text=b.label), Cell(text=count, numeric=True), Cell(text=share, numeric=True)]
        )
    note = (
        "Shares are worked out from the counts." if derived else "Shares as the report prints them."
    )
    return rows, note


def derive_reported(spec: Training, out: Derived) -> None:
    d = spec.definitions
    out.add_block(
        "list",
        "training.definitions",
        ListView(
            id="list-training-definitions",
            title=None,
            items=[
                ListItem(text=text, title=title)
                for title, text in (
                    ("Attended", d.attended),
                    ("Cancelled", d.cancelled),
                    ("Did not attend", d.did_not_attend),
                )
                if text
            ],
        ),
    )
    for b in spec.breakdowns:
        rows, note = _band_rows(b.rows, None)
        out.add_block(
            "table",
            f"training.breakdown.{b.id}",
            TableView(
                id=f"table-training-{b.id}",
                caption=b.title,
                columns=[b.by, "Number", "Share"],
                rows=rows,
                note=note,
            ),
        )
    for q in spec.distributions:
        rows, note = _band_rows(q.answers, q.responses)
        if q.responses is not None:
            out.references[f"training.distribution.{q.id}.responses"] = figures.count(q.responses)
        out.add_block(
            "table",
            f"training.distribution.{q.id}",
            TableView(
                id=f"table-training-{q.id}",
                caption=q.question,
                columns=["Answer", "Responses", "Share"],
                rows=rows,
                note=note,
            ),
        )
