"""Incremental builds: what is reused, what is made again, and a cache that cannot hurt."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import Markup

import reportgen.cache as cache_module
import reportgen.render.charts as charts_module
import reportgen.render.html as html_module
import reportgen.render.pdf as pdf_module
from reportgen import pipeline
from reportgen.cache import (
    BuildCache,
    chart_from_json,
    chart_key,
    chart_to_json,
    pdf_key,
)
from reportgen.diagnostics import Diagnostic, Severity
from reportgen.fingerprints import tool_fingerprint
from reportgen.render.chartset import forget_drawn_charts
from reportgen.views import Cell, ChartSpec, ChartView, Series, TableView
from tests.conftest import CHARTS_MD, ProjectWriter

SPEC = ChartSpec(
    id="chart-x",
    title="Income by contributor",
    kind="hbar",
    categories=["ICB", "Police"],
    series=[Series(name="Amount", values=[50000.0, None])],
    unit="money",
    value_axis="Amount (£)",
)
VIEW = ChartView(
    id="chart-x",
    title="Income by contributor",
    alt="Horizontal bar chart: Income by contributor.",
    svg=Markup("<svg></svg>\n"),
    table=TableView(
        id="chart-x-data",
        caption="Data for chart",
        columns=["Category", "Amount"],
        rows=[
            [Cell(text="ICB"), Cell(text="£50,000", numeric=True)],
            [Cell(text="Police"), Cell(text="n/a")],
        ],
    ),
)


class Counter:
    """Counts the charts drawn and PDFs rendered by a build (PDFs are faked: fast)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.charts: list[str] = []
        self.pdfs = 0
        real_chart = charts_module.render_chart

        def counting_chart(spec: ChartSpec, *args: object, **kwargs: object) -> ChartView:
            self.charts.append(spec.id)
            return real_chart(spec, *args, **kwargs)  # type: ignore[arg-type]

        def fake_pdf(html: str, project_root: Path, charts: object = None) -> bytes:
            self.pdfs += 1
            return b"%PDF-1.7 fake " + hashlib.sha256(html.encode()).hexdigest().encode()

        monkeypatch.setattr(charts_module, "render_chart", counting_chart)
        monkeypatch.setattr(pdf_module, "render_pdf", fake_pdf)

    def build(self, root: Path, **options: object) -> pipeline.BuildResult:
        # Charts are also kept in memory for a long-running `serve`; every build here
        # must go to the disk cache, as a new process would.
        forget_drawn_charts()
        self.charts.clear()
        self.pdfs = 0
        options.setdefault("cache", True)
        options.setdefault("chart_worker", False)  # count drawings in this process
        result = pipeline.build(root, **options)  # type: ignore[arg-type]
        assert not result.diagnostics.has_errors(), result.diagnostics.sorted()
        return result


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    fingerprint = tool_fingerprint
    fingerprint.cache_clear()  # other tests may have changed reportgen's own files
    yield Counter(monkeypatch)
    fingerprint.cache_clear()


@pytest.fixture
def chart_project(write_project: ProjectWriter, minimal_files: dict[str, str]) -> Path:
    files = dict(minimal_files)
    files["content/budget.md"] = CHARTS_MD
    return write_project(files)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_first_build_draws_everything_and_a_rebuild_with_no_change_does_nothing(
    counter: Counter, chart_project: Path
) -> None:
    first = counter.build(chart_project)
    assert sorted(counter.charts) == ["chart-budget-expenditure", "chart-budget-income"]
    assert counter.pdfs == 1
    assert not first.up_to_date
    page = chart_project / "build" / "report.html"
    stamp = page.stat().st_mtime_ns

    again = counter.build(chart_project)
    assert again.up_to_date
    assert counter.charts == [] and counter.pdfs == 0
    assert again.outputs == first.outputs
    assert page.stat().st_mtime_ns == stamp  # not even rewritten


def test_narrative_change_reuses_charts_and_makes_a_new_pdf(
    counter: Counter, chart_project: Path
) -> None:
    counter.build(chart_project)
    _edit(chart_project / "content/budget.md", "into the budget.", "into the budget this year.")
    result = counter.build(chart_project)
    assert not result.up_to_date
    assert counter.charts == []
    assert counter.pdfs == 1
    assert "into the budget this year" in (chart_project / "build/report.html").read_text()


def test_data_change_redraws_only_the_chart_it_feeds(counter: Counter, chart_project: Path) -> None:
    counter.build(chart_project)
    budget = chart_project / "data/budget.yaml"
    _edit(budget, "      amount: 5500", "      amount: 6500")
    _edit(budget, "  total: 194600", "  total: 195600")
    counter.build(chart_project)
    assert counter.charts == ["chart-budget-income"]
    assert counter.pdfs == 1


def test_config_change_redraws_charts(counter: Counter, chart_project: Path) -> None:
    counter.build(chart_project)
    _edit(
        chart_project / "report.yaml",
        "outputs:\n",
        'theme:\n  primary_colour: "#00703c"\noutputs:\n',
    )
    counter.build(chart_project)
    assert sorted(counter.charts) == ["chart-budget-expenditure", "chart-budget-income"]
    assert counter.pdfs == 1


def test_template_and_css_changes_make_a_new_pdf_but_keep_the_charts(
    counter: Counter, chart_project: Path
) -> None:
    counter.build(chart_project)
    packaged = (Path(html_module.__file__).parent.parent / "templates/report.css").read_text()
    override = chart_project / "templates/report.css"
    override.parent.mkdir()
    override.write_text(packaged, encoding="utf-8")
    same_page = counter.build(chart_project)
    assert not same_page.up_to_date  # a new template: the page is made again...
    assert counter.charts == [] and counter.pdfs == 0  # ...but it is the same page

    override.write_text(packaged + "\nh2 { letter-spacing: 0.01em; }\n", encoding="utf-8")
    counter.build(chart_project)
    assert "letter-spacing: 0.01em" in (chart_project / "build/report.html").read_text()
    assert counter.charts == []
    assert counter.pdfs == 1


def test_new_tool_or_library_version_misses_everything(
    counter: Counter, chart_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter.build(chart_project)
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "matplotlib 99.0")
    result = counter.build(chart_project)
    assert not result.up_to_date
    assert len(counter.charts) == 2 and counter.pdfs == 1


def test_options_and_deleted_outputs_are_part_of_up_to_date(
    counter: Counter, chart_project: Path
) -> None:
    counter.build(chart_project)
    html_only = counter.build(chart_project, pdf=False)
    assert not html_only.up_to_date  # other options: a build of its own (charts reused)
    assert counter.charts == [] and counter.pdfs == 0
    assert counter.build(chart_project, pdf=False).up_to_date

    (chart_project / "build/report.pdf").unlink()
    result = counter.build(chart_project)
    assert not result.up_to_date
    assert (chart_project / "build/report.pdf").is_file()
    assert counter.pdfs == 0  # the PDF itself came from the cache


def test_environment_that_shapes_the_outputs_is_part_of_up_to_date(
    counter: Counter, chart_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    counter.build(chart_project)
    assert counter.build(chart_project).up_to_date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # another date in the PDF
    assert not counter.build(chart_project).up_to_date


def test_a_file_named_in_data_is_an_input(counter: Counter, chart_project: Path) -> None:
    # A section file outside content/ is found through report.yaml, not by folder.
    _edit(chart_project / "report.yaml", "file: content/budget.md", "file: text/budget.md")
    (chart_project / "text").mkdir()
    (chart_project / "content/budget.md").rename(chart_project / "text/budget.md")
    counter.build(chart_project)
    assert counter.build(chart_project).up_to_date
    _edit(chart_project / "text/budget.md", "into the budget.", "into the shared budget.")
    result = counter.build(chart_project)
    assert not result.up_to_date
    assert "into the shared budget" in (chart_project / "build/report.html").read_text()


def test_warnings_of_a_skipped_build_are_reported_again(
    counter: Counter, chart_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_validate = pipeline.validate

    def with_warning(root: Path) -> pipeline.ValidationResult:
        result = real_validate(root)
        result.diagnostics.add(
            Diagnostic("test.warning", "a warning to remember", Severity.WARNING)
        )
        return result

    monkeypatch.setattr(pipeline, "validate", with_warning)
    first = counter.build(chart_project)
    again = counter.build(chart_project)
    assert again.up_to_date
    assert "test.warning" in [d.code for d in again.diagnostics]
    assert again.diagnostics.sorted() == first.diagnostics.sorted()


def test_a_file_changed_during_the_build_is_not_recorded_as_built(
    counter: Counter, chart_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    narrative = chart_project / "content/budget.md"
    real_render = html_module.render_report

    def render_then_edit(*args: object, **kwargs: object) -> str:
        page = real_render(*args, **kwargs)  # type: ignore[arg-type]
        if "late edit" not in narrative.read_text():
            narrative.write_text(narrative.read_text() + "\nA late edit.\n")
        return page

    monkeypatch.setattr(html_module, "render_report", render_then_edit)
    counter.build(chart_project)
    monkeypatch.setattr(html_module, "render_report", real_render)
    result = counter.build(chart_project)
    assert not result.up_to_date
    assert "A late edit." in (chart_project / "build/report.html").read_text()


def test_no_cache_option_reads_and_writes_nothing(
    counter: Counter, chart_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter.build(chart_project, cache=False)
    assert not (chart_project / "build/.cache").exists()
    assert len(counter.charts) == 2
    counter.build(chart_project, cache=False)
    assert len(counter.charts) == 2 and counter.pdfs == 1


# --- the cache on its own -------------------------------------------------------------


def test_chart_round_trips_through_json_exactly() -> None:
    assert chart_from_json(chart_to_json(VIEW)) == VIEW


@pytest.mark.parametrize(
    "document",
    [
        b"not json",
        b'{"id": "x"}',
        b'{"__class__": "os.system", "args": ["true"]}',
        json.dumps({**json.loads(chart_to_json(VIEW)), "svg": 3}).encode(),
    ],
)
def test_chart_json_that_does_not_fit_is_refused(document: bytes) -> None:
    with pytest.raises((ValueError, TypeError, KeyError)):
        chart_from_json(document)


KEY = chart_key(SPEC, "#000000", "#ffffff", "Sans", [])


def _chart(store: BuildCache, calls: list[str]) -> ChartView:
    """What a build does for one chart: read it back, or draw it (into `calls`) and keep it."""
    view = store.stored_chart(KEY)
    if view is None:
        calls.append("drawn")
        view = VIEW
        store.keep_chart(KEY, view)
    return view


def _objects(directory: Path) -> list[Path]:
    return sorted((directory / "objects").glob("*/*"))


def test_corrupt_entry_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    calls: list[str] = []
    store = BuildCache(tmp_path)
    _chart(store, calls)
    store.save()
    (entry,) = _objects(tmp_path)
    entry.write_bytes(b'{"truncated')

    again = BuildCache(tmp_path)
    assert _chart(again, calls) == VIEW
    again.save()
    assert calls == ["drawn", "drawn"]
    assert chart_from_json(entry.read_bytes()) == VIEW  # overwritten with a good copy

    third = BuildCache(tmp_path)
    _chart(third, calls)
    assert calls == ["drawn", "drawn"]
    assert third.stats.hits["chart"] == 1


@pytest.mark.parametrize(
    "manifest",
    [
        b"\x00\x01 not json at all",
        b"[1, 2, 3]",
        b'{"format": "someone-elses-cache", "version": 1, "entries": {}}',
        b'{"format": "reportgen-cache", "version": 999, "entries": {}}',
        json.dumps(
            {
                "format": "reportgen-cache",
                "version": 1,
                "entries": {"../../etc/passwd": {"kind": "chart", "sha256": "x", "used": 1}},
                "builds": [],
            }
        ).encode(),
    ],
)
def test_foreign_or_broken_manifest_is_ignored_then_replaced(
    tmp_path: Path, manifest: bytes
) -> None:
    (tmp_path / "manifest.json").write_bytes(manifest)
    calls: list[str] = []
    store = BuildCache(tmp_path)
    assert _chart(store, calls) == VIEW
    store.save()
    document = json.loads((tmp_path / "manifest.json").read_text())
    assert document["format"] == "reportgen-cache"
    assert list(document["entries"]) == [KEY]


def test_cache_that_cannot_be_written_still_builds(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    calls: list[str] = []
    store = BuildCache(blocked)
    assert _chart(store, calls) == VIEW
    store.save()
    assert calls == ["drawn"]
    assert blocked.read_text() == "a file where the cache folder should be"


def test_unlisted_objects_are_pruned_but_other_files_are_left(tmp_path: Path) -> None:
    stray = tmp_path / "objects" / "ab" / ("ab" + "0" * 62 + ".json")
    stray.parent.mkdir(parents=True)
    stray.write_text("{}")
    mine = tmp_path / "objects" / "ab" / "notes.txt"
    mine.write_text("not ours to delete")
    store = BuildCache(tmp_path)
    _chart(store, [])
    store.save()
    assert not stray.exists()
    assert mine.exists()


def test_chart_key_covers_spec_colours_and_font_files(tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    font.write_bytes(b"font one")
    base = chart_key(SPEC, "#000000", "#ffffff", "Sans", [font])
    other_values = ChartSpec(
        **{**SPEC.__dict__, "series": [Series(name="Amount", values=[1.0, 2.0])]}
    )
    assert chart_key(other_values, "#000000", "#ffffff", "Sans", [font]) != base
    assert chart_key(SPEC, "#111111", "#ffffff", "Sans", [font]) != base
    assert chart_key(SPEC, "#000000", "#ffffff", "Serif", [font]) != base
    font.write_bytes(b"font two")
    os.utime(font, ns=(1, 1))
    assert chart_key(SPEC, "#000000", "#ffffff", "Sans", [font]) != base
    assert chart_key(SPEC, "#000000", "#ffffff", "Sans", [font]) == chart_key(
        SPEC, "#000000", "#ffffff", "Sans", [font]
    )


def test_pdf_key_covers_the_page_and_the_files_it_loads(tmp_path: Path) -> None:
    image = tmp_path / "images" / "logo.png"
    image.parent.mkdir()
    image.write_bytes(b"one")
    page = '<html><body><img src="images/logo.png" alt="logo"></body></html>'
    base = pdf_key(page, tmp_path)
    assert pdf_key(page.replace('logo"', 'Logo"'), tmp_path) != base
    image.write_bytes(b"two, and longer")
    assert pdf_key(page, tmp_path) != base
    data_uri = '<img src="data:image/png;base64,AAAA">'
    assert pdf_key(data_uri, tmp_path) == pdf_key(data_uri, tmp_path / "elsewhere")


def test_pdf_key_covers_the_split_switch_but_not_the_cpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # REPORTGEN_PDF_SPLIT=0 lays a long page out whole: other bytes, so another key.
    # The CPUs never change the bytes (a page is split or not on any machine).
    import reportgen.cpus as cpus_module
    from reportgen.render.pdfsplit import split_wanted

    page = "<html><body><p>Text</p></body></html>"
    monkeypatch.setenv("REPORTGEN_PDF_SPLIT", "1")
    assert split_wanted()  # the WeasyPrint the split was written for is installed
    base = pdf_key(page, tmp_path)
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 1)
    assert pdf_key(page, tmp_path) == base
    monkeypatch.setenv("REPORTGEN_PDF_SPLIT", "0")
    assert pdf_key(page, tmp_path) != base


def test_an_up_to_date_build_still_removes_what_a_killed_build_left(
    counter: Counter, chart_project: Path
) -> None:
    counter.build(chart_project)
    staging = chart_project / ".build.staging-0a1b2c"
    staging.mkdir()
    (staging / "report.pdf").write_bytes(b"partial")
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    temporaries = [
        chart_project / "build" / f".report.html.{dead}-x1y2.tmp",
        chart_project / "build" / ".cache" / f".manifest.json.{dead}-abcd.tmp",
        chart_project / "build" / ".report.pdf.old-name.tmp",  # no writer named: stale
    ]
    for tmp in temporaries:
        tmp.write_bytes(b"partial")
    live = chart_project / "build" / ".cache" / f".manifest.json.{os.getpid()}-live.tmp"
    live.write_bytes(b"being written")
    again = counter.build(chart_project)
    assert again.up_to_date
    assert not staging.exists()
    assert [t for t in temporaries if t.exists()] == []
    assert live.exists()  # its writer is alive: it may still rename it


def test_the_cache_holds_no_path_of_the_checkout(
    counter: Counter, chart_project: Path, tmp_path: Path
) -> None:
    import shutil

    other = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(chart_project, other)
    counter.build(chart_project)
    counter.build(other)
    manifests = []
    for root in (chart_project, other):
        text = (root / "build" / ".cache" / "manifest.json").read_text(encoding="utf-8")
        assert str(root) not in text and str(root.resolve()) not in text
        document = json.loads(text)
        for record in document.get("builds", {}).values():
            record.pop("used", None)  # when it was last used: bookkeeping for eviction
        manifests.append(document)
    assert manifests[0]["builds"] == manifests[1]["builds"]
    assert counter.build(other).up_to_date
