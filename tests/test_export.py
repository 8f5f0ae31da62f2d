"""The open data export: DfE-standard CSV, data package, provenance, disclosure, safety."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import pipeline
from reportgen.export.cells import neutralise
from reportgen.model.controls import Disclosure
from reportgen.model.indicators import Indicators, Unit
from tests.conftest import REPO, ProjectWriter

EES_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "new_la_code",
    "old_la_code",
    "la_name",
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data(example_outputs: dict[str, Path]) -> Path:
    return example_outputs[".html"].parent / "data"


def test_example_export_validates_with_frictionless(data: Path) -> None:
    tool = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(tool), "validate", "--json", str(data / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    report = json.loads(done.stdout)
    assert report["valid"] is True
    checked = {task["name"] for task in report["tasks"]}
    assert {"indicators", "budget", "tables", "training", "reviews", "provenance"} <= checked


def test_example_csvs_hold_the_seed_figures_in_the_ees_form(data: Path) -> None:
    indicators = rows(data / "indicators.csv")
    for column in EES_COLUMNS:
        assert column in indicators[0]
    (cp,) = [
        r
        for r in indicators
        if r["indicator"] == "cp_plans"
        and r["comparator"] == "Reporting area"
        and r["time_period"] == "202425"
    ]
    assert cp["count"] == "260" and cp["percent"] == "z"
    assert cp["time_identifier"] == "Financial year"
    assert cp["geographic_level"] == "Local authority"
    assert (cp["new_la_code"], cp["old_la_code"], cp["country_code"]) == (
        "E09000025",
        "316",
        "E92000001",
    )
    (income,) = [
        r
        for r in rows(data / "budget.csv")
        if (r["budget_part"], r["budget_line"]) == ("Income", "Total")
    ]
    assert income["amount"] == "194600"
    meta = {r["col_name"]: r for r in rows(data / "budget.meta.csv")}
    assert meta["amount"]["col_type"] == "Indicator" and meta["amount"]["indicator_unit"] == "£"
    assert meta["budget_line"]["col_type"] == "Filter"
    assert list(rows(data / "budget.meta.csv")[0]) == [
        "col_name",
        "col_type",
        "label",
        "indicator_grouping",
        "indicator_unit",
        "indicator_dp",
        "filter_hint",
        "filter_grouping_column",
    ]


def test_no_count_of_children_from_1_to_5_is_published(data: Path) -> None:
    result = pipeline.validate(REPO)
    assert result.project is not None
    ind = result.project.dataset("indicators", Indicators)
    assert ind is not None
    groups = {g.id: g for g in ind.groups}
    children = {
        i.id
        for i in ind.indicators
        if i.unit is Unit.COUNT
        and (i.disclosure or groups[i.group].disclosure or Disclosure.CHILDREN)
        is Disclosure.CHILDREN
    }
    small = {str(n) for n in range(1, 6)}
    for r in rows(data / "indicators.csv"):
        if r["indicator"] in children and r["comparator"] == "Reporting area":
            assert r["count"] not in small, r
    assert all(r["count"] not in small for r in rows(data / "tables.csv"))
    for r in rows(data / "reviews.csv"):
        assert r["children"] not in small and r["serious_incidents"] not in small, r
    # Withheld figures are c everywhere, and their values are recorded nowhere.
    figures = json.loads((data / "figures.json").read_text(encoding="utf-8"))["figures"]
    withheld = [f for f in figures if f["value"] == "c"]
    assert len(withheld) > 10
    provenance = {r["figure_id"]: r for r in rows(data / "provenance.csv")}
    for f in withheld:
        assert provenance[f["id"]]["value"] == "c"
        row = rows(data / f["data_file"])[f["data_row"] - 2]
        assert row[f["column"]] == "c"
    palliative = [r for r in rows(data / "tables.csv") if r["row"] == "Palliative care"]
    assert {r["column"]: r["count"] for r in palliative}["≤ 28 days"] == "c"


def test_provenance_names_the_source_and_how_a_total_is_made(data: Path) -> None:
    provenance = {r["figure_id"]: r for r in rows(data / "provenance.csv")}
    total = provenance["budget.income.total"]
    assert total["value"] == "194600"
    assert total["derivation"].startswith("sum of data/budget.yaml lines ")
    cp = provenance["indicator.cp_plans"]
    assert cp["source"].startswith("data/indicators.yaml line ")
    course = next(
        v
        for k, v in provenance.items()
        if k.startswith("training.courses.") and k.endswith(".bookings") and "total" not in k
    )
    assert course["source"] == "data/training-courses.csv row 2, column bookings"


HOSTILE_TABLES = """\
tables:
  - id: evil
    title: "=HYPERLINK(\\"http://example.com\\",\\"click\\")"
    file: data/tables/evil.csv
    disclosure: none
"""
HOSTILE_CSV = """\
Label,Count
"=HYPERLINK(""http://example.com"",""x"")",12
@SUM(A1),7
+1 more,9
"""


def test_formula_cells_are_neutralised_and_numbers_kept(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    files = {
        **minimal_files,
        "data/tables.yaml": HOSTILE_TABLES,
        "data/tables/evil.csv": HOSTILE_CSV,
    }
    root = write_project(files)
    result = pipeline.build(root, tmp_path / "out", pdf=False)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    data = tmp_path / "out" / "data"
    cells = [
        c
        for name in ("tables.csv", "provenance.csv")
        for r in rows(data / name)
        for c in r.values()
    ]
    assert '\'=HYPERLINK("http://example.com","x")' in cells
    assert '\'=HYPERLINK("http://example.com","click")' in cells
    assert "'@SUM(A1)" in cells and "'+1 more" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    # A negative figure is a number, not a formula: the overspend variance stays -1400.
    balance = [r for r in rows(data / "budget.csv") if r["budget_part"] == "Balance"]
    assert balance[0]["amount"] == "-1400"


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("-5 years", "'-5 years"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok")],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_missing_ons_code_is_reported_and_a_bad_one_is_refused(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    without = minimal_files["report.yaml"].replace("      ons_code: E09000025\n", "")
    root = write_project({**minimal_files, "report.yaml": without})
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "config.ons-code-missing"]
    assert [d.severity.value for d in found] == ["info"]  # `init` cannot know the code
    config = minimal_files["report.yaml"].replace("ons_code: E09000025", "ons_code: E0900025")
    root = write_project({**minimal_files, "report.yaml": config})
    errors = [d for d in pipeline.validate(root).diagnostics if d.severity.value == "error"]
    assert errors and "E and 8 digits" in errors[0].message
    assert errors[0].location is not None and errors[0].location.path == "report.yaml"


def test_export_can_be_switched_off_and_a_rebuild_replaces_it_whole(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    root = write_project(
        {**minimal_files, "data/tables.yaml": HOSTILE_TABLES, "data/tables/evil.csv": HOSTILE_CSV}
    )
    pipeline.build(root, out, pdf=False)
    assert (out / "data" / "tables.csv").is_file()
    (root / "data" / "tables.yaml").unlink()
    pipeline.build(root, out, pdf=False)
    assert not (out / "data" / "tables.csv").exists()  # no stale table left behind
    assert (out / "data" / "budget.csv").is_file()
    config = minimal_files["report.yaml"] + "  data: false\n"
    root = write_project({**minimal_files, "report.yaml": config})
    result = pipeline.build(root, tmp_path / "off", pdf=False)
    assert not (tmp_path / "off" / "data").exists()
    assert "config.ons-code-missing" not in [d.code for d in result.diagnostics]


def test_explain_figure_prints_source_and_derivation() -> None:
    from typer.testing import CliRunner

    from reportgen.cli import app

    result = CliRunner().invoke(app, ["explain-figure", "budget.income.total", str(REPO)])
    assert result.exit_code == 0, result.output
    assert "budget.income.total = 194600" in result.output
    assert "how: sum of data/budget.yaml lines " in result.output
    result = CliRunner().invoke(
        app, ["explain-figure", "indicator.infant_deaths_notified", str(REPO)]
    )
    assert "= c (withheld" in result.output
    result = CliRunner().invoke(app, ["explain-figure", "budget.income.totl", str(REPO)])
    assert result.exit_code == 2 and "did you mean 'budget.income.total'" in result.output


def test_collect_combines_two_exports_and_reports_clashing_units(
    data: Path, write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from reportgen.cli import app

    other = write_project(
        {
            **minimal_files,
            "report.yaml": minimal_files["report.yaml"]
            .replace("Newham Safeguarding", "Riverside Safeguarding")
            .replace("London Borough of Newham", "Riverside Council")
            .replace("ons_code: E09000025", "ons_code: E06000001")
            .replace("label: 2024/25", "label: 2023/24")
            .replace("2024-04-01", "2023-04-01")
            .replace("2025-03-31", "2024-03-31"),
            "data/budget.yaml": minimal_files["data/budget.yaml"].replace("2024/25", "2023/24"),
        }
    )
    assert not pipeline.build(other, tmp_path / "other", pdf=False).diagnostics.has_errors()
    out = tmp_path / "all"
    result = CliRunner().invoke(
        app, ["collect", str(data), str(tmp_path / "other"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    budget = rows(out / "budget.csv")
    totals = {
        (r["la_name"], r["time_period"]): r["amount"]
        for r in budget
        if (r["budget_part"], r["budget_line"]) == ("Income", "Total")
    }
    assert totals == {
        ("London Borough of Newham", "202425"): "194600",
        ("Riverside Council", "202324"): "194600",
    }
    assert {r["new_la_code"] for r in budget} == {"E09000025", "E06000001"}
    # Tables only one export has are kept whole; their other columns line up by name.
    assert any(r["indicator"] == "cp_plans" for r in rows(out / "indicators.csv"))
    tool = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(tool), "validate", str(out / "datapackage.json")], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:]

    # The same indicator id with another unit cannot be combined.
    figures = json.loads((data / "figures.json").read_text(encoding="utf-8"))
    for f in figures["figures"]:
        if f["id"] == "indicator.cp_plans":
            f["unit"] = "rate_per_10k"
    clash = tmp_path / "clash"
    clash.mkdir()
    for path in data.iterdir():
        (clash / path.name).write_bytes(path.read_bytes())
    (clash / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["collect", str(data), str(clash), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert "collect.definition-mismatch" in result.output and "cp_plans" in result.output
    assert not (tmp_path / "x").exists()


def test_activity_figures_the_narrative_quotes_are_published_too(data: Path) -> None:
    """Reach, group, feedback and training counts quoted in the narrative, as data."""
    activity = {r["activity"]: r for r in rows(data / "activity.csv")}
    assert activity["Booked places not attended"]["count"] == "245"  # 805 booked, 560 came
    assert activity["Courses run"]["count"] == "26"
    assert activity["Feedback items from children and families"]["count"] == "4"
    regulars = [r for r in rows(data / "activity.csv") if r["count"] == "60"]
    assert {r["approximate"] for r in regulars} == {"Yes", "No"}  # "about 60" and 60
    meta = {r["col_name"]: r for r in rows(data / "activity.meta.csv")}
    assert meta["count"]["col_type"] == "Indicator"
    provenance = {r["figure_id"]: r for r in rows(data / "provenance.csv")}
    assert provenance["training.no_shows"]["data_file"] == "activity.csv"
    assert provenance["training.no_shows"]["derivation"].startswith("total bookings (sum of")
    assert provenance["governance.groups"]["derivation"].startswith("count of data/governance")


# --- Issue 14's figures: the two-area example, built through the command line ----------

TWO_AREA = REPO / "examples" / "two-area"


@pytest.fixture(scope="module")
def two_area_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from reportgen.cli import app

    out = tmp_path_factory.mktemp("two-area")
    result = CliRunner().invoke(app, ["build", str(TWO_AREA), "--out", str(out), "--html-only"])
    assert result.exit_code == 0, result.output
    return out / "data"


def _row(table: list[dict[str, str]], **match: str) -> dict[str, str]:
    (found,) = [r for r in table if all(r[k] == v for k, v in match.items())]
    return found


def test_expected_income_sits_beside_received_with_its_area(two_area_data: Path) -> None:
    budget = rows(two_area_data / "budget.csv")
    coldwater = _row(budget, budget_line="City of Coldwater Council")
    assert (coldwater["amount"], coldwater["expected"]) == ("87000", "90000")
    assert coldwater["la_name"] == "City of Coldwater Council"
    total = _row(budget, budget_part="Income", budget_line="Total")
    assert (total["amount"], total["expected"]) == ("260000", "263000")


def test_stated_figures_are_published_with_what_they_are_checked_against(
    two_area_data: Path,
) -> None:
    stated = rows(two_area_data / "stated.csv")
    change = _row(
        stated,
        figure="Referrals to children's social care",
        stated="Per cent change on last year (up)",
    )
    assert (change["printed"], change["value"], change["prior"]) == ("12", "2480", "2210")
    assert change["la_name"] == "Fernmoor Borough Council"
    share = _row(stated, stated="Share of a stated base")
    assert (share["printed"], share["value"], share["base"]) == ("546", "22", "2480")
    lado = _row(stated, figure="Contacts with the LADO")
    assert (lado["printed"], lado["value"], lado["prior"]) == ("10", "517", "470")
    provenance = rows(two_area_data / "provenance.csv")
    value = _row(provenance, figure_id="indicator.fernmoor_referrals.stated.change_percent.value")
    assert value["source"] == "data/indicators.yaml line 20"  # the value itself


def test_each_area_notifications_are_withheld_when_small(two_area_data: Path) -> None:
    reviews = rows(two_area_data / "reviews.csv")
    fern = _row(
        reviews, la_name="Fernmoor Borough Council", review="Serious incident notifications"
    )
    # 2 incidents: a small count of children; children involved not stated: x, never 0.
    assert (fern["serious_incidents"], fern["children"]) == ("c", "x")


def test_reach_ranges_and_surveys_keep_what_is_printed(two_area_data: Path) -> None:
    activity = rows(two_area_data / "activity.csv")
    subscribers = _row(activity, activity="Newsletter subscribers")
    assert (subscribers["low"], subscribers["high"], subscribers["average"]) == (
        "820",
        "1010",
        "900",
    )
    assert subscribers["count"] == "z"  # a range is no one count
    survey = _row(activity, activity_group="Surveys")
    assert (survey["count"], survey["sent_to"], survey["response_rate"]) == ("240", "1600", "15")


def test_training_breakdowns_by_area_belong_to_their_area(two_area_data: Path) -> None:
    training = rows(two_area_data / "training.csv")
    fern = _row(training, training_item="Fernmoor")
    assert (fern["la_name"], fern["percent"], fern["count"]) == (
        "Fernmoor Borough Council",
        "58",
        "x",
    )
    both = _row(training, training_item="Both areas")
    assert both["geographic_level"] == "Partnership"
    assert _row(training, training_item="Education")["count"] == "390"


def test_two_lines_that_make_one_figure_id_are_a_warning(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "projects" / "clean-lado-partnership", root)
    lado = root / "data" / "lado.yaml"
    lado.write_text(
        lado.read_text(encoding="utf-8").replace(
            "- {label: Unsubstantiated, count: 17}", "- {label: Substantiated., count: 17}"
        ),
        encoding="utf-8",
    )
    found = [
        (d.code, d.location.line if d.location else None)
        for d in pipeline.validate(root).diagnostics
        if d.code == "data.figure-id-repeated"
    ]
    assert found == [("data.figure-id-repeated", 12)]


QUALIFIED_INDICATORS = """\
groups:
  - {id: city, title: The city, disclosure: none}
indicators:
  - {id: births, label: Births a year, group: city, unit: count, value: 10000, qualifier: over,
     prior: 9800}
  - {id: pupils, label: Pupils, group: city, unit: count, value: 24145}
"""


def test_a_qualified_figure_is_published_with_its_qualifier(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    # "Over 10,000" published as 10000 alone would be read as an exact count.
    root = write_project({**minimal_files, "data/indicators.yaml": QUALIFIED_INDICATORS})
    result = pipeline.build(root, tmp_path / "out", pdf=False)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    found = {
        (r["indicator"], r["time_period"], r["count"]): r["qualifier"]
        for r in rows(tmp_path / "out" / "data" / "indicators.csv")
    }
    assert found == {
        ("births", "202425", "10000"): "over",
        ("births", "202324", "9800"): "exact",  # the qualifier is the year's figure's
        ("pupils", "202425", "24145"): "exact",
    }
