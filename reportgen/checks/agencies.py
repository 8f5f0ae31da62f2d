"""Agency sections against the areas they speak for (data/partners.yaml).

A block's `covers:` names areas; an id that is not one of report.yaml's areas is
`data.unknown-reference` (reportgen.checks.consistency, from the schema's `RefTo`). Here:
a block of one area's section that covers another. Whether every area has a section is
the completeness profile's (`agency-sections-cover-areas`).
"""

from __future__ import annotations

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.partners import Partners
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_BLOCK_OTHER_AREA = Code(
    "data.block-other-area",
    Severity.WARNING,
    "A block of one area's agency section covers another area",
    """
    An agency section with `area:` is about that area's services, but one of its blocks
    says it `covers:` another area. Either the block belongs in another section, or the
    section speaks for more than one area and should not be marked with one.
    """,
)


def check_agencies(project: Project, diags: DiagnosticList) -> None:
    """A block of one area's section (`area:`) that covers another area."""
    data = project.dataset("partners", Partners)
    if data is None:
        return
    config = project.config
    for c in data.contributions:
        if c.area is None:
            continue
        for block in c.blocks:
            for i, other in enumerate(block.covers):
                if other == c.area or other not in config.area_ids:
                    continue  # its own area, or an unknown id (data.unknown-reference)
                diags.emit(
                    DATA_BLOCK_OTHER_AREA,
                    f"block '{block.label}' covers {config.area_label(other)}, but its section "
                    f"({c.agency}) is {config.area_label(c.area)}'s",
                    project.where(block, "covers", i),
                    f"move the block to a section for {config.area_label(other)}, or take "
                    "`area:` off the section if it speaks for more than one area",
                )
