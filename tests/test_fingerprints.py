"""The tool fingerprint: what makes every cached product stale when it changes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reportgen import fingerprints


def _fresh() -> str:
    fingerprints.tool_fingerprint.cache_clear()
    try:
        return fingerprints.tool_fingerprint()
    finally:
        fingerprints.tool_fingerprint.cache_clear()


def test_an_egg_info_in_the_working_folder_is_not_an_installed_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -c` puts "" (the working folder) first on sys.path, `python -m` its path.
    monkeypatch.chdir(tmp_path)
    for spelling in ("", str(tmp_path)):
        monkeypatch.setattr(sys, "path", [spelling, *sys.path])
        before = _fresh()
        (tmp_path / "someone_elses_tool.egg-info").mkdir()
        assert _fresh() == before
        (tmp_path / "someone_elses_tool.egg-info").rmdir()


def test_a_new_distribution_on_the_path_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    before = _fresh()
    (site / "matplotlib-99.0.dist-info").mkdir()
    assert _fresh() != before
