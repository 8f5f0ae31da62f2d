"""Shared fixtures: small report projects written from text, built from seed figures."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.model.config import ReportConfig

REPO = Path(__file__).resolve().parent.parent
# What the repository's own example project is made of (the rest is the program): its
# narrative, data, last year's report (archive/, which this year is checked against) and
# its own templates.
EXAMPLE_PARTS = ("report.yaml", "content", "data", "templates", "archive")


def copy_project(dest: Path, source: Path = REPO) -> Path:
    """Copy a report project whole into `dest` (a new folder) and return `dest`.

    The default is the repository's example (its EXAMPLE_PARTS); any other project
    folder (examples/arrangements, a fixture) is copied entire, but for its build output.
    Tests that change a copy use this, so none can leave out a part of the project."""
    if source.resolve() != REPO:
        return Path(shutil.copytree(source, dest, ignore=shutil.ignore_patterns("build")))
    dest.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, dest / part)
        else:
            shutil.copy2(source / part, dest / part)
    return dest


MINIMAL_CONFIG = """\
partnership:
  name: Newham Safeguarding Children Partnership
  short_name: NSCP
  areas:
    - id: newham
      name: London Borough of Newham
      ons_code: E09000025
title: Annual Report 2024/25
period:
  label: 2024/25
  start: 2024-04-01
  end: 2025-03-31
sections:
  - id: budget
    title: Budget
    file: content/budget.md
outputs:
  basename: report
"""

BUDGET = """\
year: 2024/25
income:
  lines:
    - contributor: Barts Health
      amount: 5000
    - contributor: ELFT
      amount: 10000
    - contributor: ICB
      amount: 50000
    - contributor: Police
      amount: 5000
    - contributor: LBN - CSC
      amount: 107000
      note: not including overheads
    - contributor: LBN - Education
      amount: 10000
    - contributor: Housing
      amount: 5500
    - contributor: Probation
      amount: 2100
  total: 194600
expenditure:
  lines:
    - item: Salaries
      budget: 145000
      spend: 153000
    - item: Training/events
      budget: 30000
      spend: 27000
    - item: LCSPRs
      budget: 13000
      spend: 12000
    - item: ICT/Printing/Miscellaneous
      budget: 6600
      spend: 4000
  total_budget: 194600
  total_spend: 196000
"""

BUDGET_MD = """\
Partners paid {{ budget.income.total }} into the budget. We spent
{{ budget.expenditure.spend }}, {{ budget.expenditure.position }}.

{{ table budget.income }}
"""

# Chromium on a closed network: no background fetches, no sandbox when run as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The seed's multi-agency audit of child sexual abuse cases: 10 cases, graded.
REVIEWS = """\
audits:
  - id: csa
    title: Child sexual abuse multi-agency audit
    cases: 10
    gradings:
      - grade: Good
        cases: 4
      - grade: Requires improvement
        cases: 6
"""

# The same section with the budget's two charts in place of the table.
CHARTS_MD = """\
Partners paid {{ budget.income.total }} into the budget.

{{ chart budget.income }}

{{ chart budget.expenditure }}
"""

# The seed's child death table (Newham 2024/25, mode of death by age band), as published,
# with its Total row and column; and the tables.yaml entry that names it.
MODE_OF_DEATH = """\
Mode of death,≤ 28 days,29 to 364 days,1-4 years,5-9 years,10-14 years,15-17 years,Total
Palliative care,2,1,0,0,1,0,4
Treatment withheld,7,3,2,1,2,1,16
Brainstem death,0,0,0,0,1,0,1
Failed cardio-respiratory resuscitation,2,4,2,0,1,2,11
Found dead or collapsed,0,0,1,3,0,1,5
Not known,0,0,0,0,0,0,0
Total,11,8,5,4,5,4,37
"""

TABLES = """\
tables:
  - id: cdop_mode
    title: Mode of death by age group
    file: data/tables/cdop-mode-of-death.csv
"""


ProjectWriter = Callable[[dict[str, str]], Path]


@pytest.fixture(scope="session")
def example_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's example report, built once for every test that reads it."""
    from reportgen import pipeline

    out = tmp_path_factory.mktemp("example-build")
    result = pipeline.build(REPO, out)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    found = {p.suffix: p for p in result.outputs if not p.stem.endswith("-digest")}
    # The plain-language digest beside it (report.yaml asks for one): "digest.html", ...
    found.update({f"digest{p.suffix}": p for p in result.outputs if p.stem.endswith("-digest")})
    return found


@pytest.fixture(scope="session")
def example_config() -> ReportConfig:
    """The example's report.yaml, as loaded."""
    from reportgen import pipeline

    result = pipeline.validate(REPO)
    assert result.project is not None
    # The example is of the report kind, whose configuration the tests read.
    assert isinstance(result.project.config, ReportConfig)
    return result.project.config


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's example project, to change."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def write_project(tmp_path: Path) -> ProjectWriter:
    """Write {relative path: text} into a fresh folder and return it."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def minimal_files() -> dict[str, str]:
    """A valid one-section project using the Newham 2024/25 budget figures."""
    return {
        "report.yaml": MINIMAL_CONFIG,
        "data/budget.yaml": BUDGET,
        "content/budget.md": BUDGET_MD,
    }


# Modules whose tests build PDFs, drive Chromium or run many builds. `make test` runs
# everything; `make test-newest` (the newest releases pyproject.toml allows) runs the
# rest, with `-m "not slow"`.
SLOW_MODULES = {
    "tests/render/test_accessibility.py",
    "tests/render/test_pdf_structure.py",
    "tests/render/test_chartset.py",
    "tests/test_cache.py",
    "tests/test_example.py",
    "tests/test_many.py",
    "tests/test_properties.py",
    "tests/test_reproducible.py",
    "tests/test_serve.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.path).relative_to(REPO).as_posix() in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A project as `reportgen init` makes it (fixed date), to be edited by a test."""
    from reportgen.scaffold import create_project

    root = tmp_path / "report"
    create_project(
        root, partnership="Riverside Safeguarding Children Partnership", today=dt.date(2026, 6, 1)
    )
    return root


def edit_once(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in a project's file with `new` (which must be there)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
