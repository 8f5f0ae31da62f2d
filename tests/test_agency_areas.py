"""What an agency block `covers:`: the areas it speaks for, shown, checked and counted.

The two-area example's police block covers both areas and Coldwater's own section covers
Coldwater; the seeded defects (an unknown area, a block of Fernmoor's section covering
Coldwater) are pinned in tests/projects/two-area-defects/case.yaml.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportgen import pipeline
from reportgen.checks.completeness import Checklist
from reportgen.views import BlockKey, CardsView
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "two-area"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "two-area"
    shutil.copytree(EXAMPLE, root)
    return root


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "data" / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _item(result: pipeline.ValidationResult, ident: str) -> tuple[str, str | None]:
    assert isinstance(result.checklist, Checklist)
    item = next(i for i in result.checklist.items if i.id == ident)
    return item.status.value, item.missing


@pytest.fixture(scope="module")
def validated() -> pipeline.ValidationResult:
    return pipeline.validate(EXAMPLE)


def test_a_block_shows_the_areas_it_covers_by_their_short_labels(
    validated: pipeline.ValidationResult,
) -> None:
    assert validated.derived is not None
    cards = validated.derived.blocks[BlockKey("cards", "partners.contributions")]
    assert isinstance(cards, CardsView)
    covers = {
        (card.title, part.heading): part.covers for card in cards.cards for part in card.parts
    }
    assert covers[("Fernmoor and Coldwater Police", "Evidence and impact")] == (
        "Fernmoor and Coldwater"
    )
    assert covers[("Fernmoor and Coldwater Police", "Learning and improvement")] is None
    assert covers[("Coldwater Children's Services", "What we learned")] == "Coldwater"


def test_the_html_prints_what_a_block_covers(tmp_path: Path) -> None:
    result = pipeline.build(EXAMPLE, tmp_path / "out", pdf=False)
    assert not result.diagnostics.has_errors()
    html = next(p for p in result.outputs if p.suffix == ".html").read_text(encoding="utf-8")
    # Under the block's heading, before its points.
    assert re.search(
        r"<h4>Evidence and impact</h4>\s*"
        r'<p class="card-part-covers">Covers: Fernmoor and Coldwater</p>\s*<ul>',
        html,
    )


def test_every_area_covered_meets_the_profile_item(validated: pipeline.ValidationResult) -> None:
    assert _item(validated, "agency-areas") == ("met", None)
    codes = {d.code for d in validated.diagnostics}
    assert "data.block-other-area" not in codes and "data.unknown-reference" not in codes


def test_an_area_no_section_covers_is_partly_then_missing(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "        covers: [fernmoor, coldwater]\n", "        covers: [fernmoor]\n")
    _edit(root, "    area: coldwater\n", "")
    _edit(root, "        covers: [coldwater]\n", "")
    status, missing = _item(pipeline.validate(root), "agency-areas")
    assert status == "partly"
    assert missing is not None and missing.startswith("no agency section or block covers Coldwater")
    _edit(root, "        covers: [fernmoor]\n", "")
    result = pipeline.validate(root)
    assert _item(result, "agency-areas")[0] == "missing"
    (info,) = [d for d in result.diagnostics if "agency-areas" in d.message]
    assert info.code == "completeness.missing-recommended"
    assert "no agency section or block covers Fernmoor, Coldwater" in info.message


def test_a_single_area_partnership_needs_no_block_to_name_it() -> None:
    assert _item(pipeline.validate(REPO), "agency-areas")[0] == "met"


def test_block_kinds_under_covers_say_where_they_belong(tmp_path: Path) -> None:
    # `covers:` used to hold what the block is about; such a file is told where it goes.
    root = _copy(tmp_path)
    _edit(root, "        about: [learning, improvement]\n", "        covers: [learning]\n")
    result = pipeline.validate(root)
    errors = sorted(
        (d.code, d.location.line if d.location else None, d.message)
        for d in result.diagnostics.errors
    )
    assert [(code, line) for code, line, _ in errors] == [
        ("schema.invalid", 15),  # the line of `covers: [learning]`
        ("schema.missing", 14),  # the block's `about:`
    ]
    assert (
        "'learning' is what the block is about, not an area: write it under `about:`"
        in (errors[0][2])
    )
