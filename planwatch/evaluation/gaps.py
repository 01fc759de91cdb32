"""Gaps between groups (female/male, urban/rural) and rankings of units (townships)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .model import Series, Target
from .vocabulary import RESIDENCE_WORDS, SEX_WORDS

# A gap is "stable" when the fitted change of its size over the years shown is within 5 % of
# its average size: smaller moves are within what rounding of published values produces.
STABLE_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class GapPoint:
    year: int
    a: float
    b: float
    ratio: float | None
    difference: float


@dataclass(slots=True)
class GapResult:
    a_label: str
    b_label: str
    points: list[GapPoint] = field(default_factory=list)
    difference_slope: float | None = None
    ratio_slope: float | None = None
    trend: str | None = None
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a_label": self.a_label,
            "b_label": self.b_label,
            "points": [
                {
                    "year": p.year,
                    "a": p.a,
                    "b": p.b,
                    "ratio": p.ratio,
                    "difference": p.difference,
                }
                for p in self.points
            ],
            "difference_slope": self.difference_slope,
            "ratio_slope": self.ratio_slope,
            "trend": self.trend,
            "explanation": self.explanation,
        }


def _as_mapping(x: Mapping[int, float | None] | Series) -> dict[int, float]:
    if isinstance(x, Series):
        return {p.year: p.value for p in x.points if p.value is not None}
    return {int(y): v for y, v in x.items() if v is not None}


def _slope(xs: list[int], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    xbar = sum(xs) / n
    ybar = sum(ys) / n
    sxx = sum((x - xbar) ** 2 for x in xs)
    return sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys, strict=True)) / sxx


_TREND_WORDS = {"narrowing": "缩小", "widening": "扩大", "stable": "基本稳定"}


def pair_gap(
    a: Mapping[int, float | None] | Series,
    b: Mapping[int, float | None] | Series,
    *,
    a_label: str,
    b_label: str,
    scale: str | None = None,
    unit: str | None = None,
) -> GapResult:
    """Ratio a/b and difference a - b in every year both have, and the trend of the gap.

    The trend is read from the OLS slope of |a - b| over the years: narrowing, widening, or
    stable (fitted change within 5 % of the mean gap). The sentence reads as a statistics
    office writes it ("城镇高于农村2.8个百分点"), with the indicator's unit and decimals.
    """
    am = _as_mapping(a)
    bm = _as_mapping(b)
    points = [
        GapPoint(y, am[y], bm[y], am[y] / bm[y] if bm[y] != 0 else None, am[y] - bm[y])
        for y in sorted(set(am) & set(bm))
    ]
    result = GapResult(a_label, b_label, points)
    if not points:
        result.explanation = f"{a_label}与{b_label}没有同一年度的数据，无法比较。"
        return result
    years = [p.year for p in points]
    result.difference_slope = _slope(years, [p.difference for p in points])
    if all(p.ratio is not None for p in points):
        result.ratio_slope = _slope(years, [p.ratio for p in points])
    abs_slope = _slope(years, [abs(p.difference) for p in points])
    last = points[-1]
    text = (
        f"{last.year}年{a_label}为{numbers.value(last.a, scale, unit)}、"
        f"{b_label}为{numbers.value(last.b, scale, unit)}，"
        f"{gap_words(last.difference, a_label, b_label, scale, unit)}"
    )
    if abs_slope is not None:
        mean_gap = sum(abs(p.difference) for p in points) / len(points)
        change = abs_slope * (years[-1] - years[0])
        if abs(change) <= STABLE_SHARE * mean_gap:
            result.trend = "stable"
        elif change < 0:
            result.trend = "narrowing"
        else:
            result.trend = "widening"
        text += f"，{years[0]}年以来差距{_TREND_WORDS[result.trend]}"
    result.explanation = text + "。"
    return result


def gap_words(d: float, a_label: str, b_label: str, scale: str | None, unit: str | None) -> str:
    """ "城镇高于农村2.8个百分点", "女性低于男性0.4个千分点", "两者持平" once rounded."""
    digits = numbers.decimals_for(scale)
    if numbers.number(abs(d), digits).strip("0.") == "":
        return f"{a_label}与{b_label}持平"
    size = numbers.difference_words(abs(d), unit, digits)
    return f"{a_label}{'高于' if d > 0 else '低于'}{b_label}{size}"


def sex_gap(
    female: Mapping[int, float | None] | Series,
    male: Mapping[int, float | None] | Series,
    *,
    scale: str | None = None,
    unit: str | None = None,
) -> GapResult:
    """Female/male ratio and female - male difference per year, and the trend."""
    return pair_gap(
        female, male, a_label=SEX_WORDS["female"], b_label=SEX_WORDS["male"], scale=scale, unit=unit
    )


def urban_rural_gap(
    urban: Mapping[int, float | None] | Series,
    rural: Mapping[int, float | None] | Series,
    *,
    scale: str | None = None,
    unit: str | None = None,
) -> GapResult:
    """Urban/rural ratio and urban - rural difference per year, and the trend."""
    return pair_gap(
        urban,
        rural,
        a_label=RESIDENCE_WORDS["urban"],
        b_label=RESIDENCE_WORDS["rural"],
        scale=scale,
        unit=unit,
    )


@dataclass(frozen=True, slots=True)
class RankEntry:
    rank: int
    unit: str
    value: float


@dataclass(slots=True)
class Ranking:
    lower_is_better: bool | None
    entries: list[RankEntry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    best: RankEntry | None = None
    worst: RankEntry | None = None
    spread: float | None = None
    ratio: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower_is_better": self.lower_is_better,
            "entries": [{"rank": e.rank, "unit": e.unit, "value": e.value} for e in self.entries],
            "missing": list(self.missing),
            "best": self.best.unit if self.best else None,
            "worst": self.worst.unit if self.worst else None,
            "spread": self.spread,
            "ratio": self.ratio,
        }


def rank_units(
    values: Mapping[str, float | None],
    *,
    lower_is_better: bool | None = None,
    target: Target | None = None,
) -> Ranking:
    """Rank units from best to worst (1 = best); ties share a rank (1, 2, 2, 4).

    The direction comes from ``lower_is_better`` or from the target's comparator (lower is
    better for mortality); for an "=" target, closeness to the target value ranks. Units
    without a value are listed in ``missing``. Spread is |best - worst|; ratio is worst / best
    when best is positive.
    """
    closer_to = None
    if lower_is_better is None:
        if target is None:
            raise ValueError("rank_units needs lower_is_better or a target")
        lower_is_better = target.lower_is_better
        if lower_is_better is None:
            closer_to = target.value

    def key(v: float) -> float:
        if closer_to is not None:
            return abs(v - closer_to)
        return v if lower_is_better else -v

    present = [(key(v), unit, v) for unit, v in values.items() if v is not None]
    present.sort()
    ranking = Ranking(lower_is_better, missing=sorted(u for u, v in values.items() if v is None))
    previous_key = None
    rank = 0
    for position, (k, unit, v) in enumerate(present, start=1):
        if k != previous_key:
            rank = position
            previous_key = k
        ranking.entries.append(RankEntry(rank, unit, v))
    if ranking.entries:
        ranking.best = ranking.entries[0]
        ranking.worst = ranking.entries[-1]
        ranking.spread = abs(ranking.worst.value - ranking.best.value)
        if ranking.best.value > 0:
            ranking.ratio = ranking.worst.value / ranking.best.value
    return ranking
