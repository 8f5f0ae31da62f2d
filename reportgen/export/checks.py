"""Checks that only matter when the open data export is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.project import Project

if TYPE_CHECKING:
    from reportgen.derived import Derived
    from reportgen.ledger import PublishedFigure

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_ONS_CODE_MISSING = Code(
    "config.ons-code-missing",
    Severity.INFO,
    "An area has no ONS code for the open data export",
    """
    The open data export (`outputs: data:`, on by default) writes each figure with
    the ONS code of its local authority (`new_la_code`), as the DfE open data
    standards ask. Give each area of report.yaml its `ons_code` (E and 8 digits,
    Newham: E09000025), or switch the export off with `outputs: data: false`. Until
    then the export leaves the code blank, and analysts cannot join it to other data.
    """,
)


DATA_FIGURE_ID_REPEATED = Code(
    "data.figure-id-repeated",
    Severity.WARNING,
    "Two published figures have the same id",
    """
    Every figure of the open data export has an id (`lado.fernmoor.by_sector.education`,
    `training.breakdown.by-area.fernmoor`), made from the ids and labels of the data,
    by which `reportgen explain-figure`, `provenance.csv` and `figures.json` name it.
    Two lines whose labels differ only in capitals or punctuation ("Early years" and
    "Early Years") make the same id, and only the first can be explained. Give the
    lines labels that differ in words, or merge them if they are one line.
    """,
)


def check_export(project: Project, diags: DiagnosticList, derived: Derived | None = None) -> None:
    """Every area needs its ONS code, which each row of the export carries; every
    published figure needs an id of its own."""
    if derived is not None and project.config.outputs.data:
        _repeated_ids(derived, diags)
    cfg = project.config
    if not cfg.outputs.data or project.period is None:
        return  # no export asked for, or none made: open data is dated
    for area in cfg.partnership.areas:
        if area.ons_code is None:
            # A note, not a warning: `init` cannot know the code, and a new project must
            # pass `validate --strict`; the export says "not available" meanwhile.
            diags.emit(
                CONFIG_ONS_CODE_MISSING,
                f"area '{area.id}' has no ons_code, which the open data export needs",
                project.where(area, "id"),
                "add its ONS local authority code, e.g. `ons_code: E09000025` for Newham, "
                "or switch the export off with `outputs: data: false`",
            )


def _repeated_ids(derived: Derived, diags: DiagnosticList) -> None:
    first: dict[str, tuple[PublishedFigure, str]] = {}
    told: set[str] = set()  # one warning per line of data, not one per column of it
    for figure in derived.ledger.figures:
        # Same id, other row: a clash. The same row in another column (count, share) is one figure.
        row = "|".join((figure.table, figure.measure, str(figure.area), str(figure.time)))
        seen = first.setdefault(figure.id, (figure, row))
        if seen[0] is figure or seen[1] != row:
            continue
        # Only now the source texts: a sum's sources are long to describe (a few
        # hundred figures in the example, each its own first).
        text, seen_text = figure.source_text, seen[0].source_text
        if seen_text != text and figure.sources and text not in told:
            told.add(text)
            diags.emit(
                DATA_FIGURE_ID_REPEATED,
                f"the open data figure '{figure.id}' from {text} has the same "
                f"id as the one from {seen_text}",
                figure.sources[0],
                "give the two lines labels that differ in words (not only in capitals or "
                "punctuation), or merge them",
            )


__all__ = ["check_export"]
