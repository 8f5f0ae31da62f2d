"""How many CPUs this process may use: for the chart workers and `build --jobs`.

Its own module at the bottom of the package, so the renderer need not import the
many-projects runner (which imports the pipeline, which imports the renderer).
"""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
