"""Write stage: the only code that puts reportgen's outputs in place.

Everything is rendered in memory first. Then the build is all-or-nothing:

1. A staging folder `.<out>.staging-<random>` is made beside the output folder (on the
   same file system, so it can be renamed). The outputs and the manifest are written
   into it and flushed to disk; anything else already in the output folder that this
   build does not replace (the build cache, an earlier PDF after `--html-only`) is
   carried over as hard links, which costs no copying.
2. The staging folder and the output folder are swapped in one atomic step
   (`renameat2(RENAME_EXCHANGE)` on Linux). Before that step the previous output folder
   is untouched; after it, the new one is complete. A kill or a full disk at any moment
   leaves one or the other, never a mixture.
3. The previous folder, now at the staging name, is deleted. Whatever a killed build
   left behind (staging or old folders, `.*.tmp` files) is deleted by the next one.

Where the system cannot exchange two folders (no `renameat2`: Windows, macOS, older
Linux, some file systems), the swap is two renames with a moment in between when the
output folder is missing; the next build puts the previous folder back if it was killed
in that moment. That is the documented weaker guarantee there: never a mixture, but
for an instant no folder.

Two builds into one folder take turns through a lock: `flock` on the parent folder
where `fcntl` exists, `msvcrt.locking` on a lock file beside the output on Windows.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from reportgen.atomic import public_mode, write_all, write_atomic
from reportgen.diagnostics import Code, Location, ReportgenError, Severity
from reportgen.layout import CONFIG_FILE

# The diagnostic codes this module emits; reportgen.catalogue collects them.
WRITE_BUSY = Code(
    "write.busy",
    Severity.ERROR,
    "Another build is writing into the same folder",
    "Wait for the other build to finish, then try again.",
)
WRITE_BAD_OUTPUT_FOLDER = Code(
    "write.bad-output-folder",
    Severity.ERROR,
    "The output folder cannot be used",
    "Choose an output folder of its own, such as PROJECT/build.",
)
WRITE_FAILED = Code(
    "write.failed",
    Severity.ERROR,
    "The outputs could not be written",
    "The previous outputs are unchanged; check free space and permissions.",
)

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 60.0  # seconds to wait for another build writing the same folder
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _load_renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is synced
    finally:
        os.close(fd)


_TEMPORARY_OWNER = re.compile(r"\.(\d+)-[^.]*\.tmp$")


def _writer_alive(name: str) -> bool:
    """Whether the process that made the temporary file `name` may still be writing."""
    found = _TEMPORARY_OWNER.search(name)
    if found is None:
        return False  # an older reportgen's name: its writer is long gone
    pid = int(found.group(1))
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl-C there: keep the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean_stale_temporaries(out_dir: Path) -> None:
    """Remove temporary files a killed build left inside `out_dir` and its cache."""
    if not out_dir.is_dir():
        return
    for stale in [*out_dir.glob(".*.tmp"), *(out_dir / ".cache").rglob(".*.tmp")]:
        if not stale.is_symlink() and not _writer_alive(stale.name):
            stale.unlink(missing_ok=True)


def clean_leftovers(out_dir: Path) -> None:
    """What a killed build left (staging folders, temporary files), removed at the start
    of every build, also one that finds nothing to do. Skipped while another build
    holds the folder lock: those may be its files."""
    out_dir = Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    if not parent.is_dir():
        return
    try:
        with _lock_handle(parent) as try_lock:
            if not try_lock():
                return  # another build is writing: it cleans up after itself
            clean_stale(out_dir)
    except OSError as exc:
        log.info("could not remove leftovers of an earlier build: %s", exc)


def _staging_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.staging-"


def _old_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.old-"


def clean_stale(out_dir: Path) -> list[Path]:
    """Recover from, then delete, what a killed build left beside and inside `out_dir`.

    Call with the folder lock held (see `_locked`), so no live build's staging folder
    is touched. Returns what was removed.
    """
    parent = out_dir.parent
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    olds = sorted(parent.glob(_old_prefix(out_dir) + "*"), key=lambda p: p.stat().st_mtime)
    if olds and not out_dir.exists():
        # Killed between the two renames of the fallback swap: put the previous back.
        os.rename(olds.pop(), out_dir)
        log.info("restored %s from an interrupted build", out_dir)
    for stale in [*parent.glob(_staging_prefix(out_dir) + "*"), *olds]:
        _remove_tree(stale)
        removed.append(stale)
    clean_stale_temporaries(out_dir)
    return removed


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder's parent while writing.

    Two builds into the same folder (say `serve` and a CLI build) take turns instead
    of deleting each other's staging folders. The lock dies with the process.
    """
    deadline = time.monotonic() + LOCK_TIMEOUT
    with _lock_handle(parent) as try_lock:
        while not try_lock():
            if time.monotonic() > deadline:
                raise ReportgenError(
                    [
                        WRITE_BUSY.diagnostic(
                            f"another build has been writing into {parent} for more "
                            f"than {LOCK_TIMEOUT:g} seconds",
                            location=Location(str(parent)),
                            hint="wait for the other build to finish, then try again",
                        )
                    ]
                ) from None
            time.sleep(0.05)
        yield


@contextlib.contextmanager
def _lock_handle(parent: Path) -> Iterator[Callable[[], bool]]:
    """A function that tries once to take the lock; the lock goes with the handle."""
    try:
        import fcntl
    except ImportError:  # Windows
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        fd = os.open(parent, os.O_RDONLY)

        def try_flock() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        try:
            yield try_flock
        finally:
            os.close(fd)  # releases the lock
        return
    try:
        import msvcrt
    except ImportError:  # neither: builds into one folder must not run at once
        yield lambda: True
        return
    lock_file = parent / ".reportgen.lock"
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)

    def try_locking() -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    try:
        yield try_locking
    finally:
        os.close(fd)  # closing the handle releases a Windows byte-range lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when this system cannot."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(  # type: ignore[operator]
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _carry_over(source: Path, target: Path, skip: set[str] | None = None) -> None:
    """Hard-link everything in `source` that `target` lacks (folders recreated).

    Entries named in `skip` are left behind: this build replaces them as a whole.
    """
    for entry in os.scandir(source):
        if skip and entry.name in skip:
            continue
        dest = target / entry.name
        if os.path.lexists(dest):
            if entry.is_dir(follow_symlinks=False) and dest.is_dir() and not dest.is_symlink():
                _carry_over(Path(entry.path), dest)
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), dest)
        elif entry.is_dir(follow_symlinks=False):
            dest.mkdir()
            shutil.copystat(entry.path, dest)
            _carry_over(Path(entry.path), dest)
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, dest)
            except OSError:
                shutil.copy2(entry.path, dest)


def _swap_in(staging: Path, out_dir: Path) -> Path | None:
    """Make `staging` the output folder in one step; return where the previous one is."""
    if not os.path.lexists(out_dir):
        try:
            os.rename(staging, out_dir)
            return None
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if _exchange(staging, out_dir):
        return staging
    old = out_dir.parent / (_old_prefix(out_dir) + secrets.token_hex(6))
    os.rename(out_dir, old)
    os.rename(staging, out_dir)  # a kill before this line is undone by `clean_stale`
    return old


def _check_out_dir(out_dir: Path) -> None:
    problem: str | None = None
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        problem = "is not a folder"
    elif (out_dir / CONFIG_FILE).exists():
        problem = f"holds a report project ({CONFIG_FILE}); outputs would replace it"
    elif out_dir.parent == out_dir:
        problem = "is the root of the file system"
    elif out_dir.is_dir() and not (out_dir / "manifest.json").is_file():
        # The whole folder is swapped: never one that reportgen did not build before
        # (only the build cache may come first, written while rendering).
        others = sorted(p.name for p in out_dir.iterdir() if p.name != ".cache")
        if others:
            problem = (
                f"holds files reportgen did not write ({', '.join(others[:3])}"
                + (", ..." if len(others) > 3 else "")
                + ")"
            )
    if problem:
        raise ReportgenError(
            [
                WRITE_BAD_OUTPUT_FOLDER.diagnostic(
                    f"the output folder {out_dir} {problem}",
                    location=Location(str(out_dir)),
                    hint="choose a new or empty output folder of its own, such as PROJECT/build",
                )
            ]
        )


def _manifest(outputs: dict[str, bytes], inputs: dict[str, bytes]) -> bytes:
    manifest = {
        "inputs": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(inputs.items())},
        "outputs": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(outputs.items())},
    }
    return (json.dumps(manifest, indent=2) + "\n").encode()


def write_outputs(out_dir: Path, outputs: dict[str, bytes], inputs: dict[str, bytes]) -> Path:
    """Replace the outputs in `out_dir` all at once, with a manifest of input and output hashes.

    Returns the manifest's path. A failure (a full disk, a folder that cannot be
    written) is a `ReportgenError`; in every case the previous outputs stay as they were.
    """
    out_dir = Path(os.path.abspath(out_dir))
    for name in outputs:
        parts = name.split("/")
        if (
            len(parts) > 2
            or any(p in ("", ".", "..") or "\\" in p for p in parts)
            or name == "manifest.json"
        ):
            raise ValueError(f"output name {name!r} is not a file name or folder/file name")
    # A folder of outputs (the data export) is replaced as a whole: a file an earlier
    # build wrote there and this one does not (a table since removed) must not linger.
    replaced = {name.split("/")[0] for name in outputs if "/" in name}
    _check_out_dir(out_dir)
    staging: Path | None = None
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out_dir.parent):
            clean_stale(out_dir)
            staging = out_dir.parent / (_staging_prefix(out_dir) + secrets.token_hex(6))
            staging.mkdir(mode=0o700)
            for name, data in outputs.items():
                if "/" in name:
                    (staging / name).parent.mkdir(exist_ok=True)
                _write_new(staging / name, data)
            _write_new(staging / "manifest.json", _manifest(outputs, inputs))
            if out_dir.is_dir():
                _carry_over(out_dir, staging, skip=replaced)
                shutil.copystat(out_dir, staging)
            else:
                public_mode(staging, 0o777)
            _fsync_dir(staging)
            previous = _swap_in(staging, out_dir)  # the commit point
            staging = None
            _fsync_dir(out_dir.parent)
            if previous is not None:
                _remove_tree(previous)
    except OSError as exc:
        raise ReportgenError(
            [
                WRITE_FAILED.diagnostic(
                    f"could not write the outputs: {exc.strerror or exc}"
                    + (f" ({exc.filename})" if exc.filename else ""),
                    location=Location(str(out_dir)),
                    hint="the previous outputs are unchanged; "
                    + (
                        "free some disk space and build again"
                        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                        else "check that the output folder can be written, then build again"
                    ),
                )
            ]
        ) from None
    finally:
        if staging is not None:
            _remove_tree(staging)
    return out_dir / "manifest.json"


__all__ = [
    "clean_leftovers",
    "clean_stale",
    "clean_stale_temporaries",
    "write_atomic",
    "write_outputs",
]
