"""data/risks.yaml: the partnership's risk register (owner, rating over the year, why).

The dataset's declaration (`DATASET`, at the end) and its derive step. Nothing else in
reportgen names this file: the package finds the module, and references.md, the format
reference and the JSON schemas come from the declaration.
"""

from __future__ import annotations

from reportgen import figures
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.words import long_date
from reportgen.derived import Derived
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.model.risks import Risk, RiskRating, Risks
from reportgen.project import Project
from reportgen.views import Cell, TableView

# Highest first: a lower index is a higher rating.
_ORDER = list(RiskRating)
_WORDS = {RiskRating.RED: "Red", RiskRating.AMBER: "Amber", RiskRating.GREEN: "Green"}
NOT_STATED = "Not stated"


def _moved(risk: Risk) -> int:
    """+1 when the rating rose over the year, -1 when it fell, 0 otherwise or unknown."""
    if risk.start is None or risk.end is None or risk.start == risk.end:
        return 0
    return 1 if _ORDER.index(risk.end) < _ORDER.index(risk.start) else -1


def _unchanged(risk: Risk) -> bool:
    return risk.start is not None and risk.start == risk.end


def _rating(rating: RiskRating | None) -> Cell:
    if rating is None:
        return Cell(text=NOT_STATED)
    return Cell(text=_WORDS[rating], badge=_WORDS[rating])


def derive_risks(project: Project, data: Risks, out: Derived) -> None:
    moves = [_moved(r) for r in data.risks]
    out.references["risks.count"] = figures.count(len(data.risks))
    out.references["risks.raised"] = figures.count(moves.count(1))
    out.references["risks.lowered"] = figures.count(moves.count(-1))
    if data.as_at is not None:
        out.references["risks.as_at"] = long_date(data.as_at)
    caption = "Risk register" + (f" at {long_date(data.as_at)}" if data.as_at else "")
    out.add_block(
        "table",
        "risks",
        TableView(
            id="table-risks",
            caption=caption,
            columns=["Risk", "Owner", "Rating at the start", "Rating at the end", "Why"],
            rows=[
                [
                    Cell(text=r.title),
                    Cell(text=r.owner or NOT_STATED),
                    _rating(r.start),
                    _rating(r.end),
                    Cell(text=r.change or ("No change" if _unchanged(r) else NOT_STATED)),
                ]
                for r in data.risks
            ],
            note="Ratings are red (highest), amber or green, as the register gives them.",
        ),
    )


# What `reportgen init` writes to data/risks.yaml (reportgen/scaffold.py fills the @@TOKENS@@).
STARTER = """\
@@MODELINE@@
# risks.yaml: the partnership's risk register, as it stood at the end of the year.
# Place it with {{ table risks }}; quote {{ risks.count }}, {{ risks.raised }} and
# {{ risks.lowered }}. Delete this file if the report shows no register.
# as_at: the date the register was last reviewed (optional).
as_at: @@END@@
risks:
  # id: short code. title: the risk as the register names it.
  # owner: who owns it (optional). start and end: its rating at the start and the end
  # of the year, red, amber or green (each optional: leave out what the register does
  # not say). change: why the rating changed (optional).
  - id: example-risk
    title: Example risk, replace with one from your register
    owner: Business group
    start: amber
    end: green
    change: What was done that lowered it.
"""

DATASET = Dataset(
    name="risks",
    file="data/risks.yaml",
    schema=Risks,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="The risk register: each risk's owner and rating over the year, and why it moved.",
    references=(
        Offered(names=("risks.count",), gives="risks on the register", example="6"),
        Offered(
            names=("risks.raised", "risks.lowered"),
            gives="risks whose rating rose (or fell) over the year",
            example="2",
        ),
        Offered(
            names=("risks.as_at",),
            gives="when the register was last reviewed",
            example="31 March 2025",
        ),
    ),
    blocks=(
        Offered(
            names=("table risks",),
            gives="every risk with its owner, its rating at the start and end of the year "
            "and why it changed",
        ),
    ),
    derive=derive_risks,
    starter=STARTER,
)
