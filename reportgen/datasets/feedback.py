"""data/feedback.yaml: "you said, we did" from children and families.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from reportgen import figures
from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.feedback import Feedback
from reportgen.project import Project
from reportgen.views import (
    Cell,
    ListItem,
    ListView,
    TableView,
)


def derive_feedback(project: Project, data: Feedback, out: Derived) -> None:
    out.references["feedback.count"] = figures.count(len(data.feedback))
    out.add_block(
        "table",
        "feedback",
        TableView(
            id="table-feedback",
            caption="You said, we did: what children and families told us and what changed",
            columns=["Who told us", "You said", "We did"],
            rows=[
                [
                    Cell(text=f.who + (f" ({f.how})" if f.how else "")),
                    Cell(text=f.you_said),
                    Cell(text=f.we_did or "Nothing has changed yet."),
                ]
                for f in data.feedback
            ],
        ),
    )
    out.add_block(
        "list",
        "feedback",
        ListView(
            id="list-feedback",
            title=None,
            items=[
                ListItem(
                    text=f"You said: {f.you_said} We did: {f.we_did or 'nothing has changed yet.'}",
                    title=f.who,
                )
                for f in data.feedback
            ],
        ),
    )


DATASET = Dataset(
    name="feedback",
    file="data/feedback.yaml",
    schema=Feedback,
    kinds=(ANNUAL_REPORT_NAME,),
    summary='"You said, we did": what children and families said and what changed.',
    references=(
        Offered(
            names=("feedback.count",),
            gives="pieces of feedback in data/feedback.yaml",
            example="4",
        ),
    ),
    blocks=(
        Offered(
            names=("table feedback", "list feedback"),
            gives='"you said, we did": feedback from children and families and what changed',
        ),
    ),
    derive=derive_feedback,
)
