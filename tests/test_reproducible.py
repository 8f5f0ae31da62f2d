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
