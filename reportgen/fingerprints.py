"""Fingerprints: hashes of what a build depends on beyond the project's own files.

The tool (reportgen's files, the installed distributions, Python), the system's fonts
and text-layout libraries, the environment variables that change the outputs, and
files by content. The build cache (`reportgen.cache`) keys its entries with them.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reportgen import __version__

MISSING = "missing"  # the digest of a file that is not there


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_json(value: object) -> str:
    return sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


@functools.lru_cache(maxsize=256)
def _file_digest_cached(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or "missing"; memoised on (path, size, mtime)."""
    try:
        st = path.stat()
        return _file_digest_cached(str(path), st.st_size, st.st_mtime_ns)
    except OSError:
        return MISSING


def _site_dirs() -> Iterator[Path]:
    # The working folder is on sys.path as "" (`python -c`) or as its full path
    # (`python -m`): what lies there is no installed distribution, and a `*.egg-info`
    # left by `pip wheel .` must not change the tool, nor how the process was started.
    here = Path.cwd().resolve()
    for entry in sys.path:
        path = Path(entry or ".")
        if path.is_dir() and path.resolve() != here:
            yield path


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """reportgen's own files, every installed distribution and Python, as one hash.

    Hashing the package's files, not just its version, keeps the cache honest for
    editable installs; listing distributions (their folder names carry versions)
    notices an upgrade of matplotlib, WeasyPrint or anything they use.
    """
    h = hashlib.sha256()
    h.update(f"reportgen {__version__}\npython {sys.version}\n{sys.platform}\n".encode())
    package = Path(__file__).resolve().parent
    files: list[Path] = []
    for here, dirs, names in os.walk(package):  # not into __pycache__: half the files
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [Path(here, name) for name in names]
    for path in sorted(files):
        if path.is_file():
            h.update(f"{path.relative_to(package).as_posix()}\0{file_digest(path)}\n".encode())
    dists: set[str] = set()
    for folder in _site_dirs():
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        dists.update(n for n in names if n.endswith((".dist-info", ".egg-info", ".egg-link")))
    for name in sorted(dists):
        h.update(f"dist {name}\n".encode())
    return h.hexdigest()


def matplotlibrc_files() -> list[Path]:
    """matplotlibrc files that matplotlib would read (they can change how charts look)."""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidates = [Path.cwd() / "matplotlibrc", config_home / "matplotlib" / "matplotlibrc"]
    for var in ("MATPLOTLIBRC", "MPLCONFIGDIR"):
        value = os.environ.get(var)
        if value:
            candidates += [Path(value), Path(value) / "matplotlibrc"]
    return [p for p in candidates if p.is_file()]


_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/etc/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)
_LIBRARIES = ("libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libfontconfig", "libfreetype")
_LIBRARY_DIRS = ("/usr/lib", "/usr/lib64", "/usr/lib/*-linux-gnu", "/usr/local/lib", "/opt/*/lib")


@functools.lru_cache(maxsize=1)
def system_fingerprint() -> str:
    """Installed fonts and fontconfig settings (by name, size and date) and the versions
    of the text-layout libraries WeasyPrint loads (from their file names)."""
    h = hashlib.sha256()
    for folder in _FONT_DIRS:
        _hash_tree(h, os.path.expanduser(folder))
    _hash_libraries(h, _LIBRARIES)
    return h.hexdigest()


def _hash_tree(h: Any, folder: str) -> None:
    """Every file under `folder` by name, size and date (reading them would cost more)."""
    for dirpath, _dirs, files in os.walk(folder):
        for name in sorted(files):
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            h.update(f"{dirpath}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def _hash_libraries(h: Any, libraries: Iterable[str]) -> None:
    """Shared libraries by the file they resolve to (its name carries the version)."""
    for lib in libraries:
        for folder in _LIBRARY_DIRS:
            for path in sorted(glob.glob(f"{folder}/{lib}*")):
                h.update(f"{os.path.realpath(path)}\n".encode())


# Environment variables that change what a build makes (PDF dates, fonts, matplotlib).
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "MATPLOTLIBRC")


def environment_fingerprint() -> dict[str, object]:
    """The environment a whole build depends on beyond its files and the tool."""
    return {
        "variables": {name: os.environ.get(name) for name in ENVIRONMENT},
        "matplotlibrc": [file_digest(p) for p in matplotlibrc_files()],
    }


# Where Enchant and its Hunspell provider look for dictionaries and settings (Linux and
# macOS; on Windows pyenchant's wheel carries its own, inside the distribution), and
# the variables that move them: the spelling check's verdicts depend on these files.
_SPELLING_DIRS = (
    "/usr/share/hunspell",
    "/usr/share/myspell",
    "/usr/share/myspell/dicts",
    "/usr/local/share/hunspell",
    "/usr/share/enchant-2",
    "/usr/share/enchant",
    "/etc/enchant-2",
    "/etc/enchant",
    "/usr/lib/*-linux-gnu/enchant-2",
    "/usr/lib/enchant-2",
    "/usr/local/lib/enchant-2",
    "/usr/lib/aspell",
    "/usr/lib/*-linux-gnu/aspell",
    "/usr/share/aspell",
    "/opt/homebrew/share/hunspell",
    "/opt/homebrew/lib/enchant-2",
    "~/Library/Spelling",
)
_SPELLING_VARIABLES = ("ENCHANT_CONFIG_DIR", "DICPATH", "PYENCHANT_LIBRARY_PATH")
_SPELLING_LIBRARIES = ("libenchant-2", "libhunspell")


@functools.lru_cache(maxsize=1)
def spelling_fingerprint() -> str:
    """The dictionaries, provider modules and settings Enchant may read (by name, size
    and date), the Enchant and Hunspell libraries (by file name) and the variables that
    point Enchant elsewhere: without loading Enchant (that is what it saves)."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    folders = [*_SPELLING_DIRS, f"{config_home}/enchant"]
    folders += [f"{d}/{sub}" for d in data_dirs if d for sub in ("hunspell", "enchant-2")]
    folders += [v for v in (os.environ.get(n) for n in _SPELLING_VARIABLES) if v]
    h = hashlib.sha256()
    for name in (*_SPELLING_VARIABLES, "XDG_CONFIG_HOME", "XDG_DATA_DIRS"):
        h.update(f"{name}={os.environ.get(name)}\n".encode())
    for pattern in folders:
        for folder in sorted(glob.glob(os.path.expanduser(pattern))):
            _hash_tree(h, folder)
    _hash_libraries(h, _SPELLING_LIBRARIES)
    return h.hexdigest()
