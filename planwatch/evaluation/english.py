"""The engine's sentences in English, written beside the Chinese ones from the same result.

The Chinese sentences (explain.py, warnings.py, evidence.py) are the record: reports quote
them. English pages read these: `EvaluationResult.explanation_en` and each warning's
`reason_en`, computed once with the Chinese and stored beside them. They are built from the
result's numbers and each warning's kind, never by translating the Chinese text, so that a
change to a Chinese sentence cannot leave a half-translated English one behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planwatch.catalog import numbers

from .model import (
    ATTAINED,
    INSUFFICIENT_DATA,
    NEEDS_ACCELERATION,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
    SMALL_SAMPLE,
)

if TYPE_CHECKING:
    from .model import CountFigure, EarlyWarning, EvaluationResult, Target

# The words of statuses, warning levels and groups in English, beside vocabulary.py's Chinese.
STATUS_LABELS_EN = {
    ATTAINED: "attained",
    ON_TRACK: "on track",
    NEEDS_ACCELERATION: "needs acceleration",
    OFF_TRACK: "off track",
    REGRESSING: "regressing",
    INSUFFICIENT_DATA: "insufficient data",
    NO_DATA: "no data",
}
LEVEL_LABELS_EN = {
    "red": "red warning",
    SMALL_SAMPLE: "small numbers, keep watching",
    "yellow": "yellow warning",
    "volatility": "volatile",
    "data": "missing report",
}
TOTAL_EN = "total"
SEX_WORDS_EN = {"female": "female", "male": "male"}
RESIDENCE_WORDS_EN = {"urban": "urban", "rural": "rural"}


def goal_en(target: Target, threshold: float | None) -> str:
    text = numbers.target_en(target.comparator, target.value, target.unit)
    if target.comparator == "reduce_by_pct" and threshold is not None:
        text += f", i.e. {numbers.target_en('<=', threshold, target.unit)}"
    return text


def _value(r_value, target: Target) -> str:
    return numbers.value_en(r_value, target.scale, target.unit)


def _change(r: EvaluationResult, target: Target) -> str:
    if r.base_value is None or r.latest_value is None or r.base_year_used == r.latest_year:
        return ""
    base = (
        "the base year"
        if not r.base_year_missing
        else f"{r.base_year_used} (no data for {r.base_year})"
    )
    change = numbers.change_en(r.latest_value - r.base_value, target.scale, target.unit)
    if change == numbers.UNCHANGED_EN:
        return f", unchanged from {base}"
    return f", {change} from {base}"


def explain_en(r: EvaluationResult, target: Target) -> str:
    """explain.explain in English."""
    goal = goal_en(target, r.threshold)
    if r.status == NO_DATA:
        return f"No data yet: the target ({goal}) cannot be assessed."
    head = f"{r.latest_year}: {_value(r.latest_value, target)}"
    change = _change(r, target)
    if r.status == INSUFFICIENT_DATA:
        if r.threshold is None:
            return (
                f"{head}, but there is no value for the base year {target.base_year}, so the "
                f"target ({goal}) has no threshold yet; not assessed."
            )
        if r.n_values < 2:
            return f"{head}; only one year of data, no trend yet (target {goal})."
        return f"{head}; no data after the base year, no trend yet (target {goal})."
    if r.status == ATTAINED:
        text = f"{head}{change}; target attained ({goal})"
        earlier = [y for y in r.breaks if y != r.latest_year]
        if earlier:
            text += f", though missed in {', '.join(str(y) for y in earlier)}"
        p = r.attainment_probability
        if p is not None and p < 0.5:
            text += (
                f"; on the trend, the probability of still meeting it in {target.target_year} "
                f"is {numbers.probability(p)}: the gain needs consolidating"
            )
        return text + "."
    if r.status == REGRESSING and r.rule.startswith("R4"):
        return (
            f"{head}{change}; the base year met the target ({goal}), the latest year no "
            "longer does: regressing."
        )
    projection = ""
    if r.projected_value is not None:
        projection = (
            f"; at the current pace about {_value(r.projected_value, target)} "
            f"in {target.target_year}"
        )
    if r.status == ON_TRACK:
        verdict = f"on track for the target ({goal})"
        if (
            r.progress_gap_points is not None
            and r.completion_progress is not None
            and r.progress_gap_points <= -20.0 + 1e-9
        ):
            lag = numbers.number(-r.progress_gap_points, 1)
            verdict += f", but completion lags time elapsed by {lag} percentage points"
    elif r.status == NEEDS_ACCELERATION:
        verdict = f"needs to speed up to reach the target ({goal})"
    elif r.status == OFF_TRACK:
        verdict = f"unlikely to reach the target ({goal})"
    else:
        verdict = f"moving away from the target ({goal})"
    prob = ""
    if r.attainment_probability is not None:
        p = numbers.probability(r.attainment_probability)
        prob = f"; probability of attainment on the trend {p}"
    return f"{head}{change}{projection}: {verdict}{prob}."


def _share_of_needed(p_ratio: float | None) -> str:
    if p_ratio is None:
        return ""
    if p_ratio < 0 or numbers.share_of(p_ratio).startswith("-"):
        return ", still below the base year"
    return f", only {numbers.share_of(p_ratio)} of the progress needed"


def _volatility_en(w: EarlyWarning, years, values, target: Target) -> str:
    i = years.index(w.year) if w.year in years else None
    if i is None or i == 0:
        return "Abnormal change from the year before"
    prev, cur = values[i - 1], values[i]
    scale, unit = target.scale, target.unit
    head = (
        f"{w.year}: {numbers.change_en(cur - prev, scale, unit)} on the year before "
        f"({numbers.value_en(prev, scale, unit)} → {numbers.value_en(cur, scale, unit)}, "
    )
    stats = w.statistics or {}
    if "z" in stats:
        head += "outside this indicator's usual year-on-year range)"
    elif prev:
        head += f"a change of {numbers.share_of(abs(cur - prev) / abs(prev))}, above 30%)"
    else:
        head += "a change from 0)"
    counts = stats.get("counts")
    if w.kind == "change_not_significant":
        return head + ", but the numbers are small and the change is not statistically significant"
    if counts:
        k1, n1, k2, n2 = counts
        c = numbers.count
        return f"{head}, {c(k1)}/{c(n1)} → {c(k2)}/{c(n2)}, statistically significant: volatile"
    return head + ": volatile"


def warning_en(
    w: EarlyWarning, r: EvaluationResult, target: Target, years: list[int], values: list[float]
) -> str:
    """One warning's reason in English, from its kind and the result it was raised on."""
    goal = goal_en(target, r.threshold)
    scale, unit = target.scale, target.unit
    projected = numbers.value_en(r.projected_value, scale, unit)
    pace = f"At the current pace about {projected} in {target.target_year}"
    kind = w.kind
    if kind == "regressing":
        if r.rule.startswith("R4"):
            text = (
                f"The base year met the target ({goal}); {r.latest_year}: "
                f"{numbers.value_en(r.latest_value, scale, unit)}, no longer met: regressing"
            )
        else:
            text = f"Moving away from the target ({goal}): {pace[0].lower()}{pace[1:]}, regressing"
    elif kind == "off_track":
        text = f"{pace}{_share_of_needed(r.p_ratio)}: unlikely to be reached (target {goal})"
    elif kind == "progress_lag":
        completion = numbers.share_of(r.completion_progress)
        elapsed = numbers.share_of(r.time_progress)
        text = (
            f"Reachable at the current growth rate, but completion ({completion}) lags time "
            f"elapsed ({elapsed})"
        )
        if r.status == ON_TRACK and r.completion_progress is not None and r.time_progress:
            lag = numbers.number((r.time_progress - r.completion_progress) * 100.0, 1)
            text += f" by {lag} percentage points: the two readings disagree"
        else:
            text += f"; needs to speed up (target {goal})"
    elif kind == "needs_acceleration":
        text = (
            f"{pace}, {numbers.share_of(r.p_ratio)} of the progress needed; needs to speed up "
            f"(target {goal})"
        )
    elif kind == "maintain_broken":
        recent = [y for y in r.breaks if y > (w.year or 0) - 3]
        text = f"Not kept at the target ({goal}) in {', '.join(str(y) for y in recent)}"
    elif kind == "out_of_range":
        value = values[years.index(w.year)] if w.year in years else None
        text = (
            f"{w.year}: the value {numbers.value_en(value, scale, unit)} is outside the valid "
            "range; please check"
        )
    elif kind == "missing_report":
        text = f"No data reported for {w.year} ({(w.year or 1) - 1} has data): missing report"
    elif kind in {"abnormal_change", "change_not_significant"}:
        text = _volatility_en(w, years, values, target)
    else:
        text = LEVEL_LABELS_EN.get(w.level, w.level)
    if w.level == SMALL_SAMPLE:
        text = f"Small numbers, keep watching: {text}"
    return text


def figure_en(figure: CountFigure, scale: str | None, unit: str) -> str:
    """A pooled figure: "2022–2024: 3 events out of 10,510, pooled 28.5 per 100,000 (…)"."""
    period = (
        str(figure.last_year) if figure.n_years == 1 else f"{figure.first_year}–{figure.last_year}"
    )
    rate = numbers.value_en(figure.rate, scale, unit)
    ends = numbers.interval_en(figure.lo95, figure.hi95, scale)
    interval = f" (95% confidence interval {ends})" if ends else ""
    pooled = "pooled " if figure.n_years > 1 else ""
    return (
        f"{period}: {numbers.count(figure.events)} events out of "
        f"{numbers.count(figure.exposure)}, {pooled}{rate}{interval}"
    )


def evidence_en(r: EvaluationResult, target: Target) -> str:
    """evidence.evidence_sentence in English ("" unless the judgement rests on small counts)."""
    if r.pooled is None:
        return ""
    text = figure_en(r.pooled, target.scale, target.unit)
    what = "the judgement" if r.status == INSUFFICIENT_DATA else "the attainment judgement"
    latest = r.latest_figure
    if r.pooled.reliable and latest is not None and r.pooled.n_years > 1:
        return (
            f" {latest.last_year} alone has too few cases for a stable figure; {text}: "
            f"{what} should rest on the pooled figure."
        )
    return f" {text}: small numbers, {what} is indicative only."


def write_english(
    r: EvaluationResult, target: Target, years: list[int], values: list[float], weak: bool
) -> None:
    """Set the result's English explanation and every warning's English reason."""
    r.explanation_en = explain_en(r, target) + (evidence_en(r, target) if weak else "")
    for w in (*r.warnings, *r.notes):
        w.reason_en = warning_en(w, r, target, years, values)


_TREND_EN = {"narrowing": "narrowing", "widening": "widening", "stable": "broadly stable"}


def gap_en(gap: dict, a_label: str, b_label: str, scale: str | None, unit: str | None) -> str:
    """gaps.pair_gap's sentence in English, from its stored dict (points and trend)."""
    points = gap.get("points") or []
    if not points:
        return f"{a_label} and {b_label} have no year in common: no comparison."
    last = points[-1]
    d = last["difference"]
    digits = numbers.decimals_for(scale)
    if not numbers.number(abs(d), digits).strip("0."):
        words = f"{a_label} and {b_label} are level"
    else:
        size = numbers.number(abs(d), digits) + (
            " percentage points" if unit == "%" else numbers.unit_suffix_en(unit)
        )
        words = f"{a_label} {'above' if d > 0 else 'below'} {b_label} by {size}"
    text = (
        f"{last['year']}: {a_label} {numbers.value_en(last['a'], scale, unit)}, "
        f"{b_label} {numbers.value_en(last['b'], scale, unit)}; {words}"
    )
    trend = gap.get("trend")
    if trend in _TREND_EN:
        text += f"; the gap is {_TREND_EN[trend]} since {points[0]['year']}"
    return text + "."


# Directional targets (directional.py, rules D1–D5): the verdict by status.
_DIRECTION_EN = {
    ATTAINED: "moved in the expected direction beyond chance variation",
    ON_TRACK: "moving the expected way, but not yet significantly",
    NEEDS_ACCELERATION: "no change beyond chance variation: no improvement yet",
    OFF_TRACK: "no change beyond chance variation: no improvement yet",
    REGRESSING: "moved against the expected direction beyond chance variation",
    INSUFFICIENT_DATA: "too little data to judge the direction",
}


def write_english_directional(
    r: EvaluationResult, target: Target, years: list[int], values: list[float]
) -> None:
    """The English sentence and warning reasons of a directional target's result."""
    scale, unit = target.scale, target.unit
    goal = numbers.target_en(target.comparator, None, unit)
    if r.latest_value is None:
        r.explanation_en = f"No data yet: the target ({goal}) cannot be judged."
    else:
        verdict = _DIRECTION_EN.get(r.status, "")
        if target.comparator == "maintain_high" and r.status == ATTAINED:
            verdict = "no significant decline: held at a high level"
        head = f"{r.latest_year}: {numbers.value_en(r.latest_value, scale, unit)}"
        base = r.base_value
        if base is not None and r.base_year_used is not None and r.base_year_used != r.latest_year:
            head += (
                f" ({numbers.change_en(r.latest_value - base, scale, unit)} on {r.base_year_used})"
            )
        r.explanation_en = f"{head}; {verdict} (target {goal})."
    for w in (*r.warnings, *r.notes):
        if w.kind == "regressing":
            w.reason_en = f"{r.explanation_en[:-1]}: reverse change"
        else:
            w.reason_en = warning_en(w, r, target, years, values)
