"""report.yaml: who publishes the report, for which period, and how it is laid out."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from reportgen.model.common import Count, PeriodLabel, Record, Slug, Text

DEFAULT_COMPARATORS = {
    "statistical_neighbours": "Statistical neighbours",
    "london": "London",
    "england": "England",
}


class Area(Record):
    """A local authority area covered by the partnership."""

    id: Slug = Field(description="Short id used by figures that belong to this area, e.g. newham.")
    name: Text = Field(description="Full name, e.g. London Borough of Newham.")
    child_population: Count | None = Field(
        None, description="Children aged 0-17, used for rates per 10,000 (optional)."
    )


class Partnership(Record):
    """The safeguarding children partnership that publishes the report."""

    name: Text = Field(description="Full name, e.g. Newham Safeguarding Children Partnership.")
    short_name: Text = Field(description="Abbreviation used in running text, e.g. NSCP.")
    areas: list[Area] = Field(min_length=1, description="Local authority areas covered.")
    website: str | None = Field(None, description="Public website address (optional).")


class ReportPeriod(Record):
    """The 12 months the report covers."""

    label: PeriodLabel = Field(description="Year label as printed, e.g. 2024/25.")
    start: dt.date = Field(description="First day, e.g. 2024-04-01.")
    end: dt.date = Field(description="Last day, e.g. 2025-03-31.")

    @model_validator(mode="after")
    def _ordered(self) -> ReportPeriod:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} is not after its start {self.start}")
        return self


class SectionConfig(Record):
    """One section of the report, in reading order."""

    id: Slug = Field(description="Stable id, used for links (#id) and file names.")
    title: Text = Field(description="Heading printed for the section.")
    file: Text = Field(
        description="Markdown narrative, relative to the project, e.g. content/budget.md."
    )
    numbered: bool = Field(True, description="Print a section number before the title.")


class Outputs(Record):
    """Which files a build writes into the output directory."""

    html: bool = Field(True, description="Write the accessible HTML page.")
    pdf: bool = Field(True, description="Write the A4 PDF.")
    basename: Slug = Field("annual-report", description="File name without extension.")


class Theme(Record):
    """Look of the report."""

    primary_colour: str = Field(
        "#1d4f91",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Brand colour for headings and charts, as #rrggbb.",
    )
    accent_colour: str = Field(
        "#b0413e", pattern=r"^#[0-9a-fA-F]{6}$", description="Second chart colour, as #rrggbb."
    )
    logo: str | None = Field(
        None, description="Logo image file, relative to the project (optional)."
    )


class ReportConfig(Record):
    """The whole of report.yaml."""

    partnership: Partnership = Field(description="Who publishes the report.")
    title: Text = Field(description="Document title, e.g. Annual Report 2024/25.")
    subtitle: str | None = Field(None, description="Line under the title on the cover (optional).")
    language: str = Field(
        "en-GB", pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$", description="Document language tag."
    )
    period: ReportPeriod = Field(description="The 12 months covered.")
    published: dt.date | None = Field(None, description="Publication date printed on the cover.")
    sections: list[SectionConfig] = Field(min_length=1, description="Sections in reading order.")
    outputs: Outputs = Field(default_factory=Outputs, description="Files to write.")
    theme: Theme = Field(default_factory=Theme, description="Colours and logo.")
    comparators: dict[Slug, Text] = Field(
        default_factory=lambda: dict(DEFAULT_COMPARATORS),
        description="Comparator ids usable by indicators, with their printed names.",
    )

    @property
    def area_ids(self) -> set[str]:
        return {a.id for a in self.partnership.areas}
