"""reportgen's core runs where POSIX-only pieces are missing (as on Windows).

Each command runs in a fresh interpreter in which `fcntl`, `os.O_NONBLOCK` and libc's
`renameat2` do not exist, hidden before reportgen is imported, the way they are absent
on Windows. A fake `msvcrt` can be added to check the Windows lock path is taken.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_PRELUDE = textwrap.dedent(
    """
    import ctypes, os, sys, types
    sys.modules["fcntl"] = None  # `import fcntl` raises ImportError, as on Windows
    del os.O_NONBLOCK
    _CDLL = ctypes.CDLL
    class _NoLibc(_CDLL):
        def __init__(self, name, *args, **kwargs):
            if name is None:  # libc's own symbols, renameat2 among them
                raise OSError("no C library handle")
            super().__init__(name, *args, **kwargs)
    ctypes.CDLL = _NoLibc
    if os.environ.get("FAKE_MSVCRT"):
        import subprocess  # decides it is on Windows when msvcrt imports: load it first
        calls = []
        fake = types.ModuleType("msvcrt")
        fake.LK_NBLCK = 2
        fake.locking = lambda fd, mode, nbytes: calls.append((mode, nbytes))
        sys.modules["msvcrt"] = fake
        import atexit
        atexit.register(lambda: open(os.environ["FAKE_MSVCRT"], "w").write(repr(calls)))
    import reportgen.write
    assert reportgen.write._RENAMEAT2 is None
    from reportgen.cli import main
    sys.argv = ["reportgen", *sys.argv[1:]]
    main()
    """
)


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", _PRELUDE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def portable_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("portable")
    done = _run(
        where, "init", "riverside", "--partnership", "Riverside Safeguarding Children Partnership"
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return where / "riverside"


def test_init_writes_a_project_without_posix_modules(portable_project: Path) -> None:
    assert (portable_project / "report.yaml").is_file()
    assert (portable_project / "content").is_dir()


def test_validate_runs_without_posix_modules(portable_project: Path) -> None:
    done = _run(portable_project, "validate", ".", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout or done.stderr)
    assert result["summary"]["errors"] == 0


def test_html_build_runs_and_swaps_without_renameat2(
    portable_project: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "msvcrt-calls"
    first = _run(portable_project, "build", ".", "--html-only", env={"FAKE_MSVCRT": str(calls)})
    assert first.returncode == 0, first.stderr
    pages = list((portable_project / "build").glob("*.html"))
    assert len(pages) == 1
    # The Windows lock was taken on a lock file beside the output folder.
    locks = ast.literal_eval(calls.read_text())
    assert locks and set(locks) == {(2, 1)}  # cleaning leftovers, then writing
    # A second build replaces the folder by two renames and leaves nothing behind.
    (portable_project / "content" / "01-introduction.md").write_text(
        "Written again for the second build.\n", encoding="utf-8"
    )
    second = _run(portable_project, "build", ".", "--html-only")
    assert second.returncode == 0, second.stderr
    assert "Written again" in pages[0].read_text(encoding="utf-8")
    leftovers = [p.name for p in portable_project.iterdir() if p.name.startswith(".build.")]
    assert leftovers == []


# Loaded by every Python process started with it on PYTHONPATH, the build's own and the
# PDF engine process it starts alike: no Pango, as on a machine without the package.
_NO_PANGO_SITE = textwrap.dedent(
    """
    import cffi
    _dlopen = cffi.FFI.dlopen
    def dlopen(self, name, *args, **kwargs):
        if "pango" in str(name):
            raise OSError(f"cannot load library '{name}': no such file")
        return _dlopen(self, name, *args, **kwargs)
    cffi.FFI.dlopen = dlopen
    """
)


def test_missing_pdf_libraries_are_a_diagnostic_and_the_html_is_still_written(
    portable_project: Path, tmp_path: Path
) -> None:
    import os

    out = tmp_path / "out"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_NO_PANGO_SITE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(portable_project), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert done.returncode == 1, done.stderr
    text = done.stdout + done.stderr
    assert "Traceback" not in text and "internal error" not in text
    assert "WeasyPrint could not import" not in text  # its banner is replaced by ours
    assert "render.pdf-engine-missing" in text
    assert "apt-get install libpango-1.0-0" in text
    assert [p.suffix for p in out.iterdir() if not p.name.startswith(".")].count(".html") == 1
    assert not list(out.glob("*.pdf"))
