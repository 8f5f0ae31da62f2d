"""Completeness profiles: what a yearly report must and should contain, as data.

The packaged profiles live in `reportgen/profiles/*.yaml`; a project can select one
or write its own (which may `extend` a packaged one) with `validation.profile`.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, model_validator

from reportgen.model.common import Record, Slug, Text, empty_list


class Requirement(StrEnum):
    MUST = "must"
    SHOULD = "should"


class Status(StrEnum):
    """How far one checklist item is satisfied."""

    MET = "met"
    PARTLY = "partly"
    MISSING = "missing"


class Evidence(Record):
    """One way an item can be satisfied. Give exactly one of data, each, heading, block, check."""

    data: str | None = Field(
        None,
        description="Dotted path into a data file that must be present and not empty, "
        "e.g. `reviews.reviews` or `priorities.next_year.actions`.",
    )
    each: str | list[str] | None = Field(
        None,
        description="Dotted path to a list (or several), every entry of which must have "
        "`field` filled in, e.g. `priorities.priorities`; `[]` reaches into each entry, e.g. "
        "`reviews.reviews[].recommendations`. Some entries: partly; none: missing.",
    )
    field: str | None = Field(None, description="With `each`: the field every entry needs.")
    when: dict[str, list[str]] = Field(
        default_factory=dict,
        description="With `each`: only entries whose field has one of these values count, "
        "e.g. `{status: [red, amber, not_started]}`.",
    )
    any: bool = Field(
        False, description="With `each`: one entry with `field` is enough (instead of all)."
    )
    heading: str | None = Field(
        None,
        description="Regular expression (case-insensitive) matched against section titles "
        "and narrative headings, e.g. `independent scrutiny`.",
    )
    block: str | None = Field(
        None,
        description="A reference or block the narrative must use, matched by prefix, "
        "e.g. `table feedback` or `cards priorities`.",
    )
    check: str | None = Field(
        None,
        description="A built-in rule: `statutory-partner-funding` (every statutory partner "
        "has an income line), `twelve-month-period`, or `agency-sections-cover-areas` (when "
        "the partnership covers several areas, each has an agency section for it (`area:`) "
        "or a block that `covers:` it).",
    )
    shown_by: list[str] = Field(
        default_factory=empty_list,
        description="With `data` or `each`: blocks that put this data in the report (prefixes). "
        "Data that no such block places is only partly evidence.",
    )
    gives: Status = Field(
        Status.MET,
        description="The most this evidence can give: `met`, or `partly` for weak evidence "
        "such as a heading alone.",
    )
    label: Text = Field(description="What this evidence is, for the checklist.")

    @model_validator(mode="after")
    def _one_kind(self) -> Evidence:
        if self.heading:
            try:
                re.compile(self.heading)
            except re.error as exc:
                raise ValueError(f"'heading' is not a valid regular expression: {exc}") from exc
        kinds = [k for k in ("data", "each", "heading", "block", "check") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                "give exactly one of data, each, heading, block or check, "
                f"got {', '.join(kinds) or 'none'}"
            )
        if self.each and not self.field:
            raise ValueError("'each' needs 'field'")
        return self


class ProfileItem(Record):
    """One thing the yearly report must or should contain."""

    id: Slug = Field(description="Stable id, e.g. impact.")
    requirement: Requirement = Field(description="must or should.")
    title: Text = Field(description="Short name printed in the checklist.")
    description: Text = Field(description="What the guidance asks for, in a sentence.")
    source: str | None = Field(None, description="Where the requirement comes from.")
    evidence: list[Evidence] = Field(min_length=1, description="Ways to satisfy it; best wins.")
    hint: Text = Field(description="What to add when it is missing.")


class Profile(Record):
    """A completeness profile."""

    id: Slug = Field(description="Profile id, e.g. wt2023.")
    title: Text = Field(description="Printed above the checklist.")
    extends: str | None = Field(
        None, description="A packaged profile this one starts from (optional)."
    )
    drop: list[Slug] = Field(
        default_factory=empty_list, description="Items of the extended profile to leave out."
    )
    items: list[ProfileItem] = Field(
        default_factory=empty_list,
        description="Items; one with the id of an extended item replaces it.",
    )
