"""data/priorities.yaml: this year's priorities, cross-cutting themes and next year's plan."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from reportgen.model.common import Rag, Record, Slug, Text, empty_list
from reportgen.model.meaning import ENTRY_NAME, LABEL, IdOf, YearLabel


class Theme(Record):
    """A cross-cutting theme ('golden thread') that runs through every priority."""

    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Short name of the theme.")
    description: str | None = Field(None, description="One or two sentences (optional).")
    plain: Text | None = Field(
        None,
        description="For the digest: the same in one plain sentence for families (optional; "
        "the description is used when left out).",
    )


class Priority(Record):
    """One partnership priority and what happened to it this year."""

    id: Annotated[Slug, IdOf("priority")] = Field(
        description="Short id used in references, e.g. exploitation."
    )
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Priority title as printed.")
    joint_with: str | None = Field(
        None, description="Other board sharing it, e.g. Safeguarding Adults Board."
    )
    strands: list[Text] = Field(
        default_factory=empty_list, description="Named parts of the priority."
    )
    rationale: Text | None = Field(
        None,
        description="Why it is a priority (optional: left out when the report does not say; "
        "the card then has no such heading).",
    )
    planned_impact: Text | None = Field(
        None,
        description="What should be different for children, as the report states it "
        "(optional: left out when it does not).",
    )
    progress: list[Text] = Field(
        default_factory=empty_list,
        description="What was done this year. Empty only in a report started by "
        "`reportgen new-year`, where `last_year: to_fill:` lists the priority until it is "
        "written.",
    )
    impact: list[Text] = Field(
        default_factory=empty_list, description="Evidence of impact on children (not activity)."
    )
    status: Rag | None = Field(
        None,
        description="red, amber, green, complete or not_started, as the report prints it "
        "(optional: left out when it prints none; the card then shows no status).",
    )
    status_note: str | None = Field(None, description="Why the status is what it is.")
    next_year: list[Text] = Field(default_factory=empty_list, description="Focus for next year.")
    continues: bool = Field(True, description="False when the priority ends this year.")
    # One plain-English line each for the digest (`outputs: digest: true`), written for
    # families; not stated when left out, and the digest then says which line is missing.
    why_it_matters: Text | None = Field(
        None, description="For the digest: why it matters, in one plain sentence (optional)."
    )
    improved: Text | None = Field(
        None,
        description="For the digest: what got better for children this year, in one plain "
        "sentence (optional).",
    )
    next: Text | None = Field(
        None, description="For the digest: what comes next, in one plain sentence (optional)."
    )


class KeyAction(Record):
    """A key action planned for next year."""

    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Short title.")
    description: Text = Field(description="What will be done.")
    plain: Text | None = Field(
        None,
        description="For the digest: the same in one plain sentence for families (optional; "
        "the description is used when left out).",
    )


class NextYear(Record):
    """The plan for the coming year."""

    period: Annotated[
        str,
        YearLabel(
            "next year's plan is labelled {written}; the year after {covered} is {expected}",
            "correct the year label",
            offset=1,
            exact=True,
        ),
    ] = Field(description="Year label, e.g. 2025/26.")
    themes: list[Theme] = Field(default_factory=empty_list, description="Cross-cutting themes.")
    priorities: list[Theme] = Field(default_factory=empty_list, description="Thematic priorities.")
    actions: list[KeyAction] = Field(default_factory=empty_list, description="Key actions.")


class Lesson(Record):
    """Something the partnership learned this year, for the digest."""

    text: Text = Field(description="What was learned, in one or two plain sentences.")
    section: Slug = Field(
        description="Id of the report section (report.yaml `sections`) that tells more; the "
        "digest links to it."
    )


class Priorities(Record):
    """The whole of data/priorities.yaml."""

    themes: list[Theme] = Field(
        default_factory=empty_list, description="Cross-cutting themes this year."
    )
    priorities: list[Priority] = Field(min_length=1, description="This year's priorities.")
    next_year: NextYear | None = Field(None, description="Next year's plan (optional).")
    last_year_plan: list[Text] = Field(
        default_factory=empty_list,
        description="What last year's report said would be done this year (optional); next "
        "year's plan must not repeat it word for word.",
    )
    learned: list[Lesson] = Field(
        default_factory=empty_list,
        description="What the partnership learned this year, in plain words, for the digest "
        "(optional).",
    )
