"""Parts of how a partnership is organised that both its published arrangements
(data/arrangements.yaml) and its annual report (data/governance.yaml) state: the
business unit's posts and independent scrutiny. Each file keeps its own copy, so the
two can be compared (`across.posts-differ`, reportgen/checks/across.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from reportgen.model.common import Number, Record, Slug, Text
from reportgen.model.meaning import LABEL, IdOf


class Post(Record):
    """One post of the business unit that runs the partnership."""

    id: Annotated[Slug, IdOf("post")] | None = Field(
        None,
        description="Id for narrative, e.g. business_manager: "
        "`{{ governance.business_unit.business_manager.fte }}` (optional).",
    )
    title: Annotated[Text, LABEL] = Field(description="The post, e.g. Partnership Coordinator.")
    fte: Number = Field(description="Full-time equivalent, e.g. 1 or 0.4.")
    term: str | None = Field(None, description="Fixed term, if any, e.g. 12-month contract.")
    purpose: str | None = Field(None, description="What the post is for (optional).")

    @field_validator("fte")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if not Decimal(0) < value <= Decimal(5):
            raise ValueError(f"expected a full-time equivalent such as 1 or 0.4, got {value}")
        return value


class BusinessUnit(Record):
    """The business unit's establishment: its posts."""

    posts: list[Post] = Field(min_length=1, description="Posts, in the order printed.")


def _check_month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise ValueError(f"expected a date (2025-06-02) or a month (2025-06), got {value!r}")
    return value


# A date as a source states it: the day when it is printed, else only the month ("June
# 2025" is 2025-06), so that no day is made up.
Month = Annotated[str, AfterValidator(_check_month)]
StatedDate = dt.date | Month


class Scrutiny(Record):
    """Independent scrutiny: when the scrutineer was appointed, or by when one will be."""

    appointed: StatedDate | None = Field(
        None,
        description="When the independent scrutineer was appointed: the date, or the month "
        "(e.g. 2025-06) when the source gives only the month (optional).",
    )
    appoint_by: dt.date | None = Field(
        None,
        description="While none is appointed: the date by which the document says one will "
        "be, e.g. 2024-12-31 for 'before the end of December 2024' (optional).",
    )
