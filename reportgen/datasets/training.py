"""data/training.yaml and its CSV tables: the multi-agency training programme.

The dataset's declaration (`DATASET`, at the end) and its derive step.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen import figures, history
from reportgen.checks import totals
from reportgen.datasets.base import Dataset, Offered
from reportgen.datasets.earlier import offer_series, series_offered
from reportgen.datasets.training_files import load_training_files
from reportgen.datasets.training_reported import derive_reported
from reportgen.datasets.words import long_date
from reportgen.derived import Derived
from reportgen.diagnostics import Location
from reportgen.identifiers import slug
from reportgen.kinds.annual_report import ANNUAL_REPORT_NAME
from reportgen.ledger import (
    FigureTable,
    Measure,
    TimePeriod,
    describe,
    sum_of,
)
from reportgen.model.training import Training
from reportgen.project import Project, TrainingData
from reportgen.views import (
    Cell,
    ChartSpec,
    ListItem,
    ListView,
    Series,
    TableView,
)


def _counts_and_rate(label: str, counts: list[int], part: int, whole: int) -> list[Cell]:
    """A table row: its label, its counts, then `part` as a share of `whole`."""
    cells = [Cell(text=figures.count(n), numeric=True) for n in counts]
    return [Cell(text=label), *cells, Cell(text=figures.share(part, whole), numeric=True)]


def derive_training(project: Project, spec: Training, out: Derived) -> None:
    data = project.training  # with the CSV tables `spec` names, read by the loader
    if data is None:
        return
    courses = data.courses
    t = spec.totals
    refs = out.references
    derive_reported(spec, out)
    if spec.courses_file is None:
        # No per-course table: the totals alone, as printed. (A courses file that failed
        # to load keeps the names it offers, so its references are skipped, not unknown.)
        _totals_alone(spec, out)
        _other_tables(data, out)
        _evaluation(spec, out)
        return
    occurrences = sum(c.occurrences for c in courses)
    bookings = sum(c.bookings for c in courses)
    attended = sum(c.attended for c in courses)
    refs.update(
        {
            "training.courses": figures.count(len(courses)),
            "training.occurrences": figures.count(occurrences),
            "training.bookings": figures.count(bookings),
            "training.attended": figures.count(attended),
            "training.no_shows": figures.count(bookings - attended),
            "training.attendance_rate": figures.share(attended, bookings),
        }
    )
    if spec.prior_bookings is not None:
        refs["training.prior_bookings"] = figures.count(spec.prior_bookings)
    period = f"{long_date(spec.start)} to {long_date(spec.end)}"
    out.add_block(
        "table",
        "training.courses",
        TableView(
            id="table-training-courses",
            caption=f"Multi-agency training courses, {period}",
            columns=["Course", "Sessions", "Bookings", "Attended", "Attendance rate"],
            rows=[
                _counts_and_rate(
                    c.course, [c.occurrences, c.bookings, c.attended], c.attended, c.bookings
                )
                for c in courses
            ],
            totals=_counts_and_rate("Total", [occurrences, bookings, attended], attended, bookings),
        ),
    )
    out.add_block(
        "chart",
        "training.courses",
        ChartSpec(
            id="chart-training-courses",
            title=f"Bookings and attendance by course, {period}",
            kind="hbar",
            categories=[c.course for c in courses],
            series=[
                Series(name="Bookings", values=[figures.plot(c.bookings) for c in courses]),
                Series(name="Attended", values=[figures.plot(c.attended) for c in courses]),
            ],
            unit="count",
            value_axis="People",
        ),
    )
    summary_rows: list[list[Cell]] = []
    for label, typed, computed in [
        ("Events offered", t.events, None),
        ("Sessions run", t.occurrences, occurrences),
        ("Places offered", t.places, None),
        ("Bookings", t.bookings, bookings),
        ("Attended", t.attended, attended),
        ("Cancellations", t.cancellations, None),
        ("Did not attend", t.did_not_attend, None),
        ("Did not attend (including cancellations)", None, bookings - attended),
    ]:
        value = computed if computed is not None else typed
        if value is not None:
            summary_rows.append([Cell(text=label), Cell(text=figures.count(value), numeric=True)])
    summary_rows.append(
        [Cell(text="Attendance rate"), Cell(text=figures.share(attended, bookings), numeric=True)]
    )
    if spec.prior_bookings is not None:
        summary_rows.append(
            [
                Cell(text="Bookings last year"),
                Cell(text=figures.count(spec.prior_bookings), numeric=True),
            ]
        )
    out.add_block(
        "table",
        "training.summary",
        TableView(
            id="table-training-summary",
            caption=f"Training overview, {period}",
            columns=["Measure", "Number"],
            rows=summary_rows,
        ),
    )
    _other_tables(data, out)
    _publish_training(project, data, out)
    _earlier_years(project, spec, bookings, attended, out)
    _evaluation(spec, out)


def _other_tables(data: TrainingData, out: Derived) -> None:
    """E-learning and attendance by type of organisation, with or without a course table."""
    refs = out.references
    if data.elearning:
        sums = {
            k: sum(getattr(m, k) for m in data.elearning)
            for k in ("bookings", "started", "passed", "ongoing")
        }
        for k, v in sums.items():
            refs[f"training.elearning.{k}"] = figures.count(v)
        refs["training.elearning.modules"] = figures.count(len(data.elearning))
        out.add_block(
            "table",
            "training.elearning",
            TableView(
                id="table-training-elearning",
                caption="E-learning modules",
                columns=["Module", "Bookings", "Started", "Passed", "Ongoing", "Pass rate"],
                rows=[
                    _counts_and_rate(
                        m.module, [m.bookings, m.started, m.passed, m.ongoing], m.passed, m.bookings
                    )
                    for m in data.elearning
                ],
                totals=_counts_and_rate(
                    "Total", list(sums.values()), sums["passed"], sums["bookings"]
                ),
            ),
        )
    if data.organisations:
        orgs = data.organisations
        ob = sum(o.bookings for o in orgs)
        oa = sum(o.attended for o in orgs)
        out.add_block(
            "table",
            "training.organisations",
            TableView(
                id="table-training-organisations",
                caption="Bookings and attendance by type of organisation",
                columns=["Organisation type", "Bookings", "Attended", "Attendance rate"],
                rows=[
                    _counts_and_rate(
                        o.organisation_type, [o.bookings, o.attended], o.attended, o.bookings
                    )
                    for o in orgs
                ],
                totals=_counts_and_rate("Total", [ob, oa], oa, ob),
            ),
        )
        out.add_block(
            "chart",
            "training.organisations",
            ChartSpec(
                id="chart-training-organisations",
                title="Bookings and attendance by type of organisation",
                kind="hbar",
                categories=[o.organisation_type for o in orgs],
                series=[
                    Series(name="Bookings", values=[figures.plot(o.bookings) for o in orgs]),
                    Series(name="Attended", values=[figures.plot(o.attended) for o in orgs]),
                ],
                unit="count",
                value_axis="People",
            ),
        )


def _evaluation(spec: Training, out: Derived) -> None:
    """Evaluation results and delegates' comments, with or without a course table."""
    out.add_block(
        "list",
        "training.evaluation",
        ListView(
            id="list-training-evaluation",
            title=None,
            items=[
                ListItem(
                    text=f"{'about ' if e.approximate else ''}{figures.percent(e.percent)}",
                    title=e.label,
                )
                for e in spec.evaluation
            ],
        ),
    )
    out.add_block(
        "list",
        "training.quotes",
        ListView(
            id="list-training-quotes",
            title=None,
            items=[
                ListItem(text=f"“{q.text}” ({q.who}{f', {q.course}' if q.course else ''})")
                for q in spec.quotes
            ],
        ),
    )


def _totals_alone(spec: Training, out: Derived) -> None:
    """The overview from the printed totals when the report gives no per-course table."""
    t = spec.totals
    typed = {
        "occurrences": ("Sessions run", t.occurrences),
        "events": ("Events offered", t.events),
        "places": ("Places offered", t.places),
        "bookings": ("Bookings", t.bookings),
        "attended": ("Attended", t.attended),
        "cancellations": ("Cancelled", t.cancellations),
        "did_not_attend": ("Did not attend", t.did_not_attend),
        "no_shows": ("Did not attend (including cancellations)", t.no_shows),
    }
    rows = []
    for name, (label, value) in typed.items():
        if value is not None:
            out.references[f"training.{name}"] = figures.count(value)
            rows.append([Cell(text=label), Cell(text=figures.count(value), numeric=True)])
    if t.attended is not None and t.bookings:
        rate = figures.share(t.attended, t.bookings)
        out.references["training.attendance_rate"] = rate
        rows.append([Cell(text="Attendance rate"), Cell(text=rate, numeric=True)])
    if spec.prior_bookings is not None:
        out.references["training.prior_bookings"] = figures.count(spec.prior_bookings)
        rows.append(
            [
                Cell(text="Bookings last year"),
                Cell(text=figures.count(spec.prior_bookings), numeric=True),
            ]
        )
    period = f"{long_date(spec.start)} to {long_date(spec.end)}"
    out.add_block(
        "table",
        "training.summary",
        TableView(
            id="table-training-summary",
            caption=f"Training overview, {period}",
            columns=["Measure", "Number"],
            rows=rows,
            note="As the report prints them; there is no per-course table.",
        ),
    )


def _publish_training(project: Project, data: TrainingData, out: Derived) -> None:
    spec = data.spec
    ledger = out.ledger
    counts = (
        "occurrences",
        "bookings",
        "attended",
        "cancellations",
        "started",
        "passed",
        "ongoing",
    )
    ledger.table(
        FigureTable(
            "training",
            "Multi-agency training: courses, e-learning and attendance by organisation",
            {
                "training_part": "Part of the training offer",
                "training_item": "Course, module or measure",
            },
            {
                **{k: Measure(k.capitalize().replace("_", " "), "count") for k in counts},
                "events": Measure("Events offered", "count"),
                "places": Measure("Places offered", "count"),
                "attendance_rate": Measure("Attendance rate (%)", "percent"),
                "pass_rate": Measure("Pass rate (%)", "percent"),
                "percent": Measure("Per cent", "percent"),
            },
            time=TimePeriod.of_dates(spec.start, spec.end),
        )
    )

    def rate(part: int, whole: int) -> Decimal | None:
        return (
            (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else None
        )

    def rows(
        part: str,
        label_field: str,
        records: list[Any],
        measures: list[str],
        rate_name: str,
        rate_of: tuple[str, str],
    ) -> None:
        def at(i: int, column: str) -> Location:
            return project.where(records[i], column)  # the row's cell in the CSV

        for i, r in enumerate(records):
            item = str(getattr(r, label_field))
            base = f"training.{part}.{slug(item)}"
            filt = [("training_part", part.capitalize()), ("training_item", item)]
            for m in measures:
                ledger.add(f"{base}.{m}", "training", m, getattr(r, m), filt, [at(i, m)])
            p, w = rate_of
            ledger.add(
                f"{base}.{rate_name}",
                "training",
                rate_name,
                rate(getattr(r, p), getattr(r, w)),
                filt,
                [at(i, p), at(i, w)],
                derivation=f"{describe(at(i, p))} as a share of {describe(at(i, w))}",
            )
        filt = [("training_part", part.capitalize()), ("training_item", "Total")]
        totals = {m: sum(getattr(r, m) for r in records) for m in measures}
        for m in measures:
            locs = [at(i, m) for i in range(len(records))]
            ledger.add(
                f"training.{part}.total.{m}",
                "training",
                m,
                totals[m],
                filt,
                locs,
                derivation=sum_of(locs),
            )
        p, w = rate_of
        ledger.add(
            f"training.{part}.total.{rate_name}",
            "training",
            rate_name,
            rate(totals[p], totals[w]),
            filt,
            derivation=f"total {p} as a share of total {w}",
        )

    rows(
        "courses",
        "course",
        data.courses,
        ["occurrences", "bookings", "attended"],
        "attendance_rate",
        ("attended", "bookings"),
    )
    if data.elearning:
        rows(
            "e-learning",
            "module",
            data.elearning,
            ["bookings", "started", "passed", "ongoing"],
            "pass_rate",
            ("passed", "bookings"),
        )
    if data.organisations:
        rows(
            "organisations",
            "organisation_type",
            data.organisations,
            ["bookings", "attended"],
            "attendance_rate",
            ("attended", "bookings"),
        )
    t = spec.totals
    typed = [("events", t.events), ("places", t.places), ("cancellations", t.cancellations)]
    filt = [("training_part", "Summary"), ("training_item", "Total")]
    for name, value in typed:
        if value is not None:
            ledger.add(
                f"training.{name}",
                "training",
                name,
                value,
                filt,
                [project.where(t, name)],
            )
    if spec.prior_bookings is not None:
        ledger.add(
            "training.prior_bookings",
            "training",
            "bookings",
            spec.prior_bookings,
            filt,
            [project.where(spec, "prior_bookings")],
            time=TimePeriod.of_dates(spec.start, spec.end).shifted(-1),
        )
    for e in spec.evaluation:
        ledger.add(
            f"training.evaluation.{slug(e.label)}",
            "training",
            "percent",
            e.percent,
            [("training_part", "Evaluation"), ("training_item", e.label)],
            [project.where(e, "percent")],
        )


def _earlier_years(
    project: Project, spec: Training, bookings: int, attended: int, out: Derived
) -> None:
    """Bookings and attendance over the training years held: series words, trend charts
    and the earlier years in the open data (last year's bookings once, as prior_bookings)."""
    if spec.end.year != spec.start.year + 1:
        return  # a calendar year (or a longer span) has no year label such as 2024/25
    now = f"{spec.start.year}/{spec.end.year % 100:02d}"
    last = history.year_before(now)
    time = TimePeriod.of_dates(spec.start, spec.end)
    filt = [("training_part", "Summary"), ("training_item", "Total")]
    for name, value, prior, label in [
        ("bookings", bookings, spec.prior_bookings, "Training bookings"),
        ("attended", attended, None, "Training attendance"),
    ]:
        earlier = [(y.period, getattr(y, name)) for y in spec.history]
        offer_series(
            out,
            f"training.{name}",
            label,
            "count",
            history.yearly(now, value, prior, last, earlier),
        )
        for k, (period, held) in enumerate(earlier):
            if held is None or (prior is not None and period == last):
                continue  # not stated, or last year's bookings (published as prior_bookings)
            out.ledger.add(
                f"training.{name}.history.{period.replace('/', '-')}",
                "training",
                name,
                held,
                filt,
                [project.where(spec.history[k], name)],
                time=time.of_label(period),
            )


# training.* names that come from training.yaml itself, not from the courses CSV.
_OWN_NAMES = {"evaluation", "quotes", "prior_bookings", "definitions", "breakdown", "distribution"}


def _sources(target: str) -> tuple[str, ...]:
    """A training name depends on training.yaml and the CSV table it is counted from."""
    part = target.partition(".")[2].split(".")[0]
    if part == "elearning":
        return ("training", "training.elearning_file")
    if part == "organisations":
        return ("training", "training.organisations_file")
    if part not in _OWN_NAMES:
        return ("training", "training.courses_file")
    return ("training",)


DATASET = Dataset(
    name="training",
    file="data/training.yaml",
    schema=Training,
    kinds=(ANNUAL_REPORT_NAME,),
    summary="The multi-agency training programme: courses, e-learning, attendance, evaluation.",
    references=(
        Offered(
            names=(
                "training.courses",
                "training.occurrences",
                "training.bookings",
                "training.attended",
                "training.no_shows",
            ),
            gives="totals of the course table (or the printed totals, without one)",
            example="805",
        ),
        Offered(
            names=(
                "training.events",
                "training.places",
                "training.cancellations",
                "training.did_not_attend",
            ),
            gives="printed totals, when the report gives no per-course table",
            example="31",
        ),
        Offered(
            names=("training.distribution.ID.responses",),
            gives="how many answered an evaluation question",
            example="212",
        ),
        Offered(names=("training.attendance_rate",), gives="attended / bookings", example="70%"),
        Offered(names=("training.prior_bookings",), gives="last year's bookings", example="813"),
        # Series words (reportgen/history.py) over `history`, last year and this year.
        *series_offered(
            ("training.bookings", "training.attended"),
            {
                "highest": "813 in 2023/24",
                "lowest": "700 in 2022/23",
                "rank": "between the lowest (700 in 2022/23) and the highest (813 in 2023/24)",
                "run": "down on last year",
                "average": "772.7",
                "years": "3",
                "first_year": "2022/23",
                "since.YEAR": "down 1% since 2023/24, from 813",
            },
        ),
        Offered(
            names=(
                "training.elearning.bookings",
                "training.elearning.started",
                "training.elearning.passed",
                "training.elearning.ongoing",
                "training.elearning.modules",
            ),
            gives="e-learning totals, and how many modules",
            example="25",
        ),
    ),
    blocks=(
        Offered(names=("table training.summary",), gives="totals of the training programme"),
        Offered(
            names=("table training.courses", "chart training.courses"),
            gives="courses, bookings and attendance",
        ),
        Offered(names=("table training.elearning",), gives="e-learning modules"),
        Offered(
            names=("table training.organisations", "chart training.organisations"),
            gives="attendance by organisation type",
        ),
        Offered(
            names=("chart training.bookings.trend", "chart training.attended.trend"),
            gives="bookings or attendance over the training years held (a year with no "
            "figure is a gap)",
        ),
        Offered(
            names=("list training.evaluation", "list training.quotes"),
            gives="evaluation results and comments",
        ),
        Offered(
            names=("list training.definitions",),
            gives="the report's own definitions of attended, cancelled and did not attend",
        ),
        Offered(
            names=("table training.breakdown.ID",),
            gives="attendance by area or type of organisation, as counts or shares",
        ),
        Offered(
            names=("table training.distribution.ID",),
            gives="how evaluations answered one question",
        ),
    ),
    derive=derive_training,
    attach=load_training_files,  # the courses, e-learning and organisation CSV tables
    sources=_sources,
    checks=(totals._training,),
)
