"""Figures typed as printed beside their counts: reach, surveys, training breakdowns.

A share of web visits, a change on last year, a survey's response rate, a share of
training attendance by area or of evaluation answers can be typed as the report prints
it; each is derived again from its counts and must agree once rounded as printed (to
the places it was typed with). Shares given without counts must make 100%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportgen import figures
from reportgen.checks.totals import DATA_SHARES_NOT_100
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.partners import Partners, reach_change, reach_share, response_rate
from reportgen.model.training import Band, Training
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_PRINTED_MISMATCH = Code(
    "data.printed-figure-mismatch",
    Severity.ERROR,
    "A printed share, change or rate disagrees with its counts",
    """
    partners.yaml gives a communication figure's `share` (of the measure it is
    `part_of`), its `change` on last year, or a survey's `response_rate`, as printed;
    training.yaml gives a breakdown row's or an evaluation answer's `share` beside its
    count.
    reportgen works each out from the counts and rounds it to the places it was typed
    with; they must agree. Correct the count or the printed figure, or delete the
    printed figure: reportgen shows the derived one.
    """,
)
DATA_TRAINING_OUTCOMES = Code(
    "data.training-outcomes",
    Severity.WARNING,
    "Attended, cancelled and did not attend do not add up to the bookings",
    """
    With bookings, attended, cancellations and did_not_attend all typed, each booking
    should be counted once: attended + cancelled + did not attend = bookings. If the
    report counts differently (did not attend including cancellations, say), state its
    definition in `definitions:` and type the figure where it belongs (`no_shows`).
    """,
)
DATA_PRINTED_UNCHECKABLE = Code(
    "data.printed-figure-uncheckable",
    Severity.WARNING,
    "A printed share, change or response rate has no counts to check it against",
    """
    A `share` needs `part_of` naming a measure with a value, a `change` needs `prior`,
    and a `response_rate` needs `sent_to`. Add the count the report gives, or leave the
    figure out if the report does not give one.
    """,
)


def _n(count: int | None) -> str:
    return figures.count(count) if count is not None else "?"


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _agrees(printed: Decimal, exact: Decimal) -> tuple[bool, Decimal]:
    step = Decimal(1).scaleb(-_places(printed))
    rounded = exact.quantize(step, ROUND_HALF_UP)
    return rounded == printed, rounded


def _compare(
    what: str,
    printed: Decimal,
    exact: Decimal | None,
    basis: str,
    where: Location,
    diags: DiagnosticList,
) -> None:
    if exact is None:
        diags.emit(
            DATA_PRINTED_UNCHECKABLE,
            f"{what} is printed as {printed.normalize():f}% but {basis} is not given",
            where,
            f"add {basis}, or leave the printed figure out",
        )
        return
    same, rounded = _agrees(printed, exact)
    if not same:
        diags.emit(
            DATA_PRINTED_MISMATCH,
            f"{what} is printed as {printed.normalize():f}% but {basis} gives "
            f"{exact.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}% "
            f"({rounded:f}% rounded as printed)",
            where,
            "correct the count or the printed figure, or delete the printed figure",
        )


def check_printed(project: Project, diags: DiagnosticList) -> None:
    data = project.dataset("partners", Partners)
    if data is not None:
        _printed_reach(project, data, diags)
    training = project.dataset("training", Training)
    if training is not None:
        _printed_training(project, training, diags)


def _printed_reach(project: Project, data: Partners, diags: DiagnosticList) -> None:
    by_id = {r.id: r for r in data.reach}
    for r in data.reach:
        if r.share is not None:
            whole = by_id.get(r.part_of) if r.part_of else None
            basis = (
                f"{_n(r.value)} of {_n(whole.value)}" if whole and whole.value is not None else ""
            )
            _compare(
                f"the share of '{r.label}'",
                r.share,
                reach_share(r, by_id),
                basis or "the measure it is part of (`part_of`)",
                project.where(r, "share"),
                diags,
            )
        if r.change is not None:
            basis = (
                f"{_n(r.value)} against {_n(r.prior)} last year"
                if r.prior
                else "last year's figure"
            )
            _compare(
                f"the change in '{r.label}'",
                r.change,
                reach_change(r),
                basis,
                project.where(r, "change"),
                diags,
            )
    for s in data.surveys:
        if s.response_rate is not None:
            _compare(
                f"the response rate of '{s.title}'",
                s.response_rate,
                response_rate(s),
                f"{_n(s.responses)} of {_n(s.sent_to)}" if s.sent_to else "how many it was sent to",
                project.where(s, "response_rate"),
                diags,
            )


def _printed_training(project: Project, data: Training, diags: DiagnosticList) -> None:
    for breakdown in data.breakdowns:
        _bands(project, f"'{breakdown.title}'", breakdown.rows, None, diags)
    for dist in data.distributions:
        _bands(project, f"'{dist.question}'", dist.answers, dist.responses, diags)
    t = data.totals
    if None not in (t.bookings, t.attended, t.cancellations, t.did_not_attend):
        assert t.bookings is not None and t.attended is not None  # narrowed for mypy
        assert t.cancellations is not None and t.did_not_attend is not None
        counted = t.attended + t.cancellations + t.did_not_attend
        if counted != t.bookings:
            diags.emit(
                DATA_TRAINING_OUTCOMES,
                f"attended ({_n(t.attended)}) + cancelled ({_n(t.cancellations)}) + did not "
                f"attend ({_n(t.did_not_attend)}) = {_n(counted)}, but bookings are "
                f"{_n(t.bookings)}",
                project.where(t, "did_not_attend"),
                "check the figures, or state the report's definitions under `definitions:`",
            )


def _bands(
    project: Project, what: str, bands: list[Band], whole: int | None, diags: DiagnosticList
) -> None:
    counts = [b.count for b in bands]
    if all(c is not None for c in counts):
        total = whole if whole is not None else sum(c or 0 for c in counts)
        if total:
            for b in bands:
                if b.share is not None and b.count is not None:
                    _compare(
                        f"the share of '{b.label}' in {what}",
                        b.share,
                        Decimal(b.count) * 100 / total,
                        f"{_n(b.count)} of {_n(total)}",
                        project.where(b, "share"),
                        diags,
                    )
        return
    shares = [b.share for b in bands if b.share is not None]
    if len(shares) != len(bands):
        return  # some rows have only counts, others only shares: no whole to compare
    slack = sum(Decimal(1).scaleb(-_places(s)) / 2 for s in shares)
    added = sum(shares, Decimal(0))
    if abs(added - 100) > slack:
        diags.emit(
            DATA_SHARES_NOT_100,
            f"the shares of {what} add up to {added.normalize():f}%, not 100% "
            f"(rounding allows {100 - slack:f}% to {100 + slack:f}%)",
            project.where(bands[0], "share"),
            "a row is missing or a share is typed wrong",
        )
