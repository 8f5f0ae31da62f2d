"""Figures typed as printed (reportgen/checks/printed.py): one rule of rounding and one
pair of codes, whether the printed figure is an indicator's `stated:` change or a
communication figure's share."""

from __future__ import annotations

import pytest

from reportgen import pipeline
from reportgen.catalogue import CATALOGUE
from reportgen.diagnostics import Diagnostic
from tests.conftest import ProjectWriter

INDICATORS = """\
groups:
  - id: front_door
    title: Front door
indicators:
  - id: referrals
    label: Referrals to children's social care
    group: front_door
    unit: count
    value: {value}
    prior: 1000
    period: 2024/25
    stated:
      change_percent: 40
"""

PARTNERS = """\
reach:
  - {{id: visits, label: Website visits, value: 20000}}
  - {{id: search, label: Visits from search engines, value: {value}, part_of: visits, share: 40}}
"""


def _printed(
    write_project: ProjectWriter, minimal_files: dict[str, str], **files: str
) -> list[Diagnostic]:
    root = write_project({**minimal_files, **{f"data/{k}.yaml": v for k, v in files.items()}})
    return [
        d for d in pipeline.validate(root).diagnostics if d.code.startswith("data.printed-figure")
    ]


@pytest.mark.parametrize(
    ("value", "agrees"),
    [(1395, True), (1405, True), (1394, False), (1409, True), (1410, False)],
)
def test_a_stated_change_agrees_rounded_or_cut_down_to_its_printed_places(
    write_project: ProjectWriter, minimal_files: dict[str, str], value: int, agrees: bool
) -> None:
    # 40% allows 39.5% (rounded) up to 40.99% (cut down: "a 70% increase" is written for
    # 70.6%): 1,395, 1,405 and 1,409 against 1,000 agree; 1,394 and 1,410 do not.
    found = _printed(write_project, minimal_files, indicators=INDICATORS.format(value=value))
    assert [d.code for d in found] == ([] if agrees else ["data.printed-figure-mismatch"])


@pytest.mark.parametrize(
    ("value", "agrees"),
    [(7900, True), (8100, True), (7890, False), (8190, True), (8200, False)],
)
def test_a_printed_share_agrees_by_the_same_rule(
    write_project: ProjectWriter, minimal_files: dict[str, str], value: int, agrees: bool
) -> None:
    # 40% of 20,000 allows 7,900 to 8,199: the rule of the stated change above.
    found = _printed(write_project, minimal_files, partners=PARTNERS.format(value=value))
    assert [d.code for d in found] == ([] if agrees else ["data.printed-figure-mismatch"])


def test_both_kinds_of_printed_figure_show_the_rounding_the_same_way(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    stated, share = _printed(
        write_project,
        minimal_files,
        indicators=INDICATORS.format(value=1410),
        partners=PARTNERS.format(value=8200),
    )
    assert stated.message.endswith("is a change of 41.0% (41% when rounded as printed)")
    assert share.message.endswith("gives 41.0% (41% when rounded as printed)")


def test_a_stated_change_with_nothing_to_check_it_is_the_uncheckable_code(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    no_prior = INDICATORS.format(value=1400).replace("    prior: 1000\n", "")
    (found,) = _printed(write_project, minimal_files, indicators=no_prior)
    assert found.code == "data.printed-figure-uncheckable"
    assert found.message == (
        "indicator 'referrals': 'change_percent' is stated but the value it is measured "
        "from is not given"
    )


def test_one_pair_of_codes_for_printed_figures() -> None:
    # data.stated-mismatch and data.stated-unchecked said what these two say: merged.
    assert "data.stated-mismatch" not in CATALOGUE
    assert "data.stated-unchecked" not in CATALOGUE
    assert CATALOGUE["data.printed-figure-mismatch"].explanation.count("`stated:`") >= 1
