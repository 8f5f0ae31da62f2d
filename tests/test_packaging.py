"""What a user who installs the wheel gets: the licence, the docs, the templates."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.handbook import read_topic, topics

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # setuptools' own work folder in the temporary one: by default it is the project's
    # build/, which is reportgen's output folder (a `reportgen build` after the tests
    # refused it for holding files reportgen did not write).
    work = out / "setuptools.cfg"
    work.write_text(f"[build]\nbuild_base = {out / 'setuptools-build'}\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "DIST_EXTRA_CONFIG": str(work)},
    )
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_is_built_outside_the_example_output_folder(wheel: zipfile.ZipFile) -> None:
    # Where setuptools built it: the temporary folder, so the repository's build/ (the
    # example's outputs) is left alone.
    assert wheel.filename is not None
    assert (Path(wheel.filename).parent / "setuptools-build" / "lib" / "reportgen").is_dir()


def test_wheel_has_its_licences(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith("licenses/reportgen/templates/fonts/OFL.txt") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = wheel.read(metadata).decode()
    assert "Name: safeguarding-reportgen" in text
    assert "License-Expression: MIT" in text


def test_wheel_carries_the_docs_every_hint_points_to(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for doc in (REPO / "reportgen" / "docs").glob("*.md"):
        assert f"reportgen/docs/{doc.name}" in names
    assert "reportgen/templates/report.html" in names


def test_distribution_name_is_not_the_unrelated_reportgen() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "safeguarding-reportgen"
    assert project["scripts"] == {"reportgen": "reportgen.cli:main"}


def test_docs_command_lists_and_prints_topics() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["docs"])
    assert listing.exit_code == 0
    assert "references" in listing.output and "install" in listing.output
    shown = runner.invoke(app, ["docs", "install"])
    assert shown.exit_code == 0
    assert shown.output.startswith("# Installing reportgen")
    wrong = runner.invoke(app, ["docs", "refrences"])
    assert wrong.exit_code == 2  # a usage error, like an unknown option
    assert "did you mean 'references'" in wrong.output


def test_every_docs_reference_in_hints_names_a_real_topic() -> None:
    import re

    known = topics()
    for path in (REPO / "reportgen").rglob("*.py"):
        for topic in re.findall(r"reportgen docs ([a-z-]+)`", path.read_text(encoding="utf-8")):
            assert topic in known, f"{path}: `reportgen docs {topic}` is not a topic"
    assert read_topic("validation").startswith("#")
