#!/usr/bin/env python3
"""A measured prototype, off the build path: one report's PDF laid out on two cores.

The example's sections each start on a new page, so the print page can be cut between
two sections into two documents. This lays out the whole page in one process, then the
two parts at the same time in two processes (each with WeasyPrint already imported, as
the build's engine process has it), joins the parts' pages with pikepdf, and prints the
wall times side by side, in rounds.

It measures the possible gain only. The joined PDF is not a finished one: the second
part's page numbers start again at 1 ("Page x of y" and the contents page would need
the first part's page count, known only after its layout or from a previous build), and
the two structure trees, ID trees, outlines and link annotations are not merged. See
reportgen/docs/performance.md for the results and why it is not in the build.

    python bench/split_layout.py [PROJECT] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_SECTION = re.compile(r'<section class="report-section[^"]*"')


def split(page: str) -> tuple[str, str, int]:
    """The print page cut into two documents at the section boundary nearest its
    middle (by characters); also how many sections the first part holds."""
    starts = [m.start() for m in _SECTION.finditer(page)]
    end = page.index("</main>")
    head, tail = page[: starts[0]], page[end:]
    middle = (starts[0] + end) / 2
    cut = min(range(1, len(starts)), key=lambda i: abs(starts[i] - middle))
    first = page[: starts[cut]] + tail
    # The second part: the page's head (styles, fonts) but no cover or contents.
    body = head[: head.index("<body")] + re.search(r"<body[^>]*>", head).group(0)  # type: ignore[union-attr]
    second = body + '\n<main id="main">\n' + page[starts[cut] : end] + tail
    return first, second, cut


def _warm() -> None:
    import weasyprint  # noqa: F401

    import reportgen.render.pdf  # noqa: F401


def _layout(html: str, root: str, images: dict[str, bytes]) -> tuple[bytes, float, float]:
    """The PDF, and the wall and CPU seconds its layout took."""
    from reportgen.render.pdf import render_pdf

    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(html, Path(root), images.get)
    return pdf, time.perf_counter() - started, time.process_time() - cpu


def join(parts: list[bytes]) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(parts[0])) as whole:
        for part in parts[1:]:
            with pikepdf.open(io.BytesIO(part)) as more:
                whole.pages.extend(more.pages)
        out = io.BytesIO()
        whole.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from reportgen import pipeline
    from reportgen.cache import BuildCache
    from reportgen.render.chartset import ChartSet

    result = pipeline.validate(args.project)
    assert result.project is not None and result.derived is not None
    with ChartSet.of_report(result.project, result.derived, BuildCache.disabled()) as charts:
        page = pipeline.render_page(result.project, result.derived, charts, medium="print")
        images = charts.images()
    first, second, cut = split(page)
    root = str(result.project.root)
    print(f"print page {len(page):,} characters; cut before section {cut + 1}", file=sys.stderr)

    context = multiprocessing.get_context("spawn")
    whole: list[float] = []
    whole_cpu: list[float] = []
    parts_cpu: list[float] = []
    halves: list[float] = []
    parts_time: list[tuple[float, float]] = []
    joining: list[float] = []
    pages: tuple[int, int, int] = (0, 0, 0)
    with ProcessPoolExecutor(2, mp_context=context, initializer=_warm) as pool:
        list(pool.map(_warm_task, range(2)))  # both processes started, WeasyPrint imported

        for i in range(args.runs):
            order = ["whole", "split"] if i % 2 == 0 else ["split", "whole"]
            for what in order:
                started = time.perf_counter()
                if what == "whole":
                    whole_pdf, _, cpu = pool.submit(_layout, page, root, images).result()
                    whole.append(time.perf_counter() - started)
                    whole_cpu.append(cpu)
                    continue
                futures = [pool.submit(_layout, part, root, images) for part in (first, second)]
                done = [f.result() for f in futures]
                joined_at = time.perf_counter()
                joined = join([pdf for pdf, _, _ in done])
                joining.append(time.perf_counter() - joined_at)
                halves.append(time.perf_counter() - started)
                parts_time.append((done[0][1], done[1][1]))
                parts_cpu.append(done[0][2] + done[1][2])
                pages = (_count(done[0][0]), _count(done[1][0]), _count(joined))
            print(
                f"round {i + 1}: whole {whole[-1]:.2f} s, split and joined {halves[-1]:.2f} s "
                f"(parts {parts_time[-1][0]:.2f} s and {parts_time[-1][1]:.2f} s, "
                f"join {joining[-1]:.2f} s); CPU whole {whole_cpu[-1]:.2f} s, "
                f"parts {parts_cpu[-1]:.2f} s",
                file=sys.stderr,
            )
    print(
        f"whole: median {statistics.median(whole):.2f} s; split in two processes and joined: "
        f"median {statistics.median(halves):.2f} s; ratio "
        f"{statistics.median(halves) / statistics.median(whole):.2f} x; pages "
        f"{pages[0]} + {pages[1]} = {pages[2]} (whole: {_count(whole_pdf)})"
    )


def _warm_task(_i: int) -> None:
    time.sleep(0.5)  # long enough that the second task goes to the second process


def _count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


if __name__ == "__main__":
    main()
