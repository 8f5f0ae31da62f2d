#!/usr/bin/env python3
"""A cold full build with the PDF laid out in two parts at once, against one process.

Measures, in rounds of fresh processes (the order of the three sides turns every round,
so a busy spell on a shared machine hits all of them alike): a full cold build of a copy
of the example as it is by default (two parts on two cores, render/pdfsplit.py), the
same build with REPORTGEN_PDF_SPLIT=0 (the whole page in one engine process), and the
floor, WeasyPrint's own command line on the same print page. Prints wall and CPU time
(with the children's), medians and the range, and the ratios of the medians.

    python bench/split_build.py [--runs N]
    python bench/split_build.py --parts [--runs N]
    python bench/split_build.py --one-cpu [--runs N]

With --parts it measures instead, in this one process and by CPU time (which a busy
machine moves least), the layout of the whole print page against each part's and the
join, one after another: what two free cores would do at once. The parts learn each
other's page counts and anchors from a first run, as the engines tell them.

With --one-cpu it measures the cost of splitting where no engine is started before
validation (one CPU; `build A B` alike): cold full builds, in fresh processes with
`usable_cpus()` patched to 1, split (two engines started at PDF time, sharing the CPU)
against REPORTGEN_PDF_SPLIT=0 (the whole page laid out in the build's process), the
two sides in turn; CPU time with the engines' included.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # bench/run.py: the same runner and floor as `make bench`

if TYPE_CHECKING:
    from reportgen.render.pdfsplit import PartResult


def parts(runs: int) -> None:
    """CPU seconds of the whole layout, each part's and the join's (see above)."""
    import time

    from reportgen import pipeline
    from reportgen.cache import BuildCache
    from reportgen.render.chartset import ChartSet
    from reportgen.render.pdf import render_pdf
    from reportgen.render.pdfjoin import join_parts
    from reportgen.render.pdfsplit import Paginated, PartLayout, Settled, cut

    result = pipeline.validate(bench.REPO)
    assert result.project is not None and result.derived is not None
    with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
        page = pipeline.render_page(result.project, result.derived, charts, medium="print")
        images = charts.images()
    halves = cut(page)
    assert halves is not None
    told: dict[int, Paginated] = {}

    def exchange(index: int) -> Callable[[Paginated], Settled]:
        def answer(paginated: Paginated) -> Settled:
            told[index] = paginated
            first = told.get(0, Paginated(0, {}))
            second = told.get(1, Paginated(0, {}))
            total = first.pages + second.pages
            if index == 0:
                foreign = {a: first.pages + i + 1 for a, i in second.anchors.items()}
                return Settled(0, total, foreign)
            return Settled(first.pages, total, {a: i + 1 for a, i in first.anchors.items()})

        return answer

    def part(index: int) -> tuple[float, PartResult]:
        layout = PartLayout(halves.anchors[1 - index], exchange(index))
        cpu = time.process_time()
        pdf = render_pdf(halves.parts[index], bench.REPO, images.get, layout)
        assert layout.result is not None
        layout.result.pdf = pdf
        return time.process_time() - cpu, layout.result

    part(1), part(0)  # the parts learn each other's page counts and anchors
    for i in range(runs):
        cpu = time.process_time()
        render_pdf(page, bench.REPO, images.get)
        whole = time.process_time() - cpu
        (second, two), (first, one) = part(1), part(0)
        cpu = time.process_time()
        join_parts([one, two])
        joining = time.process_time() - cpu
        print(
            f"round {i + 1} (load {os.getloadavg()[0]:.2f}): CPU whole {whole:.2f} s; "
            f"part 1 {first:.2f} s, part 2 {second:.2f} s, join {joining:.2f} s; two free "
            f"cores: {max(first, second) + joining:.2f} s = "
            f"{(max(first, second) + joining) / whole:.2f} x the whole"
        )


# A cold full build of argv[1] as on a machine with one CPU.
ONE_CPU_BUILD = """
import sys
from pathlib import Path

import reportgen.cpus
from reportgen.pipeline import build

reportgen.cpus.usable_cpus = lambda: 1
assert not build(Path(sys.argv[1])).diagnostics.has_errors()
"""


def one_cpu(example: Path, runs: int) -> None:
    """Split against whole on one CPU (see above), by CPU time and wall time."""
    taken: dict[str, list[bench.Run]] = {"split": [], "whole": []}
    names = list(taken)
    for i in range(runs):
        for name in names[i % 2 :] + names[: i % 2]:
            bench.clean(example)
            os.environ["REPORTGEN_PDF_SPLIT"] = "1" if name == "split" else "0"
            try:
                command = [bench.PYTHON, "-c", ONE_CPU_BUILD, str(example)]
                taken[name].append(bench.must(bench.run(command), name))
            finally:
                del os.environ["REPORTGEN_PDF_SPLIT"]
        line = ", ".join(
            f"{n} {taken[n][-1].seconds:.2f} s (CPU {taken[n][-1].cpu:.2f} s)" for n in names
        )
        print(f"round {i + 1} (load {os.getloadavg()[0]:.2f}): {line}", file=sys.stderr)
    cpu = {n: statistics.median(r.cpu for r in taken[n]) for n in names}
    wall = {n: statistics.median(r.seconds for r in taken[n]) for n in names}
    ratios = sorted(s.cpu / w.cpu for s, w in zip(taken["split"], taken["whole"], strict=True))
    print(
        f"one CPU: split CPU {cpu['split']:.2f} s, wall {wall['split']:.2f} s; whole CPU "
        f"{cpu['whole']:.2f} s, wall {wall['whole']:.2f} s; CPU split / whole "
        f"{cpu['split'] / cpu['whole']:.2f} x (rounds {ratios[0]:.2f} to {ratios[-1]:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parts", action="store_true", help="CPU time of the parts, in-process")
    parser.add_argument("--one-cpu", action="store_true", help="split against whole, one CPU")
    args = parser.parse_args()
    if args.parts:
        parts(args.runs)
        return
    work = Path(tempfile.mkdtemp(prefix="reportgen-split-"))
    try:
        bench.SNAPSHOT = work / "src"
        shutil.copytree(
            bench.REPO / "reportgen",
            bench.SNAPSHOT / "reportgen",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        compileall.compile_dir(bench.SNAPSHOT, quiet=1)
        example = work / "example"
        bench.copy_project(bench.REPO, example)
        if args.one_cpu:
            one_cpu(example, args.runs)
            return
        page = work / "print.html"
        bench.must(
            bench.run([bench.PYTHON, "-c", bench.PRINT_PAGE, str(example), str(page)]), "page"
        )
        floor = bench.floor_command(page, example.as_uri() + "/", work / "floor.pdf")

        def build(split: str) -> bench.Run:
            bench.clean(example)
            os.environ["REPORTGEN_PDF_SPLIT"] = split
            try:
                return bench.must(bench.run(bench.reportgen("build", example)), "build")
            finally:
                del os.environ["REPORTGEN_PDF_SPLIT"]

        sides = {
            "split": lambda: build("1"),
            "whole": lambda: build("0"),
            "floor": lambda: bench.must(bench.run(floor), "floor"),
        }
        runs: dict[str, list[bench.Run]] = {name: [] for name in sides}
        names = list(sides)
        for i in range(args.runs):
            order = names[i % 3 :] + names[: i % 3]
            for name in order:
                runs[name].append(sides[name]())
            line = ", ".join(
                f"{n} {runs[n][-1].seconds:.2f} s (CPU {runs[n][-1].cpu:.2f} s)" for n in names
            )
            print(f"round {i + 1} (load {os.getloadavg()[0]:.2f}): {line}", file=sys.stderr)
        wall = {n: statistics.median(r.seconds for r in runs[n]) for n in names}
        cpu = {n: statistics.median(r.cpu for r in runs[n]) for n in names}
        for n in names:
            seconds = sorted(r.seconds for r in runs[n])
            print(
                f"{n}: wall {wall[n]:.2f} s ({seconds[0]:.2f}-{seconds[-1]:.2f}), "
                f"CPU {cpu[n]:.2f} s, peak {statistics.median(r.peak_mib for r in runs[n]):.0f} MiB"
            )
        print(
            f"split / floor {wall['split'] / wall['floor']:.2f} x; whole / floor "
            f"{wall['whole'] / wall['floor']:.2f} x; split / whole "
            f"{wall['split'] / wall['whole']:.2f} x (CPU {cpu['split'] / cpu['whole']:.2f} x); "
            f"load at the end {os.getloadavg()[0]:.2f}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
