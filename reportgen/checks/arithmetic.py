"""Figures that must agree with the figures they come from.

Totals of indicators against their parts, shares of a whole against 100, percentages
and rates against their counts (allowing for rounding), one child population per area
and date, percentages that no whole number of cases could give, spending against the
money available, and changes claimed in narrative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from reportgen import figures
from reportgen.checks.consistency import DATA_UNKNOWN_REFERENCE
from reportgen.checks.text import sentence_at
from reportgen.checks.totals import DATA_SHARES_NOT_100, DATA_TOTAL_MISMATCH
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.budget import Budget
from reportgen.model.indicators import Indicator, Indicators, Unit
from reportgen.model.reviews import Audit, Recommendation, Review, Reviews
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_PERCENT_IMPOSSIBLE = Code(
    "data.percent-impossible",
    Severity.ERROR,
    "A percentage that no whole number of cases could give",
    """
    A share of a small number of cases can only take a few values: of 10 cases, 0%,
    10%, 20% and so on. A grade typed as 33% of 10 cases cannot be right. The check
    allows for rounding to the precision the percentage is written with.
    """,
)
DATA_PERCENT_MISMATCH = Code(
    "data.percent-mismatch",
    Severity.ERROR,
    "A percentage does not match the counts it comes from",
    """
    An indicator with `unit: percent`, `count:` and `of:` must equal count / of x 100,
    rounded to the precision it is typed with.
    """,
)
DATA_RATE_MISMATCH = Code(
    "data.rate-mismatch",
    Severity.ERROR,
    "A rate per 10,000 does not match its count and the child population",
    """
    When an indicator with `unit: rate_per_10k` names the count it comes from
    (`count:`) and the area's `child_population` is set in report.yaml, the rate must
    be count x 10,000 / population, allowing for rounding.
    """,
)
DATA_RATE_POPULATION = Code(
    "data.rate-population",
    Severity.WARNING,
    "Rates per 10,000 imply different child populations",
    """
    Rates of one area at one date must use one child population. Working back from each
    rate and its count gives the population each one used; when they cannot all be the
    same (allowing for rounding), at least one rate or count is wrong, or the rates use
    different populations. Set `child_population` for the area to check each rate.
    """,
)
DATA_WRONG_UNIT = Code(
    "data.wrong-unit",
    Severity.ERROR,
    "A figure is linked to one of the wrong kind",
    """
    `count:` and `of:` must name indicators with `unit: count`, and `parts` must have
    the same unit as the total they add up to.
    """,
)
DATA_OVERSPEND_UNEXPLAINED = Code(
    "data.overspend-unexplained",
    Severity.WARNING,
    "Spending is more than the money available, and the report does not say how",
    """
    Year-end spend is more than this year's income plus reserves used and any balance
    brought forward. Record how the difference was met (`reserves_used`,
    `income.brought_forward`) or explain it in `expenditure.variance_note`.
    """,
)
CONTENT_PERCENT_IMPOSSIBLE = Code(
    "content.percent-impossible",
    Severity.WARNING,
    "A percentage in text that no whole number of cases could give",
    """
    A record's text gives a share of its cases (e.g. "56% of cases" in a review of
    seven children), but no whole number of those cases rounds to it: 4 of 7 is 57%.
    """,
)
CONTENT_POINTS_VS_PERCENT = Code(
    "content.points-vs-percent",
    Severity.WARNING,
    "A change between two percentages is written as a per cent change",
    """
    A percentage that moves from 30% to 35% has risen by 5 percentage points (or by
    17%), not by 5%. Quote `{{ indicator.ID.difference }}`, which says "points".
    """,
)
CONTENT_CHANGE_WITHOUT_PRIOR = Code(
    "content.change-without-prior",
    Severity.WARNING,
    "A change is claimed for a figure with no previous value",
    """
    The sentence says a figure rose or fell ("more than the year before") but the
    indicator has no `prior:` value, so the reader cannot see the change. Add the
    previous figure or drop the claim.
    """,
)

_PERCENT_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent\b)")


def unit_of(value: Decimal) -> Decimal:
    """One unit of the last digit a figure is written with: 32.1 -> 0.1, 57 -> 1."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(int(exponent), 0)) if isinstance(exponent, int) else Decimal(1)


def possible_share(percent: Decimal, cases: int) -> bool:
    """True when some whole number of `cases` gives `percent`, as rounded when written."""
    if cases <= 0:
        return True
    step = unit_of(percent)
    nearest = int(percent * cases / 100)
    candidates = (k for k in range(nearest - 1, nearest + 3) if 0 <= k <= cases)
    return any(abs(Decimal(k) * 100 / cases - percent) < step for k in candidates)


def check_arithmetic(project: Project, diags: DiagnosticList) -> None:
    """Run every check on figures that must agree."""
    ind = project.dataset("indicators", Indicators)
    if ind is not None:
        _indicator_links(project, ind, diags)
        _shares(project, ind, diags)
        _rates(project, ind, diags)
    reviews = project.dataset("reviews", Reviews)
    if reviews is not None:
        _gradings(project, reviews, diags)
        _text_shares(project, reviews, diags)
    budget = project.dataset("budget", Budget)
    if budget is not None:
        _overspend(project, budget, diags)
    if ind is not None:
        _narrative_changes(project, ind, diags)


def _indicator_links(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    by_id = {i.id: i for i in data.indicators}

    def linked(x: Indicator, key: str, ident: str) -> Indicator | None:
        found = by_id.get(ident)
        where = project.where(x, key)
        if found is None:
            diags.emit(
                DATA_UNKNOWN_REFERENCE,
                f"unknown indicator '{ident}'",
                where,
                "use the id of an indicator in this file",
            )
        return found

    for x in data.indicators:
        parts = [p for p in (linked(x, "parts", pid) for pid in x.parts) if p is not None]
        if parts and len(parts) == len(x.parts):
            if any(p.unit is not x.unit for p in parts):
                diags.emit(
                    DATA_WRONG_UNIT,
                    f"indicator '{x.id}' is in {x.unit.value} but its parts are in "
                    + ", ".join(sorted({p.unit.value for p in parts})),
                    project.where(x, "parts"),
                    "parts must be in the same unit as their total",
                )
            else:
                total = sum((p.value for p in parts), Decimal(0))
                exact = x.unit in (Unit.COUNT, Unit.MONEY)
                step = max([unit_of(x.value)] + [unit_of(p.value) for p in parts])
                slack = Decimal(0) if exact else step * len(parts) / 2
                if abs(total - x.value) > slack:
                    diags.emit(
                        DATA_TOTAL_MISMATCH,
                        f"indicator '{x.id}' is {_fmt(x, x.value)} but its parts "
                        f"({', '.join(p.id for p in parts)}) add up to {_fmt(x, total)}",
                        project.where(x, "value"),
                        "correct the figure that is wrong",
                    )
        count = linked(x, "count", x.count) if x.count else None
        of = linked(x, "of", x.of) if x.of else None
        for key, other in (("count", count), ("of", of)):
            if other is not None and other.unit is not Unit.COUNT:
                diags.emit(
                    DATA_WRONG_UNIT,
                    f"'{key}: {other.id}' must name a count, but '{other.id}' is in "
                    f"{other.unit.value}",
                    project.where(x, key),
                )
        if (
            x.unit is Unit.PERCENT
            and count is not None
            and of is not None
            and count.unit is Unit.COUNT
            and of.unit is Unit.COUNT
            and of.value
        ):
            computed = count.value * 100 / of.value
            if abs(computed - x.value) > unit_of(x.value) / 2 + Decimal("1e-9"):
                diags.emit(
                    DATA_PERCENT_MISMATCH,
                    f"indicator '{x.id}' is {figures.percent(x.value)} but {count.id} / "
                    f"{of.id} is {figures.count(count.value)} / {figures.count(of.value)} = "
                    f"{figures.percent(computed, 1)}",
                    project.where(x, "value"),
                    "correct the percentage or the counts; or quote a computed share",
                )


def _fmt(ind: Indicator, value: Decimal) -> str:
    return figures.by_unit(ind.unit.value, value)


def _shares(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    for group in data.groups:
        if not group.shares:
            continue
        members = [x for x in data.indicators if x.group == group.id]
        if not members or any(x.unit is not Unit.PERCENT for x in members):
            diags.emit(
                DATA_WRONG_UNIT,
                f"group '{group.id}' is marked 'shares: true' but not all its indicators "
                "are percentages",
                project.where(group, "shares"),
            )
            continue
        total = sum((x.value for x in members), Decimal(0))
        step = max(unit_of(x.value) for x in members)
        slack = max(Decimal(1), step * len(members) / 2)
        if abs(total - 100) > slack:
            diags.emit(
                DATA_SHARES_NOT_100,
                f"the shares in group '{group.id}' add up to {figures.percent(total)}, not 100%",
                project.where(group, "shares"),
                "check each share; a part may be missing or typed twice",
            )


def _population(project: Project, ind: Indicator) -> tuple[str, int | None]:
    areas = project.config.partnership.areas
    area = next((a for a in areas if a.id == ind.area), None)
    if area is None and len(areas) == 1:
        area = areas[0]
    if area is None:
        return (ind.area or "", None)
    return (area.id, area.child_population)


def _rates(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    by_id = {i.id: i for i in data.indicators}
    # (area, date or period) -> the population range every rate so far allows, and who set it
    ranges: dict[tuple[str, str], tuple[Decimal, Decimal, str]] = {}
    for x in data.indicators:
        if x.unit is not Unit.RATE_PER_10K or not x.count:
            continue
        count = by_id.get(x.count)
        if count is None or count.unit is not Unit.COUNT:
            continue  # reported by _indicator_links
        area, population = _population(project, x)
        half = unit_of(x.value) / 2
        if population:
            computed = count.value * 10000 / population
            if abs(computed - x.value) > half * 2:
                diags.emit(
                    DATA_RATE_MISMATCH,
                    f"rate '{x.id}' is {figures.number(x.value)} per 10,000 but "
                    f"{figures.count(count.value)} ({count.id}) in {figures.count(population)} "
                    f"children is {figures.number(_round(computed, x.value))}",
                    project.where(x, "value"),
                    "correct the rate or the count, or check the area's child_population",
                )
            continue
        if x.value - half <= 0:
            continue
        low = count.value * 10000 / (x.value + half)
        high = count.value * 10000 / (x.value - half)
        key = (area, str(x.as_at or x.period or ""))
        if key in ranges:
            lo, hi, first = ranges[key]
            if high < lo or low > hi:
                diags.emit(
                    DATA_RATE_POPULATION,
                    f"rate '{x.id}' ({figures.number(x.value)} per 10,000 for "
                    f"{figures.count(count.value)}) implies about "
                    f"{figures.count(_round(count.value * 10000 / x.value, Decimal(1)))} "
                    f"children, which does not fit '{first}'",
                    project.where(x, "value"),
                    "rates of one area and date must use one child population; set "
                    "child_population in report.yaml to check each rate",
                )
                continue
            ranges[key] = (max(lo, low), min(hi, high), first)
        else:
            ranges[key] = (low, high, x.id)


def _round(value: Decimal, like: Decimal) -> Decimal:
    return value.quantize(unit_of(like))


def _gradings(project: Project, data: Reviews, diags: DiagnosticList) -> None:
    for audit in data.audits:
        for grading in audit.gradings:
            if grading.percent is None or grading.cases is not None or audit.cases is None:
                continue
            if not possible_share(grading.percent, audit.cases):
                diags.emit(
                    DATA_PERCENT_IMPOSSIBLE,
                    f"audit '{audit.id}': {figures.percent(grading.percent)} of "
                    f"{figures.count(audit.cases)} cases is not a whole number of cases",
                    project.where(grading, "percent"),
                    "give the number of cases ('cases:') instead of the percentage",
                )


def _record_texts(
    project: Project, record: Review | Audit, fields: Iterable[str]
) -> Iterable[tuple[Location, str]]:
    for name in fields:
        value = getattr(record, name, None)
        if isinstance(value, str):
            yield project.where(record, name), value
        elif isinstance(value, list):
            for k, item in enumerate(value):
                if isinstance(item, str):
                    yield project.where(record, name, k), item
                elif isinstance(item, Recommendation):
                    yield project.where(item, "text"), item.text


def _text_shares(project: Project, data: Reviews, diags: DiagnosticList) -> None:
    """Percentages in a review's or audit's own text against its number of cases."""
    records: list[tuple[Review | Audit, int | None, str]] = [
        (r, r.children, "children") for r in data.reviews
    ] + [(a, a.cases, "cases") for a in data.audits]
    for record, cases, noun in records:
        if not cases:
            continue
        fields = ("summary", "findings", "strengths", "improvements", "recommendations")
        for where, text in _record_texts(project, record, fields):
            for match in _PERCENT_IN_TEXT.finditer(text):
                value = Decimal(match.group(1))
                if value <= 100 and not possible_share(value, cases):
                    k = round(value * cases / 100)
                    diags.emit(
                        CONTENT_PERCENT_IMPOSSIBLE,
                        f"'{match.group(0)}' cannot be a share of the "
                        f"{figures.count(cases)} {noun} this record covers (the nearest is "
                        f"{figures.count(k)} of "
                        f"{figures.count(cases)}, "
                        f"{figures.share(k, cases)})",
                        where,
                        "check the figure, or say what it is a share of",
                    )


def _overspend(project: Project, budget: Budget, diags: DiagnosticList) -> None:
    income = sum((line.amount for line in budget.income.lines), Decimal(0))
    reserves = sum((r.amount for r in budget.reserves_used), Decimal(0))
    carried = budget.income.brought_forward or Decimal(0)
    spend = sum((line.spend for line in budget.expenditure.lines), Decimal(0))
    available = income + reserves + carried
    if spend <= available or budget.expenditure.variance_note:
        return
    funded = "income" + (" plus reserves used" if reserves else "")
    funded += " plus the balance brought forward" if carried else ""
    diags.emit(
        DATA_OVERSPEND_UNEXPLAINED,
        f"spend of {figures.money(spend)} is {figures.money(spend - available)} more than "
        f"{funded} ({figures.money(available)}), and the report does not say how it was met",
        project.where(budget.expenditure, "total_spend"),  # not typed: the block
        "record reserves_used or income.brought_forward, or explain it in "
        "expenditure.variance_note",
    )


# --- narrative ------------------------------------------------------------------------

_REF = re.compile(r"\{\{\s*indicator\.([a-z0-9_-]+)(?:\.([a-z_]+))?\s*\}\}")
_CHANGE_BY = re.compile(
    r"\b(?:rise|rose|risen|increase[sd]?|grew|growth|fall|fell|fallen|decrease[sd]?|drop(?:ped)?"
    r"|reduc(?:ed|tion)|up|down)\b[^.%]{0,20}?\b(?:by|of)\s+(\d+(?:\.\d+)?)\s?(?:%|per ?cent\b)",
    re.I,
)
_CHANGE_CLAIM = re.compile(
    r"\b(?:more|fewer|less|higher|lower|up|down)\s+(?:than|on|from)\s+(?:the\s+)?"
    r"(?:year before|previous year|last year|year earlier)"
    r"|\b(?:an?\s+)?(?:increase|decrease|rise|fall|reduction)\s+(?:from|on|since)\s+(?:the\s+)?"
    r"(?:previous|last)\s+year",
    re.I,
)


def _narrative_changes(project: Project, data: Indicators, diags: DiagnosticList) -> None:
    by_id = {i.id: i for i in data.indicators}
    for source in project.narrative.values():
        for tok in source.tokens:
            if tok.type != "inline" or not tok.content:
                continue
            base = tok.map[0] + 1 if tok.map else 1
            text = tok.content
            for claim in _CHANGE_CLAIM.finditer(text):
                # The claim is about the figure quoted just before it in the same sentence.
                start = text.rfind(". ", 0, claim.start()) + 1
                before = [r for r in _REF.finditer(text, start, claim.start())]
                if not before or before[-1].group(2) is not None:
                    continue
                ind = by_id.get(before[-1].group(1))
                if ind is not None and ind.prior is None:
                    diags.emit(
                        CONTENT_CHANGE_WITHOUT_PRIOR,
                        f"'{claim.group(0)}' claims a change in {ind.id}, which has no "
                        "previous value",
                        Location(source.path, base + text.count("\n", 0, claim.start())),
                        f"add 'prior:' to indicator '{ind.id}', or drop the comparison",
                    )
            for ref in _REF.finditer(text):
                ind = by_id.get(ref.group(1))
                if ind is None:
                    continue
                sentence = sentence_at(text, ref.start())
                where = Location(source.path, base + text.count("\n", 0, ref.start()))
                if ind.unit is Unit.PERCENT and ind.prior is not None:
                    for change in _CHANGE_BY.finditer(sentence):
                        stated = Decimal(change.group(1))
                        points = abs(ind.value - ind.prior)
                        relative = points * 100 / ind.prior if ind.prior else None
                        close_to_relative = relative is not None and abs(relative - stated) < 1
                        if abs(points - stated) < unit_of(stated) and not close_to_relative:
                            diags.emit(
                                CONTENT_POINTS_VS_PERCENT,
                                f"{figures.percent(ind.prior)} to {figures.percent(ind.value)} "
                                f"is a change of {figures.number(points)} percentage points, "
                                f"written as '{change.group(0)}'",
                                where,
                                "write 'percentage points', or quote "
                                f"{{{{ indicator.{ind.id}.difference }}}}",
                            )
