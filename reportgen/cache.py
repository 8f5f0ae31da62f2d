"""Incremental builds: expensive products cached by a hash of everything that shapes them.

`build/.cache/` holds plain files: `objects/ab/<key>.json` (a drawn chart) or
`objects/ab/<key>.pdf`, and `manifest.json`, which lists each entry with its kind and
the sha256 of its bytes. An entry's key is the sha256 of every input of that product:

- a chart: its spec (the data slice it shows), colours, typeface and font files, any
  matplotlibrc, and the tool: every file of the reportgen package (code, templates,
  fonts), every installed distribution (name and version) and Python itself;
- the PDF: the final print HTML (templates, CSS and embedded fonts are inside it), every
  local file it refers to, the tool, and the system's fonts and text-layout libraries.

Nothing is ever unpickled: a chart is JSON decoded field by field into its dataclass, a
PDF is raw bytes, and both are checked against the manifest's hash before use. A
missing, corrupt or foreign cache is a miss, never an error; the next save replaces it.

The manifest also remembers the last successful build for each set of options (output
folder, HTML, PDF): when no input file, referenced file, tool or output has changed
since, `check` returns that build and the pipeline skips the work. Cache files are
written with `reportgen.atomic.write_atomic`, like every other file under `build/`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import threading
import time
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
from reportgen.diagnostics import Diagnostic
from reportgen.fingerprints import (
    MISSING,
    environment_fingerprint,
    file_digest,
    system_fingerprint,
    tool_fingerprint,
)
from reportgen.fingerprints import digest_json as _digest_json
from reportgen.fingerprints import matplotlibrc_files as _matplotlibrc_files
from reportgen.fingerprints import sha256 as _sha256
from reportgen.layout import input_files
from reportgen.progress import ProgressEvent, ProgressFn, weasyprint_progress
from reportgen.views import CHART_URL, ChartSpec, ChartView

if TYPE_CHECKING:
    from reportgen.project import Project

log = logging.getLogger(__name__)

FORMAT = "reportgen-cache"
FORMAT_VERSION = 1
CACHE_DIR = Path("build") / ".cache"
MANIFEST = "manifest.json"
# How many entries of each kind to keep (most recently used first).
LIMITS = {"chart": 512, "pdf": 3}
BUILD_RECORDS = 16
_EXTENSIONS = {"chart": ".json", "pdf": ".pdf"}
_OBJECT_NAME = re.compile(r"^[0-9a-f]{64}\.(?:json|pdf)$")
_KEY = re.compile(r"^[0-9a-f]{64}$")


def chart_key(
    spec: ChartSpec, primary: str, accent: str, font_family: str, font_files: Sequence[Path]
) -> str:
    """The cache key of one chart: everything that shapes its SVG, alt text and table."""
    return _digest_json(
        {
            "kind": "chart",
            "spec": dataclasses.asdict(spec),
            "colours": [primary, accent],
            "font_family": font_family,
            "fonts": [file_digest(Path(p)) for p in font_files],
            "matplotlibrc": [file_digest(p) for p in _matplotlibrc_files()],
            "tool": tool_fingerprint(),
        }
    )


_REFERENCE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']|url\(\s*["']?)([^"'()\s>]+)""")
_EXTERNAL = ("data:", "http:", "https:", "mailto:", "tel:", "#", "javascript:", "about:")


def referenced_resources(html: str, root: Path) -> dict[str, str]:
    """Local files the page asks for (images, CSS, fonts), with their hashes."""
    found: dict[str, str] = {}
    for match in _REFERENCE.finditer(html):
        url = match.group(1)
        # A chart image's address is the chart's own cache key: nothing to read.
        if url.startswith((*_EXTERNAL, CHART_URL)) or url in found:
            continue
        target = url.removeprefix("file://")
        target = target.split("#", 1)[0].split("?", 1)[0]
        path = (root / target).resolve()
        found[url] = file_digest(path) if path.is_relative_to(root) else MISSING
    return found


def pdf_key(html: str, root: Path) -> str:
    """The cache key of the PDF: the page, the files it loads, the tool and the system."""
    from reportgen.render.pdfsplit import split_wanted

    return _digest_json(
        {
            "kind": "pdf",
            "html": _sha256(html.encode("utf-8")),
            "resources": referenced_resources(html, root.resolve()),
            "tool": tool_fingerprint(),
            "system": system_fingerprint(),
            # REPORTGEN_PDF_SPLIT: a long page's bytes differ laid out in two parts.
            "split": split_wanted(),
        }
    )


def project_relative(path: Path, root: Path) -> str:
    """`path` relative to the project when it is inside it (`build`), so two checkouts
    of a project have the same cache; absolute otherwise."""
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(resolved)


def input_digests(root: Path, extra: Iterable[str] = ()) -> dict[str, str]:
    """The hash of every input file (`reportgen.layout.input_files`) and of `extra`."""
    return {rel: file_digest(root / rel) for rel in input_files(root, extra)}


# --- chart views as JSON (never pickle) ----------------------------------------------


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


def _decode(kind: Any, data: object) -> Any:
    """`data` as an instance of the type `kind`; TypeError when it does not fit exactly."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        names = {f.name for f in dataclasses.fields(kind)}
        if not isinstance(data, dict) or set(data) != names:
            raise TypeError(f"expected the fields of {kind.__name__}")
        hints = typing.get_type_hints(kind)
        return kind(**{name: _decode(hints[name], data[name]) for name in names})
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        for arg in (a for a in args if a is not type(None)):
            try:
                return _decode(arg, data)
            except TypeError:
                continue
        raise TypeError(f"expected {kind}")
    if origin is list:
        if not isinstance(data, list):
            raise TypeError("expected a list")
        return [_decode(args[0], item) for item in data]
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # tuple[str, ...]
        if not isinstance(data, list):
            raise TypeError("expected a tuple")
        return tuple(_decode(args[0], item) for item in data)
    if origin is tuple:
        if not isinstance(data, list) or len(data) != len(args):
            raise TypeError("expected a tuple")
        return tuple(_decode(a, item) for a, item in zip(args, data, strict=True))
    if origin is typing.Literal:
        if data not in args:
            raise TypeError(f"expected one of {args}")
        return data
    if kind is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if kind in (str, int, bool) and type(data) is kind:
        return data
    if kind is Markup and type(data) is str:
        return Markup(data)  # a chart's SVG, drawn by reportgen and cached by it
    raise TypeError(f"expected {kind}")


def chart_to_json(view: ChartView) -> bytes:
    """A drawn chart as JSON bytes."""
    return json.dumps(_encode(view), ensure_ascii=False, sort_keys=True).encode("utf-8")


def chart_from_json(data: bytes) -> ChartView:
    """A drawn chart back from JSON; ValueError or TypeError when it does not fit."""
    view = _decode(ChartView, json.loads(data.decode("utf-8")))
    assert isinstance(view, ChartView)
    return view


# --- the cache ----------------------------------------------------------------------


@dataclass
class UpToDate:
    """A previous build whose inputs, tool and outputs are all unchanged."""

    diagnostics: list[Diagnostic]
    outputs: list[Path]


@dataclass
class Stats:
    """Hits and misses by kind, for tests, benchmarks and the CLI's summary."""

    hits: dict[str, int] = dataclasses.field(default_factory=lambda: {"chart": 0, "pdf": 0})
    misses: dict[str, int] = dataclasses.field(default_factory=lambda: {"chart": 0, "pdf": 0})


class BuildCache:
    """Charts and PDFs by content hash, plus the record of the last build, in one folder.

    With `directory=None` the cache is off: every product is made afresh, but progress
    is still reported. Safe to share between threads (`serve` renders the PDF while the
    next page is built).
    """

    def __init__(self, directory: Path | None, progress: ProgressFn | None = None) -> None:
        self.directory = directory
        self.progress = progress
        self.stats = Stats()
        self._lock = threading.RLock()
        self._entries: dict[str, dict[str, Any]] = {}
        self._builds: dict[str, dict[str, Any]] = {}
        self._touched: set[str] = set()
        self._dirty = False
        self._writable = directory is not None
        self._snapshot: dict[str, str] | None = None
        self._request: str | None = None
        if directory is not None:
            self._load()

    @classmethod
    def for_project(cls, root: Path, progress: ProgressFn | None = None) -> BuildCache:
        """The cache of the project at `root`: `root/build/.cache`."""
        return cls(root.resolve() / CACHE_DIR, progress)

    @classmethod
    def disabled(cls, progress: ProgressFn | None = None) -> BuildCache:
        return cls(None, progress)

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    # manifest ----------------------------------------------------------------------

    def _load(self) -> None:
        assert self.directory is not None
        path = self.directory / MANIFEST
        try:
            document = json.loads(path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("ignoring unreadable cache manifest %s: %s", path, exc)
            self._dirty = True
            return
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("version") != FORMAT_VERSION
        ):
            log.info("ignoring a cache manifest written by something else: %s", path)
            self._dirty = True
            return
        entries = document.get("entries")
        if isinstance(entries, dict):
            for key, entry in entries.items():
                if (
                    isinstance(key, str)
                    and _KEY.match(key)
                    and isinstance(entry, dict)
                    and entry.get("kind") in _EXTENSIONS
                    and isinstance(entry.get("sha256"), str)
                    and isinstance(entry.get("used"), int | float)
                ):
                    self._entries[key] = entry
                else:
                    self._dirty = True
        builds = document.get("builds")
        if isinstance(builds, dict):
            self._builds = {
                k: v for k, v in builds.items() if isinstance(k, str) and isinstance(v, dict)
            }

    def _object_path(self, key: str, kind: str) -> Path:
        assert self.directory is not None
        return self.directory / "objects" / key[:2] / f"{key}{_EXTENSIONS[kind]}"

    @property
    def holds_charts(self) -> bool:
        """Whether any chart is cached (a build after the first one: most are there)."""
        return any(entry["kind"] == "chart" for entry in self._entries.values())

    def _get(self, key: str, kind: str) -> bytes | None:
        if self.directory is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.get("kind") != kind:
                return None
            try:
                data = self._object_path(key, kind).read_bytes()
            except OSError:
                data = None
            if data is None or _sha256(data) != entry["sha256"]:
                log.info("cache entry %s is missing or corrupt; making it again", key[:12])
                del self._entries[key]
                self._dirty = True
                return None
            # A hit alone does not rewrite the manifest: a no-op build writes nothing.
            entry["used"] = time.time()
            self._touched.add(key)
            return data

    def _put(self, key: str, kind: str, data: bytes) -> None:
        if self.directory is None or not self._writable:
            return
        from reportgen.atomic import write_atomic

        try:
            write_atomic(self._object_path(key, kind), data)
        except OSError as exc:
            log.warning(
                "cannot write the build cache in %s (%s); building without it",
                self.directory,
                exc.strerror,
            )
            self._writable = False
            return
        with self._lock:
            self._entries[key] = {
                "kind": kind,
                "sha256": _sha256(data),
                "size": len(data),
                "used": time.time(),
            }
            self._touched.add(key)
            self._dirty = True

    def save(self) -> None:
        """Write the manifest (when anything changed) and drop entries beyond the limits."""
        if self.directory is None or not self._writable:
            return
        from reportgen.atomic import write_atomic

        with self._lock:
            if not self._dirty:
                return
            keep: dict[str, dict[str, Any]] = {}
            for kind, limit in LIMITS.items():
                ranked = sorted(
                    (k for k, e in self._entries.items() if e["kind"] == kind),
                    key=lambda k: (k in self._touched, self._entries[k]["used"]),
                    reverse=True,
                )
                keep.update({k: self._entries[k] for k in ranked[: max(limit, 1)]})
            self._entries = keep
            builds = sorted(self._builds.items(), key=lambda kv: kv[1].get("used", 0))
            self._builds = dict(builds[-BUILD_RECORDS:])
            document = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "reportgen": __version__,
                "entries": dict(sorted(self._entries.items())),
                "builds": self._builds,
            }
            try:
                write_atomic(
                    self.directory / MANIFEST,
                    (json.dumps(document, indent=1, sort_keys=True) + "\n").encode(),
                )
            except OSError as exc:
                log.warning("cannot write the build cache manifest (%s)", exc.strerror)
                self._writable = False
                return
            self._dirty = False
            self._remove_unlisted()

    def _remove_unlisted(self) -> None:
        """Delete object files no entry names (only files named as this module names them)."""
        assert self.directory is not None
        objects = self.directory / "objects"
        if not objects.is_dir():
            return
        for path in objects.glob("*/*"):
            if _OBJECT_NAME.match(path.name) and path.stem not in self._entries:
                path.unlink(missing_ok=True)

    # products ----------------------------------------------------------------------

    def stored_chart(self, key: str) -> ChartView | None:
        """The chart stored under `key` (see `chart_key`), or None: a miss, to be drawn."""
        stored = self._get(key, "chart") if self.enabled else None
        if stored is not None:
            try:
                view = chart_from_json(stored)
            except (ValueError, TypeError, KeyError) as exc:
                log.info("cache entry %s does not decode (%s); drawing again", key[:12], exc)
            else:
                self.stats.hits["chart"] += 1
                return view
        self.stats.misses["chart"] += 1
        return None

    def keep_chart(self, key: str, view: ChartView) -> None:
        """Store a chart just drawn under its `chart_key`."""
        if self.enabled:
            self._put(key, "chart", chart_to_json(view))

    def pdf(self, html: str, root: Path, render: Callable[[], bytes]) -> bytes:
        """The PDF of `html`: from the cache, or made by `render()` and stored."""
        return self.pdfs([html], root, lambda _pages: [render()])[0]

    def pdfs(
        self, pages: list[str], root: Path, render: Callable[[list[str]], list[bytes]]
    ) -> list[bytes]:
        """The PDF of each page: from the cache, or made by one call of `render` with all
        the pages not cached (so that they can be laid out at once), and stored."""
        keys = [pdf_key(html, root) if self.enabled else "" for html in pages]
        found: list[bytes | None] = []
        for key in keys:
            stored = self._get(key, "pdf") if self.enabled else None
            if stored is not None and stored.startswith(b"%PDF-"):
                self.stats.hits["pdf"] += 1
                found.append(stored)
            else:
                self.stats.misses["pdf"] += 1
                found.append(None)
        missing = [i for i, data in enumerate(found) if data is None]
        if missing:
            if self.progress is not None:
                self.progress(ProgressEvent("pdf", 0, "starting"))
            with weasyprint_progress(self.progress):
                made = render([pages[i] for i in missing])
            for i, data in zip(missing, made, strict=True):
                found[i] = data
                if self.enabled:
                    self._put(keys[i], "pdf", data)
        return [data for data in found if data is not None]

    # whole builds ------------------------------------------------------------------

    def check(self, root: Path, request: Mapping[str, object]) -> UpToDate | None:
        """The previous build with these options if nothing it depends on has changed.

        Also takes a snapshot of the inputs, so `record` can tell whether a file
        changed while the build was running (then it records nothing).
        """
        if self.directory is None:
            return None
        root = root.resolve()
        self._request = _digest_json({**request, "environment": environment_fingerprint()})
        with self._lock:
            record = self._builds.get(self._request)
        extra = _strings(record.get("extra")) if record else []
        self._snapshot = input_digests(root, extra)
        if record is None:
            return None
        try:
            if record.get("tool") != tool_fingerprint() or record.get("system") != (
                system_fingerprint()
            ):
                return None
            if record.get("inputs") != self._snapshot:
                return None
            out = root / str(record["out"])  # an absolute path stays as it is
            outputs = record["outputs"]
            if not isinstance(outputs, dict) or not (out / "manifest.json").is_file():
                return None
            for name, digest in outputs.items():
                if file_digest(out / str(name)) != digest:
                    return None
            diagnostics = [Diagnostic.from_json(d) for d in record["diagnostics"]]
        except (KeyError, TypeError, ValueError):
            return None
        with self._lock:
            record["used"] = time.time()
        return UpToDate(diagnostics, [out / str(name) for name in outputs])

    def record(
        self,
        project: Project,
        diagnostics: Iterable[Diagnostic],
        outputs: Mapping[str, bytes],
        out_dir: Path,
    ) -> None:
        """Remember a successful build, so an identical rebuild can be skipped.

        Files named anywhere in the project's config and data become inputs too.
        Nothing is recorded if an input changed while the build ran.
        """
        if self.directory is None or self._request is None or self._snapshot is None:
            return
        from reportgen.project import project_files  # here: an up-to-date build never needs it

        root = project.root.resolve()
        extra = sorted(project_files(project) - set(self._snapshot))
        inputs = input_digests(root, extra)
        changed = [k for k, v in self._snapshot.items() if inputs.get(k, v) != v]
        if changed:
            log.info("not recording the build: %s changed while it ran", ", ".join(changed))
            return
        with self._lock:
            self._builds[self._request] = {
                "out": project_relative(out_dir, root),
                "extra": extra,
                "inputs": inputs,
                "outputs": {name: _sha256(data) for name, data in sorted(outputs.items())},
                "diagnostics": [d.to_json() for d in diagnostics],
                "tool": tool_fingerprint(),
                "system": system_fingerprint(),
                "used": time.time(),
            }
            self._dirty = True


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
