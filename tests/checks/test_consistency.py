"""Cross-record checks: unique ids and references that resolve."""

from __future__ import annotations

import pytest

from reportgen.checks.consistency import check_consistency
from reportgen.diagnostics import Diagnostic, DiagnosticList
from reportgen.project import Project, load_project
from tests.conftest import MINIMAL_CONFIG, ProjectWriter

# Lines are numbered in the comments so expected locations can be checked by eye.
GOVERNANCE = """\
partners:
  - id: lbn
    name: London Borough of Newham
    type: local_authority
  - id: icb
    name: NHS North East London ICB
    type: icb
  - id: police
    name: Metropolitan Police
    type: police
groups:
  - id: executive
    name: Executive Group
    purpose: Leads the partnership.
  - id: pqa
    name: Performance and Quality Assurance subgroup
    purpose: Checks the quality of practice.
    parent: executive
members:
  - name: Chair of the Executive
    role: Independent scrutineer
    organisation: lbn
    group: executive
meetings:
  - group: executive
    date: 2024-05-01
    attendance:
      lbn: present
      icb: apologies
"""
# partners: ids on lines 2, 5, 8; groups: ids on 12 and 15, parent on 18;
# members: group on 23; meetings: group on 25.

INDICATORS = """\
groups:
  - id: snapshot
    title: Safeguarding snapshot
indicators:
  - id: cp_plans
    label: Children with a child protection plan
    group: snapshot
    unit: count
    value: 260
    prior: 304
    better: lower
  - id: cin
    label: Children in need
    group: snapshot
    unit: count
    value: 1,286
    prior: 1,346
  - id: cp_rate
    label: Child protection plans per 10,000 children
    group: snapshot
    unit: rate_per_10k
    value: 32.1
    area: newham
    comparators:
      statistical_neighbours:
        value: 39.7
        period: 2023/24
  - id: training_attendance
    label: Training places attended
    group: snapshot
    unit: percent
    value: 70
"""
# ids on lines 5, 12, 18, 28; groups on 7, 14, 20, 30; area on 23;
# comparator key on 25; the percent value on 32.

REVIEWS = """\
audits:
  - id: csa
    title: Child sexual abuse multi-agency audit
    cases: 10
    gradings:
      - grade: Good
        cases: 4
      - grade: Requires improvement
        percent: 60
"""


def _check(write_project: ProjectWriter, files: dict[str, str]) -> list[Diagnostic]:
    diags = DiagnosticList()
    project = load_project(write_project(files), diags)
    assert list(diags) == [], [d.format_text() for d in diags]
    assert isinstance(project, Project)
    check_consistency(project, diags)
    return list(diags)


def _where(d: Diagnostic) -> tuple[str, str | None, int | None, int | None]:
    assert d.location is not None
    return (d.code, d.location.path, d.location.line, d.location.column)


def _files(minimal_files: dict[str, str], **data: str) -> dict[str, str]:
    return {**minimal_files, **{f"data/{name}.yaml": text for name, text in data.items()}}


def test_consistent_data_has_no_findings(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = _files(minimal_files, governance=GOVERNANCE, indicators=INDICATORS, reviews=REVIEWS)
    assert _check(write_project, files) == []


# --- duplicate ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "old", "new", "what", "ident", "line", "first"),
    [
        ("governance", GOVERNANCE, "  - id: icb\n", "  - id: lbn\n", "partner", "lbn", 5, 2),
        (
            "governance",
            GOVERNANCE,
            "  - id: pqa\n",
            "  - id: executive\n",
            "group",
            "executive",
            15,
            12,
        ),
        (
            "indicators",
            INDICATORS,
            "  - id: cin\n",
            "  - id: cp_plans\n",
            "indicator",
            "cp_plans",
            12,
            5,
        ),
        (
            "reviews",
            REVIEWS + "  - id: csa\n    title: Second audit\n    cases: 6\n",
            "",
            "",
            "audit",
            "csa",
            10,
            2,
        ),
    ],
)
def test_duplicate_id_names_the_first_use(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    name: str,
    text: str,
    old: str,
    new: str,
    what: str,
    ident: str,
    line: int,
    first: int,
) -> None:
    if old:
        assert text.count(old) == 1
        text = text.replace(old, new)
    findings = _check(write_project, _files(minimal_files, **{name: text}))
    duplicates = [d for d in findings if d.code == "data.duplicate-id"]
    assert len(duplicates) == 1, findings
    (diag,) = duplicates
    assert _where(diag) == ("data.duplicate-id", f"data/{name}.yaml", line, 9)
    assert diag.message == f"{what} id '{ident}' is used twice (first at line {first})"


def test_duplicate_section_id(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    config = MINIMAL_CONFIG.replace(
        "outputs:",
        "  - id: budget\n    title: Budget again\n    file: content/budget.md\noutputs:",
    )
    (diag,) = _check(write_project, {**minimal_files, "report.yaml": config})
    assert _where(diag) == ("data.duplicate-id", "report.yaml", 17, 9)
    assert diag.message == "section id 'budget' is used twice (first at line 14)"


# --- unknown references ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "value", "hint"),
    [
        (
            "    group: executive\n",
            "    group: executiv\n",
            23,
            12,
            "executiv",
            "did you mean 'executive'?",
        ),
        (
            "    parent: executive\n",
            "    parent: exec\n",
            18,
            13,
            "exec",
            "did you mean 'executive'?",
        ),
        ("  - group: executive\n", "  - group: pqq\n", 25, 12, "pqq", "did you mean 'pqa'?"),
        (
            "    group: executive\n",
            "    group: safeguarding_board\n",
            23,
            12,
            "safeguarding_board",
            "known: executive, pqa",
        ),
    ],
)
def test_unknown_group(
    write_project: ProjectWriter,
    minimal_files: dict[str, str],
    old: str,
    new: str,
    line: int,
    column: int,
    value: str,
    hint: str,
) -> None:
    assert GOVERNANCE.count(old) == 1
    gov = GOVERNANCE.replace(old, new)
    (diag,) = _check(write_project, _files(minimal_files, governance=gov))
    assert _where(diag) == ("data.unknown-reference", "data/governance.yaml", line, column)
    assert diag.message == f"unknown group '{value}'"
    assert diag.hint == hint


def test_unknown_indicator_group(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    ind = INDICATORS.replace(
        "    group: snapshot\n    unit: rate", "    group: rates\n    unit: rate"
    )
    (diag,) = _check(write_project, _files(minimal_files, indicators=ind))
    assert _where(diag) == ("data.unknown-reference", "data/indicators.yaml", 20, 12)
    assert diag.message == "unknown indicator group 'rates'"
    assert diag.hint == "known: snapshot"


def test_unknown_comparator(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    ind = INDICATORS.replace("statistical_neighbours:", "statistical_neighbors:")
    (diag,) = _check(write_project, _files(minimal_files, indicators=ind))
    # The long form's value is a block, so the key line and column are used.
    assert _where(diag) == ("data.unknown-reference", "data/indicators.yaml", 25, 7)
    assert diag.message == "unknown comparator 'statistical_neighbors'"
    assert diag.hint == "did you mean 'statistical_neighbours'?"


def test_unknown_comparator_points_at_its_key(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    ind = INDICATORS.replace(
        "      statistical_neighbours:\n        value: 39.7\n        period: 2023/24\n",
        "      statistical_neighbors: 39.7\n",
    )
    (diag,) = _check(write_project, _files(minimal_files, indicators=ind))
    assert _where(diag) == ("data.unknown-reference", "data/indicators.yaml", 25, 7)


def test_comparator_declared_in_config_is_known(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    config = MINIMAL_CONFIG + "comparators:\n  outer_london: Outer London\n"
    ind = INDICATORS.replace("statistical_neighbours:", "outer_london:")
    assert (
        _check(write_project, {**_files(minimal_files, indicators=ind), "report.yaml": config})
        == []
    )


def test_default_comparators_are_replaced_by_the_configs(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    config = MINIMAL_CONFIG + "comparators:\n  outer_london: Outer London\n"
    files = {**_files(minimal_files, indicators=INDICATORS), "report.yaml": config}
    (diag,) = _check(write_project, files)
    assert diag.message == "unknown comparator 'statistical_neighbours'"
    assert diag.hint == "known: outer_london"


def test_unknown_area_on_indicator(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    ind = INDICATORS.replace("    area: newham\n", "    area: newhm\n")
    (diag,) = _check(write_project, _files(minimal_files, indicators=ind))
    assert _where(diag) == ("data.unknown-reference", "data/indicators.yaml", 23, 11)
    assert diag.message == "unknown area 'newhm'"
    assert diag.hint == "did you mean 'newham'?"


def test_unknown_area_on_income_line(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    budget = minimal_files["data/budget.yaml"].replace(
        "      amount: 50000\n", "      amount: 50000\n      area: nelondon\n"
    )
    (diag,) = _check(write_project, {**minimal_files, "data/budget.yaml": budget})
    # The ICB line: '- contributor: ICB' on 8, amount on 9, area on 10.
    assert _where(diag) == ("data.unknown-reference", "data/budget.yaml", 10, 13)
    assert diag.message == "unknown area 'nelondon'"
    assert diag.hint == "known: newham"


@pytest.mark.parametrize(
    ("value", "bad"), [("130", True), ("100.5", True), ("-1", True), ("100", False), ("0", False)]
)
def test_percent_indicator_out_of_range(
    write_project: ProjectWriter, minimal_files: dict[str, str], value: str, bad: bool
) -> None:
    ind = INDICATORS.replace("    value: 70\n", f"    value: {value}\n")
    findings = _check(write_project, _files(minimal_files, indicators=ind))
    if not bad:
        assert findings == []
        return
    (diag,) = findings
    assert _where(diag) == ("data.percent-range", "data/indicators.yaml", 32, 12)
    assert (
        diag.message == f"indicator 'training_attendance' is a percentage but its value is {value}"
    )


def test_member_dates_out_of_order(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    gov = GOVERNANCE.replace(
        "    group: executive\nmeetings:",
        "    group: executive\n    start: 2024-09-01\n    end: 2024-06-30\nmeetings:",
    )
    (diag,) = _check(write_project, _files(minimal_files, governance=gov))
    assert _where(diag) == ("data.date-order", "data/governance.yaml", 25, 10)
    assert diag.message == "Chair of the Executive: end 2024-06-30 is before start 2024-09-01"


def test_grading_without_cases_or_percent(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    reviews = REVIEWS + "      - grade: Inadequate\n"
    (diag,) = _check(write_project, _files(minimal_files, reviews=reviews))
    assert _where(diag) == ("data.grading-empty", "data/reviews.yaml", 10, 9)
    assert diag.message.startswith("audit 'csa': grade 'Inadequate' has ")
    assert "cases" in diag.message and "percent" in diag.message


def test_all_findings_in_one_pass(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    gov = GOVERNANCE.replace("  - id: icb\n", "  - id: lbn\n").replace(
        "    parent: executive\n", "    parent: exec\n"
    )
    ind = INDICATORS.replace("    area: newham\n", "    area: newhm\n").replace(
        "    value: 70\n", "    value: 130\n"
    )
    findings = _check(write_project, _files(minimal_files, governance=gov, indicators=ind))
    assert sorted(_where(d) for d in findings) == [
        ("data.duplicate-id", "data/governance.yaml", 5, 9),
        ("data.percent-range", "data/indicators.yaml", 32, 12),
        ("data.unknown-reference", "data/governance.yaml", 18, 13),
        ("data.unknown-reference", "data/indicators.yaml", 23, 11),
    ]
