"""预警: volatility (modified z-score, 30 % fallback, significance on counts) and data warnings."""

import math

import pytest
from scipy import stats

from planwatch.evaluation import Point, Series, Target, evaluate
from planwatch.evaluation.counts import garwood
from planwatch.evaluation.significance import (
    binomial_share_change_pvalue,
    binomial_two_sided_pvalue,
    poisson_rate_change_pvalue,
)
from planwatch.evaluation.warnings import NOT_SIGNIFICANT, count_model_for, modified_z_score

from .helpers import kinds, run


def _volatility_years(r):
    return [w.year for w in r.warnings if w.level == "volatility"]


def test_modified_z_score_against_history():
    # median 2.5, MAD 1.0
    assert modified_z_score(10, [1, 2, 3, 4]) == pytest.approx(0.6745 * 7.5)


def test_modified_z_score_falls_back_to_mean_absolute_deviation():
    # MAD is 0 when most of the history is identical
    assert modified_z_score(3, [1, 1, 1, 5]) == pytest.approx(0.7979 * 2 / 1)


def test_modified_z_score_without_any_spread_is_undefined():
    assert modified_z_score(3, [1, 1, 1, 1]) is None


def test_small_count_jump_is_not_an_alarm():
    # maternal mortality ratio: 0 deaths then 1 death in 5,000 births (0 -> 20/10万)
    r = run(
        "<=",
        12,
        [(2020, 0.0), (2021, 20.0)],
        valid_range=(0, None),
        counts=[(2020, 0, 5000), (2021, 1, 5000)],
        unit="/10万",
    )
    assert _volatility_years(r) == []
    assert [n.kind for n in r.notes] == ["change_not_significant"]
    assert NOT_SIGNIFICANT in r.notes[0].reason
    assert "样本量小，变化不具统计显著性" in r.notes[0].reason
    assert r.notes[0].year == 2021


def test_same_jump_without_counts_is_an_alarm():
    r = run("<=", 12, [(2020, 10.0), (2021, 20.0)])
    assert _volatility_years(r) == [2021]


def test_large_significant_jump_is_an_alarm():
    # infant mortality 3‰ -> 8‰ on 5,000 births: 15 -> 40 deaths
    r = run(
        "<=",
        5,
        [(2020, 3.0), (2021, 8.0)],
        counts=[(2020, 15, 5000), (2021, 40, 5000)],
        unit="‰",
    )
    assert _volatility_years(r) == [2021]
    w = next(w for w in r.warnings if w.level == "volatility")
    assert w.kind == "abnormal_change"
    # plain words in the reason, the test kept beside it for the methods annex
    assert "具统计显著性" in w.reason and "检验" not in w.reason and "P=" not in w.reason
    assert w.statistics["test"] == "poisson" and w.statistics["counts"] == [15, 5000, 40, 5000]
    # equal exposures: the conditional test is binomial(55, 1/2) on the 40
    assert w.statistics["p"] == pytest.approx(stats.binomtest(40, 55, 0.5).pvalue, rel=1e-9)
    assert r.notes == []


def test_share_change_uses_binomial_test():
    r = run(
        ">=",
        90,
        [(2020, 90.0), (2021, 60.0)],
        counts=[(2020, 9, 10), (2021, 6, 10)],
        unit="%",
    )
    assert _volatility_years(r) == []
    assert "Fisher精确检验" in r.notes[0].reason
    big = run(
        ">=",
        90,
        [(2020, 90.0), (2021, 60.0)],
        counts=[(2020, 900, 1000), (2021, 600, 1000)],
        unit="%",
    )
    assert _volatility_years(big) == [2021]


def test_relative_rule_applies_with_fewer_than_four_earlier_changes():
    r = run("<=", 50, [(2020, 10.0), (2021, 14.0), (2022, 14.5)])
    assert _volatility_years(r) == [2021]  # +40 %, then +3.6 %
    calm = run("<=", 50, [(2020, 10.0), (2021, 12.0), (2022, 13.0)])
    assert _volatility_years(calm) == []  # +20 %, +8 %


def test_modified_z_rule_flags_an_outlier_after_four_changes():
    pairs = [(2020, 20.0), (2021, 19.5), (2022, 19.1), (2023, 18.5), (2024, 18.0), (2025, 15.0)]
    r = run("<=", 12, pairs)
    # -3.0 against -0.5, -0.4, -0.6, -0.5 is extreme although only a 17 % change
    assert _volatility_years(r) == [2025]
    w = next(w for w in r.warnings if w.level == "volatility")
    assert "Z分数" not in w.reason and "超出该指标历年正常变动范围" in w.reason
    # median -0.5, MAD 0.05: 0.6745 × (-3.0 + 0.5) / 0.05
    assert w.statistics["z"] == pytest.approx(0.6745 * -2.5 / 0.05)


def test_modified_z_rule_accepts_a_regular_swing_that_the_30_percent_rule_would_flag():
    pairs = [(2020, 10.0), (2021, 15.0), (2022, 10.0), (2023, 15.0), (2024, 10.0), (2025, 15.0)]
    r = run("<=", 50, pairs)
    # the first four changes have too little history and fall to the 30 % rule;
    # the fifth (+50 %) is ordinary for this series
    assert _volatility_years(r) == [2021, 2022, 2023, 2024]


def test_changes_across_a_gap_are_not_year_on_year():
    r = run("<=", 50, [(2020, 10.0), (2023, 20.0)])
    assert _volatility_years(r) == []


def test_poisson_exact_pvalues():
    assert poisson_rate_change_pvalue(0, 5000, 1, 5000) == pytest.approx(1.0)
    assert poisson_rate_change_pvalue(0, 5000, 0, 5000) == 1.0
    # equal exposures: 40 of 55 events under Binomial(55, 1/2), two-sided by symmetry
    expected = 2 * sum(math.comb(55, k) for k in range(40, 56)) / 2**55
    assert poisson_rate_change_pvalue(15, 5000, 40, 5000) == pytest.approx(expected)
    assert expected < 0.05


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 1, 0.5),
        (40, 55, 0.5),
        (3, 10, 0.3),
        (7, 12, 0.6),
        (1, 2, 0.5),
        (0, 30, 0.01),
        (250, 1000, 0.3),
        (18000, 20000, 0.9),
        (5, 5, 0.2),
        (10, 20, 0.5),
        (1_523, 3_000, 0.48),
    ],
)
def test_binomial_pvalue_agrees_with_scipy(k, n, p):
    assert binomial_two_sided_pvalue(k, n, p) == pytest.approx(
        stats.binomtest(k, n, p).pvalue, rel=1e-9, abs=1e-300
    )


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"),
    [
        (9, 10, 6, 10),
        (900, 1000, 600, 1000),
        (0, 5, 5, 5),
        (2900, 3000, 2800, 3000),
        (1, 100, 0, 100),
        (3, 7, 3, 9),
        (50, 100, 50, 100),
        (120_000, 200_000, 120_900, 200_000),
        (1_800, 2_000, 1_795, 2_010),
    ],
)
def test_fisher_pvalue_agrees_with_scipy(k1, n1, k2, n2):
    expected = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert binomial_share_change_pvalue(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [(1_001_000, 2_000_000, 0.5), (59_700, 100_000, 0.6), (4_100, 2_000_000, 0.002)],
)
def test_binomial_pvalue_at_national_counts(k, n, p):
    # The tail runs over thousands of outcomes; the log-pmf at n in the millions carries about
    # 1e-9 of lgamma's rounding, so agreement is asked to eight digits, not ten.
    assert binomial_two_sided_pvalue(k, n, p) == pytest.approx(
        stats.binomtest(k, n, p).pvalue, rel=1e-7
    )


def test_binomial_exact_pvalues():
    assert binomial_share_change_pvalue(9, 10, 6, 10) > 0.05
    assert binomial_share_change_pvalue(900, 1000, 600, 1000) < 1e-6


def test_garwood_interval_known_values():
    assert garwood(0) == pytest.approx((0.0, 3.6889), abs=1e-4)
    assert garwood(1) == pytest.approx((0.0253, 5.5716), abs=1e-4)
    lo, hi = garwood(10)
    assert lo == pytest.approx(4.7954, abs=1e-4) and hi == pytest.approx(18.3904, abs=1e-4)


@pytest.mark.parametrize(
    ("explicit", "unit", "nums", "dens", "expected"),
    [
        ("binomial", "‰", [1], [1000], "binomial"),
        (None, "/10万", [1], [5000], "poisson"),
        (None, "%", [95], [100], "binomial"),
        (None, "", [95], [100], "binomial"),
        (None, "", [3], [5000], "poisson"),
        (None, "", [120], [100], "poisson"),
    ],
)
def test_count_model_choice(explicit, unit, nums, dens, expected):
    assert count_model_for(explicit, unit, nums, dens) == expected


def test_missing_report_in_latest_round():
    series = Series((Point(2022, 14.0), Point(2023, 13.5), Point(2024, None)))
    r = evaluate(Target("<=", 12), series)
    assert kinds(r, "data") == ["missing_report"]
    w = r.warnings[0]
    assert w.year == 2024 and "缺报" in w.reason
    # the status is judged on the latest value there is
    assert r.latest_year == 2023


def test_missing_report_from_as_of_year():
    series = Series.from_pairs([(2022, 14.0), (2023, 13.5)])
    r = evaluate(Target("<=", 12), series, as_of_year=2024)
    assert kinds(r, "data") == ["missing_report"]
    assert kinds(evaluate(Target("<=", 12), series, as_of_year=2023), "data") == []
    # two rounds missing: the warning is about the round after a reported one only
    assert kinds(evaluate(Target("<=", 12), series, as_of_year=2025), "data") == []


def test_out_of_range_value_is_a_data_warning():
    r = run(">=", 90, [(2020, 88.0), (2021, 101.0)], valid_range=(0, 100))
    assert "out_of_range" in kinds(r, "data")
