"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Below every stage, so the build cache (used while rendering) can write its entries
without importing the write stage, which sits above the renderer.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def public_mode(path: Path, mode: int) -> None:
    # mkstemp/mkdtemp make private files; outputs are for publishing.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to `target` so readers see the old file or the new, never half."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    # The writer's process id in the name: a later run deletes the file when that
    # process is gone (a killed build), never while it may still rename it.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent
    )
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        public_mode(Path(tmp), 0o666)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
