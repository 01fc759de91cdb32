"""Small numbers: latest and pooled figures, exact intervals, reliability, evidence.

Every expected interval is computed here with scipy.stats from the exact formulas, never
copied from the engine's output.
"""

import math

import pytest
from scipy import stats

from planwatch.evaluation import evaluate_request
from planwatch.evaluation.counts import clopper_pearson, garwood


def garwood_expected(k, exposure, factor):
    lo = 0.0 if k == 0 else stats.chi2.ppf(0.025, 2 * k) / 2
    hi = stats.chi2.ppf(0.975, 2 * k + 2) / 2
    return lo / exposure * factor, hi / exposure * factor


def clopper_pearson_expected(k, n, factor):
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="exact")
    return ci.low * factor, ci.high * factor


def close(a, b, rel=1e-3):
    """Equal to three significant figures (and exactly zero where the formula gives zero)."""
    if b == 0:
        return a == 0
    return abs(a - b) <= rel * abs(b)


def rate_request(points, unit="/10万", value_factor=100_000, **extra):
    return {
        "target": {"comparator": "<=", "value": 12, "unit": unit},
        "series": [[y, k / n * value_factor, k, n] for y, k, n in points],
        **extra,
    }


@pytest.mark.parametrize(
    "k, n, factor",
    [
        (0, 2500, 100_000),
        (1, 10_510, 100_000),
        (2, 2400, 100_000),
        (7, 2600, 1_000),
        (19, 380_000, 1_000),
        (20, 380_000, 1_000),
        (150, 12_000_000, 100_000),
        (5_000, 10_000_000, 1_000),
    ],
)
def test_garwood_rate_interval(k, n, factor):
    lo, hi = garwood(k)
    assert close(lo, garwood_expected(k, 1, 1)[0], 1e-9)
    assert close(hi, garwood_expected(k, 1, 1)[1], 1e-9)
    out = evaluate_request(rate_request([(2024, k, n)], value_factor=factor))
    latest = out["latest"]
    exp_lo, exp_hi = garwood_expected(k, n, factor)
    assert latest["events"] == k and latest["exposure"] == n
    assert close(latest["rate"], k / n * factor, 1e-9)
    assert close(latest["ci95"][0], exp_lo) and close(latest["ci95"][1], exp_hi)
    assert latest["reliable"] is (k >= 20)
    assert ("少于20例" in latest["reason"]) is (k < 20)


@pytest.mark.parametrize(
    "k, n",
    [(0, 25), (25, 25), (12, 29), (20, 40), (50, 100), (95, 100), (3, 600), (880_000, 1_000_000)],
)
def test_clopper_pearson_share_interval(k, n):
    lo, hi = clopper_pearson(k, n)
    exp_lo, exp_hi = clopper_pearson_expected(k, n, 1)
    assert close(lo, exp_lo, 1e-9) and close(hi, exp_hi, 1e-9)
    out = evaluate_request(
        {
            "target": {"comparator": ">=", "value": 90, "unit": "%"},
            "series": [[2024, k / n * 100, k, n]],
        }
    )
    latest = out["latest"]
    assert latest["model"] == "binomial"
    exp_lo, exp_hi = clopper_pearson_expected(k, n, 100)
    assert close(latest["ci95"][0], exp_lo) and close(latest["ci95"][1], exp_hi)
    assert 0 <= latest["ci95"][0] <= latest["rate"] <= latest["ci95"][1] <= 100
    width_points = exp_hi - exp_lo
    assert latest["reliable"] is (n >= 30 and width_points <= 30)
    if n < 30:
        assert "不足30" in latest["reason"]
    elif width_points > 30:
        assert "超过30个百分点" in latest["reason"]


def test_pooled_window_is_the_last_three_years_with_counts():
    points = [(2019, 2, 2300), (2020, 1, 2222), (2021, 0, 2400), (2023, 0, 2600), (2024, 1, 2500)]
    request = rate_request(points)
    # a year with a value but no counts does not enter the pool
    request["series"].insert(3, [2022, 30.0])
    out = evaluate_request(request)
    pooled = out["pooled"]
    assert pooled["years"] == [2021, 2024]
    assert pooled["events"] == 1 and pooled["exposure"] == 2400 + 2600 + 2500
    exp_lo, exp_hi = garwood_expected(1, 7500, 100_000)
    assert close(pooled["rate"], 1 / 7500 * 100_000, 1e-9)
    assert close(pooled["ci95"][0], exp_lo) and close(pooled["ci95"][1], exp_hi)
    assert pooled["reliable"] is False

    out5 = evaluate_request({**request, "pool_years": 5})
    assert out5["pooled"]["years"] == [2019, 2024]
    assert out5["pooled"]["events"] == 4


def test_the_issues_worked_example():
    # 1 maternal death over 10,510 live births in three years: 9.5/10万 (0.2–53.0)
    points = [(2022, 0, 3500), (2023, 1, 3510), (2024, 0, 3500)]
    out = evaluate_request(
        {
            **rate_request(points),
            "event_label": "孕产妇死亡人数",
            "exposure_label": "活产数",
        }
    )
    exp_lo, exp_hi = garwood_expected(1, 10_510, 100_000)
    assert f"{exp_lo:.1f}" == "0.2" and f"{exp_hi:.1f}" == "53.0"
    assert out["evidence"] == "weak"
    interval = f"{exp_lo:.1f}～{exp_hi:.1f}"  # the indicator's decimals, as the page prints it
    assert (
        f"近三年共1例孕产妇死亡（活产10,510人），合计9.5/10万（95%置信区间{interval}）"
        in (out["explanation"])
    )
    assert "达标判断仅供参考" in out["explanation"]


def test_without_counts_there_is_no_pooled_figure():
    out = evaluate_request(
        {"target": {"comparator": ">=", "value": 90}, "series": [[2020, 80.0], [2024, 85.0]]}
    )
    assert out["pooled"] is None and out["latest"] is None
    assert out["evidence"] == "strong"


def test_large_counts_are_reliable_and_narrow():
    points = [(y, 15_000 - 300 * i, 9_500_000) for i, y in enumerate(range(2018, 2025))]
    out = evaluate_request(rate_request(points))
    for figure in (out["latest"], out["pooled"]):
        assert figure["reliable"] is True
        lo, hi = figure["ci95"]
        assert (hi - lo) / figure["rate"] < 0.05
    assert out["evidence"] == "strong"
    share = evaluate_request(
        {
            "target": {"comparator": ">=", "value": 90, "unit": "%"},
            "series": [[y, 88.0 + i * 0.3, 880_000 + 3_000 * i, 1_000_000] for i, y in
                       enumerate(range(2019, 2025))],
        }
    )  # fmt: skip
    assert share["pooled"]["reliable"] is True
    assert share["pooled"]["ci95"][1] - share["pooled"]["ci95"][0] < 0.2


def _numbers(data, path=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _numbers(value, f"{path}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield path, data


# Quantities that may be negative by definition: shares of the way to the target and gaps.
SIGNED = ("p_ratio", "completion_progress", "progress_gap_points")


@pytest.mark.parametrize(
    "points, unit, factor, comparator, target",
    [
        ([(2020, 1, 2222), (2021, 0, 2400), (2022, 0, 2500), (2023, 0, 2600), (2024, 0, 2500)],
         "/10万", 100_000, "<=", 12),
        ([(2020, 0, 2222), (2021, 0, 2400), (2022, 0, 2500), (2023, 0, 2600)],
         "/10万", 100_000, "<=", 12),
        ([(2020, 9, 2222), (2021, 6, 2400), (2022, 4, 2500), (2023, 2, 2600), (2024, 1, 2500)],
         "‰", 1000, "<=", 1.5),
        ([(2020, 390, 400), (2021, 395, 400), (2022, 399, 400), (2023, 400, 400)],
         "%", 100, ">=", 99),
        ([(2020, 30, 300), (2021, 22, 310), (2022, 15, 305), (2023, 8, 300), (2024, 2, 310)],
         "%", 100, "<=", 2),
    ],
)  # fmt: skip
def test_nothing_negative_or_out_of_range(points, unit, factor, comparator, target):
    out = evaluate_request(
        {
            "target": {"comparator": comparator, "value": target, "unit": unit},
            "series": [[y, k / n * factor, k, n] for y, k, n in points],
        }
    )
    for path, x in _numbers(out):
        if path.lstrip(".").split(".")[0].split("[")[0] in SIGNED:
            continue
        assert x >= 0, (path, x)
        if unit == "%" and path.startswith((".forecast[", ".latest.ci95", ".pooled.ci95")):
            assert x <= 100 or path.endswith(".year"), (path, x)
    assert out["projected_value"] is None or out["projected_value"] >= 0
    if unit == "%":
        assert out["projected_value"] is None or out["projected_value"] <= 100


def test_red_on_weak_evidence_is_small_sample_not_red():
    # 1 death in 2020, then 3 a year on ~2,500 births: off target (≤12/10万) on a few deaths
    points = [(2020, 1, 2500), (2021, 2, 2500), (2022, 3, 2500), (2023, 3, 2500), (2024, 4, 2500)]
    out = evaluate_request(rate_request(points))
    assert out["status"] in ("regressing", "off_track")
    assert out["evidence"] == "weak"
    levels = {w["level"] for w in out["warnings"]}
    assert "red" not in levels
    small = [w for w in out["warnings"] if w["level"] == "small_sample"]
    assert small and all(w["reason"].startswith("小样本，需持续观察") for w in small)


def test_red_on_strong_evidence_stays_red():
    points = [(y, 300 + 40 * i, 1_000_000) for i, y in enumerate(range(2020, 2025))]
    out = evaluate_request(rate_request(points))
    assert out["evidence"] == "strong"
    assert "red" in {w["level"] for w in out["warnings"]}


def test_probability_and_interval_bounds_are_sane():
    for p in (garwood(3), clopper_pearson(3, 10)):
        assert all(math.isfinite(x) for x in p)
