"""data/priorities.yaml: this year's priorities, cross-cutting themes and next year's plan."""

from __future__ import annotations

from pydantic import Field

from reportgen.model.common import Rag, Record, Slug, Text


class Theme(Record):
    """A cross-cutting theme ('golden thread') that runs through every priority."""

    title: Text = Field(description="Short name of the theme.")
    description: str | None = Field(None, description="One or two sentences (optional).")


class Priority(Record):
    """One partnership priority and what happened to it this year."""

    id: Slug = Field(description="Short id used in references, e.g. exploitation.")
    title: Text = Field(description="Priority title as printed.")
    joint_with: str | None = Field(
        None, description="Other board sharing it, e.g. Safeguarding Adults Board."
    )
    strands: list[Text] = Field(default_factory=list, description="Named parts of the priority.")
    rationale: Text = Field(description="Why it is a priority.")
    planned_impact: Text | None = Field(
        None,
        description="What should be different for children, as the report states it "
        "(optional: left out when it does not).",
    )
    progress: list[Text] = Field(min_length=1, description="What was done this year.")
    impact: list[Text] = Field(
        default_factory=list, description="Evidence of impact on children (not activity)."
    )
    status: Rag | None = Field(
        None,
        description="red, amber, green, complete or not_started, as the report prints it "
        "(optional: left out when it prints none; the card then shows no status).",
    )
    status_note: str | None = Field(None, description="Why the status is what it is.")
    next_year: list[Text] = Field(default_factory=list, description="Focus for next year.")
    continues: bool = Field(True, description="False when the priority ends this year.")


class KeyAction(Record):
    """A key action planned for next year."""

    title: Text = Field(description="Short title.")
    description: Text = Field(description="What will be done.")


class NextYear(Record):
    """The plan for the coming year."""

    period: str = Field(description="Year label, e.g. 2025/26.")
    themes: list[Theme] = Field(default_factory=list, description="Cross-cutting themes.")
    priorities: list[Theme] = Field(default_factory=list, description="Thematic priorities.")
    actions: list[KeyAction] = Field(default_factory=list, description="Key actions.")


class Priorities(Record):
    """The whole of data/priorities.yaml."""

    themes: list[Theme] = Field(default_factory=list, description="Cross-cutting themes this year.")
    priorities: list[Priority] = Field(min_length=1, description="This year's priorities.")
    next_year: NextYear | None = Field(None, description="Next year's plan (optional).")
    last_year_plan: list[Text] = Field(
        default_factory=list,
        description="What last year's report said would be done this year (optional); next "
        "year's plan must not repeat it word for word.",
    )
