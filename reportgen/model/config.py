"""report.yaml: who publishes the report, for which period, and how it is laid out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from reportgen.model.common import Count, PeriodLabel, Record, Slug, Text, empty_list
from reportgen.model.meaning import (
    ENTRY_NAME,
    LABEL,
    PROJECT_FILE,
    PROPER_NAME,
    TOKEN,
    FilePath,
    IdOf,
    RefTo,
    Setting,
)
from reportgen.model.validation import ValidationConfig

DEFAULT_COMPARATORS = {
    "statistical_neighbours": "Statistical neighbours",
    "london": "London",
    "england": "England",
}


_ONS_LA_CODE = re.compile(r"^E\d{8}$")
_OLD_LA_CODE = re.compile(r"^\d{3}$")
_ONS_REGION_CODE = re.compile(r"^E12\d{6}$")


def _check_ons_code(value: str) -> str:
    if not _ONS_LA_CODE.match(value):
        raise ValueError(
            "expected an ONS local authority code: E and 8 digits, such as E09000025, "
            f"got '{value}'"
        )
    return value


def _check_old_la_code(value: str) -> str:
    if not _OLD_LA_CODE.match(value):
        raise ValueError(
            f"expected the DfE 3-digit local authority number, such as 316, got '{value}'"
        )
    return value


def _check_region_code(value: str) -> str:
    if not _ONS_REGION_CODE.match(value):
        raise ValueError(
            f"expected an ONS region code: E12 and 6 digits, such as E12000007, got '{value}'"
        )
    return value


# Shapes of the codes the open data export publishes for each area (DfE/ONS conventions).
OnsCode = Annotated[str, AfterValidator(_check_ons_code)]
OldLaCode = Annotated[str, AfterValidator(_check_old_la_code)]
RegionCode = Annotated[str, AfterValidator(_check_region_code)]


class Area(Record):
    """A local authority area covered by the partnership."""

    id: Annotated[Slug, IdOf("area")] = Field(
        description="Short id used by figures that belong to this area, e.g. newham."
    )
    name: Annotated[Text, ENTRY_NAME, PROPER_NAME] = Field(
        description="Full name, e.g. London Borough of Newham."
    )
    short_label: Annotated[Text, ENTRY_NAME, PROPER_NAME] | None = Field(
        None,
        description="Short label used in tables, charts and headings where the report names "
        "the area, e.g. Newham (optional: the full name is used when it is not given).",
    )
    child_population: Count | None = Field(
        None, description="Children aged 0-17, used for rates per 10,000 (optional)."
    )
    ons_code: OnsCode | None = Field(
        None,
        description="ONS code of the local authority, E and 8 digits (Newham: E09000025). "
        "The open data export needs it (`new_la_code`).",
    )
    old_la_code: OldLaCode | None = Field(
        None,
        description="DfE 3-digit local authority number (Newham: 316), published as "
        "`old_la_code` in the open data export (optional).",
    )
    region_code: RegionCode | None = Field(
        None,
        description="ONS code of the region, E12 and 6 digits (London: E12000007), for the "
        "open data export (optional).",
    )
    region_name: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Name of the region, e.g. London, for the open data export (optional)."
    )


class Partnership(Record):
    """The safeguarding children partnership that publishes the report."""

    name: Annotated[Text, PROPER_NAME] = Field(
        description="Full name, e.g. Newham Safeguarding Children Partnership."
    )
    short_name: Annotated[Text, PROPER_NAME] = Field(
        description="Abbreviation used in running text, e.g. NSCP."
    )
    areas: list[Area] = Field(min_length=1, description="Local authority areas covered.")
    website: Setting | None = Field(None, description="Public website address (optional).")


class ReportPeriod(Record):
    """The months the report covers (twelve, or another span for an interim report)."""

    label: PeriodLabel = Field(
        description="Year label as printed, e.g. 2024/25; for a period of another length "
        "(an interim report, September 2019 to March 2020), the financial year it ends in."
    )
    start: dt.date = Field(description="First day, e.g. 2024-04-01.")
    end: dt.date = Field(description="Last day, e.g. 2025-03-31.")
    stated: bool = Field(
        True,
        description="False when the report does not print its period and the dates are "
        "worked out from other clues (e.g. 'Priorities for 2016/17'): validate then warns "
        "(`dates.period-not-stated`).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> ReportPeriod:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} is not after its start {self.start}")
        return self


class SectionConfig(Record):
    """One section of the report, in reading order."""

    id: Annotated[Slug, IdOf("section")] = Field(
        description="Stable id, used for links (#id) and file names."
    )
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(
        description="Heading printed for the section."
    )
    file: Annotated[Text, PROJECT_FILE] = Field(
        description="Markdown narrative, relative to the project, e.g. content/budget.md."
    )
    numbered: bool = Field(True, description="Print a section number before the title.")
    area: Annotated[str, RefTo("report", "area")] | None = Field(
        None,
        description="Area id when the section is one area's snapshot: every indicator it "
        "quotes must belong to that area (optional).",
    )


class Outputs(Record):
    """Which files a build writes into the output directory."""

    html: bool = Field(True, description="Write the accessible HTML page.")
    pdf: bool = Field(True, description="Write the A4 PDF.")
    basename: Annotated[Slug, TOKEN] | None = Field(
        None,
        description="File name without extension. Left out: the name of the document's "
        "kind, e.g. annual-report.",
    )
    data: bool = Field(
        True,
        description="Write every published figure as open data in data/ (CSV following the "
        "DfE open data standards, a Frictionless data package and JSON; "
        "see `reportgen docs open-data`).",
    )
    digest: bool = Field(
        False,
        description="Also write a short plain-language digest for families (BASENAME-digest "
        ".html and .pdf): the year at a glance, each priority's why, what improved and what "
        "next, what was learned and next year's plans, each linked to the full report.",
    )


class Theme(Record):
    """Look of the report."""

    primary_colour: Setting = Field(
        "#1d4f91",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Brand colour for headings and charts, as #rrggbb.",
    )
    accent_colour: Setting = Field(
        "#b0413e", pattern=r"^#[0-9a-fA-F]{6}$", description="Second chart colour, as #rrggbb."
    )
    logo: FilePath | None = Field(
        None,
        description="Logo image file (PNG, JPEG or SVG), relative to the project (optional).",
    )
    font: Annotated[Text, TOKEN] = Field(
        "Atkinson Hyperlegible",
        description="Typeface for text and charts. The default is packaged with reportgen and "
        "embedded in both outputs; any other needs `font_files`.",
    )
    font_files: list[FilePath] = Field(
        default_factory=empty_list,
        description="Font files (.ttf or .otf) of `font`, relative to the project: at least "
        "the regular and bold faces; italic ones are optional.",
    )


class GlanceTile(Record):
    """A key figure on the "at a glance" page."""

    figure: Annotated[Text, TOKEN] = Field(
        description="The figure shown: an indicator (`indicator.cp_plans`) or any other "
        "reference, e.g. `budget.income.total`."
    )
    label: Annotated[str, ENTRY_NAME, LABEL] | None = Field(
        None,
        description="What the figure counts. An indicator's own label is used when left out; "
        "other figures need one.",
    )
    detail: Annotated[str, LABEL] | None = Field(
        None,
        description="A line under the label (optional); may quote figures, e.g. "
        "`{{ training.attended }} of {{ training.bookings }} places`.",
    )


class AtAGlance(Record):
    """The "at a glance" page after the contents: key figures as tiles."""

    title: Annotated[Text, LABEL] = Field("At a glance", description="Heading of the page.")
    intro: str | None = Field(None, description="A sentence under the heading (optional).")
    tiles: list[GlanceTile] = Field(min_length=1, description="The figures, in reading order.")


DEFAULT_KIND = "annual-report"


class DocumentConfig(Record):
    """What report.yaml holds for every kind of document (`reportgen.kinds`)."""

    kind: Annotated[Slug, TOKEN] = Field(
        DEFAULT_KIND,
        description="What kind of document this is; it decides which data files the "
        "project may have, how it is dated and its default completeness profile. "
        "`annual-report` (the default) is the partnership's yearly report.",
    )
    partnership: Partnership = Field(description="Who publishes the report.")
    title: Annotated[Text, LABEL] = Field(description="Document title, e.g. Annual Report 2024/25.")
    subtitle: Annotated[str, LABEL] | None = Field(
        None, description="Line under the title on the cover (optional)."
    )
    language: Setting = Field(
        "en-GB", pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$", description="Document language tag."
    )
    published: dt.date | None = Field(None, description="Publication date printed on the cover.")
    sections: list[SectionConfig] = Field(min_length=1, description="Sections in reading order.")
    outputs: Outputs = Field(default_factory=Outputs, description="Files to write.")
    theme: Theme = Field(default_factory=Theme, description="Colours, logo and font.")
    at_a_glance: AtAGlance | None = Field(
        None, description="Key figures shown as tiles after the contents (optional)."
    )
    comparators: dict[Annotated[Slug, IdOf("comparator")], Annotated[Text, LABEL]] = Field(
        default_factory=lambda: dict(DEFAULT_COMPARATORS),
        description="Comparator ids usable by indicators, with their printed names.",
    )
    validation: ValidationConfig = Field(
        default_factory=ValidationConfig,
        description="Completeness profile, severities and the disclosure policy "
        "(see `reportgen docs validation`).",
    )

    @property
    def area_ids(self) -> set[str]:
        return {a.id for a in self.partnership.areas}

    def area_label(self, area_id: str | None) -> str:
        """The short label of an area (its full name when it has none); "" for no area."""
        for area in self.partnership.areas:
            if area.id == area_id:
                return area.short_label or area.name
        return area_id or ""


class LastYear(Record):
    """Last year's report, as a source of truth for this one (`reportgen docs history`)."""

    # Folders, maybe outside this project (new-year writes an absolute path then): tokens,
    # not words for the text checks, nor project files that must lie inside it.
    project: Annotated[str, TOKEN] | None = Field(
        None,
        description="Folder of last year's report project, relative to this one (e.g. "
        "archive/2023-24). `validate` checks this year's `prior` values against the values "
        "it published, and this year's plan against its plan.",
    )
    export: Annotated[str, TOKEN] | None = Field(
        None,
        description="Instead of `project`: the folder of last year's published data export "
        "(the `build/data` of its build), relative to this one. `validate` checks this "
        "year's `prior` and `history` values against the values it published.",
    )
    not_reviewed: list[Annotated[Text, PROJECT_FILE]] = Field(
        default_factory=empty_list,
        description="Narrative files carried over from last year that nobody has reviewed "
        "yet (written by `reportgen new-year`). Delete a file's line once it is reviewed: "
        "the report is not ready while any is listed.",
    )
    to_fill: list[Annotated[Text, TOKEN]] = Field(
        default_factory=empty_list,
        description="Figures carried over from last year whose value for this year must "
        "still be typed (written by `reportgen new-year`): `indicator.ID` (its value is "
        "still last year's) or `priority.ID` (its progress is still to write). Delete the "
        "line when done.",
    )


class ReportConfig(DocumentConfig):
    """The whole of report.yaml of an annual report (`kind: annual-report`)."""

    period: ReportPeriod = Field(description="The 12 months covered.")
    last_year: LastYear | None = Field(
        None,
        description="Last year's report, and what `reportgen new-year` carried from it that "
        "still needs a person (optional).",
    )
