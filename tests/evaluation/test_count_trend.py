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
    return a, b, cov * phi, phi, float(np.mean(years))


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
    a, b, cov, phi, xbar = reference_fit(years, k, n, model)
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
    a, b, cov, phi, xbar = reference_fit(years, k, n, model)
    inverse = np.exp if model == "poisson" else expit
    df = len(years) - 2
    q95 = stats.t.ppf(0.975, df) if phi > 1 else stats.norm.ppf(0.975)
    last = out["forecast"][-1]
    assert last["year"] == 2030
    d = np.array([1.0, 2030 - xbar])
    eta = a + b * d[1]
    se = float(np.sqrt(d @ cov @ d))
    assert last["value"] == pytest.approx(float(inverse(eta)) * factor, rel=1e-4)
    assert last["lo95"] == pytest.approx(float(inverse(eta - q95 * se)) * factor, rel=1e-3)
    assert last["hi95"] == pytest.approx(float(inverse(eta + q95 * se)) * factor, rel=1e-3)
    assert out["forecast_method"] == f"{model}-glm"
    assert out["projection_method"] == f"{model}-glm"
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
    dist = stats.t(2) if fit.phi > 1 else stats.norm()
    expected = dist.cdf((np.log(115e-5) - eta) / se) - dist.cdf((np.log(105e-5) - eta) / se)
    assert p == pytest.approx(float(expected), abs=1e-9)
