"""data/lado.yaml: the LADO's yearly return, per area or for the whole partnership.

The dataset's declaration (`DATASET`, at the end), its derive step and its figures in
the open data. The checks are in reportgen/checks/lado.py.

Every count of a return is an allegation about an adult who works with children, and
about a child: small ones are withheld as counts of children are (unless the return
says `disclosure: none`), with secondary suppression wherever parts and their whole
are both printed (referrals + consultations = contacts; a breakdown and what it splits).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportgen import figures, history
from reportgen.checks.lado import check_lado, whole_of
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.earlier import offer_series, series_offered
from reportgen.derived import Derived
from reportgen.diagnostics import Location
from reportgen.disclosure import protect
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import FigureTable, Measure, TimePeriod, describe, sum_of
from reportgen.model.controls import Disclosure
from reportgen.model.lado import Breakdown, Lado, LadoReturn, OutcomeLine, TimelinessLine
from reportgen.project import Project
from reportgen.views import Cell, ChartSpec, Series, TableView

NOT_STATED = "Not stated"
TABLE = "lado"
# The breakdowns of a return: field, how a title says it, the column heading of its lines.
BREAKDOWNS = (
    ("by_sector", "by employment sector", "Sector"),
    ("by_concern", "by category of concern", "Concern"),
    ("by_outcome", "by outcome", "Outcome"),
    ("timeliness", "resolved in time", "Resolved within"),
)
_SPLITS = {
    "contacts": "LADO contacts",
    "referrals": "LADO referrals",
    "consultations": "LADO consultations",
    "met_threshold": "LADO referrals that met the threshold",
}
_HEADLINE = (
    ("referrals", "Referrals"),
    ("consultations", "Consultations (advice)"),
    ("met_threshold", "Referrals that met the threshold"),
)


@dataclass(frozen=True)
class _Return:
    """A return as derive sees it: its key, its name and its total."""

    key: str  # "lado" or "lado.fernmoor"
    place: str  # "" or "Fernmoor"
    total: int | None  # referrals + consultations, else the contacts typed
    total_at: list[Location]


def _total(project: Project, r: LadoReturn) -> tuple[int | None, list[Location]]:
    if r.referrals is not None and r.consultations is not None:
        return r.referrals + r.consultations, [
            project.where(r, "referrals"),
            project.where(r, "consultations"),
        ]
    if r.contacts is not None:
        return r.contacts, [project.where(r, "contacts")]
    return None, []


def derive_lado(project: Project, data: Lado, out: Derived) -> None:
    control = out.disclosure
    symbol = control.symbol
    refs = out.references
    _declare(out)
    now = TimePeriod.of_dates(project.dated.start, project.dated.end)
    rows: list[list[Cell]] = []
    for r in data.returns:
        key = f"lado.{r.area}" if r.area else "lado"
        place = project.config.area_label(r.area) if r.area else ""
        total, total_at = _total(project, r)
        info = _Return(key, place, total, total_at)
        guarded = r.disclosure is Disclosure.CHILDREN
        hidden = _headline_withheld(project, r, info, out) if guarded else set()

        def text(name: str, value: int | None, hidden: set[str] = hidden) -> str:
            if value is None:
                return NOT_STATED
            return symbol if name in hidden else figures.count(value)

        if total is not None:
            refs[f"{key}.total"] = text("total", total)
        for name, _ in _HEADLINE:
            value = getattr(r, name)
            if value is not None:
                refs[f"{key}.{name}"] = text(name, value)
        if r.prior is not None:
            refs[f"{key}.prior"] = text("prior", r.prior)
            if total is not None:
                if {"total", "prior"} & hidden:
                    refs[f"{key}.change"] = symbol
                else:
                    moved, _ = figures.change_words("count", Decimal(total), Decimal(r.prior))
                    refs[f"{key}.change"] = f"{figures.count(total)}, {moved}"
        rows.append(
            [
                Cell(text=place or project.config.partnership.short_name or "Partnership"),
                *(
                    Cell(text=text(n, getattr(r, n)), numeric=True)
                    for n in ("referrals", "consultations")
                ),
                Cell(text=text("total", total), numeric=True),
                Cell(text=text("met_threshold", r.met_threshold), numeric=True),
                Cell(text=text("prior", r.prior), numeric=True),
            ]
        )
        _publish_headline(project, r, info, hidden, now, out)
        _series(project, r, info, guarded, out)
        for field, words, heading in BREAKDOWNS:
            breakdown = getattr(r, field)
            if breakdown is not None:
                _breakdown(project, r, info, field, words, heading, breakdown, guarded, now, out)
    areas = [r for r in data.returns if r.area]
    if data.of(None) is None and areas:
        totals = [_total(project, r)[0] for r in areas]
        if None not in totals and all(r.disclosure is Disclosure.NONE for r in areas):
            refs["lado.total"] = figures.count(sum(t for t in totals if t is not None))
        elif None not in totals:
            whole = sum(t for t in totals if t is not None)
            refs["lado.total"] = symbol if control.is_small(whole) else figures.count(whole)
    out.add_block(
        "table",
        "lado",
        TableView(
            id="table-lado",
            caption="Contacts with the LADO" + (f", {data.year}" if data.year else ""),
            columns=[
                "Area",
                "Referrals",
                "Consultations",
                "All contacts",
                "Met the threshold",
                "Contacts last year",
            ],
            rows=rows,
            note="All contacts are referrals and consultations (requests for advice) together.",
        ),
    )


def _headline_withheld(project: Project, r: LadoReturn, info: _Return, out: Derived) -> set[str]:
    """The headline figures of a return to withhold: small ones, and one more where a
    small part could be worked back from the whole (contacts minus referrals)."""
    control = out.disclosure
    values = {
        n: v
        for n, v in (
            ("referrals", r.referrals),
            ("consultations", r.consultations),
            ("met_threshold", r.met_threshold),
            ("prior", r.prior),
            ("total", info.total),
        )
        if v is not None
    }
    small = {n for n, v in values.items() if control.is_small(v)}
    lines = (
        [["referrals", "consultations", "total"]]
        if {"referrals", "consultations"} <= set(values)
        else []
    )
    secondary = protect(values, lines, small)
    for name in sorted(small | secondary):
        at = project.where(r, "contacts" if name == "total" and r.contacts else name)
        if name == "total" and r.contacts is None:
            at = info.total_at[0]
        what = f"LADO {name.replace('_', ' ')}" + (f" in {info.place}" if info.place else "")
        out.disclosure.record(at, what, "small" if name in small else "secondary")
    return small | secondary


def _declare(out: Derived) -> None:
    out.ledger.table(
        FigureTable(
            TABLE,
            "Allegations about adults who work with children: the LADO's returns",
            {
                "lado_part": "Part of the return",
                "lado_line": "Line",
                "lado_outcome": "Outcome (normalised)",
            },
            {
                "count": Measure("Number", "count"),
                "share": Measure("Share (%)", "percent"),
            },
            filter_hints={"lado_outcome": "substantiated, unsubstantiated, unfounded, ..."},
        )
    )


def _publish_headline(
    project: Project,
    r: LadoReturn,
    info: _Return,
    hidden: set[str],
    now: TimePeriod,
    out: Derived,
) -> None:
    def add(id: str, line: str, value: int, at: list[Location], name: str, **kw: object) -> None:
        out.ledger.add(
            id,
            TABLE,
            "count",
            value,
            [("lado_part", "Contacts"), ("lado_line", line)],
            at,
            withheld=name in hidden,
            area=r.area,
            **kw,  # type: ignore[arg-type]
        )

    for name, line in _HEADLINE:
        value = getattr(r, name)
        if value is not None:
            add(f"{info.key}.{name}", line, value, [project.where(r, name)], name)
    if info.total is not None:
        computed = r.referrals is not None and r.consultations is not None
        add(
            f"{info.key}.total",
            "Total",
            info.total,
            info.total_at,
            "total",
            derivation=sum_of(info.total_at) if computed else None,
        )
    if r.prior is not None:
        add(
            f"{info.key}.prior",
            "Total",
            r.prior,
            [project.where(r, "prior")],
            "prior",
            time=now.shifted(-1),
        )


def _series(project: Project, r: LadoReturn, info: _Return, guarded: bool, out: Derived) -> None:
    """Contacts over the years held: series words, a trend chart, earlier years as data."""
    if info.total is None:
        return
    now, last = project.dated.label, project.dated.shifted(-1)
    earlier = [(y.period, y.contacts) for y in r.history]
    points = history.yearly(now, info.total, r.prior, last, earlier)
    control = out.disclosure

    def withheld(point: history.Point) -> bool:
        return guarded and control.is_small(int(point.value))

    label = "Contacts with the LADO" + (f", {info.place}" if info.place else "")
    offer_series(out, f"{info.key}.total", label, "count", points, withheld)
    time = TimePeriod.of_dates(project.dated.start, project.dated.end)
    for k, year in enumerate(r.history):
        for name in ("contacts", "referrals", "consultations"):
            held = getattr(year, name)
            if held is None or (name == "contacts" and r.prior is not None and year.period == last):
                continue  # not stated, or last year's contacts (published as prior)
            out.ledger.add(
                f"{info.key}.{name}.history.{year.period.replace('/', '-')}",
                TABLE,
                "count",
                held,
                [
                    ("lado_part", "Contacts"),
                    ("lado_line", "Total" if name == "contacts" else name.capitalize()),
                ],
                [project.where(r.history[k], name)],
                withheld=guarded and control.is_small(held),
                time=time.of_label(year.period),
                area=r.area,
            )


def _limit(line: TimelinessLine) -> str:
    """A timeliness line's stated limit: "30 days", "1 month" ("Not stated")."""
    if line.within_days is not None:
        return f"{line.within_days} day{'s' if line.within_days != 1 else ''}"
    if line.within_months is not None:
        return f"{line.within_months} month{'s' if line.within_months != 1 else ''}"
    return NOT_STATED


def _outcome_words(line: OutcomeLine) -> str:
    normal = line.normalised
    return normal.value.replace("_", " ").capitalize() if normal else NOT_STATED


def _breakdown(
    project: Project,
    r: LadoReturn,
    info: _Return,
    field: str,
    words: str,
    heading: str,
    breakdown: Breakdown,
    guarded: bool,
    now: TimePeriod,
    out: Derived,
) -> None:
    control = out.disclosure
    symbol = control.symbol
    target = f"{info.key}.{field}"
    whole = whole_of(r, breakdown)
    stated_whole = breakdown.total is not None or (
        breakdown.of is not None and getattr(r, breakdown.of.value) is not None
    )
    # Which lines to withhold: small counts, and one more where the printed whole would
    # give a small one away (timeliness lines overlap, so they make no such line).
    values = {i: line.count for i, line in enumerate(breakdown.lines) if line.count is not None}
    small = {i for i, v in values.items() if guarded and control.is_small(v)}
    hidden: set[int] = set(small)
    if small and whole is not None and stated_whole and field != "timeliness":
        total_key = len(breakdown.lines)
        every = {**values, total_key: whole}
        hidden |= protect(every, [[*values, total_key]], small) - {total_key}
    name = info.place + " " if info.place else ""
    for i in sorted(hidden):
        control.record(
            project.where(breakdown.lines[i], "count"),
            f"LADO {name}{words}: '{breakdown.lines[i].label}'",
            "small" if i in small else "secondary",
        )
    rows: list[list[Cell]] = []
    shares: list[float | None] = []
    counts: list[float | None] = []
    marks: dict[int, str] = {}
    part = field.replace("_", " ").capitalize()
    for i, line in enumerate(breakdown.lines):
        label = line.label
        share = line.percent
        share_how = None
        if share is None and line.count is not None and whole:
            share = (Decimal(line.count) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
            share_how = f"{describe(project.where(line, 'count'))} as a share of {whole}"
        withheld = i in hidden
        count_text = (
            symbol if withheld else figures.count(line.count) if line.count is not None else ""
        )
        share_text = symbol if withheld else figures.percent(share) if share is not None else ""
        cells = [Cell(text=label), Cell(text=count_text or NOT_STATED, numeric=True)]
        cells.append(Cell(text=share_text or NOT_STATED, numeric=True))
        if isinstance(line, OutcomeLine):
            cells.insert(1, Cell(text=_outcome_words(line)))
        if isinstance(line, TimelinessLine):
            cells.insert(1, Cell(text=_limit(line)))
        rows.append(cells)
        counts.append(None if withheld or line.count is None else float(line.count))
        shares.append(None if withheld or share is None else float(share))
        if withheld:
            marks[i] = symbol
        filters = [("lado_part", part), ("lado_line", label)]
        if isinstance(line, OutcomeLine):
            normal = line.normalised
            filters.append(("lado_outcome", normal.value if normal else NOT_STATED))
        line_key = f"{target}.{slug(line.label)}"
        # A count or share the report does not print is published as not available (x).
        out.ledger.add(
            line_key,
            TABLE,
            "count",
            line.count,
            filters,
            [project.where(line, "count")],
            withheld=withheld,
            area=r.area,
        )
        out.ledger.add(
            f"{line_key}.share",
            TABLE,
            "share",
            share,
            filters,
            [project.where(line, "percent" if share_how is None else "count")],
            derivation=share_how,
            withheld=withheld,
            area=r.area,
        )
    columns = [heading, "Number", "Share"]
    if field == "by_outcome":
        columns.insert(1, "Outcome (normalised)")
    if field == "timeliness":
        columns.insert(1, "Time limit")
    # Named after what the lines split, when the report says.
    what = _SPLITS[breakdown.of.value] if breakdown.of is not None else "LADO cases"
    title = what + (f" in {info.place}" if info.place else "") + f", {words}"
    totals = None
    if whole is not None and stated_whole and field != "timeliness":
        totals = [Cell(text="Total")]
        if field == "by_outcome":
            totals.append(Cell(text=""))
        totals += [Cell(text=figures.count(whole), numeric=True), Cell(text="", numeric=True)]
    out.add_block(
        "table",
        target,
        TableView(
            id=f"table-{target.replace('.', '-')}",
            caption=title,
            columns=columns,
            rows=rows,
            totals=totals,
            note="Shares are of "
            + (
                breakdown.of.value.replace("_", " ")
                if breakdown.of is not None
                else "the total printed"
                if breakdown.total is not None
                else "the lines' sum"
            )
            + ", as printed where the report prints them.",
        ),
    )
    use_counts = all(line.count is not None for line in breakdown.lines)
    out.add_block(
        "chart",
        target,
        ChartSpec(
            id=f"chart-{target.replace('.', '-')}",
            title=title,
            kind="hbar",
            categories=[line.label for line in breakdown.lines],
            series=[
                Series(
                    name="Number" if use_counts else "Share (%)",
                    values=counts if use_counts else shares,
                    marks=marks,
                )
            ],
            unit="count" if use_counts else "percent",
            value_axis="Number" if use_counts else "Share (%)",
        ),
    )


# What `reportgen init` writes to data/lado.yaml (reportgen/scaffold.py fills the @@TOKENS@@).
STARTER = """\
@@MODELINE@@
# lado.yaml: the LADO's return for the year (allegations about adults who work with
# children), as the report prints it. Place it with {{ table lado }}, a breakdown with
# {{ table lado.by_outcome }} or {{ chart lado.by_sector }}; quote {{ lado.total }} and
# {{ lado.change }}. Leave out whatever the report does not print. Delete this file if
# the report has no LADO figures.
year: @@PERIOD@@
returns:
  # area: the area id from report.yaml (leave out for the whole partnership); title:
  # what the report calls the service (optional).
  # referrals and consultations (advice): the year's contacts; contacts: a printed total
  # (checked: referrals plus consultations); met_threshold: referrals that met the
  # threshold. prior: last year's contacts. stated: a change printed beside them, as
  # printed: change_percent (12 for "a 12% increase"), difference, direction (up or
  # down), times with times_of, part of base, points (percentage points).
  # history: earlier years (period, contacts, referrals, consultations, source).
  # disclosure: children (the default: small counts withheld) or none.
  - referrals: 150
    consultations: 300
    met_threshold: 60
    prior: 420
    # by_sector, by_concern, by_outcome, timeliness: lines with a count or a percent
    # (of: the figure they split, checked to add up; total: a total printed under them).
    # An outcome line may say what its words mean with outcome: (substantiated,
    # unsubstantiated, unfounded, false, malicious, ongoing, no_further_action); a
    # timeliness line gives its limit as within_days or within_months.
    by_outcome:
      of: met_threshold
      lines:
        - {label: Substantiated, count: 20}
        - {label: Unsubstantiated, count: 25}
        - {label: Unfounded, count: 15}
"""

_SERIES_EXAMPLES = {
    "highest": "1,445 in 2023/24",
    "lowest": "575 in 2021/22",
    "rank": "the highest in 3 years",
    "run": "up for the second year running",
    "average": "955.7",
    "years": "3",
    "first_year": "2021/22",
    "since.YEAR": "up 151% since 2021/22, from 575",
}

DATASET = Dataset(
    name="lado",
    file="data/lado.yaml",
    schema=Lado,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="The LADO's yearly returns (allegations about adults who work with children), "
    "per area: contacts, breakdowns, outcomes and timeliness.",
    references=(
        Offered(
            names=("lado.total", "lado.AREA.total"),
            gives="all contacts: referrals plus consultations (the typed contacts when they "
            "are not both given); for the partnership, the areas' together",
            example="1,446",
        ),
        Offered(
            names=(
                "lado.referrals",
                "lado.consultations",
                "lado.met_threshold",
                "lado.AREA.referrals",
                "lado.AREA.consultations",
                "lado.AREA.met_threshold",
            ),
            gives="referrals, consultations, and referrals that met the threshold",
            example="993",
        ),
        Offered(
            names=("lado.prior", "lado.AREA.prior"),
            gives="last year's contacts",
            example="847",
        ),
        Offered(
            names=("lado.change", "lado.AREA.change"),
            gives="this year's contacts and how they moved since last year",
            example="1,446, up from 847",
        ),
        *series_offered(("lado.total", "lado.AREA.total"), _SERIES_EXAMPLES),
    ),
    blocks=(
        Offered(names=("table lado",), gives="each return's contacts, as a table"),
        Offered(
            names=(
                "table lado.BREAKDOWN",
                "chart lado.BREAKDOWN",
                "table lado.AREA.BREAKDOWN",
                "chart lado.AREA.BREAKDOWN",
            ),
            gives="a breakdown (`by_sector`, `by_concern`, `by_outcome`, `timeliness`) as a "
            "table or a bar chart (with its data table and text alternative)",
        ),
        Offered(
            names=("chart lado.total.trend", "chart lado.AREA.total.trend"),
            gives="contacts over the years held",
        ),
    ),
    derive=derive_lado,
    checks=(check_lado,),
    starter=STARTER,
)
