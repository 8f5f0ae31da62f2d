"""The progress display on stderr, for a person watching a terminal."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, Task, TaskID

    from reportgen.progress import ProgressEvent


class _ProgressDisplay:
    """One progress display on stderr for the whole command: what is being made, and the
    time since the command started (it does not restart between steps). Drawn by Rich,
    from the first event on, so a build with nothing to make shows nothing."""

    def __init__(self, total: int | None = None, console: Console | None = None) -> None:
        self.started = time.monotonic()
        self.total = total  # projects, for many; None: steps of unknown number
        self.console = console  # stderr unless given (tests)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if event.finished:  # the PDF is made; the display stays until the build ends
            return
        if event.stage == "charts":
            self.update(f"drawing chart {event.done}: {event.detail}")
        else:
            self.update(f"making the PDF: {event.detail}")

    def update(self, description: str, advance: int = 0) -> None:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            self._progress = Progress(
                SpinnerColumn(),
                BarColumn(bar_width=20),
                _elapsed_column(self.started),
                TextColumn("{task.description}"),
                console=self.console or Console(stderr=True),
                transient=True,
                # Lines printed meanwhile go above the display (results to stdout only
                # when stdout is this terminal too: never into a redirected file's place).
                redirect_stdout=sys.stdout.isatty(),
                redirect_stderr=True,
            )
            self._task = self._progress.add_task(description, total=self.total)
            self._progress.start()
        assert self._task is not None
        self._progress.update(self._task, description=description, advance=advance)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _elapsed_column(started: float) -> ProgressColumn:
    """Seconds since `started`, redrawn by Rich as time passes."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Elapsed(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{time.monotonic() - started:5.1f} s")

    return Elapsed()


def _progress_line(quiet: bool, total: int | None = None) -> _ProgressDisplay | None:
    """Progress only for a person watching: a terminal, not --quiet, not CI."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return _ProgressDisplay(total)


def _close(progress: _ProgressDisplay | None) -> None:
    if progress is not None:
        progress.close()
