"""What a kind of document is: the one place that says what it is made of.

A `DocumentKind` is chosen by `kind:` in report.yaml. It declares the data files it
accepts, the schema of its report.yaml, how it is dated (its `PeriodRule`), the
completeness profile it is judged against unless report.yaml names another, and the
page template and wording it is printed with. The loader, checks, derive and renderer
ask the project's kind instead of assuming an annual report; a new kind is one module
that builds a `DocumentKind` and registers it (`reportgen.kinds.register`).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass

from reportgen.datasets import accepted_by
from reportgen.datasets.base import DatasetFile
from reportgen.model.config import DocumentConfig


@dataclass(frozen=True)
class Period:
    """The time a dated document covers, as its period rule read it from report.yaml."""

    label: str  # as printed, e.g. 2024/25
    start: dt.date
    end: dt.date
    rule: PeriodRule

    @property
    def first_year(self) -> int:
        return int(self.label[:4])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label_for(self, first_year: int) -> str:
        """The label of the period of the same length starting in `first_year`."""
        return self.rule.label_for(first_year)

    def shifted(self, periods: int) -> str:
        """The label `periods` periods later (or earlier, when negative)."""
        return self.rule.label_for(self.first_year + periods * self.rule.years)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def describe(self) -> str:
        return f"{self.label} ({_date(self.start)} to {_date(self.end)})"


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class PeriodRule(ABC):
    """How a kind of document is dated: which period its config gives, and what a
    right one looks like. An annual report covers twelve months; a plan may span
    several years; arrangements may be dated only by publication, or not at all."""

    name: str  # for the documentation, e.g. "twelve months"
    dated: bool = True  # False: `period_of` is always None
    years: int = 1  # how many years one period spans (for labels of earlier or later ones)

    @abstractmethod
    def period_of(self, config: DocumentConfig) -> Period | None:
        """The period the validated config gives, or None for an undated document."""

    def span_problem(self, period: Period) -> str | None:
        """Why `period` is not the length this kind covers, or None when it is."""
        return None

    def label_for(self, first_year: int) -> str:
        last = first_year + self.years
        return f"{first_year}/{last % 100:02d}" if self.years == 1 else f"{first_year}-{last}"


class Undated(PeriodRule):
    """A document that covers no period (its dates, if any, are checked by its data)."""

    name = "undated"
    dated = False

    def period_of(self, config: DocumentConfig) -> Period | None:
        return None


@dataclass(frozen=True)
class Wording:
    """What the page calls the document (`{{ report.document }}` in templates)."""

    document: str  # e.g. "yearly report", in running text


@dataclass(frozen=True, kw_only=True)
class DocumentKind:
    """One kind of document reportgen builds."""

    name: str  # as written in `kind:` in report.yaml, e.g. annual-report
    title: str  # for the documentation, e.g. "Annual report"
    summary: str  # one sentence: what the document is for
    config_schema: type[DocumentConfig]
    period_rule: PeriodRule
    profile: str  # the completeness profile when report.yaml names none (`none`: no profile)
    wording: Wording
    template: str = "report.html"  # the page template (project templates may override it)
    # Data files declared with the kind itself; the datasets of reportgen/datasets/ that
    # name this kind are added to them (`accepted`).
    datasets: tuple[DatasetFile, ...] = ()

    def accepted(self) -> tuple[DatasetFile, ...]:
        """Every data file this kind accepts: its own, then reportgen/datasets/' ones."""
        return self.datasets + accepted_by(self.name)

    def dataset_file(self, name: str) -> DatasetFile | None:
        return next((d for d in self.accepted() if d.name == name), None)

    def problems(self) -> list[str]:
        """What makes this declaration unusable (checked when it is registered, and for
        reportgen/datasets/' declarations by tests/test_datasets.py)."""
        # Only the kind's own datasets: the package's are imported when first used, since
        # they build on the loader, which needs the kinds registered first.
        return self.problems_with(self.datasets)

    def problems_with(self, datasets: tuple[DatasetFile, ...]) -> list[str]:
        found: list[str] = []
        names = [d.name for d in datasets]
        files = [d.file for d in datasets]
        if len(set(names)) != len(names) or len(set(files)) != len(files):
            found.append("two datasets share a name or a file")
        if not self.period_rule.dated:
            dated = [d.name for d in datasets if d.dated]
            if dated:
                found.append(f"an undated kind cannot accept dated datasets: {', '.join(dated)}")
        return found
