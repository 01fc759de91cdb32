"""Trend of yearly counts: a Poisson (rates) or binomial (shares) GLM on year, exposure as offset.

    Poisson:  log E[k_t] = log n_t + a + b (t - t̄)
    binomial: logit(k_t / n_t) = a + b (t - t̄),  k_t ~ Bin(n_t, p_t)

fitted by Newton–Raphson (IRLS, which for these canonical links is the same iteration) on the
two parameters in plain Python. Why not statsmodels: a national recompute fits half a million
of these two-parameter models, and statsmodels' GLM costs about a millisecond of set-up per
fit, minutes in all, for a 2 × 2 linear solve that takes microseconds here; the fit is checked
against a general-purpose maximiser (scipy.optimize) in the tests.

Over-dispersion (years varying more than counts do) is allowed for with the quasi-likelihood
dispersion φ = Pearson χ² / (m − 2), floored at 1, which widens the intervals; with φ > 1 the
quantiles are Student t on m − 2 degrees of freedom, as for a quasi-Poisson fit in R.

Forecast bands are intervals of the modelled rate (the expected value of the series in that
year), on the link scale and transformed back, so a rate is never below 0 and a share never
outside 0–100 %. 达标概率 is the probability, under the same approximate normal distribution of
the linear predictor, that the modelled rate in the target year meets the target.

A model cannot be fitted when the maximum likelihood estimate does not exist: no events at all,
every unit an event (shares), or events only in the first or only in the last year (the slope
would run off to infinity); nor from fewer than MIN_YEARS years.
"""

from __future__ import annotations

import math

from scipy.special import ndtr, ndtri, stdtr, stdtrit

from .model import ForecastPoint

MIN_YEARS = 3
WINDOW_YEARS = 8
MAX_ITERATIONS = 50
TOLERANCE = 1e-10

_Z80 = float(ndtri(0.90))
_Z95 = float(ndtri(0.975))
_T80 = [math.nan] + [float(stdtrit(df, 0.90)) for df in range(1, 31)]
_T95 = [math.nan] + [float(stdtrit(df, 0.975)) for df in range(1, 31)]

REASON_ALL_ZERO = "各年例数均为0，计数模型无法拟合，不作趋势预测"
REASON_ALL_EVENTS = "各年分子均等于分母，计数模型无法拟合，不作趋势预测"
REASON_SEPARATED = "例数只出现在首年或末年，趋势斜率无法估计，不作趋势预测"
REASON_TOO_FEW = "近{window}年内有例数的年度不足{need}个，计数模型无法拟合，不作趋势预测"
REASON_NOT_CONVERGED = "计数模型未收敛，不作趋势预测"


class CountFit:
    """A fitted two-parameter count GLM."""

    __slots__ = ("a", "b", "df", "first", "last", "model", "phi", "v_aa", "v_ab", "v_bb", "xbar")

    def predict(self, year: int) -> tuple[float, float]:
        """Linear predictor and its standard error (dispersion included)."""
        dx = year - self.xbar
        eta = self.a + self.b * dx
        var = self.v_aa + 2.0 * dx * self.v_ab + dx * dx * self.v_bb
        return eta, math.sqrt(max(var, 0.0))

    def quantiles(self) -> tuple[float, float]:
        if self.phi > 1.0 and self.df >= 1:
            if self.df <= 30:
                return _T80[self.df], _T95[self.df]
            return float(stdtrit(self.df, 0.90)), float(stdtrit(self.df, 0.975))
        return _Z80, _Z95

    def cdf(self, z: float) -> float:
        if self.phi > 1.0 and self.df >= 1:
            return float(stdtr(self.df, z))
        return float(ndtr(z))

    def mean(self, eta: float) -> float:
        """Modelled share of the exposure (before the indicator's factor)."""
        if self.model == "binomial":
            if eta >= 0:
                return 1.0 / (1.0 + math.exp(-eta))
            e = math.exp(eta)
            return e / (1.0 + e)
        return math.exp(min(eta, 700.0))

    def link(self, share: float) -> float:
        """Inverse of mean(); ±inf outside the model's range."""
        if share <= 0.0:
            return -math.inf
        if self.model == "binomial":
            if share >= 1.0:
                return math.inf
            return math.log(share / (1.0 - share))
        return math.log(share)


def fit_counts(
    years: list[int], events: list[float], exposures: list[float], model: str
) -> tuple[CountFit | None, str | None]:
    """Fit over the last WINDOW_YEARS calendar years; (fit, None) or (None, reason)."""
    start = 0
    first_in_window = years[-1] - WINDOW_YEARS + 1 if years else 0
    while start < len(years) and years[start] < first_in_window:
        start += 1
    ys, ks, ns = years[start:], events[start:], exposures[start:]
    m = len(ys)
    if m < MIN_YEARS:
        return None, REASON_TOO_FEW.format(window=WINDOW_YEARS, need=MIN_YEARS)
    binomial = model == "binomial"
    with_event = [y for y, k in zip(ys, ks, strict=True) if k > 0]
    if not with_event:
        return None, REASON_ALL_ZERO
    if binomial:
        with_failure = [y for y, k, n in zip(ys, ks, ns, strict=True) if k < n]
    else:
        with_failure = ys
    if not with_failure:
        return None, REASON_ALL_EVENTS
    # One covariate: the estimate exists unless events and non-events are separated in time.
    if max(with_failure) <= min(with_event) or max(with_event) <= min(with_failure):
        return None, REASON_SEPARATED

    xbar = sum(ys) / m
    xs = [y - xbar for y in ys]
    total_k = sum(ks)
    total_n = sum(ns)
    share = total_k / total_n
    a = math.log(share / (1.0 - share)) if binomial else math.log(share)
    b = 0.0
    exp = math.exp
    converged = False
    for _ in range(MAX_ITERATIONS):
        s0 = s1 = i00 = i01 = i11 = 0.0
        for x, k, n in zip(xs, ks, ns, strict=True):
            eta = a + b * x
            if binomial:
                p = 1.0 / (1.0 + exp(-eta)) if eta >= 0 else exp(eta) / (1.0 + exp(eta))
                mu = n * p
                w = mu * (1.0 - p)
            else:
                mu = n * exp(eta)
                w = mu
            r = k - mu
            s0 += r
            s1 += x * r
            i00 += w
            i01 += x * w
            i11 += x * x * w
        det = i00 * i11 - i01 * i01
        if not det > 0:
            break
        da = (i11 * s0 - i01 * s1) / det
        db = (i00 * s1 - i01 * s0) / det
        a += da
        b += db
        if abs(da) < TOLERANCE and abs(db) < TOLERANCE:
            converged = True
            break
    if not converged or not (math.isfinite(a) and math.isfinite(b)):
        return None, REASON_NOT_CONVERGED

    # Information and Pearson χ² at the estimate.
    i00 = i01 = i11 = chi2 = 0.0
    for x, k, n in zip(xs, ks, ns, strict=True):
        eta = a + b * x
        if binomial:
            p = 1.0 / (1.0 + exp(-eta)) if eta >= 0 else exp(eta) / (1.0 + exp(eta))
            mu = n * p
            w = mu * (1.0 - p)
        else:
            mu = n * exp(eta)
            w = mu
        i00 += w
        i01 += x * w
        i11 += x * x * w
        if w > 0:
            chi2 += (k - mu) ** 2 / w
    det = i00 * i11 - i01 * i01
    if not det > 0:
        return None, REASON_NOT_CONVERGED
    df = m - 2
    phi = max(1.0, chi2 / df) if df > 0 else 1.0
    fit = CountFit()
    fit.a, fit.b, fit.xbar, fit.df, fit.phi, fit.model = a, b, xbar, df, phi, model
    fit.v_aa = phi * i11 / det
    fit.v_ab = -phi * i01 / det
    fit.v_bb = phi * i00 / det
    fit.first, fit.last = ys[0], ys[-1]
    return fit, None


def _clip(x: float, lo: float | None, hi: float | None) -> float:
    if lo is not None and x < lo:
        return lo
    if hi is not None and x > hi:
        return hi
    return x


def modelled_value(fit: CountFit, year: int, factor: float) -> float:
    eta, _ = fit.predict(year)
    return fit.mean(eta) * factor


def count_forecast(
    fit: CountFit,
    last_year: int,
    target_year: int,
    factor: float,
    lo: float | None,
    hi: float | None,
) -> list[ForecastPoint]:
    """The modelled rate and its 80 %/95 % intervals for every year after the last value."""
    q80, q95 = fit.quantiles()
    points = []
    mean = fit.mean
    for year in range(last_year + 1, target_year + 1):
        eta, se = fit.predict(year)
        row = [
            _clip(mean(e) * factor, lo, hi)
            for e in (eta, eta - q80 * se, eta + q80 * se, eta - q95 * se, eta + q95 * se)
        ]
        points.append(ForecastPoint(year, *row))
    return points


def count_probability(
    fit: CountFit,
    year: int,
    comparator: str,
    threshold: float,
    tolerance: float,
    factor: float,
) -> float:
    """P(the modelled rate in ``year`` meets the target) under the fit's normal approximation."""
    eta, se = fit.predict(year)

    def below(value: float) -> float:
        g = fit.link(value / factor)
        if g == -math.inf:
            return 0.0
        if g == math.inf:
            return 1.0
        if se == 0.0:
            return 1.0 if eta <= g else 0.0
        return fit.cdf((g - eta) / se)

    if comparator in ("<=", "<", "maintain<=", "reduce_by_pct"):
        p = below(threshold)
    elif comparator in (">=", ">", "maintain>="):
        p = 1.0 - below(threshold)
    else:
        p = below(threshold + tolerance) - below(threshold - tolerance)
    return min(1.0, max(0.0, p))
