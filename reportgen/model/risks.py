"""data/risks.yaml: the partnership's risk register, as it stood at the end of the year."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from reportgen.model.common import Record, Slug, Text
from reportgen.model.meaning import LABEL, PROPER_NAME, EventDate


class RiskRating(StrEnum):
    """A risk's rating as registers give it: red, amber or green (highest first)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Risk(Record):
    """One risk on the register."""

    id: Slug = Field(description="Short id, e.g. workforce.")
    title: Annotated[Text, LABEL] = Field(
        description="The risk in a few words, as the register names it."
    )
    owner: Annotated[Text, PROPER_NAME] | None = Field(
        None, description="Who owns it: a role, group or partner."
    )
    start: RiskRating | None = Field(
        None, description="Its rating at the start of the year: red, amber or green."
    )
    end: RiskRating | None = Field(
        None, description="Its rating at the end of the year (or the as-at date)."
    )
    change: Text | None = Field(None, description="Why the rating changed, when it did.")


class Risks(Record):
    """The risk register: each risk with its owner and its rating over the year."""

    as_at: Annotated[dt.date, EventDate("the risk register")] | None = Field(
        None, description="The date the register was last reviewed."
    )
    risks: list[Risk] = Field(min_length=1, description="The risks, as the register lists them.")
