"""Directional targets: 逐步提高 (increase), 持续下降 (decrease), 稳定在较高水平 (maintain_high).

The plans set many objectives with a direction and no number. Such a target is judged on the
change since the base year and on whether that change is more than noise (docs/methods.md):

D1 no value at all -> no_data.
D2 no value after the base year -> insufficient_data.
D3 counts (numerator / denominator): the latest year's figure — or, when it is unreliable by the
   small-numbers rules (counts.py), the pooled recent years after the base — against the base
   year's figure by the exact test the engine uses for changes (significance.py: conditional
   binomial for rates, Fisher for shares). Either figure still unreliable -> insufficient_data
   (数据不足以判断): a handful of deaths says nothing about a direction.
D4 no counts: the ordinary least-squares slope over the years from the base on, with its
   two-sided t-test (n - 2 degrees of freedom); fewer than three years -> insufficient_data.
D5 a change that rounds to nothing at the indicator's decimals (持平) is no change. Then
   increase / decrease: a significant change (P < 0.05) the target's way -> attained
   (已实现预期方向); the target's way but not significant -> on_track (有所改善但尚不显著);
   no change or the other way, not significant -> needs_acceleration (尚未见改善);
   a significant change the other way -> regressing (出现反向变化, red warning).
   maintain_high: no significant decline from the base -> attained (保持在较高水平); a significant
   decline -> regressing.

A directional target has no completion or time progress, no projection and no attainment
probability: there is no number to complete or attain.
"""

from __future__ import annotations

import math

from scipy.special import stdtr

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .counts import count_figure, count_years, infer_factor, latest_and_pooled
from .evidence import STRONG, WEAK
from .model import (
    ATTAINED,
    INSUFFICIENT_DATA,
    NEEDS_ACCELERATION,
    NO_DATA,
    ON_TRACK,
    REGRESSING,
    EarlyWarning,
    EvaluationResult,
    Series,
    Target,
)
from .significance import ALPHA, change_pvalue
from .warnings import count_model_for, data_warnings, volatility

MIN_TREND_YEARS = 3
NO_FORECAST = "方向性目标不作达标概率预测"


def ols_trend(years: list[int], values: list[float]) -> tuple[float, float]:
    """Slope per year and its two-sided t-test P (df = n - 2); an exact line has P 0."""
    n = len(years)
    mx = sum(years) / n
    my = sum(values) / n
    sxx = sum((x - mx) ** 2 for x in years)
    sxy = sum((x - mx) * (y - my) for x, y in zip(years, values, strict=True))
    slope = sxy / sxx
    intercept = my - slope * mx
    sse = sum((y - intercept - slope * x) ** 2 for x, y in zip(years, values, strict=True))
    se = math.sqrt(sse / (n - 2) / sxx)
    # residuals at rounding level: the line is exact
    if se <= 1e-12 * max(1.0, abs(slope)):
        return slope, (1.0 if slope == 0 else 0.0)
    t = slope / se
    return slope, float(2.0 * stdtr(n - 2, -abs(t)))


def _direction_status(
    comparator: str, change: float, p: float, scale: str | None
) -> tuple[str, str]:
    if numbers.change(change, scale) == numbers.UNCHANGED:
        # a change the published figure cannot show (持平 at its decimals) is no change,
        # however many people the denominator counts
        change = 0.0
    significant = p < ALPHA
    if comparator == "maintain_high":
        if change < 0 and significant:
            return REGRESSING, "D5 regressing: significant decline from the base"
        return ATTAINED, "D5 attained: no significant decline from the base"
    sign = 1.0 if comparator == "increase" else -1.0
    towards = change * sign > 0
    if towards and significant:
        return ATTAINED, "D5 attained: significant change in the target's direction"
    if towards:
        return ON_TRACK, "D5 on_track: change in the target's direction, not significant"
    if change != 0 and significant:
        return REGRESSING, "D5 regressing: significant change against the target's direction"
    return NEEDS_ACCELERATION, "D5 needs_acceleration: no change in the target's direction"


def evaluate_directional(
    target: Target, series: Series, *, as_of_year: int | None = None
) -> EvaluationResult:
    comparator = target.comparator
    unit, scale = target.unit, target.scale
    goal = numbers.target(comparator, None, unit, target.wording)
    valued = [p for p in series.points if p.value is not None and p.value == p.value]
    years = [p.year for p in valued]
    values = [p.value for p in valued]
    lo, hi = series.valid_range
    r = EvaluationResult(
        status=NO_DATA,
        rule="D1 no_data: no value at all",
        comparator=comparator,
        target_value=None,
        target_year=target.target_year,
        base_year=target.base_year,
        forecast_reason=NO_FORECAST,
    )
    listed = [p.year for p in series.points]
    r.warnings = data_warnings(listed, years, values, lo, hi, as_of_year, unit, scale)
    if not years:
        r.evidence, r.evidence_reason = WEAK, "无数据"
        r.explanation = f"暂无数据，无法评价目标（{goal}）完成情况。"
        return r
    base_year = target.base_year
    i0 = years.index(base_year) if base_year in years else 0
    if base_year not in years:
        r.base_year_missing = True
        r.base_note = f"{base_year}年无数据，以{years[0]}年为基期"
    t0, x0 = years[i0], values[i0]
    r.base_year_used, r.base_value = t0, x0
    r.latest_year, r.latest_value, r.n_values = years[-1], values[-1], len(years)
    head = f"{r.latest_year}年为{numbers.value(r.latest_value, scale, unit)}"
    if r.latest_year <= t0:
        r.status, r.rule = INSUFFICIENT_DATA, "D2 insufficient_data: no value after the base year"
        r.explanation = f"{head}，基期之后暂无数据，数据不足以判断变化方向（目标{goal}）。"
        return r

    numerators = [p.numerator for p in valued]
    denominators = [p.denominator for p in valued]
    cys, cks, cns = count_years(years, numerators, denominators)
    if t0 in cys and cys[-1] > t0:
        _judge_counts(r, series, cys, cks, cns, values, numerators, denominators, scale)
    elif len(years) - i0 >= MIN_TREND_YEARS:
        slope, p = ols_trend(years[i0:], values[i0:])
        r.trend_test = {
            "test": "ols",
            "years": [t0, r.latest_year],
            "slope": slope,
            "p": p,
            "alpha": ALPHA,
        }
        change = slope * (r.latest_year - t0)
        r.status, r.rule = _direction_status(comparator, change, p, scale)
    else:
        r.status = INSUFFICIENT_DATA
        r.rule = "D4 insufficient_data: fewer than three years for a trend"
        r.evidence_reason = "年度数据少于3个，无法检验趋势"

    change = numbers.change(r.latest_value - x0, scale, unit)
    base = "基期" if not r.base_year_missing else f"{t0}年（{base_year}年无数据）"
    moved = f"，与{base}持平" if change == numbers.UNCHANGED else f"，较{base}{change}"
    if r.status == INSUFFICIENT_DATA:
        why = f"，{r.evidence_reason}" if r.evidence_reason else ""
        r.explanation = f"{head}{moved}{why}，数据不足以判断变化方向（目标{goal}）。"
    else:
        if comparator == "maintain_high" and r.status == ATTAINED:
            verdict = "未见明显下降，保持在较高水平"
        elif r.status == ON_TRACK:
            verdict = "方向符合目标，有所改善但尚不显著"
        elif r.status == NEEDS_ACCELERATION:
            verdict = "变化未超出随机波动，尚未见改善"
        elif r.status == REGRESSING:
            verdict = "与目标方向相反且超出随机波动，出现反向变化"
        else:
            verdict = "变化超出随机波动，已实现预期方向"
        r.explanation = f"{head}{moved}，{verdict}（目标{goal}）。"
    if r.status == REGRESSING:
        r.warnings.append(
            EarlyWarning(
                "red",
                "regressing",
                r.latest_year,
                f"{head}{moved}，与目标（{goal}）方向相反，出现反向变化",
                dict(r.trend_test or {}),
            )
        )
    if len(years) >= 2:
        vol, notes = volatility(
            years, values, numerators, denominators, series.count_model, unit, scale
        )
        r.warnings.extend(vol)
        r.notes = notes
    return r


def _judge_counts(r, series, cys, cks, cns, values, numerators, denominators, series_scale) -> None:
    """D3: the latest (or pooled recent) figure against the base year's, by an exact test."""
    model = count_model_for(series.count_model, "", numerators, denominators)
    if model == "binomial" and any(k > n for k, n in zip(cks, cns, strict=True)):
        model = "poisson"
    factor = infer_factor(series.factor, "", values, numerators, denominators)
    i0 = cys.index(r.base_year_used)
    after = [i for i, y in enumerate(cys) if y > r.base_year_used]
    ys = [cys[i] for i in after]
    ks = [cks[i] for i in after]
    ns = [cns[i] for i in after]
    base = count_figure([cys[i0]], [cks[i0]], [cns[i0]], model, factor)
    latest, pooled = latest_and_pooled(ys, ks, ns, model, factor, series.pool_years)
    r.latest_figure, r.pooled = latest, pooled
    compared = latest if latest.reliable or not pooled.reliable else pooled
    reasons = []
    if not base.reliable:
        reasons.append(f"基期{base.last_year}年{base.reason}")
    if not compared.reliable:
        years = period(compared)
        reasons.append(f"{years}{compared.reason}")
    p = change_pvalue(model, base.events, base.exposure, compared.events, compared.exposure)
    # the keys of the volatility test's statistics, so the methods annex reads both alike
    r.trend_test = {
        "test": model,
        "p": p,
        "alpha": ALPHA,
        "counts": [base.events, base.exposure, compared.events, compared.exposure],
        "compared": [compared.first_year, compared.last_year, compared.events, compared.exposure],
    }
    if reasons:
        r.status = INSUFFICIENT_DATA
        r.rule = "D3 insufficient_data: counts too small to judge a direction"
        r.evidence, r.evidence_reason = WEAK, "；".join(reasons)
        return
    r.evidence = STRONG
    change = compared.rate - base.rate
    r.status, r.rule = _direction_status(r.comparator, change, p, series_scale)


def period(figure) -> str:
    if figure.n_years == 1:
        return f"{figure.last_year}年"
    return f"{figure.first_year}—{figure.last_year}年"
