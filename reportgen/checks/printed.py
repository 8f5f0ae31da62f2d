"""Figures and words typed as the report prints them, checked against what they come from.

A report prints derived figures beside its data, and they can be typed as printed:
an indicator's `stated:` figures ("a 40% increase", "up 30 (8%)", "2.5 times", "35% of
1,200"), a communication figure's share and change, a survey's response rate, the
shares of a training breakdown or of evaluation answers. Each is worked out again from
what it comes from and must agree under one rounding rule: within half a unit of the
last place it is printed with (40% allows 39.5 to 40.5; 41.5% allows 41.45 to 41.55,
`reportgen.checks.arithmetic.unit_of`), or cut down to that place, since reports often
write "a 70% increase" for 70.6% (40% also allows anything below 41); a figure printed
larger than it is never agrees beyond half a unit. A message shows the computed figure
and how the printing rounds it. Words typed as printed are checked here too: a tracker's own status
words against its normalised status, a review's progress against its dates, and an
area's section against the area of the figures it quotes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportgen import figures
from reportgen.checks.arithmetic import unit_of
from reportgen.checks.totals import DATA_SHARES_NOT_100
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.model.indicators import Direction, Indicator, Indicators, Stated, Unit
from reportgen.model.partners import Partners, reach_change, reach_share, response_rate
from reportgen.model.reviews import (
    PRINTED_STATUS,
    Recommendation,
    Review,
    ReviewDecision,
    Reviews,
    ReviewStage,
    status_from_print,
)
from reportgen.model.training import Band, Training
from reportgen.project import Project

_MAPPING = "; ".join(
    f"{status.value}: " + ", ".join(f"'{w}'" for w, s in PRINTED_STATUS.items() if s is status)
    for status in dict.fromkeys(PRINTED_STATUS.values())
)

# The diagnostic codes this module emits; reportgen.catalogue collects them.
# data.printed-figure-mismatch and data.printed-figure-uncheckable also stand for what were
# data.stated-mismatch and data.stated-unchecked (the same two things said of `stated:`).
DATA_PRINTED_MISMATCH = Code(
    "data.printed-figure-mismatch",
    Severity.ERROR,
    "A printed derived figure disagrees with the figures it comes from",
    """
    A figure the report derives and prints beside its data is typed as printed and
    worked out again: an indicator's `stated:` per cent change (`change_percent`),
    difference, change in percentage points (`points`), direction (`up` or `down`),
    ratio (`times`, with `times_of`) or share of a stated base (`part` of `base`);
    partners.yaml's `share` of a communication figure (of the measure it is
    `part_of`), its `change` on last year and a survey's `response_rate`; training.yaml's
    `share` of a breakdown row or an evaluation answer beside its count. They must agree
    to the precision printed, rounded or cut down: 40% allows 39.5 up to (not including)
    41, since "a 70% increase" is often written for 70.6%; a figure printed larger than it
    is gets only the rounding's half unit. A per cent change printed where
    the figures give that many percentage points is named as such. Correct the count or
    the printed figure, or delete the printed figure: reportgen shows the derived one.
    (This code was data.stated-mismatch for `stated:` figures.)
    """,
)
DATA_PRINTED_UNCHECKABLE = Code(
    "data.printed-figure-uncheckable",
    Severity.WARNING,
    "A printed derived figure has nothing to be checked against",
    """
    A stated change or difference needs the indicator's `prior:` value, `points` needs a
    percentage, `part` needs `base`; a communication figure's `share` needs `part_of`
    naming a measure with a value, its `change` needs `prior`, and a `response_rate`
    needs `sent_to`. Add the figure the report gives so the printed one can be checked,
    or leave the printed figure out. (This code was data.stated-unchecked for `stated:`
    figures.)
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
DATA_STATUS_UNMAPPED = Code(
    "data.status-unmapped",
    Severity.WARNING,
    "A printed status has no normalised status",
    f"""
    A recommendation's `status_as_printed` is kept as the tracker words it, and is read
    as a normalised status (red, amber, green, complete, not_started) through this
    mapping (case and hyphens ignored): {_MAPPING}. Words outside it need `status:` as
    well, so the badge says what the words mean.
    """,
)
DATA_STATUS_DISAGREES = Code(
    "data.status-disagrees",
    Severity.WARNING,
    "A normalised status disagrees with the printed status words",
    """
    `status:` and `status_as_printed:` are both given, and the printed words map to a
    different status (the mapping is listed under data.status-unmapped). One of them
    is out of date.
    """,
)
DATA_REVIEW_STAGE = Code(
    "data.review-stage",
    Severity.ERROR,
    "A review's progress does not hang together",
    """
    A review's `stage:` (notified, rapid_review, decision, ongoing, final_draft,
    published, not_to_be_published), `published:` date, `decision:` and dates must
    agree: a published review has a publication date and no other stage does; a case
    with no local review decided (`decision: no_lcspr`) has no local review in progress;
    a notification comes before the rapid review, which comes before publication.
    """,
)
DATA_AREA_MIXED = Code(
    "data.area-mixed",
    Severity.WARNING,
    "An area's section quotes a figure of another area",
    """
    A section with `area:` in report.yaml is one area's snapshot. An indicator it quotes
    that belongs to another area (its `area:`), or a table, tiles or chart of a group
    holding another area's figures, is probably the wrong one.
    """,
)
COMPLETENESS_STATUS_NOT_STATED = Code(
    "completeness.status-not-stated",
    Severity.WARNING,
    "Recommendations of a review have no status",
    """
    Working Together 2023 asks the yearly report to say what was done about the
    recommendations of local and national reviews. A recommendation of a review with no
    status and no printed status shows "Not stated"; say how far it has got.
    """,
)


def check_printed(project: Project, diags: DiagnosticList) -> None:
    """Check every figure typed as printed, printed status and review lifecycle."""
    indicators = project.dataset("indicators", Indicators)
    if indicators is not None:
        by_id = {i.id: i for i in indicators.indicators}
        for ind in indicators.indicators:
            if ind.stated is not None:
                check_stated(project, PrintedBeside.of(ind), ind.stated, by_id, diags)
        _area_sections(project, by_id, diags)
    reviews = project.dataset("reviews", Reviews)
    if reviews is not None:
        for review in reviews.reviews:
            _lifecycle(project, review, diags)
            for rec in review.recommendations:
                _status(project, rec, diags)
            _unstated(project, review, diags)
        for audit in reviews.audits:
            for rec in audit.recommendations:
                _status(project, rec, diags)

    partners = project.dataset("partners", Partners)
    if partners is not None:
        _printed_reach(project, partners, diags)
    training = project.dataset("training", Training)
    if training is not None:
        _printed_training(project, training, diags)


def agrees(computed: Decimal, printed: Decimal) -> bool:
    """True when `computed`, rounded or cut down to the places `printed` is written with,
    gives `printed` (an understatement by less than one printed unit is how people write:
    "a 70% increase" for 70.6%; an overstatement is allowed only the rounding's half)."""
    unit = unit_of(printed)
    if abs(computed - printed) <= unit / 2 + Decimal("1e-9"):
        return True
    return abs(printed) <= abs(computed) < abs(printed) + unit and (computed >= 0) == (printed >= 0)


def rounded(computed: Decimal, printed: Decimal, unit: str = "") -> str:
    """The computed figure to one place more than printed, and as the printing rounds it:
    "12.2% (12% when rounded as printed)"."""
    step = unit_of(printed)
    fine = figures.number(computed.quantize(step / 10, ROUND_HALF_UP))
    rounded = figures.number(computed.quantize(step, ROUND_HALF_UP))
    return f"{fine}{unit} ({rounded}{unit} when rounded as printed)"


def _n(count: int | None) -> str:
    return figures.count(count) if count is not None else "?"


@dataclass(frozen=True)
class PrintedBeside:
    """The figure a `stated:` block is printed beside: an indicator, or another dataset's
    count with its prior (a LADO return's contacts)."""

    name: str  # how messages name it: "indicator 'cp_plans'"
    value: Decimal
    prior: Decimal | None
    unit: Unit

    @classmethod
    def of(cls, ind: Indicator) -> PrintedBeside:
        return cls(f"indicator '{ind.id}'", ind.value, ind.prior, ind.unit)


def check_stated(
    project: Project,
    ind: PrintedBeside,
    stated: Stated,
    by_id: dict[str, Indicator],
    diags: DiagnosticList,
) -> None:
    """Check a `stated:` block against the figure it is printed beside (and `times_of`)."""

    def wrong(key: str, message: str, hint: str = "correct the printed figure or the data") -> None:
        diags.emit(
            DATA_PRINTED_MISMATCH,
            f"{ind.name}: {message}",
            project.where(stated, key),
            hint,
        )

    def unchecked(key: str, message: str, hint: str) -> None:
        diags.emit(
            DATA_PRINTED_UNCHECKABLE,
            f"{ind.name}: {message}",
            project.where(stated, key),
            hint,
        )

    prior = ind.prior
    needs_prior = [
        k
        for k in ("change_percent", "difference", "points", "direction")
        if getattr(stated, k) is not None
    ]
    if prior is None:
        if needs_prior:
            # One printed phrase ("a 12% increase"): one warning, however it is typed.
            keys = " and ".join(f"'{k}'" for k in needs_prior)
            unchecked(
                needs_prior[0],
                f"{keys} {'is' if len(needs_prior) == 1 else 'are'} stated but the value "
                "it is measured from is not given",
                "add 'prior:' if the report prints last year's figure; if it prints none "
                "('up 12% in 10 years'), leave it as printed: the change cannot be checked",
            )
    else:
        change = ind.value - prior
        went = Direction.UP if change > 0 else Direction.DOWN if change < 0 else None
        span = f"{_fmt(ind, prior)} to {_fmt(ind, ind.value)}"
        if stated.direction is not None and stated.direction is not went:
            wrong(
                "direction",
                f"stated as {stated.direction.value}, but {span} is "
                + ("no change" if went is None else f"{went.value}"),
            )
        if stated.difference is not None and not agrees(abs(change), stated.difference):
            wrong(
                "difference",
                f"a difference of {figures.number(stated.difference)} is "
                f"printed, but {span} is {rounded(abs(change), stated.difference)}",
            )
        if stated.change_percent is not None:
            printed = stated.change_percent
            if not prior:
                unchecked(
                    "change_percent",
                    "a per cent change from zero cannot be computed",
                    "leave change_percent out",
                )
            else:
                relative = change * 100 / prior
                as_percent = rounded(abs(relative), printed, "%")
                if not agrees(abs(relative), printed):
                    if ind.unit is Unit.PERCENT and agrees(abs(change), printed):
                        wrong(
                            "change_percent",
                            f"{figures.number(printed)}% is printed as a per "
                            f"cent change, but {span} is {figures.number(abs(change))} "
                            f"percentage points (a change of {as_percent})",
                            "type it as 'points:' and print 'percentage points'",
                        )
                    else:
                        wrong(
                            "change_percent",
                            f"a change of {figures.number(printed)}% is printed, but "
                            f"{span} is a change of {as_percent}",
                        )
        if stated.points is not None:
            if ind.unit is not Unit.PERCENT:
                unchecked(
                    "points",
                    "percentage points are stated for a figure that is not a percentage",
                    "use 'difference:' or 'change_percent:'",
                )
            elif not agrees(abs(change), stated.points):
                wrong(
                    "points",
                    f"{figures.number(stated.points)} percentage points is printed, "
                    f"but {span} is {rounded(abs(change), stated.points)} points",
                )
    if stated.times is not None:
        other = by_id.get(stated.times_of) if stated.times_of else None
        if stated.times_of and other is None:
            wrong(
                "times_of", f"unknown indicator '{stated.times_of}'", "use the id of an indicator"
            )
            return
        base = other.value if other is not None else prior
        what = f"'{other.id}' ({_fmt(other, other.value)})" if other else "the prior value"
        if not base:
            unchecked(
                "times",
                f"a ratio is stated but {what} is zero or not given",
                "add 'times_of:' or 'prior:'",
            )
        elif not agrees(ratio := abs(ind.value / base), stated.times):
            wrong(
                "times",
                f"{figures.number(stated.times)} times is printed, but "
                f"{_fmt(ind, ind.value)} / {what} is {rounded(ratio, stated.times)}",
            )
    if (stated.part is None) != (stated.base is None):
        unchecked(
            "part" if stated.part is not None else "base",
            "a share of a stated base needs both 'part' and 'base'",
            "give both",
        )
    elif stated.part is not None and stated.base:
        share = stated.part * 100 / stated.base
        if ind.unit is not Unit.PERCENT:
            unchecked(
                "part",
                "'part' and 'base' are stated for a figure that is not a percentage",
                "use them on a percentage",
            )
        elif not agrees(abs(share), ind.value):
            wrong(
                "part",
                f"{figures.percent(ind.value)} is printed, but "
                f"{figures.number(stated.part)} of {figures.number(stated.base)} is "
                f"{rounded(abs(share), ind.value, '%')}",
            )


def _fmt(ind: Indicator | PrintedBeside, value: Decimal) -> str:
    return figures.by_unit(ind.unit.value, value)


def _status(project: Project, rec: Recommendation, diags: DiagnosticList) -> None:
    printed = rec.status_as_printed
    mapped = status_from_print(printed)
    if printed is not None and mapped is None and rec.status is None:
        diags.emit(
            DATA_STATUS_UNMAPPED,
            f"recommendation '{rec.id}': the printed status '{printed}' is not in the mapping",
            project.where(rec, "status_as_printed"),
            "add 'status:' (red, amber, green, complete or not_started) for what it means",
        )
    elif rec.status is not None and mapped is not None and mapped is not rec.status:
        diags.emit(
            DATA_STATUS_DISAGREES,
            f"recommendation '{rec.id}': status is {rec.status.value} but the printed "
            f"'{printed}' means {mapped.value}",
            project.where(rec, "status"),
            "make the two agree",
        )


def _unstated(project: Project, review: Review, diags: DiagnosticList) -> None:
    """One warning per review whose recommendations go without a status (not one each:
    a tracker the source never updated is one gap, not a wall of them)."""
    unstated = [
        r for r in review.recommendations if r.status is None and r.status_as_printed is None
    ]
    if not unstated:
        return
    ids = ", ".join(f"'{r.id}'" for r in unstated)
    diags.emit(
        COMPLETENESS_STATUS_NOT_STATED,
        f"review '{review.id}': {len(unstated)} of {len(review.recommendations)} "
        f"recommendations have no status ({ids}); the report shows 'Not stated'",
        project.where(unstated[0]),
        "give 'status_as_printed:' or 'status:' where the report says how far each has got",
    )


def _lifecycle(project: Project, r: Review, diags: DiagnosticList) -> None:
    def bad(key: str, message: str, hint: str) -> None:
        diags.emit(DATA_REVIEW_STAGE, f"review '{r.id}': {message}", project.where(r, key), hint)

    stage = r.stage.value.replace("_", " ") if r.stage else ""
    if r.stage is ReviewStage.PUBLISHED and r.published is None:
        bad(
            "stage",
            "the stage is published but no publication date is given",
            "add 'published:' with the date",
        )
    if r.published is not None and r.stage not in (None, ReviewStage.PUBLISHED):
        bad(
            "published",
            f"a publication date is given but the stage is {stage}",
            "set 'stage: published', or remove the date",
        )
    later = (ReviewStage.ONGOING, ReviewStage.FINAL_DRAFT, ReviewStage.PUBLISHED)
    if r.decision is ReviewDecision.NO_LCSPR and r.stage in later:
        bad(
            "decision",
            f"the decision was no local review, but the stage is {stage}",
            "correct the decision or the stage",
        )
    order = [("notified", r.notified), ("rapid_review", r.rapid_review), ("published", r.published)]
    dated = [(k, d) for k, d in order if d is not None]
    for (first, a), (then, b) in itertools.pairwise(dated):
        if b < a:
            bad(
                then,
                f"{then.replace('_', ' ')} ({b}) is before {first.replace('_', ' ')} ({a})",
                "check the dates",
            )


def _area_sections(project: Project, by_id: dict[str, Indicator], diags: DiagnosticList) -> None:
    """An area's section quotes its own area's figures: one by one, or a whole group."""
    groups: dict[str, set[str | None]] = {}
    for member in by_id.values():
        groups.setdefault(member.group, set()).add(member.area)
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if section.area is None or source is None:
            continue
        for ref in source.refs:
            family, _, ident = ref.target.partition(".")
            if family == "indicator":
                quoted = ident.split(".")[0]
                found = by_id.get(quoted)
                areas = {found.area} if found is not None else set()
                what = f"'{quoted}', a figure"
            elif family == "indicators" and ref.kind is not None:
                areas = groups.get(ident, set())
                what = f"group '{ident}', figures"
            else:
                continue
            others = sorted(a for a in areas if a is not None and a != section.area)
            if others:
                diags.emit(
                    DATA_AREA_MIXED,
                    f"section '{section.id}' is {project.config.area_label(section.area)}'s "
                    f"snapshot but quotes {what} of "
                    + " and ".join(project.config.area_label(a) for a in others),
                    Location(source.path, ref.line),
                    "quote the figures of this section's area",
                )


def _compare(
    what: str,
    printed: Decimal,
    exact: Decimal | None,
    basis: str,
    where: Location,
    diags: DiagnosticList,
) -> None:
    """A printed percentage against the exact one its counts give (None: no counts)."""
    if exact is None:
        diags.emit(
            DATA_PRINTED_UNCHECKABLE,
            f"{what} is printed as {printed.normalize():f}% but {basis} is not given",
            where,
            f"add {basis}, or leave the printed figure out",
        )
    elif not agrees(exact, printed):
        diags.emit(
            DATA_PRINTED_MISMATCH,
            f"{what} is printed as {printed.normalize():f}% but {basis} gives "
            + rounded(exact, printed, "%"),
            where,
            "correct the count or the printed figure, or delete the printed figure",
        )


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
    slack = sum(unit_of(s) / 2 for s in shares)
    added = sum(shares, Decimal(0))
    if abs(added - 100) > slack:
        diags.emit(
            DATA_SHARES_NOT_100,
            f"the shares of {what} add up to {added.normalize():f}%, not 100% "
            f"(rounding allows {100 - slack:f}% to {100 + slack:f}%)",
            project.where(bands[0], "share"),
            "a row is missing or a share is typed wrong",
        )
