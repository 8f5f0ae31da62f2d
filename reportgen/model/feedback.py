"""data/feedback.yaml: what children and families told the partnership, and what changed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from reportgen.model.common import Count, Record, Slug, Text
from reportgen.model.controls import Timing
from reportgen.model.meaning import PROPER_NAME, EventDate, IdOf


class FeedbackItem(Record):
    """One piece of feedback from children, young people or families ("you said, we did")."""

    id: Annotated[Slug, IdOf("feedback")] = Field(description="Short id, e.g. care-leavers-forum.")
    who: Annotated[Text, PROPER_NAME] = Field(
        description="Who gave it, e.g. care leavers, through the Care Leavers Forum."
    )
    how: str | None = Field(
        None, description="How it was gathered, e.g. a survey or consultation sessions."
    )
    you_said: Text = Field(description="What they told us, in plain words.")
    we_did: str | None = Field(
        None,
        description="What changed as a result. Leave it out while nothing has changed yet; "
        "the completeness checklist then counts the item as heard, not acted on.",
    )
    responses: Count | None = Field(None, description="How many took part (optional).")
    date: Annotated[dt.date, EventDate("feedback '{id}'")] | None = Field(
        None, description="When it was gathered (optional)."
    )
    timing: Timing = Field(
        Timing.CURRENT, description="current, or prior for feedback from an earlier year."
    )


class Feedback(Record):
    """The whole of data/feedback.yaml."""

    feedback: list[FeedbackItem] = Field(min_length=1, description="You said, we did.")
