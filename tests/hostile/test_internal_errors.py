"""A bug in reportgen: one line, where the traceback is saved, how to report it; no data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from tests.hostile.fixtures import BASE

SECRET = "Jane Doe, aged 7, child protection plan"


def _crash(*args: object, **kwargs: object) -> None:
    try:
        raise ValueError(f"cannot parse {SECRET!r}")
    except ValueError as exc:
        raise KeyError(SECRET) from exc


@pytest.mark.parametrize("command", ["validate", "build"])
def test_internal_error_is_one_line_without_data(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    monkeypatch.setattr(pipeline, command, _crash)
    done = CliRunner().invoke(app, [command, str(root)])
    assert done.exit_code == 3
    lines = done.output.strip().splitlines()
    assert len(lines) == 1, done.output
    assert "internal error in reportgen (KeyError)" in lines[0]
    assert "bug report" in lines[0]
    assert SECRET not in done.output and "Jane" not in done.output
    saved = Path(re.search(r"saved in (\S+?):", lines[0]).group(1))  # type: ignore[union-attr]
    assert saved.stat().st_mode & 0o077 == 0  # readable by its owner only
    report = saved.read_text()
    saved.unlink()
    assert "Jane" not in report  # neither the message nor locals reach the file
    assert "Traceback (most recent call last)" in report
    assert "builtins.KeyError: [message withheld" in report
    assert "builtins.ValueError: [message withheld" in report
    assert "test_internal_errors.py" in report  # frames are kept: the bug can be found


def test_debug_shows_the_full_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "validate", _crash)
    done = CliRunner().invoke(app, ["validate", str(tmp_path), "--debug"])
    assert done.exit_code == 3
    assert SECRET in done.output  # on the user's own terminal, when asked for


def test_interrupt_says_the_outputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build", interrupt)
    done = CliRunner().invoke(app, ["build", str(tmp_path)])
    assert done.exit_code == 130
    assert done.output.strip() == "interrupted; the previous outputs are unchanged"


HUGE = "9" * 5000  # beyond Python's limit for turning an integer into text


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("data/training-courses.csv", "Chemsex,1,7,5,", f"Chemsex,1,{HUGE},5,"),
        ("data/training.yaml", "courses_file:", f"totals:\n  attended: {HUGE}\ncourses_file:"),
        ("data/tables/mode-of-death.csv", "Palliative care,3,1,4", f"Palliative care,{HUGE},1,4"),
        ("data/budget.yaml", "amount: 5000", f"amount: {HUGE}"),
        ("content/deaths.md", "The panel", f"There were {HUGE} children. The panel"),
    ],
)
def test_numbers_of_thousands_of_digits_are_diagnostics_not_crashes(
    rel: str, old: str, new: str, tmp_path: Path
) -> None:
    """Their bounds are the schema's; whatever it decides, nothing may crash on them."""
    root = tmp_path / "p"
    shutil.copytree(BASE, root)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in (["validate"], ["build", "--html-only"]):
        done = CliRunner().invoke(app, [*command, str(root), "--format", "json"])
        assert done.exit_code in (0, 1), done.output
        assert "internal error" not in done.output
