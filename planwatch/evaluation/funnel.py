"""Funnel plots for units and intervals for gaps: comparing small areas without ranking noise.

A funnel plot (Spiegelhalter 2005) draws each township's rate against its exposure, with the
district rate and the 95 % and 99.8 % limits within which a township of that size would fall
by chance alone if its true rate were the district's. The limits come from the exact
distribution (Poisson for rates, binomial for shares), with Spiegelhalter's interpolation
between the integer counts so that the curves are smooth. A township is flagged only outside
the 99.8 % limits (about 3 standard errors); between 95 % and 99.8 % it is noted, not flagged.

A gap between two groups (urban − rural, female − male) carries a 95 % interval built from
each group's exact interval by the MOVER method (Zou & Donner 2008; Newcombe 1998 for shares),
and is called not significant where that interval spans 0.
"""

from __future__ import annotations

import math
from typing import Any

from scipy.special import bdtr, pdtr

from .counts import CountFigure

LIMITS = (0.95, 0.998)
CURVE_POINTS = 40


def _cdf(model: str, r: int, mean_share: float, exposure: float) -> float:
    if r < 0:
        return 0.0
    if model == "binomial":
        n = round(exposure)
        if r >= n:
            return 1.0
        return float(bdtr(r, n, mean_share))
    return float(pdtr(r, mean_share * exposure))


def _quantile(model: str, p: float, theta: float, exposure: float) -> float:
    """Spiegelhalter's interpolated p-quantile of the count, as a share of the exposure."""
    mean = theta * exposure
    sd = math.sqrt(max(mean * ((1.0 - theta) if model == "binomial" else 1.0), 1e-12))
    r = max(0, int(mean + _z(p) * sd))
    # step to the smallest r with F(r) >= p
    while r > 0 and _cdf(model, r - 1, theta, exposure) >= p:
        r -= 1
    while _cdf(model, r, theta, exposure) < p:
        r += 1
    f_r = _cdf(model, r, theta, exposure)
    f_prev = _cdf(model, r - 1, theta, exposure)
    alpha = (f_r - p) / (f_r - f_prev) if f_r > f_prev else 0.0
    return max(0.0, (r - alpha) / exposure)


def _z(p: float) -> float:
    # a starting point for the search only: the normal quantile by a rational approximation
    q = p if p < 0.5 else 1.0 - p
    t = math.sqrt(-2.0 * math.log(q))
    z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (
        1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3
    )
    return z if p >= 0.5 else -z


def control_limits(model: str, theta: float, exposure: float, factor: float) -> dict[str, float]:
    out = {}
    for level in LIMITS:
        tail = (1.0 - level) / 2.0
        key = "95" if level == 0.95 else "998"
        out[f"lo{key}"] = _quantile(model, tail, theta, exposure) * factor
        hi = _quantile(model, 1.0 - tail, theta, exposure) * factor
        out[f"hi{key}"] = min(hi, factor) if model == "binomial" else hi
    return out


def funnel(
    units: list[tuple[str, CountFigure]], centre: CountFigure | None, factor: float
) -> dict[str, Any] | None:
    """Each unit's pooled figure against the funnel around the district's pooled rate."""
    units = [(label, f) for label, f in units if f is not None and f.exposure > 0]
    if not units:
        return None
    model = units[0][1].model
    if centre is not None and centre.exposure > 0:
        theta = centre.events / centre.exposure
    else:
        theta = sum(f.events for _, f in units) / sum(f.exposure for _, f in units)
    points = []
    for label, f in units:
        limits = control_limits(model, theta, f.exposure, factor) if theta > 0 else None
        flag = "within"
        if limits is not None:
            if f.rate > limits["hi998"]:
                flag = "high"
            elif f.rate < limits["lo998"]:
                flag = "low"
            elif f.rate > limits["hi95"] or f.rate < limits["lo95"]:
                flag = "near"
        points.append(
            {
                "unit": label,
                "events": f.events,
                "exposure": f.exposure,
                "rate": f.rate,
                "ci95": [f.lo95, f.hi95],
                "years": [f.first_year, f.last_year],
                "flag": flag,
            }
        )
    smallest = min(p["exposure"] for p in points)
    largest = max(p["exposure"] for p in points)
    lo_x, hi_x = max(smallest * 0.7, 1.0), largest * 1.3
    curve = []
    if theta > 0:
        for i in range(CURVE_POINTS + 1):
            x = lo_x * (hi_x / lo_x) ** (i / CURVE_POINTS)
            curve.append({"exposure": x, **control_limits(model, theta, x, factor)})
    return {
        "model": model,
        "centre": theta * factor,
        "curve": curve,
        "points": points,
        "flagged": [p["unit"] for p in points if p["flag"] in ("high", "low")],
    }


def gap_interval(a: CountFigure, b: CountFigure) -> dict[str, Any]:
    """a − b with its MOVER 95 % interval from the two exact intervals."""
    d = a.rate - b.rate
    lo = d - math.sqrt((a.rate - a.lo95) ** 2 + (b.hi95 - b.rate) ** 2)
    hi = d + math.sqrt((a.hi95 - a.rate) ** 2 + (b.rate - b.lo95) ** 2)
    return {
        "a": a.to_dict(),
        "b": b.to_dict(),
        "difference": d,
        "ci95": [lo, hi],
        "significant": not (lo <= 0.0 <= hi),
    }
