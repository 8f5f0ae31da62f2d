"""Attendance registers: printed percentages against the marks they summarise.

A report often prints each organisation's attendance percentage beside the register
(or instead of it). Typed as printed (`printed_rates:`, or a grid's `rate_column`),
each is recomputed from the marks under the report's stated rounding rule.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.governance import Attendance, Governance, PrintedRate, RateRounding
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
DATA_ATTENDANCE_RATE = Code(
    "data.attendance-rate-mismatch",
    Severity.ERROR,
    "A printed attendance percentage disagrees with the register's marks",
    """
    The percentage is recomputed as meetings attended (present) out of meetings the
    organisation was expected at (present, apologies or absent; not required, n/a and
    blank cells are left out), rounded as the report says it rounds (`rounding:` whole,
    whole_down or one_decimal). A difference means a mark or the percentage is wrong,
    or the report counted differently: say how in `rounding:`, or correct the figure.
    """,
)
DATA_ATTENDANCE_RATE_UNMARKED = Code(
    "data.attendance-rate-unmarked",
    Severity.WARNING,
    "A printed attendance percentage has no marks to check it against",
    """
    The organisation has no present, apologies or absent mark at any meeting of the
    group, so its printed percentage cannot be derived. Check the organisation is
    written the same way in the register and in the percentage.
    """,
)

_EXPECTED = (Attendance.PRESENT, Attendance.APOLOGIES, Attendance.ABSENT)
_RULES = {
    RateRounding.WHOLE: (Decimal(1), ROUND_HALF_UP, "to the nearest whole per cent"),
    RateRounding.WHOLE_DOWN: (Decimal(1), ROUND_DOWN, "down to a whole per cent"),
    RateRounding.ONE_DECIMAL: (Decimal("0.1"), ROUND_HALF_UP, "to one decimal place"),
}


def rounded_rate(present: int, expected: int, rounding: RateRounding) -> Decimal:
    """present / expected as a percentage, rounded by the report's rule."""
    step, mode, _ = _RULES[rounding]
    return (Decimal(present) * 100 / expected).quantize(step, mode)


def marks_of(gov: Governance, group: str, organisation: str) -> tuple[int, int]:
    """(attended, expected at) for one organisation at the held meetings of one group."""
    names = {organisation}
    names |= {p.id for p in gov.partners if p.name == organisation}
    names |= {p.name for p in gov.partners if p.id == organisation}
    marks = [a for m in gov.held(group) for o, a in m.attendance.items() if o in names]
    expected = [a for a in marks if a in _EXPECTED]
    return sum(a is Attendance.PRESENT for a in expected), len(expected)


def check_registers(project: Project, diags: DiagnosticList) -> None:
    gov = project.dataset("governance", Governance)
    if gov is not None:
        _printed_rates(project, gov, diags)


def _printed_rates(project: Project, gov: Governance, diags: DiagnosticList) -> None:
    for rate in gov.printed_rates:
        present, expected = marks_of(gov, rate.group, rate.organisation)
        where = project.where(rate, "percent")
        group = next((g.name for g in gov.groups if g.id == rate.group), rate.group)
        if not expected:
            diags.emit(
                DATA_ATTENDANCE_RATE_UNMARKED,
                f"{rate.organisation}'s attendance is printed as {_shown(rate)} but no "
                f"meeting of the {group} marks it present, apologies or absent",
                where,
                "write the organisation as the register does, or add its marks",
            )
            continue
        computed = rounded_rate(present, expected, rate.rounding)
        if computed != rate.percent:
            exact = Decimal(present) * 100 / expected
            diags.emit(
                DATA_ATTENDANCE_RATE,
                f"{rate.organisation}'s attendance at the {group} is printed as "
                f"{_shown(rate)} but the marks give {present} of {expected} = "
                f"{exact.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}%, "
                f"{computed:f}% rounded {_RULES[rate.rounding][2]}",
                where,
                "correct the percentage or the marks, or state the rounding the report "
                "used (rounding: whole, whole_down or one_decimal)",
            )


def _shown(rate: PrintedRate) -> str:
    return f"{rate.percent.normalize():f}%"
