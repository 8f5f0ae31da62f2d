#!/usr/bin/env python3
"""A cold full build with the PDF laid out in two parts at once, against one process.

Measures, in rounds of fresh processes (the order of the three sides turns every round,
so a busy spell on a shared machine hits all of them alike): a full cold build of a copy
of the example as it is by default (two parts on two cores, render/pdfsplit.py), the
same build with REPORTGEN_PDF_SPLIT=0 (the whole page in one engine process), and the
floor, WeasyPrint's own command line on the same print page. Prints wall and CPU time
(with the children's), medians and the range, and the ratios of the medians.

    python bench/split_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # bench/run.py: the same runner and floor as `make bench`


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
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
