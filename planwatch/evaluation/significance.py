"""Exact tests that tell a real change from the noise of small counts.

A district sees a handful of maternal or infant deaths a year; a rate built on them can jump
by any percentage without meaning anything. Before a change is called 波动较大 it must also be
significant at 95 %:

* rates of rare events (deaths per births): the two counts are Poisson; conditional on their
  sum, the second is binomial with p = exposure2 / (exposure1 + exposure2) under "same rate"
  (the exact conditional test, Przyborowski & Wilenski 1940);
* shares (numerator out of denominator): Fisher's exact test on the 2 × 2 table, the exact
  conditional binomial comparison.

Both p-values are two-sided "minimum likelihood" p-values, the sum of the probabilities of all
outcomes no more likely than the one observed (as scipy.stats.binomtest and fisher_exact
compute them). They are computed here from log-probabilities because scipy.stats costs half a
second to import and a millisecond a call, and a national recompute makes tens of thousands
of these calls. Both distributions are unimodal, so the outcomes to add up are two tails found
by bisection, each summed outward from its edge until the terms vanish.

Garwood's exact Poisson interval is used to show how little a small count pins down.
"""

from __future__ import annotations

import math
from collections.abc import Callable

ALPHA = 0.05

# The relative slack scipy uses when comparing probabilities with the observed one, so that
# outcomes exactly as likely as the observed one are not lost to rounding.
_RELATIVE_TIE = 1e-7
# Tail terms shrink at least geometrically past the edge; below this share of the running sum
# they no longer change a double.
_NEGLIGIBLE = 1e-17


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _tail_sum(
    logpmf: Callable[[int], float],
    ratio_up: Callable[[int], float],
    start: int,
    stop: int,
    step: int,
) -> float:
    """Sum pmf(start), pmf(start + step), ... up to stop (inclusive), outward from the mode.

    Each term is the one before times pmf(i + 1) / pmf(i) (``ratio_up``, a ratio of small
    integer products): one multiplication a term instead of a log-pmf of lgamma calls, the
    same sum to rounding (a few hundred terms at national counts)."""
    top = logpmf(start)
    total = 0.0
    term = 1.0
    i = start
    while True:
        total += term
        if i == stop or term < _NEGLIGIBLE * total:
            break
        term *= ratio_up(i) if step == 1 else 1.0 / ratio_up(i - 1)
        i += step
    return total * math.exp(top)


def _minlike_pvalue(
    logpmf: Callable[[int], float],
    ratio_up: Callable[[int], float],
    lo: int,
    hi: int,
    mode: int,
    observed: int,
) -> float:
    """Two-sided p-value of ``observed`` for a unimodal distribution on lo..hi."""
    threshold = logpmf(observed) + math.log1p(_RELATIVE_TIE)
    # left of the mode the pmf rises: the largest j in [lo, mode] with pmf(j) <= pmf(observed)
    left = None
    a, b = lo, mode
    while a <= b:
        mid = (a + b) // 2
        if logpmf(mid) <= threshold:
            left = mid
            a = mid + 1
        else:
            b = mid - 1
    # right of the mode it falls: the smallest j in [mode, hi] with pmf(j) <= pmf(observed)
    right = None
    a, b = mode, hi
    while a <= b:
        mid = (a + b) // 2
        if logpmf(mid) <= threshold:
            right = mid
            b = mid - 1
        else:
            a = mid + 1
    if left is not None and right is not None and right <= left:
        return 1.0  # the observed outcome is as likely as the most likely one
    p = 0.0
    if left is not None:
        p += _tail_sum(logpmf, ratio_up, left, lo, -1)
    if right is not None:
        p += _tail_sum(logpmf, ratio_up, right, hi, 1)
    return min(1.0, p)


def _mode(lo: int, hi: int, guess: int, logpmf: Callable[[int], float]) -> int:
    m = min(hi, max(lo, guess))
    # the closed-form mode can be one off at ties and with rounding; settle it by looking
    while m < hi and logpmf(m + 1) > logpmf(m):
        m += 1
    while m > lo and logpmf(m - 1) > logpmf(m):
        m -= 1
    return m


def binomial_two_sided_pvalue(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test of k successes in n trials against probability p."""
    if n == 0:
        return 1.0
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    log_p = math.log(p)
    log_q = math.log1p(-p)
    lgn = math.lgamma(n + 1)

    def logpmf(i: int) -> float:
        return lgn - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q

    odds = p / (1.0 - p)

    def ratio_up(i: int) -> float:
        return (n - i) / (i + 1) * odds

    mode = _mode(0, n, math.floor((n + 1) * p), logpmf)
    return _minlike_pvalue(logpmf, ratio_up, 0, n, mode, k)


def poisson_rate_change_pvalue(k1: float, n1: float, k2: float, n2: float) -> float:
    """Two-sided exact p-value for "rate k1/n1 equals rate k2/n2" with Poisson counts."""
    a, b = round(k1), round(k2)
    if a + b == 0:
        return 1.0
    return binomial_two_sided_pvalue(b, a + b, n2 / (n1 + n2))


def binomial_share_change_pvalue(k1: float, n1: float, k2: float, n2: float) -> float:
    """Two-sided Fisher exact p-value for "share k1/n1 equals share k2/n2"."""
    a, r1, c, r2 = round(k1), round(n1), round(k2), round(n2)
    successes = a + c
    total = r1 + r2
    lo = max(0, successes - r2)
    hi = min(r1, successes)
    if lo == hi:
        return 1.0
    denominator = _log_choose(total, successes)

    def logpmf(x: int) -> float:
        return _log_choose(r1, x) + _log_choose(r2, successes - x) - denominator

    def ratio_up(x: int) -> float:
        return (r1 - x) * (successes - x) / ((x + 1) * (r2 - successes + x + 1))

    mode = _mode(lo, hi, (successes + 1) * (r1 + 1) // (total + 2), logpmf)
    return _minlike_pvalue(logpmf, ratio_up, lo, hi, mode, a)


def change_pvalue(model: str, k1: float, n1: float, k2: float, n2: float) -> float:
    if model == "binomial":
        return binomial_share_change_pvalue(k1, n1, k2, n2)
    return poisson_rate_change_pvalue(k1, n1, k2, n2)
