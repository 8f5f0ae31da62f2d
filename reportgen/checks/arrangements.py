"""Published arrangements (`kind: arrangements`): the expected funding's typed total,
signatures, appendices and the review date.

The dataset (data/arrangements.yaml, its references and blocks) is declared in
reportgen/datasets/arrangements.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from reportgen import figures
from reportgen.checks.consistency import DATA_UNKNOWN_REFERENCE
from reportgen.checks.errata import settle_misprint
from reportgen.checks.totals import DATA_TOTAL_MISMATCH, HINT
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.arrangements import Arrangements, ArrangementsConfig, Signatory
from reportgen.model.errata import printed_value
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
ARRANGEMENTS_SIGNED_BY_OTHER = Code(
    "arrangements.signed-by-other",
    Severity.WARNING,
    "A lead partner's signature is by someone else, with no 'on behalf of'",
    """
    The arrangements are signed by the lead safeguarding partners. When the person who
    signs does not hold the role signed for (their title is another), the document must
    say for whom they sign, or a reader cannot tell whether the lead partner agreed.
    Add `on_behalf_of:` to the signatory in data/arrangements.yaml, or have the role
    holder sign.
    """,
)
ARRANGEMENTS_APPENDIX_NOT_INCLUDED = Code(
    "arrangements.appendix-not-included",
    Severity.WARNING,
    "The text refers to an appendix the document does not include",
    """
    The narrative says something is "attached at Appendix N", but that appendix is not
    in the document: it is listed in data/arrangements.yaml without a `section:`, or
    not listed at all. Add the appendix as a section and name it in `section:`, or
    change the text.
    """,
)
ARRANGEMENTS_REVIEW_BEFORE_PUBLICATION = Code(
    "arrangements.review-before-publication",
    Severity.WARNING,
    "The review date is not after the publication date",
    "`review_date:` in report.yaml should be after `published:`: check both dates.",
)

# "Appendix 9", "appendix 3", "Appendices 1 and 2" (each number of a list).
_APPENDIX = re.compile(r"\bappendi(?:x|ces)\s+([0-9A-Z]+(?:(?:,\s*|\s+and\s+)[0-9A-Z]+)*)", re.I)


def check_arrangements(project: Project, diags: DiagnosticList) -> None:
    """Funding total, signatures, appendices and dates of published arrangements."""
    config = project.config
    if (
        isinstance(config, ArrangementsConfig)
        and config.published
        and config.review_date
        and config.review_date <= config.published
    ):
        diags.emit(
            ARRANGEMENTS_REVIEW_BEFORE_PUBLICATION,
            f"the review date {config.review_date} is not after publication ({config.published})",
            project.where(config, "review_date"),
            "check both dates in report.yaml",
        )
    data = project.dataset("arrangements", Arrangements)
    if data is None:
        return
    _funding(project, data, diags)
    for signatory in data.signatories:
        if _signed_by_other(signatory):
            diags.emit(
                ARRANGEMENTS_SIGNED_BY_OTHER,
                f"'{signatory.role}' ({signatory.organisation}) is signed by "
                f"{signatory.name}, {signatory.title}, with no 'on behalf of'",
                project.where(signatory),
                f"add on_behalf_of (e.g. the {signatory.role}), or have the role holder sign",
            )
    _appendices(project, data, diags)


def _signed_by_other(signatory: Signatory) -> bool:
    """The signer's own title is not the role signed for, and nobody is named."""
    if signatory.on_behalf_of:
        return False
    role = _words(signatory.role)
    return not role or _words(signatory.title)[: len(role)] != role


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _funding(project: Project, data: Arrangements, diags: DiagnosticList) -> None:
    if data.funding is None or data.funding.total is None:
        return
    computed = sum((line.amount for line in data.funding.lines), Decimal(0))
    if settle_misprint(
        project,
        diags,
        data.funding,
        "total",
        computed,
        what="expected funding total",
        basis="the lines",
        show=figures.money,
    ):
        return
    typed = printed_value(data.funding.total)
    if typed != computed:
        diags.emit(
            DATA_TOTAL_MISMATCH,
            f"expected funding total is typed as {figures.money(typed)} but the lines add "
            f"up to {figures.money(computed)} (difference {figures.money(typed - computed)})",
            project.where(data.funding, "total"),
            HINT,
        )


def _mentions(project: Project) -> Iterator[tuple[str, Location]]:
    """(appendix number, where) for every "Appendix N" in the narrative."""
    from reportgen.checks.text import narrative_items

    for item in narrative_items(project):
        for match in _APPENDIX.finditer(item.text):
            for number in re.split(r",\s*|\s+and\s+", match.group(1)):
                yield number, item.location(match.start())


def _appendices(project: Project, data: Arrangements, diags: DiagnosticList) -> None:
    sections = {s.id for s in project.config.sections}
    listed = {a.number: a for a in data.appendices}
    for appendix in data.appendices:
        if appendix.section is not None and appendix.section not in sections:
            diags.emit(
                DATA_UNKNOWN_REFERENCE,
                f"appendix {appendix.number} is in section '{appendix.section}', which "
                "report.yaml does not list",
                project.where(appendix, "section"),
                "use a section id from report.yaml: " + ", ".join(sorted(sections)),
            )
    reported: set[str] = set()
    for number, where in _mentions(project):
        mentioned = listed.get(number)
        if number in reported or (mentioned is not None and mentioned.section is not None):
            continue
        reported.add(number)
        if mentioned is None:
            message = (
                f"the text refers to appendix {number}, which data/arrangements.yaml does not list"
            )
        else:
            message = (
                f"the text refers to appendix {number} ({mentioned.title}), which is not included"
            )
        diags.emit(
            ARRANGEMENTS_APPENDIX_NOT_INCLUDED,
            message,
            where,
            "add the appendix as a section and name it in `section:`, or change the text",
        )
