"""One definition of the project's input files, used by the manifest, the cache's
up-to-date check and serve's watcher: they cannot disagree."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reportgen.cache import input_digests
from reportgen.layout import CONFIG_FILE, input_files
from reportgen.pipeline import build, validate
from reportgen.project import project_files
from reportgen.serve import PACKAGED_TEMPLATES, _watch_state

from .conftest import REPO

FIXTURE = REPO / "tests" / "projects" / "completeness-minimal"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "case.yaml").unlink()
    content = root / "content"
    # What an editor leaves next to the narrative: never an input.
    (content / ".budget.md.swp").write_bytes(b"swap")
    (content / "budget.md~").write_text("backup", encoding="utf-8")
    (content / "#budget.md#").write_text("autosave", encoding="utf-8")
    (content / ".git").mkdir()
    (content / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    # A symlink inside the project is an input; one out of it is not, nor a folder link.
    outside = tmp_path / "outside.md"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, content / "elsewhere.md")
    os.symlink(content / "budget.md", content / "alias.md")
    os.symlink(tmp_path, root / "data" / "linked-folder")
    return root


def test_one_rule_for_symlinks_hidden_and_backup_files(project: Path) -> None:
    assert input_files(project) == [
        "content/alias.md",
        "content/budget.md",
        "data/budget.yaml",
        CONFIG_FILE,
    ]


def test_manifest_cache_and_watcher_see_the_same_files(project: Path) -> None:
    (project / "logo.png").write_bytes(
        (REPO / "tests/projects/clean-near-misses/chart.png").read_bytes()
    )
    config = (project / CONFIG_FILE).read_text(encoding="utf-8")
    (project / CONFIG_FILE).write_text(config + "theme:\n  logo: logo.png\n", encoding="utf-8")
    result = build(project, html=True, pdf=False, cache=True)
    assert result.outputs, result.diagnostics.sorted()
    validated = validate(project)
    assert validated.project is not None
    named = project_files(validated.project)
    expected = input_files(project, named)
    assert "logo.png" in expected  # named by report.yaml, outside the input folders

    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["inputs"]) == expected
    assert sorted(input_digests(project.resolve(), named)) == expected
    watched = {
        Path(p).relative_to(project.resolve()).as_posix()
        for p in _watch_state(project.resolve(), named)
        if not Path(p).is_relative_to(PACKAGED_TEMPLATES)
    }
    assert sorted(watched) == expected


def test_an_editors_backup_file_leaves_the_build_up_to_date(project: Path) -> None:
    first = build(project, html=True, pdf=False, cache=True)
    assert first.outputs and not first.up_to_date
    before = _watch_state(project.resolve(), set())
    (project / "content" / "budget.md~").write_text("saved again", encoding="utf-8")
    (project / "data" / ".budget.yaml.tmp").write_text("half written", encoding="utf-8")
    assert _watch_state(project.resolve(), set()) == before
    assert build(project, html=True, pdf=False, cache=True).up_to_date
    (project / "content" / "budget.md").write_text("Changed.\n", encoding="utf-8")
    assert _watch_state(project.resolve(), set()) != before
    assert not build(project, html=True, pdf=False, cache=True).up_to_date


def test_the_project_word_list_is_an_input(project: Path) -> None:
    # The spelling check reads words.txt: adding, editing or deleting it alone is a change.
    first = build(project, html=True, pdf=False, cache=True)
    assert first.outputs and not first.up_to_date
    assert "words.txt" not in input_files(project)
    words = project / "words.txt"
    words.write_text("Tiddlesworth\n", encoding="utf-8")
    assert "words.txt" in input_files(project)
    assert not build(project, html=True, pdf=False, cache=True).up_to_date
    assert build(project, html=True, pdf=False, cache=True).up_to_date
    words.write_text("Tiddlesworth\nColdwater\n", encoding="utf-8")
    assert not build(project, html=True, pdf=False, cache=True).up_to_date
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert "words.txt" in manifest["inputs"]
    words.unlink()
    assert not build(project, html=True, pdf=False, cache=True).up_to_date
