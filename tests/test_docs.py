"""Docs cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from reportgen.datasets import declared
from reportgen.datasets.base import pattern_of
from reportgen.derive import COMMON_REFERENCES
from reportgen.pipeline import validate
from reportgen.reference_docs import references_markdown
from reportgen.schema_docs import project_format_markdown
from tests.conftest import REPO, copy_project


def test_project_format_doc_is_current() -> None:
    committed = (REPO / "reportgen" / "docs" / "project-format.md").read_text(encoding="utf-8")
    assert committed == project_format_markdown(), "run `make docs` and commit the result"


def test_references_doc_is_current() -> None:
    committed = (REPO / "reportgen" / "docs" / "references.md").read_text(encoding="utf-8")
    assert committed == references_markdown(), "run `make docs` and commit the result"


def _fuller_example(root: Path) -> Path:
    """The example with what its seed does not state: a meeting register, training by
    organisation, last year's notifications, budget and attendance (so every declared
    name is exercised)."""
    copy_project(root)
    data = root / "data"
    with (data / "governance.yaml").open("a", encoding="utf-8") as f:
        f.write("\nmeetings:\n  - group: executive\n    date: 2024-06-12\n")
        f.write("    attendance:\n      education: present\n")
    with (data / "training.yaml").open("a", encoding="utf-8") as f:
        f.write("\norganisations_file: data/training-by-organisation.csv\n")
    (data / "training-by-organisation.csv").write_text(
        "organisation_type,bookings,attended\nEducation,120,90\nHealth,80,60\n",
        encoding="utf-8",
    )
    reviews = (data / "reviews.yaml").read_text(encoding="utf-8")
    (data / "reviews.yaml").write_text(
        reviews.replace("  children: 3\n", "  children: 3\n  prior_incidents: 6\n", 1),
        encoding="utf-8",
    )
    # Earlier years of the budget and of training attendance (series words, trends).
    with (data / "budget.yaml").open("a", encoding="utf-8") as f:
        f.write("\nhistory:\n  - period: 2023/24\n    income: 190000\n    spend: 180000\n")
    with (data / "training.yaml").open("a", encoding="utf-8") as f:
        f.write("\nhistory:\n  - period: 2023/24\n    attended: 600\n")
    return root


def _resolved(fuller: Path) -> tuple[set[str], set[str]]:
    """Every inline name and block the example and the fixture projects resolve."""
    names: set[str] = set()
    blocks: set[str] = set()
    examples = sorted((REPO / "examples").iterdir())  # the other kinds of document
    for root in [REPO, fuller, *examples, *sorted((REPO / "tests" / "projects").iterdir())]:
        derived = validate(root).derived
        if derived is not None:
            names |= set(derived.references)
            blocks |= {str(key) for key in derived.blocks}
    return names, blocks


def test_every_name_derive_offers_is_declared_and_every_declared_name_is_offered(
    tmp_path: Path,
) -> None:
    # references.md is generated from the declarations: so it lists what the code offers.
    inline = [o for _, o in COMMON_REFERENCES] + [o for d in declared() for o in d.references]
    block_families = [o for d in declared() for o in d.blocks]
    names, blocks = _resolved(_fuller_example(tmp_path / "fuller"))
    assert "indicator.cp_plans" in names and "table budget.income" in blocks
    assert sorted(n for n in names if not any(o.matches(n) for o in inline)) == []
    assert sorted(b for b in blocks if not any(o.matches(b) for o in block_families)) == []
    # ... and vice versa: a declared name (or family) the code never offers is a stale row.
    stale = [
        declared_name
        for o in inline + block_families
        for declared_name in o.names
        if not any(pattern_of(declared_name).fullmatch(n) for n in names | blocks)
    ]
    assert stale == []
