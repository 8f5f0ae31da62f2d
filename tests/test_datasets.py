"""Datasets: each data file is declared once, found in reportgen/datasets/, and true.

What a declaration says is checked against what the code does: the checks it names run
on its data, and every kind that accepts it may.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest

from reportgen import catalogue, datasets
from reportgen.checks import run_checks
from reportgen.datasets import Dataset, accepted_by, declared, offering
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.kinds import default_kind, kind_named, kind_names
from reportgen.project import Project, load_project, reference_sources

from .conftest import REPO

NINE = [
    "budget",
    "feedback",
    "governance",
    "indicators",
    "partners",
    "priorities",
    "reviews",
    "tables",
    "training",
]


def test_the_package_declares_each_data_file_once() -> None:
    names = [d.name for d in declared()]
    assert set(NINE) <= set(names) and names == sorted(names)  # module-name order
    assert len(set(names)) == len(names)
    assert len({d.file for d in declared()}) == len(names)
    # A module without a DATASET (shared wording) is not a dataset.
    assert "words" not in names
    assert [d.name for d in accepted_by("annual-report")] == [
        d.name for d in default_kind().accepted()
    ]


def test_every_kind_may_accept_the_datasets_that_name_it() -> None:
    for name in kind_names():
        kind = kind_named(name)
        assert kind is not None
        assert kind.problems_with(kind.accepted()) == [], name
    for dataset in declared():
        assert dataset.kinds and all(kind_named(k) for k in dataset.kinds), dataset.name


def test_no_two_datasets_offer_names_with_the_same_first_word() -> None:
    seen: dict[str, str] = {}
    for dataset in declared():
        for prefix in dataset.prefixes:
            assert seen.setdefault(prefix, dataset.name) == dataset.name, prefix
    assert offering("indicator") is offering("indicators")
    assert offering("audit") is offering("reviews")  # audits live in reviews.yaml


@pytest.mark.parametrize(
    ("target", "sources"),
    [
        ("budget.income.total", ("budget",)),
        ("tables.cdop_mode", ("tables", "tables.cdop_mode")),
        # The grand total also waits for a cell of its table that could not be read.
        ("table.cdop_mode.total", ("tables", "tables.cdop_mode", "tables.cdop_mode.total")),
        ("training.elearning.passed", ("training", "training.elearning_file")),
        ("training.organisations", ("training", "training.organisations_file")),
        ("training.attended", ("training", "training.courses_file")),
        ("training.quotes", ("training",)),
        ("nothing.here", (None,)),
    ],
)
def test_a_reference_depends_on_the_files_its_dataset_says(
    target: str, sources: tuple[str | None, ...]
) -> None:
    assert reference_sources(target) == sources


EXAMPLES = [
    REPO,
    REPO / "examples" / "arrangements",
    REPO / "examples" / "business-plan",
    REPO / "examples" / "two-area",
]


def _checks() -> list[tuple[Dataset, Callable[..., None]]]:
    return [(d, check) for d in declared() for check in d.checks]


@pytest.mark.parametrize(
    ("dataset", "check"), _checks(), ids=[f"{d.name}-{c.__name__}" for d, c in _checks()]
)
def test_each_registered_check_runs_on_its_dataset(
    dataset: Dataset, check: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The declaration names the check by reference; reportgen.checks.run_checks runs it.
    # Replace it in its module and see it called on this dataset's data of the example
    # that has it (the repository's annual report, or the example of another kind).
    diags = DiagnosticList()
    root = next(r for r in EXAMPLES if (r / dataset.file).is_file())
    project = load_project(root, diags)
    assert project is not None
    calls: list[tuple[Any, ...]] = []

    def spy(*args: Any) -> None:
        calls.append(args)
        check(*args)

    monkeypatch.setattr(check.__module__ + "." + check.__name__, spy)
    run_checks(project, diags)
    assert calls, f"{check.__module__}.{check.__name__} did not run"
    assert isinstance(calls[0][0], Project)
    data = project.datasets[dataset.name]
    # The check is given the dataset's data, or finds it in the project itself.
    assert len(calls[0]) == 2 or calls[0][1] is data


def test_codes_a_dataset_module_declares_are_catalogued(monkeypatch: pytest.MonkeyPatch) -> None:
    # A dataset's own check may declare its code in the dataset's module: the catalogue
    # (explain, validation.md) finds it there, with no list to edit.
    module = types.ModuleType("reportgen.datasets.contacts")
    module.DATASET = declared()[0]  # type: ignore[attr-defined]
    module.DATA_CONTACT_UNREACHABLE = Code(  # type: ignore[attr-defined]
        "data.contact-unreachable", Severity.WARNING, "A contact has no way to reach them", "."
    )
    real = datasets.modules()
    monkeypatch.setattr(datasets, "modules", lambda: (*real, module))
    assert "data.contact-unreachable" in catalogue._collect()
    assert "data.contact-unreachable" not in catalogue.CATALOGUE  # the real one is unchanged
