"""A figure over the years: series words, the trend chart, and last year's value twice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportgen import history, pipeline
from reportgen.model.indicators import Indicator
from reportgen.render.charts import alt_text, data_table
from reportgen.views import BlockKey
from tests.conftest import MINIMAL_CONFIG, ProjectWriter

INDICATORS = """\
groups:
  - id: children
    title: Children, 31 March 2025
indicators:
  - id: cic
    label: Children in care
    group: children
    unit: count
    value: 404
    as_at: 2025-03-31
    prior: 426
    prior_period: 2023/24
    history:
      - period: 2021/22
        value: 435
        source: annual report 2024/25
  - id: cp_plans
    label: Children with child protection plans
    group: children
    unit: count
    value: 260
    as_at: 2025-03-31
    prior: 304
    prior_period: 2023/24
    history:
      - period: 2021/22
        value: 350
      - period: 2022/23
        value: 320
  - id: deaths
    label: Child deaths
    group: children
    unit: count
    value: 30
    prior: 3
    prior_period: 2023/24
"""


def _indicator(**fields: object) -> Indicator:
    base: dict[str, object] = {"id": "x", "label": "X", "group": "g", "unit": "count"}
    return Indicator.model_validate({**base, **fields})


def _points(*pairs: tuple[str, int]) -> list[history.Point]:
    return [history.Point(label, Decimal(value)) for label, value in pairs]


def test_series_orders_history_prior_and_value_by_year() -> None:
    ind = _indicator(
        value=404, prior=426, prior_period="2023/24", history=[{"period": "2021/22", "value": 435}]
    )
    points = history.series(ind, "2024/25", "2023/24")
    assert [(p.period, int(p.value)) for p in points] == [
        ("2021/22", 435),
        ("2023/24", 426),
        ("2024/25", 404),
    ]
    assert history.missing_years(points) == ["2022/23"]


def test_a_prior_for_part_of_a_year_is_not_in_the_yearly_series() -> None:
    ind = _indicator(value=8, prior=3, prior_period="the previous six months")
    assert [p.period for p in history.series(ind, "2024/25", "2023/24")] == ["2024/25"]


def test_run_counts_consecutive_years_in_one_direction_only() -> None:
    falling = _points(("2021/22", 350), ("2022/23", 320), ("2023/24", 304), ("2024/25", 260))
    assert history.run(falling) == ("down", 3)
    turned = _points(("2022/23", 320), ("2023/24", 330), ("2024/25", 300))
    assert history.run(turned) == ("down", 1)
    gap = _points(("2021/22", 450), ("2023/24", 426), ("2024/25", 404))
    assert history.run(gap) == ("down", 1)  # 2022/23 unknown: the run stops there
    assert history.run(_points(("2022/23", 1), ("2024/25", 2))) is None  # no last year


def test_extreme_average_and_change_since() -> None:
    points = _points(("2021/22", 1930), ("2024/25", 3088))
    assert history.extreme(points) == "highest"
    assert history.average(points) == Decimal("2509.0")
    change = history.change_since(points, "2021/22")
    assert change is not None and round(change) == 60


def test_derived_series_words_in_the_narrative(write_project: ProjectWriter) -> None:
    root = write_project(
        {
            "report.yaml": MINIMAL_CONFIG.replace("budget.md", "snapshot.md"),
            "data/indicators.yaml": INDICATORS,
            "content/snapshot.md": "{{ disclosure.legend }}\n",
        }
    )
    result = pipeline.validate(root)
    assert result.derived is not None, [d.format_text() for d in result.diagnostics]
    refs = result.derived.references
    assert refs["indicator.cic.highest"] == "435 in 2021/22"
    assert refs["indicator.cic.rank"] == (
        "the lowest of the 3 years with a figure since 2021/22 (none for 2022/23)"
    )
    assert refs["indicator.cic.since.2021-22"] == "down 7% since 2021/22, from 435"
    assert refs["indicator.cp_plans.rank"] == "the lowest in 4 years"
    assert refs["indicator.cp_plans.run"] == "down for the third year running"
    assert refs["indicator.cp_plans.average"] == "308.5"
    # Last year's 3 is withheld (a count of children from 1 to 5): no word may give it away.
    assert refs["indicator.deaths.run"] == "c"
    assert refs["indicator.deaths.highest"] == "c"


def test_trend_chart_has_a_gap_a_text_alternative_and_a_data_table(
    write_project: ProjectWriter,
) -> None:
    root = write_project(
        {
            "report.yaml": MINIMAL_CONFIG.replace("budget.md", "snapshot.md"),
            "data/indicators.yaml": INDICATORS,
            "content/snapshot.md": "{{ disclosure.legend }}\n\n{{ chart indicator.cic.trend }}\n",
        }
    )
    result = pipeline.validate(root)
    assert not result.diagnostics.has_errors(), [d.format_text() for d in result.diagnostics]
    assert result.derived is not None
    spec = result.derived.blocks[BlockKey("chart", "indicator.cic.trend")]
    assert spec.kind == "line"  # type: ignore[union-attr]
    assert spec.categories == ["2021/22", "2022/23", "2023/24", "2024/25"]  # type: ignore[union-attr]
    assert spec.series[0].values == [435.0, None, 426.0, 404.0]  # type: ignore[union-attr]
    alt = alt_text(spec)  # type: ignore[arg-type]
    assert alt.startswith("Line chart: Children in care, 2021/22 to 2024/25.")
    assert "2023/24: Children in care 426; 2024/25: Children in care 404" in alt
    table = data_table(spec)  # type: ignore[arg-type]
    assert [row[1].text for row in table.rows] == ["435", "n/a", "426", "404"]


def test_history_disagreeing_with_prior_is_an_error(write_project: ProjectWriter) -> None:
    broken = INDICATORS.replace(
        "      - period: 2021/22\n        value: 435\n",
        "      - period: 2021/22\n        value: 435\n"
        "      - period: 2023/24\n        value: 425\n",
    )
    root = write_project(
        {
            "report.yaml": MINIMAL_CONFIG.replace("budget.md", "snapshot.md"),
            "data/indicators.yaml": broken,
            "content/snapshot.md": "{{ disclosure.legend }}\n",
        }
    )
    found = [d for d in pipeline.validate(root).diagnostics if d.code == "history.prior-disagrees"]
    assert len(found) == 1
    assert found[0].location is not None and found[0].location.path == "data/indicators.yaml"
    assert "425" in found[0].message and "426" in found[0].message


def test_history_entry_twice_for_one_year_is_refused(tmp_path: Path) -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="2021/22 is given twice"):
        _indicator(
            value=1,
            history=[{"period": "2021/22", "value": 2}, {"period": "2021/22", "value": 3}],
        )
