"""Trend forecast to the target year with OLS prediction intervals and 达标概率.

Fit over the last (up to) 8 calendar years, needing at least 4 values there: log-linear when
every value is > 0 (rates change by a share per year), linear otherwise. Intervals are the
classical OLS prediction intervals with Student t on n - 2 degrees of freedom, back-transformed
for the log fit and clipped to the valid range. The probability of meeting the target at T is
computed under the same predictive t distribution (on the log scale for the log fit).

Written for a hot path: plain floats and the math module; the t quantiles are computed once.
"""

from __future__ import annotations

import math

from scipy.special import stdtr, stdtrit

from .model import ForecastPoint

MIN_VALUES = 4
WINDOW_YEARS = 8

# A window of 8 calendar years holds at most 8 values, so df = n - 2 <= 6; a few more cost
# nothing and keep the table valid if the window is ever widened.
_MAX_TABLED_DF = 30
_T80 = [math.nan] + [float(stdtrit(df, 0.90)) for df in range(1, _MAX_TABLED_DF + 1)]
_T95 = [math.nan] + [float(stdtrit(df, 0.975)) for df in range(1, _MAX_TABLED_DF + 1)]

# exp() of more than this overflows a float; such forecasts are nonsense anyway and get clipped.
_MAX_LOG = 700.0

REASON_TOO_FEW = "近{window}年内有数据的年度不足{need}个，不作趋势预测"
REASON_PAST_TARGET = "已到目标年份，不再预测"


def t_quantiles(df: int) -> tuple[float, float]:
    """Two-sided 80 % and 95 % Student t quantiles."""
    if df <= _MAX_TABLED_DF:
        return _T80[df], _T95[df]
    return float(stdtrit(df, 0.90)), float(stdtrit(df, 0.975))


def t_cdf(df: int, x: float) -> float:
    return float(stdtr(df, x))


class Fit:
    """An OLS line through (year, y); y is log(value) when ``log`` is set."""

    __slots__ = ("df", "intercept", "log", "n", "s", "slope", "sxx", "xbar")

    def __init__(self, years: list[int], values: list[float], log: bool) -> None:
        n = len(years)
        ys = [math.log(v) for v in values] if log else values
        xbar = sum(years) / n
        ybar = sum(ys) / n
        sxx = 0.0
        sxy = 0.0
        for x, y in zip(years, ys, strict=True):
            dx = x - xbar
            sxx += dx * dx
            sxy += dx * (y - ybar)
        slope = sxy / sxx
        ssr = 0.0
        for x, y in zip(years, ys, strict=True):
            r = y - ybar - slope * (x - xbar)
            ssr += r * r
        self.n = n
        self.df = n - 2
        self.xbar = xbar
        self.intercept = ybar
        self.slope = slope
        self.sxx = sxx
        self.s = math.sqrt(ssr / self.df)
        self.log = log

    def predict(self, year: int) -> tuple[float, float]:
        """Point prediction (on the fit's scale) and its prediction standard error."""
        dx = year - self.xbar
        mean = self.intercept + self.slope * dx
        se = self.s * math.sqrt(1.0 + 1.0 / self.n + dx * dx / self.sxx)
        return mean, se

    def cdf(self, df: int, mean: float, se: float, v: float) -> float:
        """P(Y <= v) on the value scale under the predictive distribution."""
        if self.log:
            if v <= 0:
                return 0.0
            v = math.log(v)
        if se == 0.0:
            return 1.0 if mean <= v else 0.0
        return t_cdf(df, (v - mean) / se)


def _back(y: float, log: bool, lo: float | None, hi: float | None) -> float:
    if log:
        y = math.exp(min(y, _MAX_LOG))
    if lo is not None and y < lo:
        return lo
    if hi is not None and y > hi:
        return hi
    return y


def probability_of_meeting(
    fit: Fit,
    year: int,
    comparator: str,
    threshold: float,
    tolerance: float,
    lo: float | None,
    hi: float | None,
) -> float:
    """P(the clipped forecast at ``year`` meets the target).

    Clipping puts the tail mass beyond a bound onto the bound itself, so a "<=" target at or
    above the ceiling is met with certainty, and the bounds count toward an "=" target's band.
    """
    mean, se = fit.predict(year)
    df = fit.df
    if fit.log:
        # log-normal-like predictive values are positive whatever the stated range
        lo = 0.0 if lo is None or lo < 0 else lo

    def below(v: float) -> float:
        # P(clip(Y) <= v)
        if hi is not None and v >= hi:
            return 1.0
        if lo is not None and v < lo:
            return 0.0
        return fit.cdf(df, mean, se, v)

    def strictly_below(v: float) -> float:
        # P(clip(Y) < v): differs from below() only by the mass clipped onto a bound
        if lo is not None and v <= lo:
            return 0.0
        if hi is not None and v > hi:
            return 1.0
        return fit.cdf(df, mean, se, v)

    if comparator in ("<=", "maintain<=", "reduce_by_pct"):
        p = below(threshold)
    elif comparator == "<":
        p = strictly_below(threshold)
    elif comparator in (">=", "maintain>="):
        p = 1.0 - strictly_below(threshold)
    elif comparator == ">":
        p = 1.0 - below(threshold)
    else:
        p = below(threshold + tolerance) - strictly_below(threshold - tolerance)
    return min(1.0, max(0.0, p))


def forecast(
    years: list[int],
    values: list[float],
    target_year: int,
    lo: float | None,
    hi: float | None,
    comparator: str,
    threshold: float | None,
    tolerance: float,
) -> tuple[list[ForecastPoint], str | None, tuple[int, int] | None, float | None, str | None]:
    """Forecast every year after the last value up to the target year.

    Returns (points, method, (first, last fitted year), probability, reason); when no forecast
    is made, points is empty and reason says why.
    """
    last = years[-1]
    if last >= target_year:
        return [], None, None, None, REASON_PAST_TARGET
    first_in_window = last - WINDOW_YEARS + 1
    start = 0
    while years[start] < first_in_window:
        start += 1
    n = len(years) - start
    if n < MIN_VALUES:
        return [], None, None, None, REASON_TOO_FEW.format(window=WINDOW_YEARS, need=MIN_VALUES)
    ys = years[start:] if start else years
    vs = values[start:] if start else values
    log = min(vs) > 0
    fit = Fit(ys, vs, log)
    t80, t95 = t_quantiles(fit.df)
    # the loop below is the engine's hottest code: locals and inline arithmetic on purpose
    a = fit.intercept
    b = fit.slope
    xbar = fit.xbar
    s = fit.s
    base_var = 1.0 + 1.0 / fit.n
    sxx = fit.sxx
    sqrt = math.sqrt
    exp = math.exp
    points = []
    for year in range(last + 1, target_year + 1):
        dx = year - xbar
        mean = a + b * dx
        se = s * sqrt(base_var + dx * dx / sxx)
        w80 = t80 * se
        w95 = t95 * se
        if log:
            if mean + w95 > _MAX_LOG:
                row = [_back(y, True, lo, hi) for y in (mean, mean - w80, mean + w80)]
                row += [_back(mean - w95, True, lo, hi), _back(mean + w95, True, lo, hi)]
                points.append(ForecastPoint(year, *row))
                continue
            v, l80, h80, l95, h95 = (
                exp(mean),
                exp(mean - w80),
                exp(mean + w80),
                exp(mean - w95),
                exp(mean + w95),
            )
        else:
            v, l80, h80, l95, h95 = mean, mean - w80, mean + w80, mean - w95, mean + w95
        if lo is not None and l95 < lo:
            # the bounds are ordered l95 <= l80 <= v <= h80 <= h95, so test from the outside in
            l95 = lo
            if l80 < lo:
                l80 = lo
                if v < lo:
                    v = lo
                    if h80 < lo:
                        h80 = lo
                        if h95 < lo:
                            h95 = lo
        if hi is not None and h95 > hi:
            h95 = hi
            if h80 > hi:
                h80 = hi
                if v > hi:
                    v = hi
                    if l80 > hi:
                        l80 = hi
                        if l95 > hi:
                            l95 = hi
        points.append(ForecastPoint(year, v, l80, h80, l95, h95))
    probability = None
    if threshold is not None:
        probability = probability_of_meeting(
            fit, target_year, comparator, threshold, tolerance, lo, hi
        )
    method = "log-linear" if log else "linear"
    return points, method, (ys[0], ys[-1]), probability, None
