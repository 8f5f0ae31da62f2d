"""A validate whose inputs, tool and dictionaries are unchanged replays the last result,
and every kind of change makes it validate again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline, replay
from reportgen.cli import app
from tests.conftest import MINIMAL_CONFIG, REPO, ProjectWriter
from tests.fuzz import copy_example
from tests.test_lastyear import _projects

MISSPELT = "\n## Safegaurding week\n\nWe held it.\n"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The projects `pipeline.validate` really ran on (a replay does not call it)."""
    ran: list[Path] = []
    original = pipeline.validate

    def counted(root: Path) -> pipeline.ValidationResult:
        ran.append(root)
        return original(root)

    monkeypatch.setattr(pipeline, "validate", counted)
    return ran


def _codes(result: pipeline.ValidationResult) -> list[str]:
    return sorted(d.code for d in result.diagnostics)


def _again(root: Path, runs: list[Path]) -> bool:
    """Validate `root` (recorded); True when it really ran, False when it replayed."""
    before = len(runs)
    pipeline.validate_recorded(root)
    return len(runs) > before


def test_an_unchanged_project_replays_the_same_result(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    first = pipeline.validate_recorded(root)
    assert len(runs) == 1 and (root / "build/.cache/validate.json").is_file()
    second = pipeline.validate_recorded(root)
    assert len(runs) == 1  # replayed
    assert second.diagnostics.sorted() == first.diagnostics.sorted()
    assert "content.spelling" in _codes(second)
    assert second.project is None and second.parts is not None


def _edit(rel: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""))

    return apply


CHANGES: dict[str, Callable[[Path], None]] = {
    "narrative": _edit("content/budget.md", lambda t: t + "\nMore words.\n"),
    "data": _edit("data/budget.yaml", lambda t: t.replace("amount: 5000", "amount: 5001")),
    "report.yaml": _edit("report.yaml", lambda t: t + "validation:\n  words: [Safegaurding]\n"),
    "words.txt created": _edit("words.txt", lambda t: "Safegaurding\n"),
    "a template": _edit("templates/section.html", lambda t: "{{ section.title }}\n"),
    "a new data file": _edit("data/notes.txt", lambda t: "notes\n"),
    "a deleted file": lambda root: (root / "data/budget.yaml").unlink(),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_each_change_to_the_project_validates_again(
    change: str, write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    pipeline.validate_recorded(root)
    assert not _again(root, runs)
    CHANGES[change](root)
    assert _again(root, runs)
    assert not _again(root, runs)  # and the new result is recorded


def test_the_spelling_word_list_changes_the_result(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    assert "content.spelling" in _codes(pipeline.validate_recorded(root))
    (root / "words.txt").write_text("Safegaurding\n", encoding="utf-8")
    assert "content.spelling" not in _codes(pipeline.validate_recorded(root))
    (root / "words.txt").write_text("# emptied\n", encoding="utf-8")
    assert "content.spelling" in _codes(pipeline.validate_recorded(root))
    assert len(runs) == 3


def test_a_profile_file_in_the_project_is_an_input(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    profile = (REPO / "reportgen/profiles/wt2023.yaml").read_text(encoding="utf-8")
    files = {
        **minimal_files,
        "report.yaml": minimal_files["report.yaml"] + "validation:\n  profile: checks/p.yaml\n",
        "checks/p.yaml": profile,
    }
    root = write_project(files)
    first = pipeline.validate_recorded(root)
    assert first.checklist is not None
    assert not _again(root, runs)
    _edit("checks/p.yaml", lambda t: t.replace("title:", "title: Changed", 1))(root)
    assert _again(root, runs)


def test_last_year_outside_the_project_is_an_input(
    write_project: ProjectWriter, tmp_path: Path, runs: list[Path]
) -> None:
    root = _projects(write_project, tmp_path)  # last year in ../last
    codes = _codes(pipeline.validate_recorded(root))
    assert "history.plan-repeated" in codes
    assert not _again(root, runs)
    last = tmp_path / "last"
    _edit("data/priorities.yaml", lambda t: t.replace("multi-agency", "joint"))(last)
    assert _again(root, runs)
    assert not _again(root, runs)
    (last / "content/extra.md").write_text("Added.\n", encoding="utf-8")  # a new file there
    assert _again(root, runs)


def test_last_year_inside_the_project_is_an_input(tmp_path: Path, runs: list[Path]) -> None:
    root = copy_example(tmp_path)
    pipeline.validate_recorded(root)
    assert not _again(root, runs)
    _edit("archive/2023-24/data/priorities.yaml", lambda t: t + "\n# a comment\n")(root)
    assert _again(root, runs)


def test_the_tool_the_dictionaries_and_the_folder_as_typed_are_in_the_key(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    runs: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = write_project(minimal_files)
    pipeline.validate_recorded(root)
    assert not _again(root, runs)
    monkeypatch.setattr(replay, "tool_fingerprint", lambda: "another reportgen")
    assert _again(root, runs)
    assert not _again(root, runs)
    monkeypatch.setattr(replay, "spelling_fingerprint", lambda: "another dictionary")
    assert _again(root, runs)
    monkeypatch.chdir(root.parent)
    assert _again(Path(root.name), runs)  # the same folder, typed another way


def test_a_corrupt_or_foreign_record_is_a_miss(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    root = write_project(minimal_files)
    pipeline.validate_recorded(root)
    path = root / replay.RECORD_FILE
    document = json.loads(path.read_text())
    for broken in ("{not json", json.dumps({**document, "format": "other"})):
        path.write_text(broken)
        assert _again(root, runs)
    document = json.loads(path.read_text())  # rewritten by the last run
    document["diagnostics"] = [{"code": "x"}]  # the state matches, the content does not
    path.write_text(json.dumps(document))
    assert _again(root, runs)


def test_nothing_is_recorded_when_an_input_changes_while_validate_runs(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(minimal_files)
    original = pipeline.validate

    def editing(path: Path) -> pipeline.ValidationResult:
        result = original(path)
        _edit("content/budget.md", lambda t: t + "\nSaved meanwhile.\n")(root)
        return result

    monkeypatch.setattr(pipeline, "validate", editing)
    pipeline.validate_recorded(root)
    assert not (root / replay.RECORD_FILE).exists()


def test_the_command_prints_the_same_replayed_and_no_cache_neither_reads_nor_writes(
    tmp_path: Path, runs: list[Path]
) -> None:
    root = copy_example(tmp_path)
    runner = CliRunner()
    afresh = runner.invoke(app, ["validate", str(root), "--no-cache"])
    assert not (root / replay.RECORD_FILE).exists()
    outputs = [runner.invoke(app, ["validate", str(root)]) for _ in range(2)]
    assert len(runs) == 2  # --no-cache, then the first recorded run; the second replayed
    assert afresh.exit_code == outputs[0].exit_code == outputs[1].exit_code == 0
    assert afresh.output == outputs[0].output == outputs[1].output
    assert "Completeness:" in afresh.output and "Disclosure control:" in afresh.output
    as_json = [
        runner.invoke(app, ["validate", str(root), "--format", "json", *x])
        for x in (
            ["--no-cache"],
            [],
        )
    ]
    assert json.loads(as_json[0].output) == json.loads(as_json[1].output)
    strict = runner.invoke(app, ["validate", str(root), "--strict"])
    assert strict.exit_code == 1  # the example's warnings, replayed, still fail --strict
    assert len(runs) == 3


def test_a_config_without_the_record_folder_is_still_validated(
    write_project: ProjectWriter, runs: list[Path]
) -> None:
    root = write_project({"report.yaml": MINIMAL_CONFIG + "unknown_key: 1\n"})
    first = pipeline.validate_recorded(root)
    assert first.diagnostics.has_errors()
    second = pipeline.validate_recorded(root)
    assert _codes(second) == _codes(first)


def test_a_validate_after_a_build_replays_the_builds_validation(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    root = write_project(minimal_files)
    built = pipeline.build(root, pdf=False, cache=True, chart_worker=False)
    assert built.outputs and len(runs) == 1
    assert not _again(root, runs)
    assert _codes(pipeline.validate_recorded(root)) == _codes(built.validation)
    pipeline.build(root, pdf=False, cache=False, chart_worker=False)  # --no-cache: no record
    _edit("content/budget.md", lambda t: t + "\nMore.\n")(root)
    pipeline.build(root, pdf=False, cache=False, chart_worker=False)
    assert _again(root, runs)


def test_a_missing_file_that_appears_outside_the_input_folders_validates_again(
    write_project: ProjectWriter, minimal_files: dict[str, str], runs: list[Path]
) -> None:
    """A link to a file that is not there, mended by adding the file in a folder that is
    no input folder (not content/, data/ or templates/): the broken link is gone."""
    text = minimal_files["content/budget.md"] + "\nSee [the policy](docs/policy.txt).\n"
    root = write_project({**minimal_files, "content/budget.md": text})
    assert "content.broken-link" in _codes(pipeline.validate_recorded(root))
    assert not _again(root, runs)
    (root / "docs").mkdir()
    (root / "docs/policy.txt").write_text("The policy.\n", encoding="utf-8")
    assert "content.broken-link" not in _codes(pipeline.validate_recorded(root))


def test_a_build_that_fails_validation_writes_nothing_not_even_the_record(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    text = minimal_files["content/budget.md"] + MISSPELT + "\nWe spent {{ budget.nothing }}.\n"
    root = write_project({**minimal_files, "content/budget.md": text})
    failed = pipeline.build(root, pdf=False, cache=True, chart_worker=False)
    assert failed.diagnostics.has_errors() and not failed.outputs
    assert not (root / "build").exists()  # neither the record nor the dictionaries' memo
