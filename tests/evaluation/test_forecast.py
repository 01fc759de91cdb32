"""Trend forecast: fit choice, window, prediction intervals, 达标概率."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from planwatch.evaluation import Series, Target, evaluate
from planwatch.evaluation.forecast import forecast

from .helpers import run

NOISY = [(2020, 16.9), (2021, 16.0), (2022, 15.7), (2023, 15.1), (2024, 14.3)]


def _ols_reference(years, ys, horizon, q):
    """Textbook OLS prediction interval, independent of the engine's code."""
    x = np.array(years, float)
    y = np.array(ys, float)
    b, a = np.polyfit(x, y, 1)
    n = len(x)
    resid = y - (a + b * x)
    s = math.sqrt(float(resid @ resid) / (n - 2))
    se = s * math.sqrt(1 + 1 / n + (horizon - x.mean()) ** 2 / float(((x - x.mean()) ** 2).sum()))
    mean = a + b * horizon
    tq = stats.t.ppf(q, n - 2)
    return mean, mean - tq * se, mean + tq * se, se


def test_no_forecast_with_fewer_than_four_values():
    r = run("<=", 12, NOISY[:3])
    assert r.forecast == []
    assert r.attainment_probability is None
    assert "不足4个" in r.forecast_reason
    assert r.forecast_method is None


def test_forecast_with_four_values_covers_every_year_to_target():
    r = run("<=", 12, NOISY[:4])
    assert [f.year for f in r.forecast] == list(range(2024, 2031))
    assert r.forecast_reason is None


def test_log_linear_for_positive_rates_matches_textbook_interval():
    r = run("<=", 12, NOISY, valid_range=(0, None))
    assert r.forecast_method == "log-linear"
    years = [y for y, _ in NOISY]
    logs = [math.log(v) for _, v in NOISY]
    mean, lo, hi, _ = _ols_reference(years, logs, 2030, 0.975)
    last = r.forecast[-1]
    assert last.year == 2030
    assert last.value == pytest.approx(math.exp(mean))
    assert last.lo95 == pytest.approx(math.exp(lo))
    assert last.hi95 == pytest.approx(math.exp(hi))
    _, lo80, hi80, _ = _ols_reference(years, logs, 2030, 0.90)
    assert last.lo80 == pytest.approx(math.exp(lo80))
    assert last.hi80 == pytest.approx(math.exp(hi80))


def test_linear_when_a_value_is_zero():
    pairs = [(2020, 0.0), (2021, 2.0), (2022, 3.0), (2023, 5.0), (2024, 6.5)]
    r = run(">=", 10, pairs)
    assert r.forecast_method == "linear"
    mean, lo, hi, _ = _ols_reference([y for y, _ in pairs], [v for _, v in pairs], 2027, 0.975)
    f2027 = next(f for f in r.forecast if f.year == 2027)
    assert (f2027.value, f2027.lo95, f2027.hi95) == pytest.approx((mean, lo, hi))


def test_intervals_widen_with_horizon_and_nest():
    r = run("<=", 12, NOISY)
    widths95 = [f.hi95 - f.lo95 for f in r.forecast]
    widths80 = [f.hi80 - f.lo80 for f in r.forecast]
    assert all(b > a for a, b in itertools.pairwise(widths95))
    assert all(b > a for a, b in itertools.pairwise(widths80))
    for f in r.forecast:
        assert f.lo95 < f.lo80 < f.value < f.hi80 < f.hi95


def test_fit_uses_the_last_eight_years_only():
    pairs = [(y, 30.0 - (y - 2010) * 0.8 + (0.3 if y % 2 else -0.3)) for y in range(2010, 2025)]
    r = run("<=", 12, pairs)
    assert r.forecast_years == (2017, 2024)
    window = [(y, v) for y, v in pairs if y >= 2017]
    mean, _, _, _ = _ols_reference(
        [y for y, _ in window], [math.log(v) for _, v in window], 2030, 0.975
    )
    assert r.forecast[-1].value == pytest.approx(math.exp(mean))


def test_four_values_spread_beyond_the_window_give_no_forecast():
    r = run("<=", 12, [(2010, 20.0), (2012, 19.0), (2014, 18.0), (2024, 15.0)])
    assert r.forecast == []
    assert r.forecast_reason


def test_share_forecast_is_clipped_to_100():
    pairs = [(2020, 90.0), (2021, 93.0), (2022, 95.5), (2023, 97.0), (2024, 99.0)]
    r = run(">=", 99, pairs, valid_range=(0, 100))
    assert max(f.hi95 for f in r.forecast) == 100.0
    assert all(0 <= f.lo95 <= f.hi95 <= 100 for f in r.forecast)


def test_linear_forecast_is_clipped_at_zero():
    pairs = [(2020, 8.0), (2021, 6.0), (2022, 5.0), (2023, 2.0), (2024, 0.0)]
    r = run("<=", 1, pairs, valid_range=(0, None))
    assert r.forecast_method == "linear"
    assert all(f.lo95 >= 0 for f in r.forecast)
    assert r.forecast[-1].value == 0.0


def test_probability_far_beyond_target_is_near_one():
    pairs = [(2020, 6.1), (2021, 5.8), (2022, 6.0), (2023, 5.7), (2024, 5.9)]
    r = run("<=", 12, pairs)
    assert 0.99 < r.attainment_probability <= 1.0


def test_probability_far_from_target_is_near_zero():
    pairs = [(2020, 30.1), (2021, 30.5), (2022, 29.8), (2023, 30.4), (2024, 30.2)]
    r = run("<=", 12, pairs)
    assert 0.0 <= r.attainment_probability < 0.01


def test_probability_is_the_predictive_t_probability_on_log_scale():
    r = run("<=", 12, NOISY)
    years = [y for y, _ in NOISY]
    mean, _, _, se = _ols_reference(years, [math.log(v) for _, v in NOISY], 2030, 0.975)
    expected = stats.t.cdf((math.log(12) - mean) / se, len(years) - 2)
    assert r.attainment_probability == pytest.approx(expected)
    assert 0.5 < r.attainment_probability < 1.0


def test_probability_for_higher_is_better_linear():
    pairs = [(2020, 0.0), (2021, 2.0), (2022, 3.0), (2023, 5.0), (2024, 6.5)]
    r = run(">=", 10, pairs)
    _, _, _, se = _ols_reference([y for y, _ in pairs], [v for _, v in pairs], 2030, 0.975)
    mean = _ols_reference([y for y, _ in pairs], [v for _, v in pairs], 2030, 0.975)[0]
    assert r.attainment_probability == pytest.approx(1 - stats.t.cdf((10 - mean) / se, 3))


def test_target_at_ceiling_is_certain_when_forecast_is_clipped_there():
    # a "<=" threshold at or above the upper bound is met whatever the forecast
    pairs = [(2020, 40.0), (2021, 60.0), (2022, 50.0), (2023, 70.0), (2024, 65.0)]
    r = run("<=", 100, pairs, valid_range=(0, 100))
    assert r.attainment_probability == 1.0


def test_exact_line_gives_degenerate_interval_and_certain_probability():
    flat = run("maintain>=", 95, [(2020, 100.0), (2021, 100.0), (2022, 100.0), (2023, 100.0)])
    assert flat.forecast_method == "log-linear"
    assert flat.attainment_probability == 1.0
    assert all(f.lo95 == f.hi95 == pytest.approx(100.0) for f in flat.forecast)
    lin = run(">=", 15, [(2020, 0.0), (2021, 1.0), (2022, 2.0), (2023, 3.0)])
    assert lin.forecast[-1].value == pytest.approx(10.0)
    assert lin.forecast[-1].hi95 == pytest.approx(10.0)
    assert lin.attainment_probability == 0.0


def test_no_forecast_after_target_year():
    pairs = [(2027, 10.0), (2028, 11.0), (2029, 12.0), (2030, 13.0)]
    r = run(">=", 15, pairs)
    assert r.forecast == [] and r.forecast_reason == "已到目标年份，不再预测"


def test_target_year_2025():
    r = evaluate(Target("<=", 12, target_year=2025), Series.from_pairs(NOISY[:4], (0, None)))
    assert [f.year for f in r.forecast] == [2024, 2025]


def test_equal_target_probability_is_a_band():
    points, method, _, p, _ = forecast(
        [2020, 2021, 2022, 2023, 2024],
        [110.0, 109.5, 108.4, 108.2, 107.5],
        2030,
        None,
        None,
        "=",
        107.0,
        0.5,
    )
    assert method == "log-linear"
    assert 0.0 < p < 0.5
    assert len(points) == 6


def test_without_forecast_flag():
    r = evaluate(Target("<=", 12), Series.from_pairs(NOISY), with_forecast=False)
    assert r.forecast == [] and r.attainment_probability is None
    assert r.status == "on_track"
