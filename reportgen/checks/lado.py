"""The LADO returns (data/lado.yaml): printed totals, breakdowns and outcome words.

A return's contacts typed as printed must be its referrals plus its consultations; a
breakdown's counts must add up to the figure it splits and to the total printed under
it; a printed share must agree with its count; the threshold met is part of the
referrals; a printed change ("a 70% increase") is checked against last year's contacts
as every stated figure is (`reportgen.checks.printed`); and an outcome's printed
words must stand for a normalised outcome.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen import figures
from reportgen.checks.printed import PrintedBeside, agrees, check_stated, rounded
from reportgen.checks.totals import DATA_TOTAL_MISMATCH
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.indicators import Indicators, Unit
from reportgen.model.lado import PRINTED_OUTCOME, Breakdown, Lado, LadoReturn, OutcomeBreakdown
from reportgen.project import Project

_MAPPING = ", ".join(f"'{w}'" for w in PRINTED_OUTCOME)

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_LADO_OUTCOME_UNMAPPED = Code(
    "data.lado-outcome-unmapped",
    Severity.WARNING,
    "A LADO outcome's printed words have no normalised outcome",
    f"""
    Each line of a LADO return's `by_outcome` keeps the outcome as the report words it
    (`label`) and is read as a normalised outcome (substantiated, unsubstantiated,
    unfounded, false, malicious, ongoing, no_further_action) through these words (case,
    hyphens and a trailing "allegation" ignored): {_MAPPING}. Words outside them need
    `outcome:` beside them, so the open data can compare outcomes across reports.
    """,
)
DATA_LADO_SHARE_MISMATCH = Code(
    "data.lado-share-mismatch",
    Severity.ERROR,
    "A LADO breakdown's printed share disagrees with its count",
    """
    A line of a LADO breakdown gives both a count and a printed percentage, and the
    count divided by the whole it is a share of (the figure named by `of:`, or the
    breakdown's printed `total`) does not give the percentage, rounded as printed.
    """,
)

HINT = "correct the figure that is wrong; reportgen computes totals, so a typed one can go"


def check_lado(project: Project, diags: DiagnosticList) -> None:
    """Check every LADO return's printed totals, shares, change and outcome words."""
    data = project.dataset("lado", Lado)
    if data is None:
        return
    indicators = project.dataset("indicators", Indicators)
    by_id = {i.id: i for i in indicators.indicators} if indicators is not None else {}
    for r in data.returns:
        name = return_name(project, r)
        _contacts(project, r, name, diags)
        if r.stated is not None and r.contacts is not None:
            prior = Decimal(r.prior) if r.prior is not None else None
            beside = PrintedBeside(f"{name}, contacts", Decimal(r.contacts), prior, Unit.COUNT)
            check_stated(project, beside, r.stated, by_id, diags)
        for key in ("by_sector", "by_concern", "by_outcome", "timeliness"):
            breakdown = getattr(r, key)
            if breakdown is not None:
                _breakdown(project, r, name, key, breakdown, diags)
        if r.by_outcome is not None:
            _outcomes(project, name, r.by_outcome, diags)


def return_name(project: Project, r: LadoReturn) -> str:
    """How messages name a return: "LADO return for Fernmoor"."""
    if r.area:
        return f"LADO return for {project.config.area_label(r.area)}"
    return f"LADO return '{r.title}'" if r.title else "LADO return"


def _contacts(project: Project, r: LadoReturn, name: str, diags: DiagnosticList) -> None:
    if r.contacts is not None and r.referrals is not None and r.consultations is not None:
        parts = r.referrals + r.consultations
        if parts != r.contacts:
            diags.emit(
                DATA_TOTAL_MISMATCH,
                f"{name}: contacts are typed as {figures.count(r.contacts)} but referrals "
                f"({figures.count(r.referrals)}) and consultations "
                f"({figures.count(r.consultations)}) add up to {figures.count(parts)} "
                f"(difference {r.contacts - parts:+,})",
                project.where(r, "contacts"),
                HINT,
            )
    if r.met_threshold is not None and r.referrals is not None and r.met_threshold > r.referrals:
        diags.emit(
            DATA_TOTAL_MISMATCH,
            f"{name}: {figures.count(r.met_threshold)} referrals met the threshold, more than "
            f"the {figures.count(r.referrals)} referrals received",
            project.where(r, "met_threshold"),
            "the referrals that met the threshold are part of the referrals: correct one",
        )


def whole_of(r: LadoReturn, breakdown: Breakdown) -> int | None:
    """The count a breakdown's lines are shares of: the figure it splits, else its total."""
    if breakdown.of is not None:
        named: int | None = getattr(r, breakdown.of.value)
        if named is not None:
            return named
    if breakdown.total is not None:
        return breakdown.total
    counts = [line.count for line in breakdown.lines]
    return sum(c for c in counts if c is not None) if None not in counts else None


def _breakdown(
    project: Project,
    r: LadoReturn,
    name: str,
    key: str,
    breakdown: Breakdown,
    diags: DiagnosticList,
) -> None:
    what = key.replace("_", " ")
    counts = [line.count for line in breakdown.lines]
    # Timeliness lines overlap (within a month, within three): they split nothing.
    if None not in counts and key != "timeliness":
        summed = sum(c for c in counts if c is not None)
        typed = [("total", breakdown.total, "the total printed under it")]
        if breakdown.of is not None:
            typed.append(("of", getattr(r, breakdown.of.value), breakdown.of.value))
        for field, value, says in typed:
            if value is not None and value != summed:
                diags.emit(
                    DATA_TOTAL_MISMATCH,
                    f"{name}: the lines {what} add up to {figures.count(summed)}, but "
                    f"{says} is {figures.count(value)} (difference {value - summed:+,})",
                    project.where(breakdown, field),
                    HINT,
                )
    whole = whole_of(r, breakdown)
    if not whole:
        return
    for line in breakdown.lines:
        if line.count is None or line.percent is None:
            continue
        share = Decimal(line.count) * 100 / whole
        if not agrees(share, line.percent):
            diags.emit(
                DATA_LADO_SHARE_MISMATCH,
                f"{name}, {what} '{line.label}': {figures.percent(line.percent)} is printed, "
                f"but {figures.count(line.count)} of {figures.count(whole)} is "
                f"{rounded(share, line.percent, '%')}",
                project.where(line, "percent"),
                "correct the count or the printed percentage",
            )


def _outcomes(
    project: Project, name: str, breakdown: OutcomeBreakdown, diags: DiagnosticList
) -> None:
    for line in breakdown.lines:
        if line.normalised is None:
            diags.emit(
                DATA_LADO_OUTCOME_UNMAPPED,
                f"{name}: the outcome '{line.label}' is not one reportgen can read",
                project.where(line, "label"),
                "add `outcome:` (substantiated, unsubstantiated, unfounded, false, malicious, "
                "ongoing or no_further_action) beside the printed words",
            )


__all__ = ["check_lado", "return_name", "whole_of"]
