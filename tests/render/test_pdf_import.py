"""render/pdf.py: WeasyPrint imported with its libraries found in the linker's cache."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys

import pytest

from reportgen.render.pdf import _linker_cache

# The names WeasyPrint 70 asks cffi for (text/ffi.py) that reach find_library on Linux:
# each that cffi cannot open as it is, up to the first found, and all of an optional one.
_NAMES = [
    *("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0"),
    *("libpango-1.0-0", "pango-1.0-0", "pango-1.0"),
    *("libharfbuzz-0", "harfbuzz", "libharfbuzz-subset-0", "harfbuzz-subset"),
    *("libharfbuzz-vector-0", "harfbuzz-vector", "harfbuzz-vector-0.0"),
    *("libharfbuzz-vector.so.0", "libharfbuzz-vector.0.dylib", "libharfbuzz-vector-0.dll"),
    *("libfontconfig-1", "fontconfig-1", "fontconfig"),
    *("libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0"),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker cache is Linux's")
def test_the_linker_cache_answers_as_ctypes_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    monkeypatch.delenv("LIBRARY_PATH", raising=False)
    quick = _linker_cache()
    assert quick is not None
    assert {name: quick(name) for name in _NAMES} == {
        name: ctypes.util.find_library(name) for name in _NAMES
    }
    assert quick("pango-1.0") is not None  # the engine's own library is there
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/elsewhere")  # ctypes' way, then
    assert _linker_cache() is None


# Imports WeasyPrint through reportgen in a fresh process and prints every program a
# subprocess started (find_library runs ldconfig, gcc and ld).
_IMPORT = """
import subprocess

started = []
real = subprocess.Popen.__init__

def recording(self, args, *rest, **kwargs):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    real(self, args, *rest, **kwargs)

subprocess.Popen.__init__ = recording
from reportgen.render.pdf import import_weasyprint

import_weasyprint()
import weasyprint.text.ffi as ffi

assert ffi.pango is not None and ffi.harfbuzz_subset is not None
print(" ".join(started))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker cache is Linux's")
def test_importing_the_engine_runs_no_compiler_or_linker() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LIBRARY_PATH")}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["/sbin/ldconfig"]  # one reading, no gcc, no ld
