"""Plain dataclasses that go in and out of the evaluation engine.

Nothing here knows about Django: the caller turns database rows into these objects and stores
what comes back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# Directional objectives of the plans (逐步提高, 持续下降, 稳定在较高水平) carry no number: they
# are judged on the change since the base year and its significance (directional.py).
DIRECTIONAL = frozenset({"increase", "decrease", "maintain_high"})
COMPARATORS = (
    "<=",
    "<",
    ">=",
    ">",
    "=",
    "maintain>=",
    "maintain<=",
    "reduce_by_pct",
    "increase",
    "decrease",
    "maintain_high",
)
LOWER_IS_BETTER = frozenset({"<=", "<", "maintain<=", "reduce_by_pct", "decrease"})
HIGHER_IS_BETTER = frozenset({">=", ">", "maintain>=", "increase", "maintain_high"})
MAINTAIN = frozenset({"maintain>=", "maintain<="})

# Statuses, from best to worst judged outcome; the two data statuses come last.
ATTAINED = "attained"
ON_TRACK = "on_track"
NEEDS_ACCELERATION = "needs_acceleration"
OFF_TRACK = "off_track"
REGRESSING = "regressing"
INSUFFICIENT_DATA = "insufficient_data"
NO_DATA = "no_data"
STATUSES = (
    ATTAINED,
    ON_TRACK,
    NEEDS_ACCELERATION,
    OFF_TRACK,
    REGRESSING,
    INSUFFICIENT_DATA,
    NO_DATA,
)

COUNT_MODELS = ("poisson", "binomial")
EVIDENCE = ("strong", "weak")
# A red warning that rests on figures too small to be reliable is this level, never plain red.
SMALL_SAMPLE = "small_sample"

# "=" targets are met within this share of the target value when no tolerance is given: half a
# percent is below the precision at which such indicators are published (one decimal of a
# percentage or of a ratio like the sex ratio at birth).
DEFAULT_EQUAL_RELATIVE_TOLERANCE = 0.005
# An "=" target of exactly zero has no scale to take a share of.
DEFAULT_EQUAL_ABSOLUTE_TOLERANCE = 1e-9


def _finite(x: Any, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"{what} must be a number, got {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} must be finite, got {x!r}")
    return x


@dataclass(frozen=True, slots=True)
class Target:
    """A target value: comparator + value, reached by target_year, measured from base_year.

    For ``reduce_by_pct`` the value is the percentage reduction (10 means "down 10 % on the base
    year's value"). ``unit`` and ``scale`` are only used in explanations ("%", "‰", "/10万";
    "percent", "per_100k"): the scale gives the decimals a figure is written with, the
    indicator's own (catalog.numbers.DECIMALS), so that the text reads as the page does.
    """

    comparator: str
    value: float | None
    base_year: int = 2020
    target_year: int = 2030
    unit: str = ""
    tolerance: float | None = None
    scale: str | None = None
    # A directional target's words in the plan ("逐步提高", "明显提高"), for its sentences.
    wording: str = ""

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise ValueError(
                f"unknown comparator {self.comparator!r}; expected one of {', '.join(COMPARATORS)}"
            )
        if self.comparator in DIRECTIONAL:
            if self.value is not None:
                raise ValueError(f"a {self.comparator} target has no value, got {self.value!r}")
        else:
            object.__setattr__(self, "value", _finite(self.value, "target value"))
        for name in ("base_year", "target_year"):
            year = getattr(self, name)
            if isinstance(year, bool) or not isinstance(year, int):
                raise ValueError(f"{name} must be an integer year, got {year!r}")
        if self.target_year <= self.base_year:
            raise ValueError(
                f"target_year ({self.target_year}) must be after base_year ({self.base_year})"
            )
        if self.comparator == "reduce_by_pct" and not 0 < self.value <= 100:
            raise ValueError(f"reduce_by_pct needs a percentage in (0, 100], got {self.value!r}")
        if self.tolerance is not None:
            tol = _finite(self.tolerance, "tolerance")
            if tol < 0:
                raise ValueError(f"tolerance must not be negative, got {tol!r}")
            object.__setattr__(self, "tolerance", tol)
        if not isinstance(self.unit, str):
            raise ValueError(f"unit must be a string, got {self.unit!r}")
        if self.scale is not None and not isinstance(self.scale, str):
            raise ValueError(f"scale must be a string, got {self.scale!r}")

    @property
    def lower_is_better(self) -> bool | None:
        """True for the "<=" family, False for ">=", None for "=" (closeness counts)."""
        if self.comparator in LOWER_IS_BETTER:
            return True
        if self.comparator in HIGHER_IS_BETTER:
            return False
        return None

    @property
    def directional(self) -> bool:
        return self.comparator in DIRECTIONAL

    @property
    def equal_tolerance(self) -> float:
        if self.tolerance is not None:
            return self.tolerance
        if self.value is None:
            return DEFAULT_EQUAL_ABSOLUTE_TOLERANCE
        return max(
            abs(self.value) * DEFAULT_EQUAL_RELATIVE_TOLERANCE, DEFAULT_EQUAL_ABSOLUTE_TOLERANCE
        )


@dataclass(frozen=True, slots=True)
class Point:
    """One year's value. ``value=None`` records a reporting round that produced no value."""

    year: int
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """Values of one indicator for one org unit and one disaggregation, ordered by year.

    ``valid_range`` is (lo, hi) with None for an open end: a share is (0, 100), a rate (0, None).
    ``count_model`` says how to test a change for significance when counts are known: "poisson"
    for rates of rare events (deaths per births), "binomial" for shares; None lets the engine
    choose (see warnings.count_model_for).
    """

    points: tuple[Point, ...]
    valid_range: tuple[float | None, float | None] = (None, None)
    count_model: str | None = None
    # value = numerator / denominator × factor; None lets the engine read it off the values.
    factor: float | None = None
    # Years with counts pooled into one figure (the last ones); a setting per indicator.
    pool_years: int = 3
    # What numerator and denominator count, for the explanation ("孕产妇死亡人数", "活产数").
    event_label: str = ""
    exposure_label: str = ""

    def __post_init__(self) -> None:
        points = self.points
        if not isinstance(points, tuple):
            points = tuple(points)
            object.__setattr__(self, "points", points)
        previous = None
        for p in points:
            if previous is not None and p.year <= previous:
                raise ValueError(
                    f"series years must be strictly increasing; {p.year} follows {previous}"
                )
            previous = p.year
        lo, hi = self.valid_range
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"valid_range lower bound {lo} is above upper bound {hi}")
        if self.count_model is not None and self.count_model not in COUNT_MODELS:
            raise ValueError(f"count_model must be one of {COUNT_MODELS}, got {self.count_model!r}")
        if self.factor is not None and not (
            isinstance(self.factor, int | float) and math.isfinite(self.factor) and self.factor > 0
        ):
            raise ValueError(f"factor must be a positive number, got {self.factor!r}")
        if isinstance(self.pool_years, bool) or not isinstance(self.pool_years, int):
            raise ValueError(f"pool_years must be an integer, got {self.pool_years!r}")
        if self.pool_years < 1:
            raise ValueError(f"pool_years must be at least 1, got {self.pool_years!r}")

    @classmethod
    def from_pairs(
        cls,
        pairs: Any,
        valid_range: tuple[float | None, float | None] = (None, None),
        counts: Any = None,
        count_model: str | None = None,
        **options: Any,
    ) -> Series:
        """Build from [(year, value), ...] and optional [(year, numerator, denominator), ...]."""
        by_year = {int(c[0]): (c[1], c[2]) for c in counts or ()}
        points = []
        for year, value in sorted(pairs, key=lambda p: p[0]):
            num, den = by_year.get(int(year), (None, None))
            points.append(Point(int(year), value, num, den))
        return cls(tuple(points), valid_range, count_model, **options)


# Results are built a million at a time: the result-side dataclasses are not frozen because
# a frozen dataclass's __init__ costs several times more.
@dataclass(slots=True)
class ForecastPoint:
    year: int
    value: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


@dataclass(slots=True)
class EarlyWarning:
    """A 预警: level is red, yellow, volatility or data (or info for notes that are not alarms)."""

    level: str
    kind: str
    year: int | None
    reason: str  # plain words, fit for a report's body
    # The test behind it (method, counts, p, modified z), for a methods annex, never the body.
    statistics: dict[str, Any] | None = None
    reason_en: str = ""  # the same in English (english.py), for English pages


def _clean(x: Any) -> Any:
    # JSON has no NaN or infinity; an undefined number is null.
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def stored_number(x: Any) -> Any:
    """``_clean``, and a non-whole float kept to six significant digits (beyond any published
    statistic's precision). Whole numbers and anything of 100,000 or more keep every digit
    that matters: a national exposure of 9,023,456 births stays 9,023,456."""
    if type(x) is not float:
        return x
    if not math.isfinite(x):
        return None
    if x.is_integer():
        return x
    if abs(x) >= 100_000:
        return round(x, 1)
    return float(f"{x:.6g}")


@dataclass(slots=True)
class EvaluationResult:
    """The judgement of one target on one series. Numbers are None where not applicable."""

    status: str
    rule: str
    comparator: str
    target_value: float | None
    threshold: float | None = None
    target_year: int = 2030
    base_year: int = 2020
    base_year_used: int | None = None
    base_value: float | None = None
    base_year_missing: bool = False
    base_note: str | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    n_values: int = 0
    projected_value: float | None = None
    projection_method: str | None = None
    p_ratio: float | None = None
    completion_progress: float | None = None
    time_progress: float | None = None
    progress_gap_points: float | None = None
    breaks: list[int] = field(default_factory=list)
    forecast: list[ForecastPoint] = field(default_factory=list)
    forecast_method: str | None = None
    forecast_years: tuple[int, int] | None = None
    attainment_probability: float | None = None
    forecast_reason: str | None = None
    # Figures from counts (counts.CountFigure), None without counts; evidence says whether the
    # judgement rests on reliable figures.
    latest_figure: Any = None
    pooled: Any = None
    evidence: str = "strong"
    evidence_reason: str | None = None
    warnings: list[EarlyWarning] = field(default_factory=list)
    notes: list[EarlyWarning] = field(default_factory=list)
    explanation: str = ""
    # A directional target's test of the change since the base (directional.py): method,
    # compared figures, p; for the methods annex, never the body.
    trend_test: dict[str, Any] | None = None
    explanation_en: str = ""  # english.py: the same sentence for English pages

    def to_dict(self, *, stored: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (no NaN, no tuples, no dataclasses); ``stored`` keeps numbers as
        the monitoring tables store them (stored_number), in the same single walk."""
        _clean = stored_number if stored else globals()["_clean"]
        return {
            "status": self.status,
            "rule": self.rule,
            "comparator": self.comparator,
            "target_value": _clean(self.target_value),
            "threshold": _clean(self.threshold),
            "target_year": self.target_year,
            "base_year": self.base_year,
            "base_year_used": self.base_year_used,
            "base_value": _clean(self.base_value),
            "base_year_missing": self.base_year_missing,
            "base_note": self.base_note,
            "latest_year": self.latest_year,
            "latest_value": _clean(self.latest_value),
            "n_values": self.n_values,
            "projected_value": _clean(self.projected_value),
            "projection_method": self.projection_method,
            "p_ratio": _clean(self.p_ratio),
            "completion_progress": _clean(self.completion_progress),
            "time_progress": _clean(self.time_progress),
            "progress_gap_points": _clean(self.progress_gap_points),
            "breaks": list(self.breaks),
            "forecast": [
                {
                    "year": f.year,
                    "value": _clean(f.value),
                    "lo80": _clean(f.lo80),
                    "hi80": _clean(f.hi80),
                    "lo95": _clean(f.lo95),
                    "hi95": _clean(f.hi95),
                }
                for f in self.forecast
            ],
            "forecast_method": self.forecast_method,
            "forecast_years": list(self.forecast_years) if self.forecast_years else None,
            "attainment_probability": _clean(self.attainment_probability),
            "forecast_reason": self.forecast_reason,
            "latest": (
                self.latest_figure.to_dict(stored=stored)
                if self.latest_figure is not None
                else None
            ),
            "pooled": self.pooled.to_dict(stored=stored) if self.pooled is not None else None,
            "evidence": self.evidence,
            "evidence_reason": self.evidence_reason,
            "warnings": [_warning_dict(w) for w in self.warnings],
            "notes": [_warning_dict(w) for w in self.notes],
            "explanation": self.explanation,
            "trend_test": self.trend_test,
            "explanation_en": self.explanation_en,
        }


def _warning_dict(w: EarlyWarning) -> dict[str, Any]:
    out = {"level": w.level, "kind": w.kind, "year": w.year, "reason": w.reason}
    if w.reason_en:
        out["reason_en"] = w.reason_en
    if w.statistics:
        out["statistics"] = w.statistics
    return out
