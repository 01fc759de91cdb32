"""The count GLMs against a general-purpose maximiser and hand-built covariances (numpy/scipy)."""

import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import expit, gammaln

from planwatch.evaluation import evaluate_request
from planwatch.evaluation.count_trend import (
    REASON_ALL_ZERO,
    REASON_SEPARATED,
    count_probability,
    fit_counts,
)


def reference_fit(years, k, n, model):
    """MLE by Nelder–Mead/BFGS on the log-likelihood, covariance (X'WX)^-1 × φ by hand."""
    x = np.asarray(years, float) - np.mean(years)
    k = np.asarray(k, float)
    n = np.asarray(n, float)

    def nll(theta):
        eta = theta[0] + theta[1] * x
        if model == "poisson":
            mu = n * np.exp(eta)
            return -np.sum(k * np.log(mu) - mu - gammaln(k + 1))
        p = expit(eta)
        return -np.sum(k * np.log(p) + (n - k) * np.log1p(-p))

    start = np.array([np.log(k.sum() / n.sum()), 0.0])
    if model == "binomial":
        share = k.sum() / n.sum()
        start[0] = np.log(share / (1 - share))
    res = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-10})
    a, b = res.x
    eta = a + b * x
    if model == "poisson":
        mu = n * np.exp(eta)
        w = mu
    else:
        p = expit(eta)
        mu = n * p
        w = mu * (1 - p)
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    phi = max(1.0, float(np.sum((k - mu) ** 2 / w)) / (len(x) - 2))
    # the slope is kept only if the likelihood-ratio test (scaled by φ) rejects "no trend"
    level = optimize.minimize_scalar(lambda a0: nll(np.array([a0, 0.0])), bracket=(-20, 0)).x
    lr = 2 * (nll(np.array([level, 0.0])) - res.fun)
    enough = min(k.sum(), (n - k).sum()) if model == "binomial" else k.sum()
    if enough >= 20 and lr / phi >= stats.chi2.ppf(0.95, 1):
        return a, b, cov * phi, phi, float(np.mean(years)), len(x) - 2
    share = expit(level) if model == "binomial" else np.exp(level)
    mu0 = n * share
    w0 = mu0 * (1 - share) if model == "binomial" else mu0
    phi0 = max(1.0, float(np.sum((k - mu0) ** 2 / w0)) / (len(x) - 1))
    cov0 = np.array([[phi0 / w0.sum(), 0.0], [0.0, 0.0]])
    return level, 0.0, cov0, phi0, float(np.mean(years)), len(x) - 1


CASES = [
    ("poisson", [2018, 2019, 2020, 2021, 2022, 2023, 2024], [9, 6, 8, 4, 5, 3, 2],
     [2500, 2450, 2400, 2380, 2300, 2350, 2280]),
    ("poisson", [2020, 2021, 2022, 2023], [1, 0, 2, 1], [2500, 2400, 2450, 2300]),
    ("poisson", [2019, 2020, 2021, 2022, 2023, 2024], [1520, 1480, 1400, 1390, 1300, 1250],
     [9.8e6, 9.6e6, 9.5e6, 9.3e6, 9.1e6, 9.0e6]),
    ("binomial", [2020, 2021, 2022, 2023, 2024], [250, 262, 270, 281, 290],
     [400, 405, 398, 410, 402]),
    ("binomial", [2020, 2021, 2022, 2023], [2, 1, 0, 1], [300, 310, 305, 300]),
]  # fmt: skip


@pytest.mark.parametrize("model, years, k, n", CASES)
def test_fit_matches_the_likelihood_maximum(model, years, k, n):
    fit, reason = fit_counts(years, [float(v) for v in k], [float(v) for v in n], model)
    assert reason is None
    a, b, cov, phi, xbar, _df = reference_fit(years, k, n, model)
    assert fit.trend is bool(b != 0.0)
    assert fit.a == pytest.approx(a, abs=1e-5)
    assert fit.b == pytest.approx(b, abs=1e-5)
    assert fit.phi == pytest.approx(phi, rel=1e-4)
    _, se = fit.predict(2030)
    d = np.array([1.0, 2030 - xbar])
    assert se == pytest.approx(float(np.sqrt(d @ cov @ d)), rel=1e-4)


@pytest.mark.parametrize("model, years, k, n", CASES)
def test_forecast_and_probability_come_from_the_model(model, years, k, n):
    factor = 100_000 if model == "poisson" else 100
    unit = "/10万" if model == "poisson" else "%"
    threshold = 12 if model == "poisson" else 70
    comparator = "<=" if model == "poisson" else ">="
    out = evaluate_request(
        {
            "target": {"comparator": comparator, "value": threshold, "unit": unit},
            "series": [
                [y, kk / nn * factor, kk, nn] for y, kk, nn in zip(years, k, n, strict=True)
            ],
            "count_model": model,
        }
    )
    a, b, cov, phi, xbar, df = reference_fit(years, k, n, model)
    inverse = np.exp if model == "poisson" else expit
    q95 = stats.t.ppf(0.975, df) if phi > 1 else stats.norm.ppf(0.975)
    last = out["forecast"][-1]
    assert last["year"] == 2030
    d = np.array([1.0, 2030 - xbar])
    eta = a + b * d[1]
    se = float(np.sqrt(d @ cov @ d))
    assert last["value"] == pytest.approx(float(inverse(eta)) * factor, rel=1e-4)
    assert last["lo95"] == pytest.approx(float(inverse(eta - q95 * se)) * factor, rel=1e-3)
    assert last["hi95"] == pytest.approx(float(inverse(eta + q95 * se)) * factor, rel=1e-3)
    method = f"{model}-glm" if b != 0.0 else f"{model}-glm-level"
    assert out["forecast_method"] == method
    assert out["projection_method"] == method
    assert out["projected_value"] == pytest.approx(last["value"], rel=1e-9)
    link = np.log(threshold / factor) if model == "poisson" else np.log(0.7 / 0.3)
    dist = stats.t(df) if phi > 1 else stats.norm()
    below = float(dist.cdf((link - eta) / se))
    expected = below if comparator == "<=" else 1 - below
    assert out["attainment_probability"] == pytest.approx(expected, abs=1e-6)
    for point in out["forecast"]:
        assert 0 <= point["lo95"] <= point["lo80"] <= point["value"] <= point["hi80"]
        assert point["hi80"] <= point["hi95"]
        if model == "binomial":
            assert point["hi95"] <= 100


def test_a_handful_of_deaths_gets_no_extrapolated_trend():
    # 0, 0, 1, 2, 2 maternal deaths: the slope passes the LR test (p ≈ 0.04) but rests on 5
    # deaths; fewer than 20 events give the level, not a line "doubling every year" to 2030
    years, k = [2020, 2021, 2022, 2023, 2024], [0, 0, 1, 2, 2]
    out = evaluate_request(
        {
            "target": {"comparator": "<=", "value": 12, "unit": "/10万"},
            "series": [[y, kk / 2500 * 1e5, kk, 2500] for y, kk in zip(years, k, strict=True)],
        }
    )
    assert out["forecast_method"] == "poisson-glm-level"
    rate = sum(k) / (5 * 2500) * 1e5
    assert out["forecast"][-1]["value"] == pytest.approx(rate, rel=1e-6)
    # the band is the level's: exp(log r ± z·sqrt(1/Σk)) (φ = 1 here, Pearson χ² small)
    se = np.sqrt(1 / sum(k))
    z = stats.norm.ppf(0.975)
    assert out["forecast"][-1]["hi95"] == pytest.approx(rate * np.exp(z * se), rel=1e-6)
    assert out["forecast"][-1]["hi95"] < 200


@pytest.mark.parametrize(
    "years, k, n, reason",
    [
        ([2020, 2021, 2022, 2023], [0, 0, 0, 0], [2500] * 4, REASON_ALL_ZERO),
        ([2020, 2021, 2022, 2023, 2024], [1, 0, 0, 0, 0], [2500] * 5, REASON_SEPARATED),
        ([2020, 2021, 2022, 2023], [0, 0, 0, 2], [2500] * 4, REASON_SEPARATED),
    ],
)
def test_model_that_cannot_be_fitted_says_why(years, k, n, reason):
    out = evaluate_request(
        {
            "target": {"comparator": "<=", "value": 12, "unit": "/10万"},
            "series": [[y, kk / nn * 1e5, kk, nn] for y, kk, nn in zip(years, k, n, strict=True)],
        }
    )
    assert out["forecast"] == []
    assert out["forecast_reason"] == reason
    assert out["attainment_probability"] is None
    assert out["projected_value"] is None or out["projected_value"] >= 0


def test_one_year_of_counts_is_no_trend():
    out = evaluate_request(
        {
            "target": {"comparator": "<=", "value": 12, "unit": "/10万"},
            "series": [[2024, 40.0, 1, 2500]],
        }
    )
    assert out["forecast"] == [] and "不足3个" in out["forecast_reason"]


def test_probability_of_an_equal_target_is_a_band():
    fit, _ = fit_counts([2020, 2021, 2022, 2023], [10.0, 12.0, 11.0, 13.0], [1e4] * 4, "poisson")
    eta, se = fit.predict(2030)
    p = count_probability(fit, 2030, "=", 110.0, 5.0, 1e5)
    dist = stats.t(fit.df) if fit.phi > 1 else stats.norm()
    expected = dist.cdf((np.log(115e-5) - eta) / se) - dist.cdf((np.log(105e-5) - eta) / se)
    assert p == pytest.approx(float(expected), abs=1e-9)
