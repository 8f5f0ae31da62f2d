"""Fixture projects in tests/projects/: each must produce exactly its pinned diagnostics.

Most are built from the seed publications' own figures and wording (the `# Seed:` line
of each case.yaml says where, with the entry of reportgen/docs/seed-errata.md); `clean-*` cases
hold near misses that must not be flagged. A case pins every diagnostic (code, severity,
file and line), so a check that starts raising false alarms fails here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen import pipeline
from reportgen.catalogue import CATALOGUE
from tests.conftest import REPO

PROJECTS = REPO / "tests" / "projects"
CASES = sorted(p for p in PROJECTS.iterdir() if (p / "case.yaml").is_file())

Found = tuple[str, str, str, int | None]


def _expected(case: Path) -> list[Found]:
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    return sorted(
        (e["code"], e["severity"], e["path"], e.get("line")) for e in spec["expected"] or []
    )


def _found(case: Path) -> list[Found]:
    result = pipeline.validate(case)
    return sorted(
        (d.code, d.severity.value, d.location.path if d.location else "", d.location.line)
        if d.location
        else (d.code, d.severity.value, "", None)
        for d in result.diagnostics
        # The fixtures predate the open data export and have no ONS codes; that warning
        # is tested in tests/test_export.py.
        if d.code != "config.ons-code-missing"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_project(case: Path) -> None:
    assert _found(case) == _expected(case)


def test_every_fixture_says_what_it_is() -> None:
    for case in CASES:
        head = (case / "case.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# ") and len(head) > 20, case.name


def test_seed_cases_name_their_source() -> None:
    for case in CASES:
        if case.name.startswith("seed-"):
            text = (case / "case.yaml").read_text(encoding="utf-8")
            assert "# Seed: AR " in text or "# Seed: MASA " in text, case.name


# The checks this work added: each must be triggered by at least one fixture, and the
# clean fixtures and the example must trigger none of them (see test_example.py).
CHECK_CODES = [
    "config.disclosure-override",
    "config.severity-lowered",
    "config.unknown-code",
    "completeness.missing-required",
    "completeness.missing-recommended",
    "content.broken-link",
    "content.change-without-prior",
    "content.drafting-note",
    "content.duplicate-heading",
    "content.empty-chart",
    "content.empty-label",
    "content.empty-text",
    "content.missing-alt",
    "content.name-mismatch",
    "content.percent-impossible",
    "content.placeholder",
    "content.points-vs-percent",
    "content.repeated-plan",
    "content.repeated-text",
    "content.unfinished-sentence",
    "content.unknown-group",
    "data.duplicate-entry",
    "data.duplicate-person",
    "data.overspend-unexplained",
    "data.percent-mismatch",
    "data.rate-mismatch",
    "data.rate-population",
    "data.shares-not-100",
    "data.total-mismatch",
    "dates.future-tense",
    "dates.outside-period",
    "dates.stale-heading",
    "dates.stale-year",
    "dates.wrong-year",
    "disclosure.count-in-text",
    "disclosure.legend-missing",
    "disclosure.policy-loosened",
]


def test_every_check_has_a_fixture_that_triggers_it() -> None:
    triggered = {code for case in CASES for code, *_ in _expected(case)}
    missing = [code for code in CHECK_CODES if code not in triggered]
    assert not missing, f"no fixture project triggers: {missing}"
    assert all(code in CATALOGUE for code in CHECK_CODES)


def test_pinned_severities_are_the_catalogue_defaults() -> None:
    # Except where the fixture's report.yaml raises them (config-severity).
    for case in CASES:
        if case.name == "config-severity":
            continue
        for code, severity, *_ in _expected(case):
            assert CATALOGUE[code].severity.value == severity, (case.name, code)
