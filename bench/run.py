#!/usr/bin/env python3
"""Benchmarks of reportgen (`make bench`): measured side by side in one run.

By default, the rows of issue #18's table, in rounds: each round runs every measure
once, one after another (the two sides of each ratio next to each other, their order
swapped every round), so a busy spell on a shared machine hits both sides alike. It
prints medians with their spread (min-max over the rounds) and ratios (of the medians,
and the range of the ratios of each round). `--extended` adds the older measures: a
synthetic report four times the example's size, narrative-only rebuilds, `serve`.

    python bench/run.py [--runs N] [--profile] [--extended]

Wall times include process start. Peak memory is the child's maximum resident set
size (`os.wait4`). The floor is WeasyPrint's own command line, in a fresh process,
turning the same final print HTML into the same PDF variant (`--pdf-variant pdf/ua-1`).
Nothing here is a test: speed varies with the machine, so the figures are recorded in
reportgen/docs/performance.md, not asserted.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FACTOR = 4
LOAD_AT_START = os.getloadavg()[0]
BLOCK = re.compile(r"^\{\{\s*(\w+)\s+([\w.\-]+)\s*\}\}\s*$")
INLINE_TABLE = re.compile(r"\{\{\s*table\.([\w-]+)\.")


# --- processes ------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system CPU seconds of the process and its children
    peak_mib: float
    code: int
    stderr: str


# The reportgen measured: a snapshot of the package taken when the benchmark starts, so
# an edit to the source while it runs changes neither the code nor the cache keys.
SNAPSHOT: Path | None = None


def child_env() -> dict[str, str]:
    env = {**os.environ, "CI": "1"}  # CI: no progress display
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = str(SNAPSHOT)
    return env


def run(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    """Run a command to completion; its wall time and its own peak memory."""
    env = child_env()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, text)


def reportgen(*args: str | Path) -> list[str]:
    return [PYTHON, "-m", "reportgen", *map(str, args)]


def must(result: Run, what: str) -> Run:
    if result.code not in (0,):
        sys.exit(f"{what} failed (exit {result.code}):\n{result.stderr[-3000:]}")
    return result


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)


def repeat(
    n: int, prepare: Callable[[int], None], cmd: Callable[[], list[str]], what: str
) -> Series:
    series = Series()
    for i in range(n):
        prepare(i)
        series.runs.append(must(run(cmd()), what))
    return series


def clean(root: Path) -> None:
    shutil.rmtree(root / "build", ignore_errors=True)


def touch_narrative(root: Path, i: int) -> None:
    """A narrative-only edit: one more sentence at the end of the first section."""
    first = sorted((root / "content").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + f"\nBenchmark edit number {i}.\n")


# --- projects ---------------------------------------------------------------------------


def copy_project(src: Path, dst: Path) -> None:
    """The example project alone (not the rest of the repository)."""
    from reportgen.pipeline import validate
    from reportgen.project import project_files

    result = validate(src)
    if result.project is None or result.diagnostics.has_errors():
        sys.exit(f"the example project {src} does not validate")
    dst.mkdir(parents=True)
    shutil.copy2(src / "report.yaml", dst / "report.yaml")
    for folder in ("content", "data", "templates"):
        if (src / folder).is_dir():
            shutil.copytree(src / folder, dst / folder)
    for rel in project_files(result.project):
        if not (dst / rel).exists():
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / rel, dst / rel)


def _counts_csv(source: Path, bump: int) -> str:
    """A generic table's CSV with its Total row and column dropped and counts changed."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    keep = [i for i, name in enumerate(header) if name.strip().lower() != "total"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    for row in rows[1:]:
        if not row or row[0].strip().lower() == "total":
            continue
        cells = [row[keep[0]]]
        cells += [str(int(row[i].replace(",", "") or 0) + bump) for i in keep[1:]]
        writer.writerow(cells)
    return out.getvalue()


def make_synthetic(src: Path, dst: Path, factor: int = FACTOR) -> None:
    """The example, `factor` times over: every section again with new ids, every table
    again under a new id, and every chart again as a chart of a new table (so the
    synthetic report also has `factor` times the charts to draw)."""
    copy_project(src, dst)
    config = yaml.safe_load((dst / "report.yaml").read_text(encoding="utf-8"))
    tables_path = dst / "data" / "tables.yaml"
    tables = yaml.safe_load(tables_path.read_text(encoding="utf-8"))
    originals = list(tables["tables"])
    chart_source = next((t for t in originals if t.get("chart")), originals[0])
    sections = list(config["sections"])
    made = 0
    for k in range(2, factor + 1):
        for spec in originals:
            new_file = f"data/tables/bench-r{k}-{Path(spec['file']).name}"
            (dst / new_file).write_text(_counts_csv(dst / spec["file"], k), encoding="utf-8")
            tables["tables"].append(
                {
                    **spec,
                    "id": f"{spec['id']}_r{k}",
                    "file": new_file,
                    "title": f"{spec['title']} (part {k})",
                    "row_totals": True,
                    "column_totals": True,
                }
            )
        for section in sections:
            text = (dst / section["file"]).read_text(encoding="utf-8")
            lines: list[str] = []
            paragraph_start = True
            for line in text.splitlines():
                match = BLOCK.match(line.strip())
                if match:
                    kind, target = match.groups()
                    if target.startswith("tables."):
                        target = f"{target}_r{k}"
                    elif kind == "chart":
                        made += 1
                        new_id = f"bench_chart_{made}"
                        new_file = f"data/tables/bench-chart-{made}.csv"
                        counts = _counts_csv(dst / chart_source["file"], made)
                        (dst / new_file).write_text(counts, encoding="utf-8")
                        tables["tables"].append(
                            {
                                "id": new_id,
                                "title": f"{chart_source['title']} ({made})",
                                "file": new_file,
                                "chart": True,
                            }
                        )
                        target = f"tables.{new_id}"
                    lines.append(f"{{{{ {kind} {target} }}}}")
                elif not line.strip() or line.lstrip().startswith(("#", "|", ">")):
                    lines.append(line)
                elif re.match(r"^\s*(?:[-*+]|\d+\.)\s", line):
                    lines.append(re.sub(r"^(\s*(?:[-*+]|\d+\.)\s+)", rf"\1Part {k}: ", line))
                else:
                    lines.append(f"Part {k}: {line}" if paragraph_start else line)
                paragraph_start = not line.strip()
            body = INLINE_TABLE.sub(rf"{{{{ table.\1_r{k}.", "\n".join(lines))
            new_file = f"content/r{k}-{Path(section['file']).name}"
            (dst / new_file).write_text(body + "\n", encoding="utf-8")
            config["sections"].append(
                {
                    **section,
                    "id": f"{section['id']}-r{k}",
                    "file": new_file,
                    "title": f"{section['title']} (part {k})",
                }
            )
    (dst / "report.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    tables_path.write_text(
        yaml.safe_dump(tables, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


# --- measurements -----------------------------------------------------------------------


def floor_command(html: Path, base: str, out: Path) -> list[str]:
    """WeasyPrint alone: its own command line, as `weasyprint --pdf-variant pdf/ua-1`."""
    return [
        PYTHON,
        "-m",
        "weasyprint",
        "--pdf-variant",
        "pdf/ua-1",
        "-u",
        base,
        str(html),
        str(out),
    ]


# The floor's page: the build's print page with each chart image inlined as a data: URI,
# so WeasyPrint alone lays out and draws the same charts (a build fetches them instead).
PRINT_PAGE = """
import base64, re, sys
from pathlib import Path
from reportgen.cache import BuildCache
from reportgen.pipeline import validate
from reportgen.render.chartset import ChartSet
from reportgen.render.html import render_report
result = validate(Path(sys.argv[1]))
with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
    page = render_report(result.project, result.derived, medium="print", charts=charts)
    def inline(match):
        svg = charts.image(match.group(1))
        return 'src="data:image/svg+xml;base64,' + base64.b64encode(svg).decode() + '"'
    page = re.sub(r'src="(reportgen-chart:[0-9a-f]+)"', inline, page)
assert "reportgen-chart:" not in page, "a chart image was not inlined"
Path(sys.argv[2]).write_text(page, encoding="utf-8")
"""

# A cold build's stages, in one fresh process, in the order `pipeline.build` runs them.
STAGES = """
import json, sys, time
from pathlib import Path
t = [time.perf_counter()]
def lap(): t.append(time.perf_counter())
from reportgen import pipeline
from reportgen.cache import BuildCache
import reportgen.checks, reportgen.project  # what validate() imports
lap()
result = pipeline.validate(Path(sys.argv[1]))
lap()
from reportgen.render.chartset import ChartSet
from reportgen.render.html import render_report
charts = ChartSet.of_report(result.project, result.derived, BuildCache.disabled())
charts.draw_in_background()  # as a build does: the charts are drawn while WeasyPrint starts
printed = render_report(result.project, result.derived, medium="print", charts=charts)
lap()
import weasyprint
from reportgen.render.pdf import _make_fetcher
from reportgen.render.pdfua import finish_pdf
lap()
from reportgen.render.pdf import fewer_collections
import gc
in_gc = [0.0, 0.0]
def collecting(phase, info):
    if phase == "start":
        in_gc[1] = time.perf_counter()
    else:
        in_gc[0] += time.perf_counter() - in_gc[1]
gc.callbacks.append(collecting)
fetcher = _make_fetcher(result.project.root, charts.image)
with fewer_collections():  # as render_pdf does
    raw = weasyprint.HTML(string=printed, base_url=result.project.root.as_uri() + "/",
                          url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
gc.callbacks.remove(collecting)
lap()
finish_pdf(raw)
lap()
screen = render_report(result.project, result.derived, charts=charts)
lap()
charts.close()
names = ["import reportgen's models and checks (pydantic, yaml, markdown-it)",
         "load, validate, derive",
         "print page (no chart drawn; a second process starts drawing them)",
         "import WeasyPrint and pikepdf",
         "PDF: WeasyPrint (fetches each chart as it lays it out)",
         "PDF: tagging (render/pdfua.py)",
         "screen page (the charts already drawn)"]
stages = {n: t[i + 1] - t[i] for i, n in enumerate(names)}
stages["(of which the garbage collector, in the PDF)"] = in_gc[0]
print(json.dumps(stages))
"""

SERVE_REBUILD = """
import json, statistics, sys, time
from pathlib import Path
from reportgen.serve import PreviewServer
root = Path(sys.argv[1])
server = PreviewServer(root, port=0, pdf="off")
server.start()
first = sorted((root / "content").glob("*.md"))[0]
times = []
for i in range(int(sys.argv[2])):
    first.write_text(first.read_text() + f"\\nPreview edit {i}.\\n")
    start = time.perf_counter()
    server.rebuild()
    times.append(time.perf_counter() - start)
server.stop()
print(json.dumps(statistics.median(times)))
"""


def pdf_pages(path: Path) -> int:
    try:
        import pypdf

        return len(pypdf.PdfReader(str(path)).pages)
    except ImportError:  # pragma: no cover - pypdf is a dev dependency
        return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


@dataclass
class Size:
    name: str
    root: Path
    full: Series = field(default_factory=Series)
    floor: Series = field(default_factory=Series)
    html_cold: Series = field(default_factory=Series)
    html_edit: Series = field(default_factory=Series)
    validate: Series = field(default_factory=Series)
    noop: Series = field(default_factory=Series)
    narrative: Series = field(default_factory=Series)
    preview_edit: float = 0.0
    pages: int = 0
    html_kib: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


def report_file(root: Path, suffix: str) -> Path:
    """The report's own output (not its digest, written beside it)."""
    (found,) = (p for p in (root / "build").glob(f"*{suffix}") if not p.stem.endswith("-digest"))
    return found


def measure(size: Size, runs: int) -> None:
    root = size.root
    say(f"{size.name}: full builds (cold: no build/ and no cache)")
    size.full = repeat(runs, lambda i: clean(root), lambda: reportgen("build", root), "full build")
    pdf, page = report_file(root, ".pdf"), report_file(root, ".html")
    size.pages = pdf_pages(pdf)
    size.html_kib = page.stat().st_size / 1024

    say(f"{size.name}: the floor, WeasyPrint alone on the same print HTML")
    print_html = root.parent / f"{root.name}-print.html"
    must(run([PYTHON, "-c", PRINT_PAGE, str(root), str(print_html)]), "print page")
    out = root.parent / f"{root.name}-floor.pdf"
    size.floor = repeat(
        runs,
        lambda i: None,
        lambda: floor_command(print_html, root.as_uri() + "/", out),
        "floor",
    )

    say(f"{size.name}: no-op and narrative-only rebuilds")
    size.noop = repeat(runs, lambda i: None, lambda: reportgen("build", root), "no-op build")
    size.narrative = repeat(
        runs, lambda i: touch_narrative(root, i), lambda: reportgen("build", root), "narrative"
    )

    say(f"{size.name}: HTML-only builds and validate")
    size.html_cold = repeat(
        runs, lambda i: clean(root), lambda: reportgen("build", root, "--html-only"), "html"
    )
    size.html_edit = repeat(
        runs,
        lambda i: touch_narrative(root, 100 + i),
        lambda: reportgen("build", root, "--html-only"),
        "html after an edit",
    )
    size.validate = repeat(
        runs, lambda i: None, lambda: reportgen("validate", root, "--no-cache"), "validate"
    )
    done = subprocess.run(
        [PYTHON, "-c", SERVE_REBUILD, str(root), str(max(3, runs))],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    size.preview_edit = float(json.loads(done.stdout))

    say(f"{size.name}: where the time goes")
    clean(root)
    done = subprocess.run(
        [PYTHON, "-c", STAGES, str(root)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    size.stages = json.loads(done.stdout)


def measure_parallel(example: Path, work: Path, runs: int) -> tuple[Series, Series]:
    roots = []
    for i in range(4):
        root = work / "many" / f"p{i + 1}"
        shutil.copytree(example, root, ignore=shutil.ignore_patterns("build"))
        roots.append(root)

    def clean_all(_i: int) -> None:
        for root in roots:
            clean(root)

    say("4 projects: one after another (-j 1) and on 2 workers (-j 2), taking turns")
    sequential, parallel = Series(), Series()
    for i in range(runs):  # interleaved, so a busy spell elsewhere hits both alike
        for series, jobs in ((sequential, "1"), (parallel, "2")):
            clean_all(i)
            series.runs.append(must(run(reportgen("build", *roots, "-j", jobs)), f"-j {jobs}"))
    return sequential, parallel


# --- issue #18: its table, in rounds -----------------------------------------------------


@dataclass
class Pair:
    """Two measures taken next to each other in every round: a ratio and its spread."""

    top: Series = field(default_factory=Series)
    bottom: Series = field(default_factory=Series)

    @property
    def ratio(self) -> float:
        return self.top.seconds / self.bottom.seconds

    @property
    def round_ratios(self) -> list[float]:
        return [a.seconds / b.seconds for a, b in zip(self.top.runs, self.bottom.runs, strict=True)]


@dataclass
class IssueTable:
    build_vs_floor: Pair = field(default_factory=Pair)  # full cold build / WeasyPrint CLI
    html_cold: Series = field(default_factory=Series)
    validate: Series = field(default_factory=Series)  # --no-cache: nothing remembered
    validate_edited: Series = field(
        default_factory=Series
    )  # an input changed: dictionaries remembered
    validate_replayed: Series = field(default_factory=Series)  # nothing changed since the last
    many: Pair = field(default_factory=Pair)  # 4 projects: -j 1 / -j 2
    # The same 4 projects as `reportgen build A` four times, each with every CPU (-j is
    # the CPUs kept busy, so -j 1 is one CPU): what -j 2 gains over a shell loop.
    many_alone: Series = field(default_factory=Series)
    noop_vs_full: Pair = field(default_factory=Pair)  # no-op rebuild / full cold build
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)


def measure_issue(example: Path, work: Path, runs: int) -> IssueTable:
    """Every row of issue #18's table, once per round, for `runs` rounds."""
    table = IssueTable()
    print_html = work / "example-print.html"
    must(run([PYTHON, "-c", PRINT_PAGE, str(example), str(print_html)]), "print page")
    floor = floor_command(print_html, example.as_uri() + "/", work / "example-floor.pdf")
    roots = []
    for i in range(4):
        root = work / "many" / f"p{i + 1}"
        shutil.copytree(example, root, ignore=shutil.ignore_patterns("build"))
        roots.append(root)

    def full() -> Run:
        clean(example)
        return must(run(reportgen("build", example)), "full build")

    def weasyprint_alone() -> Run:
        return must(run(floor), "WeasyPrint alone")

    def many(jobs: str) -> Callable[[], Run]:
        def go() -> Run:
            for root in roots:
                clean(root)
            return must(run(reportgen("build", *roots, "-j", jobs)), f"-j {jobs}")

        return go

    def one_by_one() -> Run:
        for root in roots:
            clean(root)
        each = [must(run(reportgen("build", root)), "build A") for root in roots]
        return Run(
            sum(r.seconds for r in each),
            sum(r.cpu for r in each),
            max(r.peak_mib for r in each),
            0,
            "",
        )

    for i in range(runs):
        say(f"issue #18 table: round {i + 1} of {runs} (load {os.getloadavg()[0]:.2f})")
        swap = i % 2 == 1  # the side measured first changes every round
        pairs = [
            (table.build_vs_floor, full, weasyprint_alone),
            (table.many, many("1"), many("2")),
        ]
        for pair, top, bottom in pairs:
            first, second = (bottom, top) if swap else (top, bottom)
            a, b = first(), second()
            pair.top.runs.append(b if swap else a)
            pair.bottom.runs.append(a if swap else b)
        table.many_alone.runs.append(one_by_one())
        # No-op: right after a full build of its own, which it is compared with.
        table.noop_vs_full.bottom.runs.append(full())
        table.noop_vs_full.top.runs.append(must(run(reportgen("build", example)), "no-op"))
        clean(example)
        table.html_cold.runs.append(
            must(run(reportgen("build", example, "--html-only")), "HTML-only build")
        )
        # validate three ways: afresh; after an edit (the build just recorded its
        # validation and the dictionaries' answers); with nothing changed (a replay).
        table.validate.runs.append(
            must(run(reportgen("validate", example, "--no-cache")), "validate --no-cache")
        )
        edited = sorted((example / "content").glob("*.md"))[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + "\n", encoding="utf-8")
        table.validate_edited.runs.append(must(run(reportgen("validate", example)), "validate"))
        edited.write_text(text, encoding="utf-8")
        must(run(reportgen("validate", example)), "validate")  # records the restored text
        table.validate_replayed.runs.append(
            must(run(reportgen("validate", example)), "validate, replayed")
        )
    full()
    table.pages = pdf_pages(report_file(example, ".pdf"))
    clean(example)
    done = subprocess.run(
        [PYTHON, "-c", STAGES, str(example)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    table.stages = json.loads(done.stdout)
    return table


def spread(series: Series) -> str:
    values = [r.seconds for r in series.runs]
    return f"{series.seconds:.2f} s ({min(values):.2f}-{max(values):.2f})"


def issue_report(table: IssueTable, runs: int) -> str:
    t = table
    lines = [
        f"reportgen benchmark: issue #18's table, {runs} rounds, each measure once a round;",
        "medians (min-max over the rounds); wall time including process start",
        "",
        *machine(),
        f"load average (1 min) at the start: {LOAD_AT_START:.2f}, at the end: "
        f"{os.getloadavg()[0]:.2f}",
        f"the example: {t.pages} pages",
        "",
        "| step | measured | ratio (range of the rounds' ratios) | target | met |",
        "|---|---|---|---|---|",
    ]

    def ratio_cell(pair: Pair, percent: bool = False) -> str:
        rounds = pair.round_ratios
        if percent:
            return f"{pair.ratio:.1%} ({min(rounds):.1%}-{max(rounds):.1%})"
        return f"{pair.ratio:.2f} x ({min(rounds):.2f}-{max(rounds):.2f})"

    bf, many, noop = t.build_vs_floor, t.many, t.noop_vs_full
    # CPU time (the process and its children) moves less than wall time on a shared
    # machine; a build spends more of it than the floor, on its second processes too.
    memory = (
        f"; CPU {bf.top.cpu:.2f} s / {bf.bottom.cpu:.2f} s = {bf.top.cpu / bf.bottom.cpu:.2f} x"
        f"; peak memory {bf.top.peak_mib:.0f} MiB / {bf.bottom.peak_mib:.0f} MiB"
    )
    lines += [
        "| full cold build / `weasyprint --pdf-variant pdf/ua-1` on the same HTML | "
        f"{spread(bf.top)} / {spread(bf.bottom)}{memory} | {ratio_cell(bf)} | <= 0.9 x | "
        f"{'yes' if bf.ratio <= 0.9 else 'NO'} |",
        f"| `build --html-only`, cold (no cache) | {spread(t.html_cold)} | | <= 1.0 s | "
        f"{'yes' if t.html_cold.seconds <= 1.0 else 'NO'} |",
        f"| `validate --no-cache`, whole process (CPU {t.validate.cpu:.2f} s) | "
        f"{spread(t.validate)} | | <= 0.4 s | {'yes' if t.validate.seconds <= 0.4 else 'NO'} |",
        f"| `validate` after an edit (dictionaries remembered; CPU {t.validate_edited.cpu:.2f} s)"
        f" | {spread(t.validate_edited)} | | <= 0.4 s | "
        f"{'yes' if t.validate_edited.seconds <= 0.4 else 'NO'} |",
        f"| `validate`, nothing changed: replayed (CPU {t.validate_replayed.cpu:.2f} s) | "
        f"{spread(t.validate_replayed)} | | <= 0.4 s | "
        f"{'yes' if t.validate_replayed.seconds <= 0.4 else 'NO'} |",
        f"| 4 projects: `-j 1` / `-j 2` | {spread(many.top)} / {spread(many.bottom)} | "
        f"{ratio_cell(many)} | >= 1.8 x | {'yes' if many.ratio >= 1.8 else 'NO'} |",
        f"| 4 projects: `build A` four times (every CPU each) / `-j 2` | "
        f"{spread(t.many_alone)} / {spread(many.bottom)} | "
        f"{t.many_alone.seconds / many.bottom.seconds:.2f} x | | |",
        f"| no-op rebuild / full cold build | {spread(noop.top)} / {spread(noop.bottom)} | "
        f"{ratio_cell(noop, percent=True)} | <= 5 % | {'yes' if noop.ratio <= 0.05 else 'NO'} |",
        "",
        "Where a cold full build's time goes, stage by stage in one fresh process, in the",
        "order `pipeline.build` runs them (a build overlaps some of them: see",
        "reportgen/docs/performance.md), seconds:",
        "",
        "| stage | example |",
        "|---|---|",
    ]
    lines += [f"| {stage} | {seconds:.2f} |" for stage, seconds in t.stages.items()]
    return "\n".join(lines) + "\n"


# --- report -----------------------------------------------------------------------------


def say(text: str) -> None:
    sys.stderr.write(f"bench: {text}\n")


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for dist in ("weasyprint", "matplotlib", "pydantic", "jinja2"):
        try:
            from importlib.metadata import version

            versions.append(f"{dist} {version(dist)}")
        except Exception:  # informative only
            pass
    return [
        f"machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}",
        f"python {platform.python_version()} on {platform.platform()}",
        ", ".join(versions),
    ]


def row(what: str, value: str, target: str, ok: bool | None) -> str:
    mark = "" if ok is None else ("yes" if ok else "NO")
    return f"| {what} | {value} | {target} | {mark} |"


def report(sizes: list[Size], sequential: Series, parallel: Series, runs: int) -> str:
    one, big = sizes
    lines = [
        f"reportgen benchmark, medians of {runs} run(s), wall time including process start",
        "",
    ]
    lines += machine()
    lines += [
        f"load average (1 min) at the start: {LOAD_AT_START:.2f}, at the end: "
        f"{os.getloadavg()[0]:.2f}",
        "",
    ]
    lines += ["| measure | measured | target | met |", "|---|---|---|---|"]
    for s in sizes:
        ratio = s.full.seconds / s.floor.seconds
        cpu = s.full.cpu / s.floor.cpu
        lines.append(
            row(
                f"{s.name}: full build / WeasyPrint alone",
                f"{s.full.seconds:.2f} s / "
                f"{s.floor.seconds:.2f} s = {ratio:.2f} x (CPU time: {cpu:.2f} x)",
                "<= 1.10 x",
                ratio <= 1.10,
            )
        )
        narrative = s.narrative.seconds / s.floor.seconds
        lines.append(
            row(
                f"{s.name}: narrative-only rebuild / WeasyPrint alone",
                f"{narrative:.2f} x",
                "(<= 1.10 x)",
                narrative <= 1.10,
            )
        )
    lines.append(
        row(
            "example: HTML-only build, cold (no cache)",
            f"{one.html_cold.seconds:.2f} s",
            "<= 0.5 s",
            one.html_cold.seconds <= 0.5,
        )
    )
    lines.append(
        row(
            "example: HTML-only build after a narrative edit",
            f"{one.html_edit.seconds:.2f} s",
            "<= 0.5 s",
            one.html_edit.seconds <= 0.5,
        )
    )
    lines.append(
        row(
            "example: validate",
            f"{one.validate.seconds:.2f} s",
            "<= 0.4 s",
            one.validate.seconds <= 0.4,
        )
    )
    for s in sizes:
        noop = s.noop.seconds / s.full.seconds
        narrative = s.narrative.seconds / s.full.seconds
        preview = s.preview_edit / s.full.seconds
        lines += [
            row(
                f"{s.name}: no-op rebuild / full build",
                f"{s.noop.seconds:.2f} s = {noop:.1%}",
                "<= 5 %",
                noop <= 0.05,
            ),
            row(
                f"{s.name}: narrative-only rebuild (HTML + PDF) / full build",
                f"{s.narrative.seconds:.2f} s = {narrative:.1%}",
                "<= 5 %",
                narrative <= 0.05,
            ),
            row(
                f"{s.name}: narrative-only rebuild in `serve` (HTML) / full build",
                f"{s.preview_edit:.2f} s = {preview:.1%}",
                "<= 5 %",
                preview <= 0.05,
            ),
        ]
    speedup = sequential.seconds / parallel.seconds
    lines.append(
        row(
            "4 example projects: -j 1 / -j 2",
            f"{sequential.seconds:.1f} s / {parallel.seconds:.1f} s = {speedup:.2f} x",
            ">= 1.8 x",
            speedup >= 1.8,
        )
    )
    time_growth = big.full.seconds / one.full.seconds
    memory_growth = big.full.peak_mib / one.full.peak_mib
    lines += [
        row(
            f"size {FACTOR} x: pages, HTML",
            f"{one.pages} -> {big.pages} pages, {one.html_kib:.0f} -> {big.html_kib:.0f} KiB",
            "",
            None,
        ),
        row(
            f"size {FACTOR} x: full build time",
            f"{one.full.seconds:.1f} -> {big.full.seconds:.1f} s = {time_growth:.2f} x",
            f"about {big.pages / one.pages:.1f} x (pages)",
            None,
        ),
        row(
            f"size {FACTOR} x: peak memory",
            f"{one.full.peak_mib:.0f} -> {big.full.peak_mib:.0f} MiB = {memory_growth:.2f} x",
            "at most linear",
            None,
        ),
    ]
    lines += ["", "Where a cold full build's time goes (one fresh process, seconds):", ""]
    lines += ["| stage | " + " | ".join(s.name for s in sizes) + " |", "|---|---|---|"]
    for stage in one.stages:
        cells = " | ".join(f"{s.stages.get(stage, 0.0):.2f}" for s in sizes)
        lines.append(f"| {stage} | {cells} |")
    return "\n".join(lines) + "\n"


def profile(root: Path) -> str:
    """cProfile of one cold in-process build (charts drawn in it): the 25 costliest calls."""
    code = textwrap.dedent(
        f"""
        import cProfile, pstats, io
        from pathlib import Path
        from reportgen import pipeline
        profiler = cProfile.Profile()
        profiler.enable()
        pipeline.build(Path({str(root)!r}), cache=False, chart_worker=False)  # charts shown
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
        """
    )
    clean(root)
    return subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, check=True, env=child_env()
    ).stdout


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (runs per measure)")
    parser.add_argument(
        "--extended",
        action="store_true",
        help="also the 4 x synthetic report, narrative-only rebuilds and serve",
    )
    parser.add_argument("--profile", action="store_true", help="also print a cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--only-parallel", action="store_true", help="measure only -j 1 against -j 2"
    )
    args = parser.parse_args(argv)
    global SNAPSHOT
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    try:
        SNAPSHOT = work / "src"
        shutil.copytree(
            REPO / "reportgen", SNAPSHOT / "reportgen", ignore=shutil.ignore_patterns("__pycache__")
        )
        # Byte-compiled, as `pip install` leaves a package: otherwise, where the
        # environment sets PYTHONDONTWRITEBYTECODE, every run compiles reportgen again.
        compileall.compile_dir(SNAPSHOT, quiet=1)
        example = work / "example"
        copy_project(REPO, example)
        if args.only_parallel:
            sequential, parallel = measure_parallel(example, work, args.runs)
            speedup = sequential.seconds / parallel.seconds
            sys.stdout.write(
                "\n".join([*machine(), f"load average at the start: {LOAD_AT_START:.2f}"])
                + f"\n4 example projects: -j 1 {sequential.seconds:.1f} s, -j 2 "
                f"{parallel.seconds:.1f} s: {speedup:.2f} x (target >= 1.8 x; "
                f"load at the end {os.getloadavg()[0]:.2f})\n"
            )
            return
        if not args.extended:
            sys.stdout.write(issue_report(measure_issue(example, work, args.runs), args.runs))
            if args.profile:
                sys.stdout.write("\ncProfile of a cold build of the example:\n")
                sys.stdout.write(profile(example))
            return
        synthetic = work / f"synthetic-{FACTOR}x"
        make_synthetic(REPO, synthetic)
        must(run(reportgen("validate", synthetic)), "validating the synthetic report")
        sizes = [Size("example (1 x)", example), Size(f"synthetic ({FACTOR} x)", synthetic)]
        for size in sizes:
            measure(size, args.runs)
        sequential, parallel = measure_parallel(example, work, args.runs)
        sys.stdout.write(report(sizes, sequential, parallel, args.runs))
        if args.profile:
            sys.stdout.write("\ncProfile of a cold build of the example:\n")
            sys.stdout.write(profile(example))
    finally:
        if args.keep:
            say(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
