"""A short, seeded run of the mutation fuzz of the example project (tests/fuzz.py).

Fixed seeds, bounded in time: every mutated project gives a result or diagnostics
with a file and line, never exit 2 nor a traceback. `make fuzz` runs it longer.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.fuzz import HOSTILE, copy_example, fuzz, mutate

SEEDS = range(20260, 20260 + 40)


def test_mutated_example_projects_never_crash() -> None:
    result = fuzz(iter(SEEDS), runs=len(SEEDS), seconds=10.0, min_runs=4)
    assert result.runs >= 4
    assert result.findings == [], "\n".join(
        f"seed {f.seed}: {' | '.join(f.mutations)}: {f.problem}" for f in result.findings
    )


def test_a_mutation_changes_the_project_and_is_replayable(tmp_path: Path) -> None:
    first = copy_example(tmp_path / "a")
    second = copy_example(tmp_path / "b")
    done = [mutate(first, random.Random(7)), mutate(second, random.Random(7))]
    assert done[0] == done[1]
    changed = [
        p.relative_to(first)
        for p in sorted(first.rglob("*"))
        if p.is_file()
        and p.read_bytes() != (tmp_path / "b" / "project" / p.relative_to(first)).read_bytes()
    ]
    assert changed == []  # same seed, same mutation
    original = copy_example(tmp_path / "c")
    differs = [
        p
        for p in sorted(first.rglob("*"))
        if p.is_file() and p.read_bytes() != (original / p.relative_to(first)).read_bytes()
    ]
    assert len(differs) <= 1
    assert "\x00" in HOSTILE and "{{x}" in HOSTILE
