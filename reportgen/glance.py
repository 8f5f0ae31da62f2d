"""The "at a glance" page: the key figures report.yaml names, as tiles.

An indicator brings its own tile (value, label, change since last year, comparators,
better or worse), derived in `reportgen.derive`. Any other figure (`budget.income.total`)
is a reference, so report.yaml gives its label. Nothing is computed here: tiles only
assemble figures that derive already formatted.
"""

from __future__ import annotations

import difflib
import re

from reportgen.derive import BlockKey, Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.project import Project, reference_sources
from reportgen.views import Tile, TilesView

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_UNKNOWN_FIGURE = Code(
    "config.unknown-figure",
    Severity.ERROR,
    "An at-a-glance tile names a figure that does not exist",
    """
    Each tile of `at_a_glance` in report.yaml quotes a figure, such as
    `indicator.cp_plans` or `budget.income.total`. The name must be one that narrative
    could quote (see `reportgen docs references`).
    """,
)
CONFIG_MISSING_LABEL = Code(
    "config.missing-label",
    Severity.ERROR,
    "An at-a-glance tile needs a label",
    """
    Indicators bring their own label; any other figure shown as a tile needs a
    `label:` saying what it counts.
    """,
)

GLANCE_ID = "at-a-glance"
_REF = re.compile(r"\{\{\s*([A-Za-z0-9_.:-]+)\s*\}\}")


def _unknown(figure: str, known: list[str]) -> str:
    close = difflib.get_close_matches(figure, known, n=1)
    return (
        f"did you mean '{close[0]}'?"
        if close
        else "see `reportgen docs references` for the figures"
    )


def glance_view(
    project: Project, derived: Derived, diags: DiagnosticList | None = None
) -> TilesView | None:
    """The tiles of the "at a glance" page, or None when report.yaml asks for none."""
    glance = project.config.at_a_glance
    if glance is None:
        return None
    diags = diags if diags is not None else DiagnosticList()
    refs = derived.references
    tiles: list[Tile] = []

    def fill(text: str, where: Location) -> str:
        def one(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in refs:
                return refs[key]
            sources = reference_sources(key)
            if project.blocked(*sources) or project.incomplete(sources[0]):
                return match.group(0)  # its data file (or item) failed: reported there
            diags.emit(
                CONFIG_UNKNOWN_FIGURE,
                f"'{{{{ {key} }}}}' does not match any figure",
                where,
                _unknown(key, sorted(refs)),
            )
            return match.group(0)

        return _REF.sub(one, text)

    for item in glance.tiles:
        detail = fill(item.detail, project.where(item, "detail")) if item.detail else None
        block = derived.blocks.get(BlockKey("tiles", item.figure))
        if isinstance(block, TilesView) and len(block.tiles) == 1:
            tile = block.tiles[0]
            label = fill(item.label, project.where(item, "label")) if item.label else tile.label
            tiles.append(
                Tile(
                    value=tile.value,
                    label=label,
                    change=tile.change,
                    comparator=tile.comparator,
                    trend=tile.trend,
                    detail=detail,
                )
            )
            continue
        if item.figure not in refs:
            sources = reference_sources(item.figure)
            if project.blocked(*sources) or project.incomplete(sources[0]):
                continue  # its data file (or item) failed: reported there
            diags.emit(
                CONFIG_UNKNOWN_FIGURE,
                f"at_a_glance figure '{item.figure}' does not match any figure",
                project.where(item, "figure"),
                _unknown(item.figure, sorted(refs)),
            )
            continue
        if not item.label:
            diags.emit(
                CONFIG_MISSING_LABEL,
                f"at_a_glance figure '{item.figure}' needs a label: only indicators have their own",
                project.where(item),
                "add `label:` saying what the figure counts",
            )
            continue
        tiles.append(
            Tile(
                value=refs[item.figure],
                label=fill(item.label, project.where(item, "label")),
                detail=detail,
            )
        )
    return TilesView(id=GLANCE_ID, title=glance.title, tiles=tiles)


def check_glance(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    """Build the "at a glance" page once, into `derived.glance`, checking that every
    figure on it exists and has a label."""
    derived.glance = glance_view(project, derived, diags)
