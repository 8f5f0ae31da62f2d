"""Progress of long work (charts, the PDF) as events; the CLI decides whether to show them.

Stages never print: they call a `ProgressFn` if they were given one. The command line
passes one only when stderr is a terminal, `--quiet` is off and `CI` is unset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    """One step of long work: `stage` is "charts" or "pdf"; `done` counts steps so far."""

    stage: str
    done: int
    detail: str = ""
    finished: bool = False


ProgressFn = Callable[[ProgressEvent], None]


class _WeasyPrintSteps(logging.Handler):
    """Turn WeasyPrint's 'weasyprint.progress' log records into progress events."""

    def __init__(self, progress: ProgressFn) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        # "Step 5 - Creating layout - Page 12" -> "creating layout - page 12"
        text = record.getMessage()
        detail = text.split(" - ", 1)[-1].lower() if text.startswith("Step") else text
        self.progress(ProgressEvent("pdf", self.count, detail))


@contextmanager
def weasyprint_progress(progress: ProgressFn | None) -> Iterator[None]:
    """While rendering a PDF, forward WeasyPrint's own progress log to `progress`."""
    if progress is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _WeasyPrintSteps(progress)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # INFO records must not reach the application's own handlers
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
        progress(ProgressEvent("pdf", handler.count, "done", finished=True))
