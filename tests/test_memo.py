"""The spelling dictionary's and the hyphenation dictionary's answers, remembered per
word in build/.cache: the same diagnostics, without loading the dictionaries again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import pipeline
from reportgen.checks import spelling
from reportgen.digest import reading_grade
from reportgen.memo import WordMemo, remembering
from tests.conftest import ProjectWriter
from tests.fuzz import copy_example

MISSPELT = "\n## Safegaurding week\n\nWe held it.\n"

PROBE = """
import hashlib, sys
from pathlib import Path
from reportgen import pipeline
from reportgen.memo import remembering
with remembering() as memos:
    result = pipeline.validate(Path(sys.argv[1]))
memos.save()
lines = "\\n".join(sorted(d.format_text() for d in result.diagnostics))
print(sorted(m for m in ("enchant", "reportgen.hyphenation") if m in sys.modules))
print(len(result.diagnostics.items), hashlib.sha256(lines.encode()).hexdigest())
"""


def _probe(root: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return done.stdout.splitlines()[-2:]


def test_a_second_validate_loads_neither_dictionary_and_finds_the_same(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    first = _probe(root)
    assert first[0] == "['enchant', 'reportgen.hyphenation']"  # it reads pyphen's dictionary
    assert (root / "build/.cache/words-spelling.json").is_file()
    assert (root / "build/.cache/words-hyphenation.json").is_file()
    second = _probe(root)
    assert second[0] == "[]"
    assert second[1] == first[1]  # the same diagnostics, word for word


def _validate(root: Path) -> pipeline.ValidationResult:
    with remembering() as memos:  # as `validate`, `build` and `serve` do with their cache on
        result = pipeline.validate(root)
    memos.save()
    return result


def test_a_memo_under_another_key_is_not_used(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    found = [d for d in _validate(root).diagnostics if d.code == "content.spelling"]
    assert len(found) == 1 and "did you mean 'Safeguarding'?" in (found[0].hint or "")
    path = root / "build/.cache/words-spelling.json"
    document = json.loads(path.read_text())
    assert document["answers"]["Safegaurding"][0] == "Safeguarding"
    # A memo that says otherwise, but under another dictionary's key, is not believed.
    document["answers"]["Safegaurding"] = True
    document["key"] = "another dictionary"
    path.write_text(json.dumps(document))
    again = [d for d in _validate(root).diagnostics if d.code == "content.spelling"]
    assert [d.message for d in again] == [d.message for d in found]
    assert json.loads(path.read_text())["key"] != "another dictionary"  # rewritten


def test_a_remembered_dictionary_still_checks_when_enchant_cannot_load(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    monkeypatch.setattr(spelling, "dictionary", lambda: None)
    codes = [d.code for d in _validate(root).diagnostics]
    assert "content.spelling-unavailable" in codes and "content.spelling" not in codes
    assert not (root / "build/.cache/words-spelling.json").exists()
    monkeypatch.undo()
    _validate(root)  # with the dictionary: remembered
    monkeypatch.setattr(spelling, "dictionary", lambda: None)
    codes = [d.code for d in _validate(root).diagnostics]
    assert "content.spelling" in codes  # answered from the memo


def test_remembered_break_counts_give_the_same_grades(tmp_path: Path) -> None:
    sentences = [
        "We helped more children this year.",
        "The partnership's multi-agency safeguarding arrangements were independently scrutinised.",
        "Area, idea and every family: 1,200 referrals.",
    ]
    with remembering() as memos:
        memo = WordMemo(tmp_path, "hyphenation", lambda: "k")
        remembered = [reading_grade(s, memo) for s in sentences]
        memo.save()
        assert not memo.path.exists()  # kept, not yet written
        memos.save()
        again = WordMemo(tmp_path, "hyphenation", lambda: "k")
        assert again.loaded and again.answers
        assert [reading_grade(s, again) for s in sentences] == remembered
        assert remembered == [reading_grade(s) for s in sentences]
        assert not WordMemo(tmp_path, "hyphenation", lambda: "another key").loaded
    assert not WordMemo(tmp_path, "hyphenation", lambda: "k").loaded  # memos off


def test_a_plain_validate_and_no_cache_write_no_memo(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files, "content/budget.md": minimal_files["content/budget.md"] + MISSPELT}
    root = write_project(files)
    pipeline.validate(root)
    pipeline.validate_recorded(root, cache=False)
    assert not (root / "build").exists()
    pipeline.validate_recorded(root)
    assert (root / "build/.cache/words-spelling.json").is_file()
