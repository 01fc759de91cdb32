"""Evaluate one target on one series: status, progress, forecast, warnings, explanation.

Rules (docs/methods.md has the why):
R1 no value at all -> no_data.
R2 the latest value meets the target -> attained.
R3 fewer than two values, no value after the base year, or a reduce_by_pct target whose base
   year has no value -> insufficient_data.
R4 the base already met the target and the latest no longer does -> regressing.
R5 project to the target year (UNSD 2023) and compute P; if the base sits exactly on a strict
   target P is undefined: moving away -> regressing, otherwise off_track.
R6 P >= 0.95 on_track; >= 0.5 needs_acceleration; >= -0.1 off_track; else regressing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .count_trend import count_forecast, count_probability, fit_counts, modelled_value
from .counts import count_figure, count_years, infer_factor, latest_and_pooled
from .directional import evaluate_directional
from .english import write_english, write_english_directional
from .evidence import WEAK, evidence_sentence, judge_evidence, soften_red
from .explain import explain, target_text
from .forecast import REASON_PAST_TARGET, forecast
from .model import (
    ATTAINED,
    DIRECTIONAL,
    INSUFFICIENT_DATA,
    MAINTAIN,
    NEEDS_ACCELERATION,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
    EvaluationResult,
    Series,
    Target,
)
from .status import classify_p, clip, meets, moved_away, progress_ratio, project, threshold_for
from .warnings import (
    count_model_for,
    data_warnings,
    maintain_warning,
    status_warnings,
    volatility,
)


def evaluate(
    target: Target,
    series: Series,
    *,
    as_of_year: int | None = None,
    with_forecast: bool = True,
) -> EvaluationResult:
    """Judge ``target`` on ``series`` as of the series' latest year with a value.

    ``as_of_year`` is the latest reporting round; when given, a series without a value in that
    round but with one the year before gets a 缺报 data warning. Without it, the last year listed
    in the series (a Point with value None counts) is taken as the latest round.
    """
    comparator = target.comparator
    if comparator in DIRECTIONAL:
        r = evaluate_directional(target, series, as_of_year=as_of_year)
        valued = [p for p in series.points if p.value is not None and p.value == p.value]
        write_english_directional(r, target, [p.year for p in valued], [p.value for p in valued])
        return r
    unit = target.unit
    scale = target.scale
    points = series.points
    years_listed = [p.year for p in points]
    # v == v is false for NaN: a missing value by another name. (Comprehensions: a national
    # recompute unpacks three million points.)
    valued = [p for p in points if p.value is not None and p.value == p.value]
    years = [p.year for p in valued]
    values = [p.value for p in valued]
    numerators = [p.numerator for p in valued]
    denominators = [p.denominator for p in valued]
    lo, hi = series.valid_range
    r = EvaluationResult(
        status=NO_DATA,
        rule="R1 no_data: no value at all",
        comparator=comparator,
        target_value=target.value,
        target_year=target.target_year,
        base_year=target.base_year,
    )
    warnings = data_warnings(years_listed, years, values, lo, hi, as_of_year, unit, scale)
    if not years:
        r.threshold = threshold_for(comparator, target.value, None)
        r.warnings = warnings
        r.explanation = explain(r, target)
        write_english(r, target, years, values, weak=False)
        return r

    n = len(years)
    t = years[-1]
    xt = values[-1]
    base_year = target.base_year
    if base_year in years:
        i0 = years.index(base_year)
    else:
        # the first year with a value stands in for a missing base year, and the result says so
        i0 = 0
        r.base_year_missing = True
        r.base_note = f"{base_year}年无数据，以{years[0]}年为基期"
    t0 = years[i0]
    x0 = values[i0]
    T = target.target_year
    tol = target.equal_tolerance if comparator == "=" else 0.0
    threshold = threshold_for(comparator, target.value, None if r.base_year_missing else x0)

    # Counts: the latest and pooled figures, and the count model the trend is fitted with.
    if any(k is not None for k in numerators):
        cys, cks, cns = count_years(years, numerators, denominators)
    else:
        cys = cks = cns = []
    fit = None
    fit_reason = None
    factor = 1.0
    if cys:
        model = count_model_for(series.count_model, unit, numerators, denominators)
        if model == "binomial" and any(k > n for k, n in zip(cks, cns, strict=True)):
            model = "poisson"
        factor = infer_factor(series.factor, unit, values, numerators, denominators)
        r.latest_figure, r.pooled = latest_and_pooled(
            cys, cks, cns, model, factor, series.pool_years
        )
        # Counts are never negative, nor a share above the whole: whatever the caller said.
        lo = 0.0 if lo is None or lo < 0 else lo
        if model == "binomial":
            hi = factor if hi is None or hi > factor else hi
        fit, fit_reason = fit_counts(cys, cks, cns, model)

    r.threshold = threshold
    r.base_year_used = t0
    r.base_value = x0
    r.latest_year = t
    r.latest_value = xt
    r.n_values = n
    if T > t0:
        r.time_progress = (t - t0) / (T - t0)

    base_met = threshold is not None and meets(x0, comparator, threshold, tol)
    if threshold is not None and n >= 2 and t > t0:
        r.projected_value, r.projection_method = project(x0, t0, xt, t, T, threshold, lo, hi)
        if fit is not None:
            # the model's line through all the years' counts replaces the two-point growth
            r.projected_value = clip(modelled_value(fit, T, factor), lo, hi)
            r.projection_method = fit.method
        if not base_met:
            r.p_ratio = progress_ratio(r.projected_value, x0, threshold, comparator, tol)
    if threshold is not None and not base_met:
        r.completion_progress = progress_ratio(xt, x0, threshold, comparator, tol)
        if r.completion_progress is not None and r.time_progress is not None:
            r.progress_gap_points = (r.completion_progress - r.time_progress) * 100.0

    if comparator in MAINTAIN and threshold is not None:
        r.breaks = [
            y
            for y, v in zip(years[i0:], values[i0:], strict=True)
            if not meets(v, comparator, threshold, tol)
        ]

    if threshold is None:
        r.status = INSUFFICIENT_DATA
        r.rule = "R3 insufficient_data: reduce_by_pct base year has no value"
    elif meets(xt, comparator, threshold, tol):
        r.status = ATTAINED
        r.rule = "R2 attained: latest value meets the target"
    elif n < 2:
        r.status = INSUFFICIENT_DATA
        r.rule = "R3 insufficient_data: fewer than two values"
    elif t <= t0:
        r.status = INSUFFICIENT_DATA
        r.rule = "R3 insufficient_data: no value after the base year"
    elif base_met:
        r.status = REGRESSING
        r.rule = "R4 regressing: base met the target, latest does not"
    elif r.p_ratio is None:
        # only a strict target sitting exactly on the base gets here: the distance is zero
        if moved_away(x0, r.projected_value, comparator, threshold):
            r.status, r.rule = REGRESSING, "R5 regressing: base equals target, moving away"
        else:
            r.status, r.rule = OFF_TRACK, "R5 off_track: base equals target, no progress"
    else:
        r.status, r.rule = classify_p(r.p_ratio)
        if r.status == ON_TRACK and (r.progress_gap_points or 0.0) < -1e-9:
            # 按进度 also means 时间过半、任务过半: a projection on track with completion behind
            # the time elapsed is not on schedule (issue 12: "按进度" beside 38.3 % of 50 %).
            r.status = NEEDS_ACCELERATION
            r.rule = "R6 needs_acceleration (P >= 0.95 but completion < time progress)"

    base_figure = None
    # the base year's own figure matters only to a two-point projection (evidence.py)
    if cys and t0 in cys and r.rule.startswith(("R5", "R6")) and fit is None:
        i = cys.index(t0)
        base_figure = count_figure([t0], [cks[i]], [cns[i]], r.latest_figure.model, factor)
    judge_evidence(r, base_figure)

    goal = target_text(target, threshold)
    warnings.extend(
        status_warnings(
            r.status,
            r.rule,
            goal,
            T,
            t,
            xt,
            r.projected_value,
            r.p_ratio,
            r.completion_progress,
            r.time_progress,
            unit,
            scale,
        )
    )
    if r.breaks:
        w = maintain_warning(
            r.breaks, as_of_year if as_of_year is not None else t, comparator, target.value, unit
        )
        if w is not None:
            warnings.append(w)
    if n >= 2:
        vol, notes = volatility(
            years, values, numerators, denominators, series.count_model, unit, scale
        )
        warnings.extend(vol)
        r.notes = notes
    r.warnings = warnings

    if with_forecast and cys and t < T:
        if fit is None:
            r.forecast_reason = fit_reason
        else:
            r.forecast = count_forecast(fit, t, T, factor, lo, hi)
            r.forecast_method = fit.method
            r.forecast_years = (fit.first, fit.last)
            if threshold is not None:
                r.attainment_probability = count_probability(
                    fit, T, comparator, threshold, tol, factor
                )
    elif with_forecast and cys:
        r.forecast_reason = REASON_PAST_TARGET
    elif with_forecast:
        (
            r.forecast,
            r.forecast_method,
            r.forecast_years,
            r.attainment_probability,
            r.forecast_reason,
        ) = forecast(years, values, T, lo, hi, comparator, threshold, tol)
    else:
        r.forecast_reason = "未请求预测"
    r.explanation = explain(r, target)
    if r.evidence == WEAK:
        sentence = evidence_sentence(r, unit, series.event_label, series.exposure_label, scale)
        r.explanation += sentence
        soften_red(r.warnings, sentence)
    write_english(r, target, years, values, weak=r.evidence == WEAK)
    return r


def evaluate_many(
    items: Iterable[tuple[Target, Series]],
    *,
    as_of_year: int | None = None,
    with_forecast: bool = True,
) -> list[EvaluationResult]:
    """Evaluate many (target, series) pairs; results in the same order."""
    return [
        evaluate(target, series, as_of_year=as_of_year, with_forecast=with_forecast)
        for target, series in items
    ]
