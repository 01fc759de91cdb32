"""Figures built from counts: the latest year's and a pooled window's rate with an exact interval.

A district's maternal deaths are 0 or 1 a year; a rate from them says little, and a pooled
rate over a few years with an exact interval says how little. Rules (docs/methods.md,
"Small numbers"):

* rates of rare events (deaths per births, per population): the count is Poisson and the 95 %
  interval is Garwood's (1936) exact chi-square interval, divided by the exposure and scaled
  by the indicator's factor; the figure is unreliable below 20 events (NCHS data presentation
  standards: the relative standard error of a Poisson count of 20 is 22 %);
* shares (numerator part of its denominator): Clopper–Pearson (1934) exact binomial interval;
  unreliable when the denominator is below 30 or the interval is wider than 30 percentage
  points (NCHS standards for proportions, Parker et al. 2017).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scipy.special import betaincinv, chdtri

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .model import stored_number

POISSON_MIN_EVENTS = 20
BINOMIAL_MIN_DENOMINATOR = 30
BINOMIAL_MAX_WIDTH_POINTS = 30.0
DEFAULT_POOL_YEARS = 3

# Units as written after a number and the factor they imply, for callers that give none.
_UNIT_FACTORS = (("10万", 100_000.0), ("万", 10_000.0), ("‰", 1_000.0), ("千", 1_000.0))
_POWERS_OF_TEN = tuple(10.0**i for i in range(0, 7))


@lru_cache(maxsize=1 << 16)
def garwood(k: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood 1936) interval for a Poisson mean from an observed count k.

    Cached: it depends on the count alone, and a national recompute asks for the same counts
    hundreds of thousands of times (chdtri is an iterative inverse, microseconds a call)."""
    alpha = 1.0 - confidence
    lower = 0.0 if k <= 0 else float(chdtri(2.0 * k, 1.0 - alpha / 2.0)) / 2.0
    upper = float(chdtri(2.0 * k + 2.0, alpha / 2.0)) / 2.0
    return lower, upper


def clopper_pearson(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson 1934) interval for a binomial proportion k/n."""
    alpha = 1.0 - confidence
    lower = 0.0 if k <= 0 else float(betaincinv(k, n - k + 1.0, alpha / 2.0))
    upper = 1.0 if k >= n else float(betaincinv(k + 1.0, n - k, 1.0 - alpha / 2.0))
    return lower, upper


def infer_factor(
    explicit: float | None,
    unit: str,
    values: list[float],
    numerators: list[float | None],
    denominators: list[float | None],
) -> float:
    """The indicator's factor: as given, else read off the values (value = k / n × factor,
    snapped to a power of ten), else from the unit, else 1."""
    if explicit is not None and explicit > 0:
        return float(explicit)
    for v, k, n in zip(values, numerators, denominators, strict=True):
        if k is None or n is None or k <= 0 or n <= 0 or v <= 0:
            continue
        ratio = v / (k / n)
        for power in _POWERS_OF_TEN:
            if abs(ratio - power) <= 0.05 * power:
                return power
        break
    if unit == "%":
        return 100.0
    for marker, factor in _UNIT_FACTORS:
        if marker in unit:
            return factor
    return 1.0


@dataclass(slots=True)
class CountFigure:
    """Events over exposure for one year or a pooled window, with its exact 95 % interval."""

    first_year: int
    last_year: int
    n_years: int
    events: float
    exposure: float
    rate: float
    lo95: float
    hi95: float
    reliable: bool
    reason: str
    model: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CountFigure:
        return cls(
            d["years"][0],
            d["years"][1],
            d["n_years"],
            d["events"],
            d["exposure"],
            d["rate"],
            d["ci95"][0],
            d["ci95"][1],
            d["reliable"],
            d["reason"],
            d["model"],
        )

    def to_dict(self, *, stored: bool = False) -> dict[str, Any]:
        keep = stored_number if stored else _as_is
        return {
            "years": [self.first_year, self.last_year],
            "n_years": self.n_years,
            "events": self.events,
            "exposure": self.exposure,
            "rate": keep(self.rate),
            "ci95": [keep(self.lo95), keep(self.hi95)],
            "reliable": self.reliable,
            "reason": self.reason,
            "model": self.model,
        }


def _as_is(x):
    return x


def count_figure(
    years: list[int], events: list[float], exposures: list[float], model: str, factor: float
) -> CountFigure:
    """Pool the given years' counts into one figure (one year gives that year's figure)."""
    k = float(sum(events))
    n = float(sum(exposures))
    if model == "binomial":
        lo, hi = clopper_pearson(k, n)
        width = (hi - lo) * 100.0
        wide = f"95%置信区间宽{numbers.number(width, 1)}个百分点"
        if n < BINOMIAL_MIN_DENOMINATOR:
            reliable, reason = (
                False,
                f"分母{numbers.count(n)}，不足{BINOMIAL_MIN_DENOMINATOR}，比例不稳定",
            )
        elif width > BINOMIAL_MAX_WIDTH_POINTS:
            reliable, reason = (
                False,
                f"{wide}，超过{BINOMIAL_MAX_WIDTH_POINTS:.0f}个百分点",
            )
        else:
            reliable = True
            reason = (
                f"分母{numbers.count(n)}（≥{BINOMIAL_MIN_DENOMINATOR}），{wide}"
                f"（≤{BINOMIAL_MAX_WIDTH_POINTS:.0f}），比例较稳定"
            )
    else:
        lo, hi = garwood(k)
        lo, hi = lo / n, hi / n
        if k < POISSON_MIN_EVENTS:
            reliable, reason = (
                False,
                f"仅{numbers.count(k)}例，少于{POISSON_MIN_EVENTS}例，率不稳定",
            )
        else:
            reliable, reason = True, f"共{numbers.count(k)}例（≥{POISSON_MIN_EVENTS}例），率较稳定"
    return CountFigure(
        years[0],
        years[-1],
        len(years),
        k,
        n,
        k / n * factor,
        lo * factor,
        hi * factor,
        reliable,
        reason,
        model,
    )


def count_years(
    years: list[int], numerators: list[float | None], denominators: list[float | None]
) -> tuple[list[int], list[float], list[float]]:
    """The years that carry usable counts (numerator ≥ 0, denominator > 0)."""
    ys, ks, ns = [], [], []
    for y, k, n in zip(years, numerators, denominators, strict=True):
        if k is None or n is None or n <= 0 or k < 0 or k != k or n != n:
            continue
        ys.append(y)
        ks.append(float(k))
        ns.append(float(n))
    return ys, ks, ns


def latest_and_pooled(
    ys: list[int], ks: list[float], ns: list[float], model: str, factor: float, pool_years: int
) -> tuple[CountFigure | None, CountFigure | None]:
    """The latest year's figure and the pooled figure over the last ``pool_years`` years with
    counts; both None without counts."""
    if not ys:
        return None, None
    latest = count_figure(ys[-1:], ks[-1:], ns[-1:], model, factor)
    start = max(0, len(ys) - max(1, pool_years))
    pooled = count_figure(ys[start:], ks[start:], ns[start:], model, factor)
    return latest, pooled


_CHINESE_NUMBERS = {
    2: "两",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
}


def period_text(figure: CountFigure, latest_year: int | None) -> str:
    """近三年 when the window is consecutive and ends in the latest year; else 2021—2023年."""
    span = figure.last_year - figure.first_year + 1
    if figure.n_years == 1:
        return f"{figure.last_year}年"
    if span == figure.n_years and figure.last_year == latest_year and span in _CHINESE_NUMBERS:
        return f"近{_CHINESE_NUMBERS[span]}年"
    return f"{figure.first_year}—{figure.last_year}年"


def _label(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def figure_text(
    figure: CountFigure,
    latest_year: int | None,
    unit: str,
    scale: str | None = None,
    event_label: str = "",
    exposure_label: str = "",
) -> str:
    """e.g. 近三年共1例孕产妇死亡（活产10,510人），合计9.5/10万（95%置信区间0.2～53.0）

    The rate and its interval have the indicator's decimals, as the page prints them."""
    digits = numbers.decimals_for(scale)
    rate = numbers.number(figure.rate, digits)
    period = period_text(figure, latest_year)
    event = _label(event_label, ("人数", "例数", "数"))
    exposure = _label(exposure_label, ("人数", "数"))
    ends = numbers.interval(figure.lo95, figure.hi95, scale)
    interval = f"（95%置信区间{ends}）" if ends else ""
    total = "合计" if figure.n_years > 1 else ""
    if figure.model == "binomial":
        people = (
            f"{exposure}{numbers.count(figure.exposure)}"
            if exposure
            else f"分母{numbers.count(figure.exposure)}"
        )
        return (
            f"{period}{event or '分子'}{numbers.count(figure.events)}，{people}，"
            f"{total}{rate}{unit}{interval}"
        )
    if exposure:
        base = f"（{exposure}{numbers.count(figure.exposure)}人）"
    else:
        base = f"（分母{numbers.count(figure.exposure)}）"
    events = numbers.count(figure.events)
    return f"{period}共{events}例{event}{base}，{total}{rate}{unit}{interval}"
