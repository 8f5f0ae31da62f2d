"""data/arrangements.yaml: funding, business unit, signatories and appendices of the
published safeguarding arrangements (`kind: arrangements`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from reportgen.model.budget import InKind
from reportgen.model.common import Money, PeriodLabel, Record, Slug, Text, empty_list
from reportgen.model.config import DocumentConfig
from reportgen.model.errata import ERRATUM_HOW, PrintedMoney
from reportgen.model.meaning import LABEL, PERSON_NAME, PROPER_NAME, TOKEN, IdOf, RefTo
from reportgen.model.organisation import BusinessUnit, Scrutiny

# A partner id of governance.yaml (checked there is one when governance lists partners).
PartnerId = Annotated[Slug, RefTo("governance", "partner", if_any=True)]


class FundingLine(Record):
    """What one partner is expected to pay into the partnership budget."""

    contributor: Annotated[Text, PROPER_NAME] = Field(
        description="Who pays, as printed, e.g. LBN - CSC."
    )
    partner: PartnerId | None = Field(
        None,
        description="Partner id from governance.yaml (optional; needed to compare "
        "with an annual report's income by partner).",
    )
    amount: Money = Field(description="Expected amount in pounds, e.g. 115000 or £115,000.")
    note: str | None = Field(None, description="Printed note (optional).")


class Funding(Record):
    """Expected income by partner; a typed total is only checked against the lines."""

    year: PeriodLabel | None = Field(
        None, description="Financial year the amounts are for, e.g. 2024/25 (optional)."
    )
    lines: list[FundingLine] = Field(min_length=1, description="One line per contributor.")
    total: PrintedMoney | None = Field(
        None, description="Total as printed in the source (checked)." + ERRATUM_HOW
    )


class Signatory(Record):
    """Who signed the arrangements, for which role."""

    role: Annotated[Text, PROPER_NAME] = Field(
        description="The role signed for, e.g. Chief Executive (the lead safeguarding partner)."
    )
    organisation: Annotated[Text, PROPER_NAME] = Field(
        description="The role's organisation, as printed."
    )
    partner: PartnerId | None = Field(
        None, description="Partner id from governance.yaml (optional)."
    )
    name: Annotated[Text, PERSON_NAME] = Field(description="The person who signed.")
    title: Annotated[Text, LABEL] = Field(description="Their own job title.")
    on_behalf_of: str | None = Field(
        None,
        description="Whom they signed for, when they do not hold the role themselves, e.g. "
        "the Chief Executive. A signature by someone else without it is a warning.",
    )
    signed: dt.date | None = Field(None, description="Date signed (optional).")


class Appendix(Record):
    """An appendix the arrangements list."""

    number: Annotated[Text, IdOf("appendix"), TOKEN] = Field(
        description="Its number or letter as printed, e.g. 3."
    )
    title: Annotated[Text, LABEL] = Field(description="What it is, e.g. Relevant agencies.")
    # Resolved by the arrangements' own check, which says what to do instead.
    section: Annotated[Slug, RefTo("report", "section", checked=False)] | None = Field(
        None,
        description="Id of the report.yaml section that holds it. Left out: not included "
        "in this document (a warning when the text refers to it).",
    )


class Arrangements(Record):
    """The whole of data/arrangements.yaml."""

    funding: Funding | None = Field(None, description="Expected income by partner.")
    business_unit: BusinessUnit | None = Field(
        None, description="The business unit's posts and their FTE."
    )
    in_kind: list[InKind] = Field(
        default_factory=empty_list, description="What partners give in time or resources."
    )
    scrutiny: Scrutiny | None = Field(
        None, description="When the independent scrutineer was or will be appointed."
    )
    signatories: list[Signatory] = Field(
        default_factory=empty_list, description="Who signed the arrangements, in the order printed."
    )
    appendices: list[Appendix] = Field(
        default_factory=empty_list, description="Appendices by number and title."
    )


class ArrangementsConfig(DocumentConfig):
    """The whole of report.yaml of published arrangements (`kind: arrangements`)."""

    version: str | None = Field(None, description="Version as printed, e.g. 2.1 (optional).")
    review_date: dt.date | None = Field(
        None, description="When the arrangements will next be reviewed (optional)."
    )
