"""Derive stage: validated records -> figures, references and block view models.

Every total, rate, share and year-on-year change a reader sees is computed here,
once, and handed to the templates as text. Each dataset derives its own figures (its
`derive` step in reportgen/datasets/); this driver runs them in turn into one
`Derived`, after the names every document offers (the partnership, the period and the
disclosure legend).
"""

from __future__ import annotations

from reportgen.datasets.base import Dataset, Offered
from reportgen.derived import Derived
from reportgen.disclosure import DisclosureControl
from reportgen.project import Project
from reportgen.views import BlockKey

# The names every document offers, whatever its datasets, and where they come from
# (for references.md).
COMMON_REFERENCES: tuple[tuple[str, Offered], ...] = (
    (
        "report.yaml",
        Offered(
            names=("partnership.name", "partnership.short_name"),
            gives="names from report.yaml",
            example="Newham Safeguarding Children Partnership",
        ),
    ),
    (
        "report.yaml",
        Offered(
            names=("period.label", "period.previous", "period.next"),
            gives="year labels (a dated kind of document only)",
            example="2024/25, 2023/24, 2025/26",
        ),
    ),
    (
        "the disclosure policy",
        Offered(
            names=("disclosure.legend",),
            gives="the sentence explaining the disclosure symbol "
            "(required once when figures are withheld)",
            example="Figures shown as c are counts of children from 1 to 5, ...",
        ),
    ),
    (
        "the disclosure policy",
        Offered(
            names=("disclosure.symbol",),
            gives="the symbol printed for a withheld figure",
            example="c",
        ),
    ),
)


def derive(project: Project) -> Derived:
    """Compute every figure, reference and block the report can show."""
    out = Derived()
    cfg = project.config
    out.disclosure = DisclosureControl.from_policy(cfg.validation.disclosure)
    out.references.update(
        {
            "disclosure.legend": out.disclosure.legend,
            "disclosure.symbol": out.disclosure.symbol,
            "partnership.name": cfg.partnership.name,
            "partnership.short_name": cfg.partnership.short_name,
        }
    )
    if project.period is not None:  # an undated kind has no period to quote
        out.references.update(
            {
                "period.label": project.period.label,
                "period.previous": project.period.shifted(-1),
                "period.next": project.period.shifted(1),
            }
        )
    for declared in project.kind.accepted():
        data = project.datasets.get(declared.name)
        if isinstance(declared, Dataset) and declared.derive is not None and data is not None:
            declared.derive(project, data, out)
    from reportgen.activity import publish_activity
    from reportgen.open_figures import publish_printed

    publish_activity(project, out.ledger)
    publish_printed(project, out)
    return out


__all__ = ["BlockKey", "Derived", "derive"]
