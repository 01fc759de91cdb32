"""Attainment, the UNSD two-point projection, the P ratio and the status rules R1-R6.

The rules follow the UNSD SDG Progress Chart technical note (2023): project the latest value
to the target year at the actual compound annual growth since the base year, and compare the
distance projected with the distance needed. See docs/methods.md.
"""

from __future__ import annotations

import math

from .model import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NEEDS_ACCELERATION,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
)

# Inclusive comparisons forgive floating-point representation error only (base × 0.9 may land
# a hair below a value that was typed as exactly that threshold).
_FP_SLACK = 1e-9

P_ON_TRACK = 0.95
P_NEEDS_ACCELERATION = 0.5
P_OFF_TRACK = -0.1


def _slack(threshold: float) -> float:
    return _FP_SLACK * max(1.0, abs(threshold))


def meets(value: float, comparator: str, threshold: float, tolerance: float = 0.0) -> bool:
    """Whether one value meets the target (以上/以下 are inclusive)."""
    if comparator in ("<=", "maintain<=", "reduce_by_pct"):
        return value <= threshold + _slack(threshold)
    if comparator in (">=", "maintain>="):
        return value >= threshold - _slack(threshold)
    if comparator == "<":
        return value < threshold
    if comparator == ">":
        return value > threshold
    # "=": closeness within the tolerance
    return abs(value - threshold) <= tolerance + _slack(threshold)


def threshold_for(comparator: str, value: float, base_value: float | None) -> float | None:
    """The value the series must reach; for reduce_by_pct it needs the base year's value."""
    if comparator == "reduce_by_pct":
        if base_value is None:
            return None
        return base_value * (1.0 - value / 100.0)
    return value


def clip(x: float, lo: float | None, hi: float | None) -> float:
    if lo is not None and x < lo:
        return lo
    if hi is not None and x > hi:
        return hi
    return x


def project(
    x0: float,
    t0: int,
    xt: float,
    t: int,
    target_year: int,
    threshold: float,
    lo: float | None = None,
    hi: float | None = None,
) -> tuple[float, str]:
    """Project x_t to the target year at the actual annual growth since the base.

    Compound growth g = (x_t/x_0)^(1/(t-t_0)) - 1 when x_0, x_t and the target are all > 0;
    otherwise a straight line through the same two points (growth of a non-positive quantity
    has no meaning). The result is clipped to the indicator's valid range.
    """
    if x0 > 0 and xt > 0 and threshold > 0:
        try:
            projected = xt * (xt / x0) ** ((target_year - t) / (t - t0))
        except OverflowError:
            # float ** raises rather than returning inf; the clip below or the caller's JSON
            # cleaning deals with an infinite projection
            projected = math.inf
        method = "exponential"
    else:
        projected = xt + (xt - x0) / (t - t0) * (target_year - t)
        method = "linear"
    return clip(projected, lo, hi), method


def progress_ratio(
    value: float, x0: float, threshold: float, comparator: str, tolerance: float
) -> float | None:
    """Share of the way from the base to the target that ``value`` has covered.

    Used for P (value = projection) and for completion progress (value = latest). For "=" the
    distance closed is measured as closeness, so overshooting the target does not count as
    more than reaching it: 1 - |value - target| / |base - target|. Between base and target
    this equals the directional formula exactly.
    """
    gap = threshold - x0
    if gap == 0:
        return None
    if comparator == "=":
        return 1.0 - abs(value - threshold) / abs(gap)
    return (value - x0) / gap


def classify_p(p: float) -> tuple[str, str]:
    """Rule R6: P to a status."""
    if p >= P_ON_TRACK:
        return ON_TRACK, "R6 on_track (P >= 0.95)"
    if p >= P_NEEDS_ACCELERATION:
        return NEEDS_ACCELERATION, "R6 needs_acceleration (0.5 <= P < 0.95)"
    if p >= P_OFF_TRACK:
        return OFF_TRACK, "R6 off_track (-0.1 <= P < 0.5)"
    return REGRESSING, "R6 regressing (P < -0.1)"


def moved_away(x0: float, x: float, comparator: str, threshold: float) -> bool:
    """Whether x is further from meeting the target than the base was."""
    if comparator in LOWER_IS_BETTER:
        return x > x0
    if comparator in HIGHER_IS_BETTER:
        return x < x0
    return abs(x - threshold) > abs(x0 - threshold)
