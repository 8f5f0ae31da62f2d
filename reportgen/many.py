"""Build many report projects at once, one process per worker.

Each project is built by `reportgen.pipeline.build` in a worker process, so a slow PDF
in one does not hold up the others, and a failure in one (errors in its data, a bug
in reportgen, even a worker that dies) is reported for that project alone.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.cpus import usable_cpus
from reportgen.diagnostics import Diagnostic, ReportgenError, Severity
from reportgen.layout import CONFIG_FILE

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass
class ProjectOutcome:
    """How one project's build went."""

    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    up_to_date: bool = False
    seconds: float = 0.0
    crash: str | None = None  # the exception's type name when reportgen itself failed
    traceback: str | None = None  # its traceback (no local variables), for a bug report

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)


def withheld_traceback(exc: BaseException) -> str:
    """Where a bug happened: code locations and exception types, never their messages
    or local variables, which can quote a report's data about children."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        stack = traceback.TracebackException.from_exception(current).stack
        kind = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(stack.format())
            + f"{kind}: [message withheld: it may quote report data]\n"
        )
        current = current.__cause__ or current.__context__
    return "\nWhile handling the above, another error happened:\n\n".join(reversed(parts))


def find_projects(paths: Iterable[Path]) -> list[Path]:
    """Each path is a project (it has report.yaml) or a folder of projects (its
    sub-folders that have one); anything else is kept, so its build reports why."""
    found: list[Path] = []
    for path in paths:
        if not (path / CONFIG_FILE).is_file() and path.is_dir():
            inner = sorted(p for p in path.iterdir() if (p / CONFIG_FILE).is_file())
            if inner:
                found.extend(inner)
                continue
        found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def build_one(
    root: Path, html: bool | None, pdf: bool | None, cache: bool, cpus: int = 1
) -> ProjectOutcome:
    """Build one project with `cpus` CPUs; never raises (a bug becomes the outcome's
    `crash`)."""
    from reportgen.pipeline import build

    start = time.perf_counter()
    outcome = ProjectOutcome(root)
    try:
        # The projects are the parallel work: no second process per project for charts.
        result = build(root, html=html, pdf=pdf, cache=cache, chart_worker=False, cpus=cpus)
    except ReportgenError as exc:
        outcome.diagnostics = list(exc.diagnostics)
    except Exception as exc:
        outcome.crash = type(exc).__name__
        outcome.traceback = withheld_traceback(exc)
    else:
        outcome.diagnostics = list(result.diagnostics)
        outcome.outputs = list(result.outputs)
        outcome.up_to_date = result.up_to_date
    outcome.seconds = time.perf_counter() - start
    return outcome


def default_jobs(projects: int) -> int:
    """One worker per CPU this process may use, and no more than there are projects."""
    return max(1, min(usable_cpus(), projects))


def build_many(
    roots: Sequence[Path],
    *,
    jobs: int | None = None,
    html: bool | None = None,
    pdf: bool | None = None,
    cache: bool = True,
    on_done: Callable[[ProjectOutcome], None] | None = None,
) -> list[ProjectOutcome]:
    """Build every project with at most `jobs` CPUs busy; outcomes in the order of `roots`.

    `on_done` is called (in this process) as each project finishes. With one job the
    projects are built here, one after another; otherwise in fresh worker processes
    ("spawn": nothing is inherited from a caller that may run threads), one per job,
    or fewer if there are fewer projects. Each project has the CPUs its worker's share
    of `jobs` gives it (one, unless there are more jobs than projects): with one, the two
    engines of a split PDF take turns (the same bytes; pipeline.build's `cpus`).
    """
    cpus = usable_cpus() if jobs is None else max(1, jobs)
    jobs = default_jobs(len(roots)) if jobs is None else min(max(1, jobs), max(1, len(roots)))
    share = max(1, cpus // jobs)
    outcomes: dict[int, ProjectOutcome] = {}

    def finish(index: int, outcome: ProjectOutcome) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome)

    if jobs == 1 or len(roots) <= 1:
        for index, root in enumerate(roots):
            finish(index, build_one(root, html, pdf, cache, share))
        return [outcomes[i] for i in range(len(roots))]

    # Here, not at the top: `reportgen build` with one project never needs them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    try:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    except OSError:  # no process semaphores here (some containers): one after another
        return build_many(roots, jobs=1, html=html, pdf=pdf, cache=cache, on_done=on_done)
    broken: list[int] = []
    with pool:
        futures: dict[Future[ProjectOutcome], int] = {
            pool.submit(build_one, root, html, pdf, cache, share): i for i, root in enumerate(roots)
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                finish(index, future.result())
            except BrokenProcessPool:
                broken.append(index)
    # A worker died (out of memory, a crash in a C library): the pool takes every
    # unfinished project down with it. Retry those one at a time, each in its own
    # process, so only the culprit fails.
    for index in sorted(broken):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as single:
            try:
                outcome = single.submit(build_one, roots[index], html, pdf, cache, share).result()
            except BrokenProcessPool:
                outcome = ProjectOutcome(
                    roots[index],
                    crash="BrokenProcessPool",
                    traceback="the worker process building this project died unexpectedly\n",
                )
        finish(index, outcome)
    return [outcomes[i] for i in range(len(roots))]
