"""Every {{ reference }} in narrative resolves to data, reported at its Markdown line."""

from __future__ import annotations

import pytest

from reportgen.checks.narrative import check_references, check_typed_figures
from reportgen.derive import derive
from reportgen.diagnostics import Diagnostic, DiagnosticList
from reportgen.project import load_project
from tests.conftest import BUDGET, BUDGET_MD, MODE_OF_DEATH, REPO, TABLES, ProjectWriter

MD = "content/budget.md"


def _validate(write_project: ProjectWriter, files: dict[str, str]) -> DiagnosticList:
    """Load, derive and check references, as `pipeline.validate` does."""
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert project is not None
    check_references(project, derive(project), diags)
    return diags


def _content(diags: DiagnosticList) -> list[Diagnostic]:
    return [d for d in diags if d.code.startswith("content.")]


def _where(d: Diagnostic) -> tuple[str, str | None, int | None]:
    assert d.location is not None
    return (d.code, d.location.path, d.location.line)


def test_seed_narrative_resolves(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    assert list(_validate(write_project, minimal_files)) == []


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("budget.expenditure.spnd", "did you mean 'budget.expenditure.spend'?"),
        ("budget.income.totl", "did you mean 'budget.income.total'?"),
        ("budget.expenditure.positon", "did you mean 'budget.expenditure.position'?"),
        ("period.lable", "did you mean 'period.label'?"),
    ],
)
def test_unresolved_reference_with_did_you_mean(
    write_project: ProjectWriter, minimal_files: dict[str, str], written: str, hint: str
) -> None:
    # BUDGET_MD has 4 lines; a blank line and the new paragraph make it line 6.
    md = BUDGET_MD + f"\nWe spent {{{{ {written} }}}} on the partnership.\n"
    diags = _validate(write_project, {**minimal_files, MD: md})
    (diag,) = _content(diags)
    assert _where(diag) == ("content.unresolved-reference", MD, 6)
    assert diag.message == f"'{{{{ {written} }}}}' does not match any data"
    assert diag.hint == hint
    assert len(diags) == 1


def test_unresolved_reference_on_a_later_line_of_a_paragraph(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    md = BUDGET_MD.replace(
        "{{ budget.expenditure.spend }}, {{ budget.expenditure.position }}.",
        "{{ budget.expenditure.spend }}, {{ budget.expenditure.postion }}.",
    )
    (diag,) = _content(_validate(write_project, {**minimal_files, MD: md}))
    assert _where(diag) == ("content.unresolved-reference", MD, 2)


def test_reference_to_absent_dataset_says_so(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    md = BUDGET_MD + "\nThere were {{ indicator.cp_plans }} children with a plan.\n"
    (diag,) = _content(_validate(write_project, {**minimal_files, MD: md}))
    assert _where(diag) == ("content.unresolved-reference", MD, 6)
    assert diag.hint is not None
    assert "data/indicators" in diag.hint and "reportgen docs references" in diag.hint


def test_absent_dataset_hint_names_the_file(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    md = BUDGET_MD + "\nThere were {{ indicator.cp_plans }} children with a plan.\n"
    (diag,) = _content(_validate(write_project, {**minimal_files, MD: md}))
    assert diag.hint is not None and "data/indicators.yaml" in diag.hint


def test_unknown_prefix_points_to_the_reference_list(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    md = BUDGET_MD + "\nSee {{ weather.today }}.\n"
    (diag,) = _content(_validate(write_project, {**minimal_files, MD: md}))
    assert _where(diag) == ("content.unresolved-reference", MD, 6)
    assert diag.hint == "see `reportgen docs references` for the names you can use"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("table budget.incme", "did you mean '{{ table budget.income }}'?"),
        ("chart budget.expenditure", None),  # exists: no diagnostic
        ("chart budget.grants", "did you mean '{{ table budget.grants }}'?"),
        ("table budget.expenditur", "did you mean '{{ table budget.expenditure }}'?"),
    ],
)
def test_unknown_block_with_did_you_mean(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    written: str,
    hint: str | None,
) -> None:
    md = BUDGET_MD + f"\n{{{{ {written} }}}}\n"
    found = _content(_validate(write_project, {**minimal_files, MD: md}))
    if hint is None:
        assert found == []
        return
    (diag,) = found
    assert _where(diag) == ("content.unknown-block", MD, 6)
    assert diag.message == f"'{{{{ {written} }}}}' does not match any table, chart or list"
    assert diag.hint == hint


def test_every_reference_problem_reported_in_one_pass(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    md = (
        "## Money\n"  # 1
        "\n"  # 2
        "Partners paid {{ budget.income.totl }} into the budget.\n"  # 3
        "We spent {{ budget.expenditure.spend }}\n"  # 4
        "and had {{ budget.grants.totl }} in grants.\n"  # 5
        "\n"  # 6
        "{{ table budget.incme }}\n"  # 7
        "\n"  # 8
        "{{ list nothing.here }}\n"  # 9
    )
    found = _content(_validate(write_project, {**minimal_files, MD: md}))
    assert [_where(d) for d in found] == [
        ("content.unresolved-reference", MD, 3),
        ("content.unresolved-reference", MD, 5),
        ("content.unknown-block", MD, 7),
        ("content.unknown-block", MD, 9),
    ]


# --- no cascades ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("year: 2024/25", "year: 2024-25", "schema.invalid", 1),  # schema fails
        ("      amount: 5500", "      amont: 5500", "schema.unknown-key", 18),
        ("income:", "income: [", "yaml.syntax", 4),  # file does not even parse
    ],
)
def test_no_cascade_when_the_dataset_failed(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    code: str,
    line: int,
) -> None:
    files = {**minimal_files, "data/budget.yaml": BUDGET.replace(old, new)}
    diags = _validate(write_project, files)
    # BUDGET_MD quotes three budget figures and a budget table: none is reported again.
    assert _content(diags) == []
    assert code in {d.code for d in diags}
    budget_lines = {
        d.location.line for d in diags if d.location and d.location.path == "data/budget.yaml"
    }
    assert line in budget_lines


def test_other_datasets_are_still_checked_after_a_failure(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        "data/budget.yaml": BUDGET.replace("year: 2024/25", "year: 2024-25"),
        MD: BUDGET_MD + "\nThe year was {{ period.lable }}.\n",
    }
    (diag,) = _content(_validate(write_project, files))
    assert _where(diag) == ("content.unresolved-reference", MD, 6)


def test_table_reference_resolves_when_its_csv_is_valid(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        "data/tables.yaml": TABLES,
        "data/tables/cdop-mode-of-death.csv": MODE_OF_DEATH,
        MD: BUDGET_MD + "\n{{ table.cdop_mode.total }} deaths.\n\n{{ table tables.cdop_mode }}\n",
    }
    assert list(_validate(write_project, files)) == []


def test_no_cascade_when_a_table_csv_failed(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {
        **minimal_files,
        "data/tables.yaml": TABLES,
        "data/tables/cdop-mode-of-death.csv": MODE_OF_DEATH.replace(
            "Brainstem death,0,0,0,0,1,0,1", "Brainstem death,0,0,0,0,one,0,1"
        ),
        MD: BUDGET_MD + "\n{{ table.cdop_mode.total }} deaths.\n\n{{ table tables.cdop_mode }}\n",
    }
    diags = _validate(write_project, files)
    assert [d.code for d in diags] == ["table.not-a-count"]


# Indicators beside the budget, for the typed-figure check (28 is a count and a percentage).
FIGURES = """\
groups:
  - id: front_door
    title: Front door
indicators:
  - id: cp_plans
    label: Children on child protection plans
    group: front_door
    unit: count
    value: 260
    as_at: 2025-03-31
  - id: referrals_share
    label: Contacts that became referrals
    group: front_door
    unit: percent
    value: 28
    period: 2024/25
  - id: young_carers
    label: Young carers supported
    group: front_door
    unit: count
    value: 28
    period: 2024/25
"""


def _typed(
    write_project: ProjectWriter, minimal_files: dict[str, str], text: str
) -> list[Diagnostic]:
    """The typed-figure warnings for one paragraph added to the budget section (line 6)."""
    files = {**minimal_files, "data/indicators.yaml": FIGURES, MD: BUDGET_MD + "\n" + text + "\n"}
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert project is not None
    check_typed_figures(project, derive(project), diags)
    return [d for d in diags if d.code == "content.typed-figure"]


@pytest.mark.parametrize(
    ("text", "typed", "name"),
    [
        ("There were 260 children on a plan.", "260", "indicator.cp_plans"),
        ("Of all contacts, 28% became referrals.", "28%", "indicator.referrals_share"),
        (
            "Of all contacts, 28 per cent became referrals.",
            "28 per cent",
            "indicator.referrals_share",
        ),
        ("Partners paid £194,600 in all.", "£194,600", "budget.income.total"),
        ("Partners paid £194600 in all.", "£194600", "budget.income.total"),
        ("We overspent by £1,400.", "£1,400", "budget.expenditure.difference"),
        ("Plans rose from 260 to 300.", "260", "indicator.cp_plans"),
        ("Over 260 children had a plan.", "260", "indicator.cp_plans"),
        (
            "Of all contacts, 28 percent became referrals.",
            "28 percent",
            "indicator.referrals_share",
        ),
    ],
)
def test_typed_figure_the_data_offers_is_named(
    write_project: ProjectWriter, minimal_files: dict[str, str], text: str, typed: str, name: str
) -> None:
    (diag,) = _typed(write_project, minimal_files, text)
    assert _where(diag) == ("content.typed-figure", MD, 6)
    assert diag.message.startswith(f"'{typed}' is typed, and the data offers that figure as ")
    assert name in diag.message  # first, or beside the first when two figures are equal
    assert diag.hint is not None and diag.hint.startswith("write '{{ ")


def test_typed_figure_names_every_equal_figure(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # Budget and income are both £194,600: the warning names one and the other beside it.
    (diag,) = _typed(write_project, minimal_files, "The budget was £194,600.")
    assert diag.message.endswith("'{{ budget.expenditure.budget }}' (or budget.income.total)")


def test_typed_figure_on_a_later_line_of_a_paragraph(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    (diag,) = _typed(write_project, minimal_files, "A first line,\nthen 260 children.")
    assert _where(diag) == ("content.typed-figure", MD, 7)


@pytest.mark.parametrize(
    "text",
    [
        "{{ indicator.cp_plans }} children were on a plan.",  # quoted, not typed
        "There were 261 children on a plan.",  # no figure of the data
        "We met on 28 March 2025 and on March 28.",  # dates
        "The plan runs from 2024 to 2026; it began in 2260.",  # a year; 2260 is no figure
        "Young people aged 16 to 28 took part; also 28 year olds and 28-year-olds.",
        "Children under 28, young people over 28 and those after 28.",
        "Pupils in Year 28 at Level 28 with grade 28 and Attainment 28.",
        "Support for up to 28 weeks, a service 260 years old, 28 days.",
        "The rate per 260 children; 28 or over; 28+ and the 28th time.",
        "Version 2.1 and pages 12-28, the 0-260 service.",
    ],
)
def test_typed_figure_leaves_other_numbers_alone(
    write_project: ProjectWriter, minimal_files: dict[str, str], text: str
) -> None:
    assert _typed(write_project, minimal_files, text) == []


def test_a_bare_28_is_compared_when_nothing_excludes_it(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # The exclusions above matter: the same 28 with no date, age or length is named.
    (diag,) = _typed(write_project, minimal_files, "We supported 28 young carers.")
    assert "'{{ indicator.young_carers }}'" in diag.message


def test_small_whole_numbers_are_not_compared(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    # 4 is offered by nothing here; a count under 10 would match too many figures.
    indicators = FIGURES.replace("value: 260", "value: 4")
    files = {
        **minimal_files,
        "data/indicators.yaml": indicators,
        MD: BUDGET_MD + "\nThere were 4 meetings.\n",
    }
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert project is not None
    assert derive(project).references["indicator.cp_plans"] in ("4", "c")
    check_typed_figures(project, derive(project), diags)
    assert [d for d in diags if d.code == "content.typed-figure"] == []


def test_the_example_types_no_figure_its_data_offers() -> None:
    from reportgen import pipeline

    result = pipeline.validate(REPO)
    assert [d.format_text() for d in result.diagnostics if d.code == "content.typed-figure"] == []
