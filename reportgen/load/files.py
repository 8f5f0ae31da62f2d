"""Read a project's text files defensively: regular files only, bounded in size.

Every loader reads through `read_source`, so a FIFO or device (which would block or
never end), a file larger than its limit (which would be read whole before being
refused) or a symlink that leads out of the project (whose contents would end up in
diagnostics or the published report) is refused with a diagnostic instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reportgen.diagnostics import Code, Diagnostic, Location, Severity

# The diagnostic codes this module emits; reportgen.catalogue collects them.
LOAD_UNREADABLE = Code(
    "load.unreadable",
    Severity.ERROR,
    "A file cannot be read",
    "The file exists but could not be opened; check that it exists and you may read it.",
)
LOAD_TOO_LARGE = Code(
    "load.too-large",
    Severity.ERROR,
    "A file is larger than reportgen accepts",
    """
    Data and narrative files have a size limit so that a mistaken export cannot
    exhaust memory. Split the data into smaller files.
    """,
)
LOAD_OUTSIDE_PROJECT = Code(
    "load.outside-project",
    Severity.ERROR,
    "A file leads outside the project (through a link)",
    "Copy the file into the project instead of linking to it.",
)
LOAD_NOT_A_FILE = Code(
    "load.not-a-file",
    Severity.ERROR,
    "A path is not an ordinary file",
    "The path is a folder, pipe or device; replace it with an ordinary text file.",
)

_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def project_root_of(path: Path, rel: str) -> Path | None:
    """The project folder, given a file's path and its project-relative name."""
    parts = Path(rel).parts
    if not parts or ".." in parts or Path(rel).is_absolute():
        return None
    root = path
    for _ in parts:
        root = root.parent
    return root


def read_source(
    path: Path, rel: str, max_bytes: int, root: Path | None = None
) -> tuple[bytes | None, list[Diagnostic]]:
    """Bytes of the regular file `path` (shown as `rel`), or the diagnostic that stops it.

    When `root` is given (or can be worked out from `rel`), the file must resolve
    inside it: a symlink may point elsewhere in the project, never out of it.
    """
    where = Location(rel)
    root = root if root is not None else project_root_of(path, rel)
    if root is not None:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            return None, [
                LOAD_OUTSIDE_PROJECT.diagnostic(
                    f"'{rel}' leads outside the project folder (through a symbolic link)",
                    location=where,
                    hint="copy the file into the project instead of linking to it",
                )
            ]
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer. Windows has
        # neither the flag nor FIFOs in the file system, so it opens plainly there.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0) | _BINARY)
    except OSError as exc:
        return None, [
            LOAD_UNREADABLE.diagnostic(
                f"cannot read file: {exc.strerror or exc}",
                location=where,
                hint="check that the file exists and that you may read it",
            )
        ]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [
                LOAD_NOT_A_FILE.diagnostic(
                    "this is not a regular file (it may be a pipe, device or folder)",
                    location=where,
                    hint="replace it with an ordinary text file",
                )
            ]
        if info.st_size > max_bytes:
            return None, [_too_large(info.st_size, max_bytes, where)]
        if _NONBLOCK:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # the file grew while we read it
            return None, [_too_large(size, max_bytes, where)]
        return b"".join(chunks), []
    except OSError as exc:
        return None, [
            LOAD_UNREADABLE.diagnostic(f"cannot read file: {exc.strerror or exc}", location=where)
        ]
    finally:
        os.close(fd)


def _too_large(size: int, limit: int, where: Location) -> Diagnostic:
    return LOAD_TOO_LARGE.diagnostic(
        f"file is {size:,} bytes; the limit is {limit:,}",
        location=where,
        hint="split the data into smaller files",
    )
