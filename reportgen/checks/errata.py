"""Printed figures typed with an erratum (`printed:` + `erratum:`, reportgen/model/errata.py).

Every check of a printed figure against what it is computed from asks `settle_misprint`
first: a figure typed as a known misprint is reported here (a warning naming both
figures, or an error when the erratum is stale), and the check reports nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.errata import Misprint
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_KNOWN_ERRATUM = Code(
    "data.known-erratum",
    Severity.WARNING,
    "A printed figure is known to be wrong",
    """
    The figure is typed as the source prints it, with an erratum saying it is wrong
    (`printed:` and `erratum:` in place of the figure, e.g. a total whose lines add up
    to something else). reportgen publishes the figure it computes, never the printed
    one, and says here how far apart they are; a template may show the erratum as a
    note. Without `erratum:`, the same disagreement is an error (data.total-mismatch).
    """,
)
DATA_STALE_ERRATUM = Code(
    "data.stale-erratum",
    Severity.ERROR,
    "A figure typed as wrong in fact agrees",
    """
    The figure is typed with an erratum (`printed:` and `erratum:`), but it agrees with
    what reportgen computes, so the erratum (which readers may see as a note) is not
    true. A line was probably corrected since: type the figure plainly, without
    `printed:` and `erratum:`.
    """,
)


def settle_misprint(
    project: Project,
    diags: DiagnosticList,
    owner: BaseModel,
    name: str,
    computed: Decimal,
    *,
    what: str,
    basis: str,
    show: Callable[[Decimal], str],
) -> bool:
    """Report `owner.name` if it is typed as a known misprint; True when it was.

    `what` names the figure ("income total"), `basis` what it is computed from ("the
    lines"), `show` formats a figure (figures.money)."""
    figure = getattr(owner, name)
    if not isinstance(figure, Misprint):
        return False
    where = project.where(figure, "printed")
    if figure.printed == computed:
        diags.emit(
            DATA_STALE_ERRATUM,
            f"{what} is typed as wrong ({figure.erratum!r}), but the printed "
            f"{show(figure.printed)} is what {basis} add up to",
            where,
            f"type the figure plainly: {name}: {figure.printed:f}",
        )
    else:
        diags.emit(
            DATA_KNOWN_ERRATUM,
            f"{what} is printed as {show(figure.printed)} but {basis} add up to "
            f"{show(computed)} (difference {show(figure.printed - computed)}); typed as "
            f"a known erratum: {figure.erratum}. The output shows {show(computed)}",
            where,
            "nothing to do if the source is wrong; if a line was typed wrong, correct it",
        )
    return True
