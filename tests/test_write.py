"""The write stage is all-or-nothing: the previous build/ survives any failure byte for byte.

`snapshot` reads a whole output folder (every file's bytes, every folder) so a test
can say "exactly the old build" or "exactly the new build", never a mixture.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reportgen import write
from reportgen.diagnostics import ReportgenError
from reportgen.write import clean_stale, write_outputs

Snapshot = dict[str, bytes | None]  # relative path -> bytes (None for a folder)


def snapshot(folder: Path, *, cache: bool = True) -> Snapshot:
    """Every folder and file's bytes under `folder` (without `.cache/` if not `cache`)."""
    if not folder.exists():
        return {}
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not cache and (rel == ".cache" or rel.startswith(".cache/")):
            continue
        found[rel] = None if path.is_dir() else path.read_bytes()
    return found


def leftovers(out: Path) -> list[str]:
    """Staging or old folders, or temporaries, a build left behind."""
    names = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    if out.is_dir():
        names += [p.name for p in out.glob(".*.tmp")]
    return names


OLD = {"report.html": b"<p>old</p>", "report.pdf": b"%PDF-old"}
NEW = {"report.html": b"<p>new</p>" * 1000, "report.pdf": b"%PDF-new" * 1000}
INPUTS = {"report.yaml": b"title: x\n"}


def test_first_build_creates_the_folder_with_outputs_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "build"
    manifest = write_outputs(out, NEW, INPUTS)
    assert manifest == out / "manifest.json"
    files = snapshot(out)
    assert files["report.html"] == NEW["report.html"]
    assert files["report.pdf"] == NEW["report.pdf"]
    document = json.loads(files["manifest.json"] or b"")
    assert set(document["outputs"]) == {"report.html", "report.pdf"}
    assert set(document["inputs"]) == {"report.yaml"}
    assert leftovers(out) == []


def test_outputs_are_readable_by_everyone_the_umask_allows(tmp_path: Path) -> None:
    out = tmp_path / "build"
    old_umask = os.umask(0o022)
    try:
        write_outputs(out, NEW, INPUTS)
    finally:
        os.umask(old_umask)
    assert (out / "report.html").stat().st_mode & 0o777 == 0o644
    assert out.stat().st_mode & 0o777 == 0o755


def test_rebuild_replaces_outputs_and_keeps_what_it_does_not_make(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    cache = out / ".cache" / "objects" / "ab"
    cache.mkdir(parents=True)
    (cache / "chart.json").write_bytes(b"{}")
    write_outputs(out, {"report.html": NEW["report.html"]}, INPUTS)  # --html-only
    files = snapshot(out)
    assert files["report.html"] == NEW["report.html"]
    assert files["report.pdf"] == OLD["report.pdf"]  # kept, as before
    assert files[".cache/objects/ab/chart.json"] == b"{}"
    assert leftovers(out) == []


def test_disk_full_while_writing_leaves_the_previous_build_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    before = snapshot(out)
    real_write = os.write
    written = 0

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        nonlocal written
        if written > 3000:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data[:1000]))  # short writes, as a nearly full disk gives
        written += n
        return n

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(ReportgenError) as caught:
        write_outputs(out, NEW, INPUTS)
    monkeypatch.undo()
    (diag,) = caught.value.diagnostics
    assert diag.code == "write.failed"
    assert "No space left on device" in diag.message
    assert diag.hint is not None and "free some disk space" in diag.hint
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("step", ["fsync", "link", "exchange"])
def test_a_failure_at_any_step_before_the_swap_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    (out / ".cache").mkdir()
    (out / ".cache" / "entry").write_bytes(b"cached")
    before = snapshot(out)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    target = {"fsync": (os, "fsync"), "link": (os, "link"), "exchange": (write, "_exchange")}
    monkeypatch.setattr(*target[step], fail)
    if step == "link":
        monkeypatch.setattr(shutil, "copy2", fail)
    with pytest.raises(ReportgenError):
        write_outputs(out, NEW, INPUTS)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_without_rename_exchange_the_two_rename_fallback_still_swaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    write_outputs(out, NEW, INPUTS)
    assert snapshot(out)["report.html"] == NEW["report.html"]
    assert leftovers(out) == []


def test_a_kill_between_the_fallback_renames_is_undone_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    before = snapshot(out)
    # What the fallback leaves when killed after its first rename.
    os.rename(out, tmp_path / ".build.old-123456")
    (tmp_path / ".build.staging-abcdef").mkdir()
    (tmp_path / ".build.staging-abcdef" / "report.html").write_bytes(b"half")
    clean_stale(out)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_stale_staging_folders_and_temporaries_are_cleaned_on_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_outputs(out, OLD, INPUTS)
    (tmp_path / ".build.staging-0a1b2c").mkdir()
    (tmp_path / ".build.staging-0a1b2c" / "report.pdf").write_bytes(b"partial")
    (tmp_path / ".build.old-0a1b2c").mkdir()
    (out / ".report.html.x1y2.tmp").write_bytes(b"partial")  # from the per-file writer
    (tmp_path / ".other.staging-0a1b2c").mkdir()  # another output folder's: not ours
    write_outputs(out, NEW, INPUTS)
    assert leftovers(out) == []
    assert (tmp_path / ".other.staging-0a1b2c").is_dir()


def test_output_folder_that_holds_a_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text("title: x\n")
    with pytest.raises(ReportgenError) as caught:
        write_outputs(tmp_path, NEW, INPUTS)
    assert caught.value.diagnostics[0].code == "write.bad-output-folder"
    assert (tmp_path / "report.yaml").read_text() == "title: x\n"


def test_a_folder_reportgen_did_not_build_is_refused(tmp_path: Path) -> None:
    desktop = tmp_path / "Desktop"
    desktop.mkdir()
    (desktop / "notes.txt").write_text("mine")
    with pytest.raises(ReportgenError) as caught:
        write_outputs(desktop, NEW, INPUTS)
    (diag,) = caught.value.diagnostics
    assert diag.code == "write.bad-output-folder"
    assert "notes.txt" in diag.message
    assert snapshot(desktop) == {"notes.txt": b"mine"}
    assert leftovers(desktop) == []


def test_an_empty_folder_or_one_with_only_the_cache_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_outputs(tmp_path / "empty", NEW, INPUTS)
    (tmp_path / "cached" / ".cache").mkdir(parents=True)
    write_outputs(tmp_path / "cached", NEW, INPUTS)
    assert (tmp_path / "cached" / ".cache").is_dir()


def test_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "build").write_text("not a folder")
    with pytest.raises(ReportgenError) as caught:
        write_outputs(tmp_path / "build", NEW, INPUTS)
    assert caught.value.diagnostics[0].code == "write.bad-output-folder"


def test_output_names_must_be_plain_file_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_outputs(tmp_path / "build", {"../escape.html": b"x"}, INPUTS)


def test_a_second_writer_waits_for_the_lock_then_gives_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    out = tmp_path / "build"
    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.2)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ReportgenError) as caught:
            write_outputs(out, NEW, INPUTS)
    finally:
        os.close(fd)
    assert caught.value.diagnostics[0].code == "write.busy"
    assert not out.exists()


# A writer in a subprocess, slowed at every fsync so a kill can land at any step.
_SLOW_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from reportgen import write

    real_fsync = os.fsync
    def slow_fsync(fd):
        time.sleep(0.01)
        real_fsync(fd)
    os.fsync = slow_fsync
    outputs = {f"part-{i}.html": (b"new %d " % i) * 20000 for i in range(12)}
    write.write_outputs(Path(sys.argv[1]), outputs, {"report.yaml": b"x"})
    """
)


def _old_build(out: Path) -> Snapshot:
    write_outputs(out, {f"part-{i}.html": (b"old %d " % i) * 100 for i in range(12)}, INPUTS)
    (out / ".cache").mkdir()
    (out / ".cache" / "chart.json").write_bytes(b"{}")
    return snapshot(out)


def test_sigkill_at_random_moments_leaves_the_old_build_or_the_new_one(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(write.__file__).resolve().parents[1])}
    script = tmp_path / "writer.py"
    script.write_text(_SLOW_WRITER)
    # One clean run, to know what the new build looks like and how long it takes.
    reference = tmp_path / "reference" / "build"
    reference.parent.mkdir()
    _old_build(reference)
    started = time.monotonic()
    subprocess.run([sys.executable, str(script), str(reference)], env=env, check=True)
    duration = time.monotonic() - started
    new = snapshot(reference)
    rng = random.Random(6)
    outcomes: set[str] = set()
    for attempt in range(12):
        out = tmp_path / f"run-{attempt}" / "build"
        out.parent.mkdir()
        old = _old_build(out)
        proc = subprocess.Popen([sys.executable, str(script), str(out)], env=env)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = snapshot(out)
        assert state in (old, new), f"attempt {attempt}: a mixture of old and new outputs"
        outcomes.add("old" if state == old else "new")
        clean_stale(out)  # what the next run does first
        assert leftovers(out) == []
        assert snapshot(out) == state
    assert "old" in outcomes  # the kills did land before the swap at least once


def test_killed_cli_build_leaves_the_previous_build(tmp_path: Path) -> None:
    """A real `reportgen build`, killed at random moments: build/ is old or new, whole.

    The build cache (`build/.cache/`) is left out of the comparison: it records when it
    was used, and the cache keeps it consistent file by file on its own.
    """
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "hostile" / "base", project)
    command = [sys.executable, "-m", "reportgen", "build", str(project), "--html-only"]
    subprocess.run(command, check=True, capture_output=True)
    old = snapshot(project / "build", cache=False)
    (project / "content" / "budget.md").write_text("Changed. {{ budget.income.total }}\n")
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    new = snapshot(project / "build", cache=False)
    assert new != old
    rng = random.Random(7)
    for _ in range(4):
        shutil.rmtree(project / "build")
        (project / "content" / "budget.md").write_text(BUDGET_MD_BEFORE)
        subprocess.run(command, check=True, capture_output=True)
        assert snapshot(project / "build", cache=False) == old
        (project / "content" / "budget.md").write_text("Changed. {{ budget.income.total }}\n")
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(duration * 0.5, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert snapshot(project / "build", cache=False) in (old, new)


BUDGET_MD_BEFORE = (
    Path(__file__).parent / "hostile" / "base" / "content" / "budget.md"
).read_text()
