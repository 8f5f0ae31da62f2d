"""Reproducible builds: the same inputs give byte-identical HTML and PDF.

The example is copied into two folders of different names and depths and built in two
separate processes (different hash seeds), with SOURCE_DATE_EPOCH set; the outputs must
hash the same and mention neither folder.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pikepdf

from tests.conftest import REPO, copy_project

EPOCH = "1759190400"  # 2025-09-30 00:00:00 UTC, the example's publication date


def _build(project: Path, seed: str, cwd: Path) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": seed}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(project)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    build = project / "build"
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(build.iterdir())
        if path.suffix in (".html", ".pdf")
    }


def _pdf_text(path: Path) -> bytes:
    """Every stream (decompressed) and string of a PDF, to search for leaked paths."""
    parts: list[bytes] = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:
                    parts.append(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.Dictionary):
                parts.append(repr(obj).encode("utf-8", "replace"))
    return b"\n".join(parts)


def test_two_checkouts_build_byte_identical_outputs(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "one" / "checkout-a")
    second = copy_project(tmp_path / "two" / "deeper" / "checkout-b")
    hashes_first = _build(first, "1", cwd=tmp_path)
    hashes_second = _build(second, "2", cwd=second)
    assert set(hashes_first) == {
        "nscp-annual-report-2024-25.html",
        "nscp-annual-report-2024-25.pdf",
        "nscp-annual-report-2024-25-digest.html",  # report.yaml asks for the digest too
        "nscp-annual-report-2024-25-digest.pdf",
    }
    assert hashes_first == hashes_second
    for name in hashes_first:
        path = second / "build" / name
        data = _pdf_text(path) if path.suffix == ".pdf" else path.read_bytes()
        for leak in (str(tmp_path).encode(), str(REPO).encode(), b"file://"):
            assert leak not in data, f"{name} embeds {leak!r}"


# A build in a fresh process with `usable_cpus()` as argv[2]; it prints whether engines
# were started before validation, and whether the long page's two parts were laid out
# by engines started for it ("at pdf time"), at once or taking turns (one CPU).
_BUILD_WITH_CPUS = """
import sys
from pathlib import Path

import reportgen.cpus
import reportgen.render.pdfengine as pdfengine
from reportgen.pipeline import build

reportgen.cpus.usable_cpus = lambda: int(sys.argv[2])
start, new = pdfengine.PdfEngine.start, pdfengine.render_in_new_engines

def early(*args, **kwargs):
    engine = start(*args, **kwargs)
    if engine is not None:
        print("engines: started")
    return engine

def at_pdf_time(*args, together=True, **kwargs):
    made = new(*args, together=together, **kwargs)
    if made is not None:
        print("split: at pdf time", "together" if together else "taking turns")
    return made

pdfengine.PdfEngine.start = early
pdfengine.render_in_new_engines = at_pdf_time
result = build(Path(sys.argv[1]), html=False)
assert not result.diagnostics.has_errors(), [str(d) for d in result.diagnostics]
"""


def _run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "REPORTGEN_PDF_SPLIT": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _pdfs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "build").glob("*.pdf"))}


def test_the_pdf_is_the_same_on_one_cpu_on_two_and_built_with_another_project(
    tmp_path: Path,
) -> None:
    # The example's page is split in two parts on any machine: the bytes do not depend
    # on the CPUs, nor on whether the engines were started before validation.
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    made = _run(["-c", _BUILD_WITH_CPUS, str(one), "1"], tmp_path)
    assert made.splitlines() == ["split: at pdf time taking turns"]
    assert _run(["-c", _BUILD_WITH_CPUS, str(two), "2"], tmp_path).splitlines() == [
        "engines: started"
    ]
    expected = _pdfs(two)
    assert len(expected) == 2  # the report and its digest
    assert _pdfs(one) == expected
    # `build A B`: workers with no engine started, one CPU each; the page is still split.
    a, b = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    _run(["-m", "reportgen", "build", "-j", "2", str(a), str(b)], tmp_path)
    assert _pdfs(a) == expected and _pdfs(b) == expected
