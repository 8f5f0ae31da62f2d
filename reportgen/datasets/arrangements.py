"""data/arrangements.yaml: published arrangements' expected funding, business unit,
in-kind support, signatories and appendices (`kind: arrangements`).

The dataset's declaration (`DATASET`, at the end) and its derive step; its checks are in
reportgen/checks/arrangements.py."""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.checks.arrangements import check_arrangements
from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.model.arrangements import Arrangements
from reportgen.model.errata import with_errata
from reportgen.model.governance import Governance
from reportgen.project import Project
from reportgen.views import Cell, ListItem, ListView, TableView


def derive_arrangements(project: Project, data: Arrangements, out: Derived) -> None:
    if data.funding is not None:
        _funding_table(data, out)
    if data.business_unit is not None:
        posts = data.business_unit.posts
        fte = sum((p.fte for p in posts), Decimal(0))
        out.references["arrangements.business_unit.fte"] = figures.number(fte)
        out.references["arrangements.business_unit.posts"] = figures.count(len(posts))
        out.add_block(
            "table",
            "arrangements.business_unit",
            TableView(
                id="table-business-unit",
                caption="The business unit's posts",
                columns=["Post", "Full-time equivalent", "Term"],
                rows=[
                    [
                        Cell(text=p.title),
                        Cell(text=figures.number(p.fte), numeric=True),
                        Cell(text=p.term or "–"),
                    ]
                    for p in posts
                ],
                totals=[
                    Cell(text="Total"),
                    Cell(text=figures.number(fte), numeric=True),
                    Cell(text=""),
                ],
            ),
        )
    if data.in_kind:
        gov = project.dataset("governance", Governance)
        names = {p.id: p.name for p in gov.partners} if gov else {}
        items = [
            ListItem(
                text=k.contribution, title=names.get(k.partner, k.partner) if k.partner else None
            )
            for k in data.in_kind
        ]
        out.add_block(
            "list", "arrangements.in_kind", ListView(id="list-in-kind", title=None, items=items)
        )
    if data.signatories:
        out.add_block(
            "table",
            "arrangements.signatories",
            TableView(
                id="table-signatories",
                caption="Signed by the statutory partners",
                columns=["Role signed for", "Organisation", "Signed by", "On behalf of"],
                rows=[
                    [
                        Cell(text=s.role),
                        Cell(text=s.organisation),
                        Cell(text=f"{s.name}, {s.title}"),
                        Cell(text=s.on_behalf_of or "–"),
                    ]
                    for s in data.signatories
                ],
            ),
        )
    if data.appendices:
        items = []
        for a in data.appendices:
            if a.section is not None:
                text = f"[{a.title}](#{a.section})"
            else:
                text = f"{a.title} (not included in this document)"
            items.append(ListItem(text=text, title=f"Appendix {a.number}"))
        out.add_block(
            "list",
            "arrangements.appendices",
            ListView(id="list-appendices", title=None, items=items),
        )


def _funding_table(data: Arrangements, out: Derived) -> None:
    assert data.funding is not None
    lines = data.funding.lines
    total = sum((line.amount for line in lines), Decimal(0))
    out.references["arrangements.funding.total"] = figures.money(total)
    if data.funding.year:
        out.references["arrangements.funding.year"] = data.funding.year
    year = f" {data.funding.year}" if data.funding.year else ""
    out.add_block(
        "table",
        "arrangements.funding",
        TableView(
            id="table-expected-income",
            caption=f"Expected income{year}, by partner",
            columns=["Income source", "Amount"],
            rows=[
                [
                    Cell(text=ln.contributor + (f" ({ln.note})" if ln.note else "")),
                    Cell(text=figures.money(ln.amount), numeric=True),
                ]
                for ln in lines
            ],
            totals=[Cell(text="Total"), Cell(text=figures.money(total), numeric=True)],
            note=with_errata("The total is the sum of the lines.", data.funding.total),
        ),
    )


DATASET = Dataset(
    name="arrangements",
    file="data/arrangements.yaml",
    schema=Arrangements,
    kinds=("arrangements",),
    # Facts of the arrangements, not of a year: read by an undated kind.
    dated=False,
    summary="Published arrangements: expected funding by partner, the business unit, "
    "in-kind support, signatories and appendices.",
    references=(
        Offered(
            names=("arrangements.funding.total",),
            gives="the expected funding, computed from its lines",
            example="£202,600",
        ),
        Offered(
            names=("arrangements.funding.year",),
            gives="the year the funding is for",
            example="2024/25",
        ),
        Offered(
            names=("arrangements.business_unit.fte", "arrangements.business_unit.posts"),
            gives="the business unit's full-time equivalent and number of posts",
            example="2.25",
        ),
    ),
    blocks=(
        Offered(names=("table arrangements.funding",), gives="expected income by partner"),
        Offered(names=("table arrangements.business_unit",), gives="the business unit's posts"),
        Offered(names=("list arrangements.in_kind",), gives="in-kind support"),
        Offered(
            names=("table arrangements.signatories",),
            gives="who signed, for which role, on behalf of whom",
        ),
        Offered(
            names=("list arrangements.appendices",),
            gives="appendices by number and title, linked when included",
        ),
    ),
    derive=derive_arrangements,
    checks=(check_arrangements,),
)
