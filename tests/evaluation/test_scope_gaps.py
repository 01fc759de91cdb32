"""Targets scoped to every township; sex and urban/rural gaps; township rankings."""

import pytest

from planwatch.evaluation import (
    Series,
    Target,
    evaluate_scoped,
    rank_units,
    sex_gap,
    urban_rural_gap,
)
from planwatch.evaluation.scope import aggregate_status

VACCINATION = Target(">=", 95, unit="%")


def _s(*pairs):
    return Series.from_pairs(pairs, (0, 100))


def test_scoped_target_attained_only_if_every_unit_attains():
    units = {
        "山河街道": _s((2020, 96), (2023, 97)),
        "奢岭街道": _s((2020, 95), (2023, 98)),
        "太平镇": _s((2020, 90), (2023, 93)),
    }
    r = evaluate_scoped(VACCINATION, units)
    assert r.status != "attained"
    assert r.failing_units == ["太平镇"]
    assert r.units["太平镇"].status == "on_track"
    assert r.status == "on_track"
    # The status in words is the one the pages and reports use for the same status.
    assert "太平镇（按进度可达标）" in r.explanation
    assert r.to_dict()["failing"] == {"太平镇": "on_track"}


def test_scoped_target_attained_when_all_attain():
    units = {"A": _s((2020, 96), (2023, 97)), "B": _s((2023, 99))}
    r = evaluate_scoped(VACCINATION, units)
    assert (r.status, r.failing_units) == ("attained", [])


def test_scoped_furthest_behind_unit_decides_and_unjudgeable_units_fail():
    units = {
        "A": _s((2020, 96), (2023, 97)),
        "B": _s((2020, 96), (2023, 90)),  # was above 95, fell below
        "C": _s(),
    }
    r = evaluate_scoped(VACCINATION, units)
    assert r.status == "regressing"
    assert r.failing_units == ["B", "C"]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "no_data"),
        (["no_data", "no_data"], "no_data"),
        (["attained", "attained"], "attained"),
        (["attained", "no_data"], "insufficient_data"),
        (["attained", "needs_acceleration", "off_track"], "off_track"),
        (["on_track", "attained"], "on_track"),
    ],
)
def test_aggregate_status(statuses, expected):
    assert aggregate_status(statuses)[0] == expected


def test_sex_gap_ratio_difference_and_narrowing_trend():
    g = sex_gap({2020: 50.0, 2021: 52.0, 2022: 54.0}, {2020: 60.0, 2021: 61.0, 2022: 62.0})
    assert [p.year for p in g.points] == [2020, 2021, 2022]
    assert g.points[0].ratio == pytest.approx(50 / 60)
    assert [p.difference for p in g.points] == [-10.0, -9.0, -8.0]
    assert g.difference_slope == pytest.approx(1.0)
    assert g.trend == "narrowing"
    assert "女性" in g.explanation and "缩小" in g.explanation


def test_gap_widening_and_stable():
    widening = urban_rural_gap({2020: 90, 2021: 92, 2022: 95}, {2020: 85, 2021: 84, 2022: 83})
    assert widening.trend == "widening"
    assert widening.a_label == "城镇"
    stable = sex_gap({2020: 10.0, 2021: 10.1, 2022: 10.0}, {2020: 5.0, 2021: 5.0, 2022: 5.0})
    assert stable.trend == "stable"


def test_gap_only_on_common_years_and_zero_denominator():
    g = sex_gap(_s((2020, 1.0), (2021, 2.0)), {2021: 0.0, 2022: 3.0})
    assert [(p.year, p.ratio, p.difference) for p in g.points] == [(2021, None, 2.0)]
    assert g.trend is None


def test_ranking_lower_is_better_for_mortality():
    r = rank_units({"A": 5.0, "B": 3.0, "C": 8.0, "D": None}, target=Target("<=", 12))
    assert [(e.rank, e.unit) for e in r.entries] == [(1, "B"), (2, "A"), (3, "C")]
    assert r.best.unit == "B" and r.worst.unit == "C"
    assert r.spread == pytest.approx(5.0)
    assert r.ratio == pytest.approx(8 / 3)
    assert r.missing == ["D"]


def test_ranking_higher_is_better_with_ties():
    r = rank_units({"A": 95.0, "B": 99.0, "C": 95.0, "D": 90.0}, lower_is_better=False)
    assert [(e.rank, e.unit) for e in r.entries] == [(1, "B"), (2, "A"), (2, "C"), (4, "D")]
    assert r.spread == pytest.approx(9.0)


def test_ranking_for_equal_target_is_by_closeness():
    r = rank_units({"A": 110.0, "B": 106.0, "C": 103.0}, target=Target("=", 107))
    assert [e.unit for e in r.entries] == ["B", "A", "C"]


def test_ranking_needs_a_direction():
    with pytest.raises(ValueError, match="lower_is_better"):
        rank_units({"A": 1.0})


def test_gap_sentence_in_officialese_with_the_indicators_unit():
    # 2024: urban 98.1 %, rural 95.3 % -> 2.8 percentage points, said the way NBS says it.
    g = urban_rural_gap(
        {2023: 97.0, 2024: 98.1}, {2023: 93.0, 2024: 95.3}, scale="percent", unit="%"
    )
    assert "城镇高于农村2.8个百分点" in g.explanation
    assert "城镇为98.1%、农村为95.3%" in g.explanation
    assert "相差" not in g.explanation and "比值" not in g.explanation
    rate = sex_gap({2024: 10.0}, {2024: 12.6}, scale="per_100k", unit="/10万")
    assert "女性低于男性2.6个十万分点" in rate.explanation
    level = sex_gap({2024: 5.01}, {2024: 5.0}, scale="percent", unit="%")
    assert "女性与男性持平" in level.explanation
