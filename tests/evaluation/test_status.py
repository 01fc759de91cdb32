"""Status rules R1-R6: the issue's worked cases and every guard it lists."""

import pytest

from planwatch.evaluation.status import classify_p, meets, project

from .helpers import kinds, run

WORKED_CASES = [
    # comparator, target, series, status, P, projected
    ("<=", 12, [(2020, 16.0), (2023, 14.5)], "on_track", 1.119, 11.52),
    (">=", 70, [(2020, 50), (2023, 58)], "on_track", 1.600, 82.00),
    ("<=", 10, [(2020, 12), (2023, 13)], "regressing", -1.835, 15.67),
    ("<=", 6.0, [(2020, 7.5), (2021, 7.1)], "on_track", 2.110, 4.335),
]


@pytest.mark.parametrize(("comparator", "value", "pairs", "status", "p", "projected"), WORKED_CASES)
def test_worked_cases_of_the_issue(comparator, value, pairs, status, p, projected):
    r = run(comparator, value, pairs, valid_range=(0, None))
    assert r.status == status
    assert r.p_ratio == pytest.approx(p, abs=1e-3)
    assert r.projected_value == pytest.approx(projected, abs=5e-3)
    assert r.projection_method == "exponential"
    assert r.rule.startswith("R6")


def test_first_worked_case_progress_fields():
    r = run("<=", 12, [(2020, 16.0), (2023, 14.5)])
    assert r.completion_progress == pytest.approx(0.375)
    assert r.time_progress == pytest.approx(0.3)
    assert r.progress_gap_points == pytest.approx(7.5)
    assert r.base_year_used == 2020 and not r.base_year_missing
    assert (r.latest_year, r.latest_value) == (2023, 14.5)


@pytest.mark.parametrize(
    ("p", "status"),
    [
        (2.0, "on_track"),
        (0.95, "on_track"),
        (0.9499, "needs_acceleration"),
        (0.5, "needs_acceleration"),
        (0.4999, "off_track"),
        (0.0, "off_track"),
        (-0.1, "off_track"),
        (-0.1001, "regressing"),
    ],
)
def test_p_thresholds(p, status):
    assert classify_p(p)[0] == status


@pytest.mark.parametrize(
    ("value", "comparator", "threshold", "tol", "expected"),
    [
        (12.0, "<=", 12.0, 0, True),  # 以下 is inclusive
        (12.0, "<", 12.0, 0, False),
        (70.0, ">=", 70.0, 0, True),  # 以上 is inclusive
        (70.0, ">", 70.0, 0, False),
        (95.0, "maintain>=", 95.0, 0, True),
        (94.9, "maintain>=", 95.0, 0, False),
        (5.1, "maintain<=", 5.0, 0, False),
        (107.4, "=", 107.0, 0.5, True),
        (107.6, "=", 107.0, 0.5, False),
    ],
)
def test_meets(value, comparator, threshold, tol, expected):
    assert meets(value, comparator, threshold, tol) is expected


def test_no_values_is_no_data():
    r = run("<=", 12, [])
    assert r.status == "no_data"
    assert r.rule.startswith("R1")
    assert r.projected_value is None and r.p_ratio is None
    assert "暂无数据" in r.explanation


def test_only_empty_rounds_is_no_data():
    r = run("<=", 12, [(2021, None), (2022, None)])
    assert r.status == "no_data"


def test_one_value_not_meeting_is_insufficient_data():
    r = run("<=", 12, [(2023, 14.5)])
    assert r.status == "insufficient_data"
    assert r.rule == "R3 insufficient_data: fewer than two values"
    assert r.p_ratio is None and r.projected_value is None
    assert "仅有1个年度数据" in r.explanation


def test_one_value_meeting_is_attained():
    r = run("<=", 12, [(2023, 11.0)])
    assert r.status == "attained"
    assert r.rule.startswith("R2")


def test_missing_base_year_uses_first_year_and_says_so():
    r = run("<=", 12, [(2021, 16.0), (2023, 14.5)])
    assert r.base_year_used == 2021
    assert r.base_year_missing is True
    assert "2020年无数据" in r.base_note and "2021年" in r.base_note
    assert "2020年无数据" in r.explanation
    assert r.time_progress == pytest.approx(2 / 9)
    expected = 14.5 * (14.5 / 16.0) ** (7 / 2)
    assert r.projected_value == pytest.approx(expected)
    assert r.status == "on_track"


def test_base_beyond_target_then_latest_still_meets_is_attained():
    r = run("<=", 12, [(2020, 10.0), (2023, 11.0)])
    assert r.status == "attained"
    # P would have the wrong sign when the base already met the target
    assert r.p_ratio is None and r.completion_progress is None


def test_base_beyond_target_then_latest_misses_is_regressing():
    r = run("<=", 12, [(2020, 10.0), (2023, 13.0)])
    assert r.status == "regressing"
    assert r.rule.startswith("R4")
    assert r.p_ratio is None
    assert kinds(r, "red") == ["regressing"]
    assert "基期已达到目标" in r.explanation


def test_zero_target_projects_linearly_and_clips_to_range():
    r = run("<=", 0, [(2020, 2.0), (2023, 1.0)], valid_range=(0, None))
    assert r.projection_method == "linear"
    assert r.projected_value == 0.0  # the straight line goes below zero; a rate cannot
    assert r.p_ratio == pytest.approx(1.0)
    assert r.status == "on_track"


def test_zero_target_without_range_is_not_clipped():
    r = run("<=", 0, [(2020, 2.0), (2023, 1.0)])
    assert r.projected_value == pytest.approx(1.0 - 7 / 3)
    assert r.p_ratio == pytest.approx((1.0 - 7 / 3 - 2.0) / (0 - 2.0))


def test_zero_base_projects_linearly():
    r = run(">=", 50, [(2020, 0.0), (2023, 15.0)], valid_range=(0, 100))
    assert r.projection_method == "linear"
    assert r.projected_value == pytest.approx(50.0)
    assert r.p_ratio == pytest.approx(1.0)
    assert r.status == "on_track"


def test_share_projection_stops_at_100_percent():
    r = run(">=", 99, [(2020, 90.0), (2023, 98.0)], valid_range=(0, 100))
    assert r.projected_value == 100.0
    assert r.p_ratio == pytest.approx(10 / 9)
    assert r.status == "on_track"


def test_target_at_the_ceiling():
    r = run(">=", 100, [(2020, 95.0), (2023, 99.0)], valid_range=(0, 100))
    assert r.projected_value == 100.0
    assert r.p_ratio == pytest.approx(1.0)
    assert r.status == "on_track"


def test_project_unclipped_and_clipped():
    assert project(90, 2020, 98, 2023, 2030, 99)[0] > 100
    assert project(90, 2020, 98, 2023, 2030, 99, 0, 100) == (100, "exponential")


def test_maintain_floor_attained_but_broken_recently():
    r = run("maintain>=", 95, [(2020, 96), (2021, 94), (2022, 96), (2023, 97)], unit="%")
    assert r.status == "attained"
    assert r.breaks == [2021]
    assert "maintain_broken" in kinds(r, "yellow")
    assert "2021年曾未达标" in r.explanation


def test_maintain_break_older_than_three_years_is_no_warning():
    pairs = [(2020, 96), (2021, 94), (2022, 96), (2023, 97), (2024, 97)]
    r = run("maintain>=", 95, pairs)
    assert r.status == "attained"
    assert r.breaks == [2021]
    assert "maintain_broken" not in kinds(r)


def test_maintain_ceiling_broken_now_is_regressing():
    r = run("maintain<=", 5, [(2020, 4.0), (2021, 6.0), (2022, 5.5)])
    assert r.status == "regressing"
    assert r.rule.startswith("R4")
    assert r.breaks == [2021, 2022]
    assert "maintain_broken" in kinds(r, "yellow")
    assert "regressing" in kinds(r, "red")


def test_reduce_by_pct_threshold_from_base():
    r = run("reduce_by_pct", 10, [(2020, 20.0), (2023, 18.0)])
    assert r.threshold == pytest.approx(18.0)
    assert r.status == "attained"


def test_reduce_by_pct_not_yet_met_uses_threshold_as_target():
    r = run("reduce_by_pct", 10, [(2020, 20.0), (2023, 19.5)])
    expected = 19.5 * (19.5 / 20) ** (7 / 3)
    assert r.projected_value == pytest.approx(expected)
    assert r.p_ratio == pytest.approx((expected - 20) / (18 - 20))
    assert r.status == "needs_acceleration"
    assert "needs_acceleration" in kinds(r, "yellow")


def test_reduce_by_pct_float_representation_does_not_miss():
    # 3.3 × 0.9 is 2.9699999999999998 in binary floating point
    r = run("reduce_by_pct", 10, [(2020, 3.3), (2023, 2.97)])
    assert r.status == "attained"


def test_reduce_by_pct_without_base_year_is_insufficient():
    pairs = [(2021, 20.0), (2022, 19.0), (2023, 17.0), (2024, 16.0)]
    r = run("reduce_by_pct", 10, pairs)
    assert r.status == "insufficient_data"
    assert r.rule == "R3 insufficient_data: reduce_by_pct base year has no value"
    assert r.threshold is None
    assert r.attainment_probability is None
    assert "基期2020年无数据" in r.explanation


def test_values_only_up_to_base_year_are_insufficient():
    r = run("<=", 12, [(2019, 15.0), (2020, 14.0)])
    assert r.status == "insufficient_data"
    assert r.rule == "R3 insufficient_data: no value after the base year"


def test_strict_target_equal_to_base():
    away = run("<", 10, [(2020, 10.0), (2023, 11.0)])
    assert (away.status, away.p_ratio) == ("regressing", None)
    assert away.rule.startswith("R5")
    still = run("<", 10, [(2020, 10.0), (2023, 10.0)])
    assert (still.status, still.rule[:2]) == ("off_track", "R5")


def test_equal_target_attained_within_tolerance():
    r = run("=", 107, [(2020, 112.0), (2023, 107.3)])
    assert r.status == "attained"


def test_equal_target_closeness_counts_overshoot_as_miss():
    # the compound projection runs far past 107 to about 102.3: not "on track" for "="
    r = run("=", 107, [(2020, 112.0), (2023, 109.0)])
    assert r.projected_value == pytest.approx(109 * (109 / 112) ** (7 / 3))
    assert r.p_ratio == pytest.approx(1 - abs(r.projected_value - 107) / 5)
    assert r.status == "off_track"


def test_equal_target_closeness_equals_directional_between_base_and_target():
    r = run("=", 107, [(2020, 112.0), (2025, 110.0)])
    assert r.p_ratio == pytest.approx((r.projected_value - 112) / (107 - 112))


def test_equal_target_explicit_tolerance():
    r = run("=", 107, [(2020, 112.0), (2023, 108.5)], tolerance=2.0)
    assert r.status == "attained"


def test_off_track_is_red():
    r = run(">=", 90, [(2020, 60.0), (2023, 62.0)], valid_range=(0, 100))
    assert r.status == "off_track"
    assert kinds(r, "red") == ["off_track"]
    assert "预计完成困难" in r.warnings[0].reason


def test_off_track_behind_the_base_year_says_so_instead_of_a_negative_share():
    # P = -3.4 % is off track (not yet regressing): "仅为所需进展的-3.4%" reads as nonsense
    r = run(">=", 1.12, [(2020, 0.83), (2024, 0.826)])
    assert r.status == "off_track" and -0.1 <= r.p_ratio < 0
    reason = r.warnings[0].reason
    assert "仍不及基期水平" in reason and "所需进展的-" not in reason
    ahead = run(">=", 90, [(2020, 60.0), (2023, 62.0)], valid_range=(0, 100))
    assert 0 < ahead.p_ratio < 0.5 and "仅为所需进展的" in ahead.warnings[0].reason


def test_on_track_with_progress_lag_is_yellow():
    # compound growth says the target will be reached, the straight line says it lags
    r = run(">=", 100, [(2020, 10.0), (2025, 35.0)])
    # 按进度 needs completion to keep pace with time (issue 12): not on track, but behind
    assert r.status == "needs_acceleration"
    assert r.completion_progress == pytest.approx(25 / 90)
    assert r.time_progress == pytest.approx(0.5)
    assert r.progress_gap_points == pytest.approx((25 / 90 - 0.5) * 100)
    assert kinds(r, "yellow") == ["progress_lag"]
    assert "落后时间进度" in r.warnings[0].reason


def test_lag_of_exactly_20_points_is_yellow():
    # completion 0.3 against time 0.5: 20 points, which float subtraction makes 19.999...
    r = run(">=", 110, [(2020, 10.0), (2025, 40.0)])
    assert r.completion_progress == pytest.approx(0.3)
    assert r.status == "needs_acceleration"
    assert "progress_lag" in kinds(r, "yellow")


def test_on_track_without_lag_has_no_warning():
    r = run("<=", 12, [(2020, 16.0), (2023, 14.5)])
    assert r.warnings == []


def test_nan_value_is_treated_as_missing():
    r = run("<=", 12, [(2020, 16.0), (2023, float("nan"))])
    assert r.status == "insufficient_data"
    assert r.latest_year == 2020
