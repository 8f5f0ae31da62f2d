"""report.yaml `validation:` block: completeness profile, severities, disclosure policy."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from reportgen.model.common import Count, Record, Text, empty_list
from reportgen.model.meaning import TOKEN, Setting

DEFAULT_THRESHOLD = 5
DEFAULT_SYMBOL = "c"
DEFAULT_PROFILE = "wt2023"
# Grade 9, a reading age of about 14: the digest is written for families, and plain
# English guidance aims at what most adults read easily.
DEFAULT_DIGEST_GRADE = 9
NO_PROFILE = "none"  # validation.profile that turns the completeness checklist off


class Level(StrEnum):
    """A diagnostic severity, as written in report.yaml."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class DisclosureOverride(Record):
    """The explicit, recorded decision to suppress less than the default policy."""

    reason: Text = Field(description="Why a lower threshold is safe for this report.")
    approved_by: Text = Field(description="Who agreed it, e.g. the partnership's data lead.")
    date: dt.date = Field(description="When it was agreed.")


class DisclosurePolicy(Record):
    """How small counts of children are shown (applied to every output)."""

    threshold: Count = Field(
        DEFAULT_THRESHOLD,
        description="Counts of children from 1 up to this number are replaced by the symbol. "
        "The default is 5; a higher number suppresses more. A lower one needs `override`.",
    )
    symbol: Setting = Field(
        DEFAULT_SYMBOL,
        pattern=r"^[^\d\s]{1,3}$",
        description="What is printed instead of a suppressed figure (1 to 3 characters, no "
        "digits), e.g. c.",
    )
    override: DisclosureOverride | None = Field(
        None,
        description="Required to set `threshold` below the default; reported on every run.",
    )


class ValidationConfig(Record):
    """How `reportgen validate` judges the report."""

    profile: Annotated[Text, TOKEN] | None = Field(
        None,
        description="Completeness profile: a packaged one (`wt2023`: Working Together 2023), "
        "a YAML file in the project (e.g. `checks/profile.yaml`), or `none`. Left out: the "
        "document kind's own (`wt2023` for an annual report).",
    )
    severity: dict[Text, Level] = Field(
        default_factory=dict,
        description="Severity of a diagnostic code, e.g. `content.placeholder: error`. Codes "
        "can be raised; only warnings and infos can be lowered (`reportgen explain CODE`).",
    )
    disclosure: DisclosurePolicy = Field(
        default_factory=DisclosurePolicy, description="Suppression of small counts of children."
    )
    words: list[Annotated[Text, TOKEN]] = Field(
        default_factory=empty_list,
        description="Words the spelling check of headings and labels should accept (local "
        "places, services' names); `words.txt` in the project folder, one a line, works too. "
        "Names in the data (partners, people, groups, areas) are known already.",
    )
    digest_reading_grade: int = Field(
        DEFAULT_DIGEST_GRADE,
        ge=1,
        le=20,
        description="Hardest reading level allowed for a sentence of the digest, as a "
        "Flesch-Kincaid school grade (reading age is about the grade plus 5). A harder "
        "sentence is a warning (`digest.reading-grade`).",
    )
