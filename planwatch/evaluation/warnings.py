"""预警: red and yellow from the status, 波动较大 from abnormal changes, and data warnings.

Abnormal year-on-year changes are found with the Iglewicz-Hoaglin modified z-score of the
change against the series' own earlier changes (median and MAD resist the very outliers being
looked for); with fewer than 4 earlier changes there is no history to speak of, and a relative
change above 30 % is abnormal. Where counts are known the change must also be statistically
significant (see significance.py), otherwise it is noted, not raised.
"""

from __future__ import annotations

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .counts import garwood
from .explain import comparator_text
from .model import (
    NEEDS_ACCELERATION,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
    EarlyWarning,
)
from .significance import ALPHA, change_pvalue

MODIFIED_Z_THRESHOLD = 3.5
MODIFIED_Z_MIN_HISTORY = 4
RELATIVE_CHANGE_THRESHOLD = 0.30
PROGRESS_LAG_POINTS = 20.0
MAINTAIN_RECENT_YEARS = 3

# 0.6745 is the 0.75 quantile of the standard normal: it makes the MAD comparable to a
# standard deviation (Iglewicz & Hoaglin 1993). When more than half the history is identical
# the MAD is 0, and the mean absolute deviation scaled by sqrt(pi/2) stands in for it.
_MAD_SCALE = 0.6745
_MEAN_AD_SCALE = 0.7979

NOT_SIGNIFICANT = "样本量小，变化不具统计显著性"


def _median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    mid = n // 2
    if n % 2:
        return s[mid]
    return (s[mid - 1] + s[mid]) / 2.0


def modified_z_score(x: float, history: list[float]) -> float | None:
    """Iglewicz-Hoaglin modified z-score of x against history; None if history has no spread."""
    med = _median(history)
    deviations = [abs(h - med) for h in history]
    mad = _median(deviations)
    if mad > 0:
        return _MAD_SCALE * (x - med) / mad
    mean_ad = sum(deviations) / len(deviations)
    if mean_ad > 0:
        return _MEAN_AD_SCALE * (x - med) / mean_ad
    return None


def count_model_for(
    explicit: str | None,
    unit: str,
    numerators: list[float | None],
    denominators: list[float | None],
) -> str:
    """Poisson for rates of rare events, binomial for shares, unless the series says which."""
    if explicit is not None:
        return explicit
    shares = [
        n / d
        for n, d in zip(numerators, denominators, strict=True)
        if n is not None and d is not None and d > 0
    ]
    if not shares or any(s > 1 for s in shares):
        return "poisson"
    if unit == "%" or (not unit and max(shares) >= 0.05):
        return "binomial"
    return "poisson"


def _count_text(k: float, n: float) -> str:
    return f"{numbers.count(k)}/{numbers.count(n)}"


def volatility(
    years: list[int],
    values: list[float],
    numerators: list[float | None],
    denominators: list[float | None],
    count_model: str | None,
    unit: str,
    scale: str | None = None,
) -> tuple[list[EarlyWarning], list[EarlyWarning]]:
    """Volatility warnings and the notes for abnormal-looking changes that are not significant."""
    warnings: list[EarlyWarning] = []
    notes: list[EarlyWarning] = []
    changes: list[float] = []
    model = None
    for i in range(1, len(years)):
        if years[i] - years[i - 1] != 1:
            # only year-on-year changes are comparable with each other
            continue
        prev = values[i - 1]
        cur = values[i]
        change = cur - prev
        history = changes
        changes = [*changes, change]
        rule_text = None
        statistics: dict = {}
        if len(history) >= MODIFIED_Z_MIN_HISTORY:
            z = modified_z_score(change, history)
            if z is not None:
                if abs(z) > MODIFIED_Z_THRESHOLD:
                    # the score itself goes to the statistics, the body says what it means
                    rule_text = "超出该指标历年正常变动范围"
                    statistics = {"z": z, "z_threshold": MODIFIED_Z_THRESHOLD}
                else:
                    continue
        if rule_text is None:
            if prev != 0:
                rel = abs(change) / abs(prev)
                if rel <= RELATIVE_CHANGE_THRESHOLD:
                    continue
                rule_text = f"变动幅度{numbers.share_of(rel)}，超过30%"
            elif change == 0:
                continue
            else:
                rule_text = "由0起变动"
        year = years[i]
        head = (
            f"{year}年较上年{numbers.change(change, scale, unit)}"
            f"（{numbers.value(prev, scale, unit)}→{numbers.value(cur, scale, unit)}，{rule_text}）"
        )
        k1, n1 = numerators[i - 1], denominators[i - 1]
        k2, n2 = numerators[i], denominators[i]
        if k1 is None or n1 is None or k2 is None or n2 is None or n1 <= 0 or n2 <= 0:
            warnings.append(
                EarlyWarning(
                    "volatility", "abnormal_change", year, head + "，波动较大", statistics or None
                )
            )
            continue
        if model is None:
            model = count_model_for(count_model, unit, numerators, denominators)
        if model == "binomial" and (k1 > n1 or k2 > n2):
            model = "poisson"
        pvalue = change_pvalue(model, k1, n1, k2, n2)
        test = "精确Poisson检验" if model == "poisson" else "Fisher精确检验"
        counts = f"{_count_text(k1, n1)}→{_count_text(k2, n2)}"
        if pvalue < ALPHA:
            statistics |= {
                "test": model,
                "p": pvalue,
                "alpha": ALPHA,
                "counts": [k1, n1, k2, n2],
            }
            warnings.append(
                EarlyWarning(
                    "volatility",
                    "abnormal_change",
                    year,
                    f"{head}，{counts}，变化具统计显著性，波动较大",
                    statistics,
                )
            )
        else:
            lo, hi = garwood(round(k2))
            notes.append(
                EarlyWarning(
                    "info",
                    "change_not_significant",
                    year,
                    f"{head}，但{counts}，{test}{numbers.p_value(pvalue)}"
                    f"（{numbers.count(k2)}例的95%置信区间为{numbers.number(lo, 1)}～"
                    f"{numbers.number(hi, 1)}例），{NOT_SIGNIFICANT}",
                )
            )
    return warnings, notes


def status_warnings(
    status: str,
    rule: str,
    target_text: str,
    target_year: int,
    latest_year: int | None,
    latest_value: float | None,
    projected: float | None,
    p_ratio: float | None,
    completion: float | None,
    time_progress: float | None,
    unit: str,
    scale: str | None = None,
) -> list[EarlyWarning]:
    """Red for off_track and regressing; yellow for needs_acceleration and for a lag of
    completion progress behind time progress of 20 points or more behind an on_track label."""
    out: list[EarlyWarning] = []
    if status == REGRESSING:
        if rule.startswith("R4"):
            reason = (
                f"基期已达到目标（{target_text}），{latest_year}年为"
                f"{numbers.value(latest_value, scale, unit)}，已不再达标，出现倒退"
            )
        else:
            reason = (
                f"变化方向与目标（{target_text}）相反，按现有速度{target_year}年预计约为"
                f"{numbers.value(projected, scale, unit)}，呈退步趋势"
            )
        out.append(EarlyWarning("red", "regressing", latest_year, reason))
    elif status == OFF_TRACK:
        share = _share_of_needed(p_ratio)
        out.append(
            EarlyWarning(
                "red",
                "off_track",
                latest_year,
                f"按现有速度{target_year}年预计约为{numbers.value(projected, scale, unit)}{share}，"
                f"预计完成困难（目标{target_text}）",
            )
        )
    elif status == NEEDS_ACCELERATION and "completion < time progress" in rule:
        out.append(
            EarlyWarning(
                "yellow",
                "progress_lag",
                latest_year,
                f"按增长率推算可达标，但完成进度{numbers.share_of(completion)}落后时间进度"
                f"{numbers.share_of(time_progress)}，需加快进度（目标{target_text}）",
            )
        )
    elif status == NEEDS_ACCELERATION:
        out.append(
            EarlyWarning(
                "yellow",
                "needs_acceleration",
                latest_year,
                f"按现有速度{target_year}年预计约为{numbers.value(projected, scale, unit)}，"
                f"可完成所需进展的{numbers.share_of(p_ratio)}，需加快进度（目标{target_text}）",
            )
        )
    elif status == ON_TRACK and completion is not None and time_progress is not None:
        lag = (time_progress - completion) * 100.0
        # 1e-9 absorbs float error in differences such as 0.5 - 0.3
        if lag >= PROGRESS_LAG_POINTS - 1e-9:
            out.append(
                EarlyWarning(
                    "yellow",
                    "progress_lag",
                    latest_year,
                    f"按增长率推算可达标，但完成进度{numbers.share_of(completion)}落后时间进度"
                    f"{numbers.share_of(time_progress)}达{numbers.number(lag, 1)}个百分点，"
                    "两种判断不一致",
                )
            )
    return out


def maintain_warning(
    breaks: list[int], reference_year: int, comparator: str, value: float, unit: str
) -> EarlyWarning | None:
    """Yellow when a maintain target was broken in any of the last three years."""
    recent = [y for y in breaks if y > reference_year - MAINTAIN_RECENT_YEARS]
    if not recent:
        return None
    years = "、".join(f"{y}年" for y in recent)
    return EarlyWarning(
        "yellow",
        "maintain_broken",
        recent[-1],
        f"{years}未达到目标（{comparator_text(comparator, value, unit)}）",
    )


def data_warnings(
    years_listed: list[int],
    years_with_value: list[int],
    values: list[float],
    lo: float | None,
    hi: float | None,
    as_of_year: int | None,
    unit: str,
    scale: str | None = None,
) -> list[EarlyWarning]:
    """缺报 in the latest round, and values outside the valid range."""
    out: list[EarlyWarning] = []
    for year, value in zip(years_with_value, values, strict=True):
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            low = "-∞" if lo is None else numbers.number(lo, 2, trim=True)
            high = "+∞" if hi is None else numbers.number(hi, 2, trim=True)
            bounds = f"{low}～{high}"
            out.append(
                EarlyWarning(
                    "data",
                    "out_of_range",
                    year,
                    f"{year}年数值{numbers.value(value, scale, unit)}超出有效范围{bounds}，请核实",
                )
            )
    latest_round = as_of_year
    if latest_round is None and years_listed:
        latest_round = years_listed[-1]
    if latest_round is not None and years_with_value:
        have = set(years_with_value)
        if latest_round not in have and (latest_round - 1) in have:
            out.append(
                EarlyWarning(
                    "data",
                    "missing_report",
                    latest_round,
                    f"{latest_round}年未报送数据（{latest_round - 1}年有数据），缺报",
                )
            )
    return out


def _share_of_needed(p_ratio: float | None) -> str:
    """ ", 仅为所需进展的35.1%" — or, when the projection falls back behind the base year (a
    negative share, which reads as nonsense: "所需进展的-8.4%"), that it does."""
    if p_ratio is None:
        return ""
    if p_ratio < 0 or numbers.share_of(p_ratio).startswith("-"):
        return "，仍不及基期水平"
    return f"，仅为所需进展的{numbers.share_of(p_ratio)}"
