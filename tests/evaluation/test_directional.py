"""Directional targets (提高 / 下降 / 稳定在较高水平) against scipy's tests, computed here."""

import pytest
from scipy import stats

from planwatch.catalog import numbers
from planwatch.evaluation import Series, Target, evaluate
from planwatch.evaluation.vocabulary import status_label


def _share(comparator, base, latest, *, wording="逐步提高"):
    """A share with counts: base and latest are (events, denominator)."""
    (k0, n0), (k1, n1) = base, latest
    series = Series.from_pairs(
        [(2020, 100 * k0 / n0), (2024, 100 * k1 / n1)],
        counts=[(2020, k0, n0), (2024, k1, n1)],
        count_model="binomial",
        factor=100,
    )
    target = Target(comparator, None, unit="%", scale="percent", wording=wording)
    return evaluate(target, series)


def _fisher(base, latest):
    (k0, n0), (k1, n1) = base, latest
    return stats.fisher_exact([[k0, n0 - k0], [k1, n1 - k1]]).pvalue


def test_significant_rise_on_an_increase_target_is_attained():
    base, latest = (400, 1000), (480, 1000)
    p = _fisher(base, latest)
    assert p < 0.05
    r = _share("increase", base, latest)
    assert r.status == "attained"
    assert r.trend_test["p"] == pytest.approx(p, rel=1e-9)
    assert status_label(r.status, r.rule) == "已实现预期方向"
    assert "已实现预期方向（目标逐步提高）" in r.explanation
    assert r.completion_progress is None and r.time_progress is None
    assert r.attainment_probability is None and r.projected_value is None
    assert not [w for w in r.warnings if w.level == "red"]


def test_non_significant_rise_is_improving_but_not_yet_shown():
    base, latest = (40, 100), (48, 100)
    p = _fisher(base, latest)
    assert p >= 0.05
    r = _share("increase", base, latest)
    assert r.status == "on_track"
    assert r.trend_test["p"] == pytest.approx(p, rel=1e-9)
    assert status_label(r.status, r.rule) == "有所改善但尚不显著"


def test_significant_fall_on_an_increase_target_regresses_with_a_red_warning():
    base, latest = (480, 1000), (400, 1000)
    assert _fisher(base, latest) < 0.05
    r = _share("increase", base, latest)
    assert r.status == "regressing"
    assert status_label(r.status, r.rule) == "出现反向变化"
    red = [w for w in r.warnings if w.level == "red"]
    assert len(red) == 1 and "方向相反" in red[0].reason


def test_non_significant_fall_on_an_increase_target_is_not_yet_improving():
    base, latest = (48, 100), (44, 100)
    assert _fisher(base, latest) >= 0.05
    r = _share("increase", base, latest)
    assert r.status == "needs_acceleration"
    assert status_label(r.status, r.rule) == "尚未见改善"


def test_maintain_high_allows_noise_but_not_a_significant_decline():
    held = _share("maintain_high", (970, 1000), (962, 1000), wording="巩固提高")
    assert _fisher((970, 1000), (962, 1000)) >= 0.05
    assert held.status == "attained"
    assert status_label(held.status, held.rule) == "保持在较高水平"
    fell = _share("maintain_high", (970, 1000), (930, 1000), wording="巩固提高")
    assert _fisher((970, 1000), (930, 1000)) < 0.05
    assert fell.status == "regressing"


@pytest.mark.parametrize("deaths", [(0, 1), (1, 2), (2, 0)])
def test_a_handful_of_deaths_cannot_show_a_direction(deaths):
    base, latest = deaths
    series = Series.from_pairs(
        [(2020, base / 2500 * 1e5), (2023, 0.0), (2024, latest / 2500 * 1e5)],
        counts=[(2020, base, 2500), (2023, 0, 2500), (2024, latest, 2500)],
        count_model="poisson",
        factor=100_000,
    )
    r = evaluate(Target("decrease", None, unit="/10万", scale="per_100k"), series)
    assert r.status == "insufficient_data"
    assert r.evidence == "weak"
    assert status_label(r.status, r.rule) == "数据不足以判断"
    assert "数据不足以判断变化方向" in r.explanation


def test_rates_of_many_events_use_the_conditional_poisson_test():
    # 60 vs 30 events on the same exposure: conditional on 90 events, 30 is Binomial(90, 1/2)
    series = Series.from_pairs(
        [(2020, 60 / 50_000 * 1e5), (2024, 30 / 50_000 * 1e5)],
        counts=[(2020, 60, 50_000), (2024, 30, 50_000)],
        count_model="poisson",
        factor=100_000,
    )
    r = evaluate(Target("decrease", None, unit="/10万", scale="per_100k"), series)
    p = stats.binomtest(30, 90, 0.5).pvalue
    assert r.trend_test["p"] == pytest.approx(p, rel=1e-9)
    assert p < 0.05 and r.status == "attained"


def test_unreliable_latest_year_is_replaced_by_the_pooled_recent_years():
    # 2024 alone has 12 events (unreliable), 2022–2024 pooled 44: compared with the base's 80
    counts = [(2020, 80, 40_000), (2022, 16, 20_000), (2023, 16, 20_000), (2024, 12, 20_000)]
    series = Series.from_pairs(
        [(y, k / n * 1e5) for y, k, n in counts],
        counts=counts,
        count_model="poisson",
        factor=100_000,
    )
    r = evaluate(Target("decrease", None, unit="/10万", scale="per_100k"), series)
    assert r.trend_test["compared"] == [2022, 2024, 44.0, 60_000.0]
    p = stats.binomtest(44, 124, 60_000 / 100_000).pvalue
    assert r.trend_test["p"] == pytest.approx(p, rel=1e-9)
    assert r.status == ("attained" if p < 0.05 else "on_track")


def test_series_without_counts_are_judged_on_the_ols_slope():
    years = [2020, 2021, 2022, 2023, 2024]
    rising = [50.0, 51.5, 51.0, 53.0, 54.2]
    fit = stats.linregress(years, rising)
    r = evaluate(
        Target("increase", None, unit="%"), Series.from_pairs(zip(years, rising, strict=True))
    )
    assert r.trend_test["slope"] == pytest.approx(fit.slope, rel=1e-9)
    assert r.trend_test["p"] == pytest.approx(fit.pvalue, rel=1e-6)
    assert fit.pvalue < 0.05 and r.status == "attained"
    flat = [50.0, 52.0, 49.0, 51.5, 50.5]
    fit = stats.linregress(years, flat)
    r = evaluate(
        Target("increase", None, unit="%"), Series.from_pairs(zip(years, flat, strict=True))
    )
    assert r.trend_test["p"] == pytest.approx(fit.pvalue, rel=1e-6)
    assert fit.pvalue >= 0.05 and fit.slope > 0 and r.status == "on_track"


def test_two_years_without_counts_are_not_a_trend():
    r = evaluate(Target("increase", None), Series.from_pairs([(2020, 50.0), (2024, 60.0)]))
    assert r.status == "insufficient_data"


def test_directional_targets_have_no_value_and_print_in_the_plans_words():
    with pytest.raises(ValueError, match="no value"):
        Target("increase", 5.0)
    with pytest.raises(ValueError, match="must be a number"):
        Target(">=", None)
    assert numbers.target("increase", None, "%", "逐步提高") == "逐步提高"
    assert numbers.target("decrease", None, "%") == "下降"
    assert numbers.target_en("maintain_high", None, "%") == "to stay at a high level"
    assert numbers.target(">=", 95, "%") == "95%以上"


def test_a_change_the_published_figure_cannot_show_is_no_change():
    # 96.300 % → 96.345 % of ten million: Fisher calls it significant, one decimal shows 持平
    base, latest = (9_630_000, 10_000_000), (9_634_500, 10_000_000)
    assert _fisher(base, latest) < 0.05
    r = _share("increase", base, latest)
    assert r.status == "needs_acceleration"
    assert "持平" in r.explanation


@pytest.mark.parametrize(
    "base, latest, words",
    [
        ((400, 1000), (480, 1000), "moved in the expected direction"),
        ((40, 100), (48, 100), "not yet significantly"),
        ((480, 1000), (400, 1000), "moved against the expected direction"),
    ],
)
def test_directional_results_carry_their_sentence_in_english(base, latest, words):
    r = _share("increase", base, latest)
    change = 100 * (latest[0] / latest[1] - base[0] / base[1])  # by hand: 8 points up or down
    assert words in r.explanation_en and "(target to rise)" in r.explanation_en
    assert f"{abs(change):.1f} percentage points on 2020" in r.explanation_en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in r.explanation_en)
    for w in r.warnings:
        assert w.reason_en and not any("\u4e00" <= ch <= "\u9fff" for ch in w.reason_en)
