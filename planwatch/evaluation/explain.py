"""One Chinese sentence per result, built from its numbers.

e.g. "2024年为14.3/10万，较基期下降2.6个十万分点，按现有速度2030年预计约为11.1/10万，可实现目标。"

Every figure is written by catalog.numbers with the indicator's own decimals (Target.scale):
the sentence shows a value exactly as the page beside it does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .model import (
    ATTAINED,
    INSUFFICIENT_DATA,
    NEEDS_ACCELERATION,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
)

if TYPE_CHECKING:
    from .model import EvaluationResult, Target

_COMPARATOR_WORDS = {
    "<=": "≤",
    "<": "<",
    ">=": "≥",
    ">": ">",
    "=": "=",
    "maintain>=": "保持≥",
    "maintain<=": "保持≤",
}


# A target's text is asked for twice a series, the same few hundred targets over and over.
@lru_cache(maxsize=4096)
def comparator_text(
    comparator: str, value: float, unit: str, threshold: float | None = None
) -> str:
    # The plans' own order, as pages and reports print targets: "12/10万以下", "保持在85%以上".
    text = numbers.target(comparator, value, unit)
    if comparator == "reduce_by_pct" and threshold is not None:
        text += f"，即{numbers.target('<=', threshold, unit)}"
    return text


def target_text(target: Target, threshold: float | None) -> str:
    if target.value is None:  # directional: the plan's words
        return numbers.target(target.comparator, None, target.unit, target.wording)
    return comparator_text(target.comparator, target.value, target.unit, threshold)


def _change_text(r: EvaluationResult, unit: str, scale: str | None) -> str:
    if r.base_value is None or r.latest_value is None or r.base_year_used == r.latest_year:
        return ""
    base = "基期" if not r.base_year_missing else f"{r.base_year_used}年（{r.base_year}年无数据）"
    # A difference of rates is in points (个百分点, 个千分点, 个十万分点), as NBS reports write it.
    change = numbers.change(r.latest_value - r.base_value, scale, unit)
    if change == numbers.UNCHANGED:
        return f"，与{base}持平"
    return f"，较{base}{change}"


def _probability_text(r: EvaluationResult) -> str:
    if r.attainment_probability is None:
        return ""
    return f"，趋势预测达标概率{numbers.probability(r.attainment_probability)}"


def explain(r: EvaluationResult, target: Target) -> str:
    unit = target.unit
    scale = target.scale
    goal = target_text(target, r.threshold)
    if r.status == NO_DATA:
        return f"暂无数据，无法评价目标（{goal}）完成情况。"
    head = f"{r.latest_year}年为{numbers.value(r.latest_value, scale, unit)}"
    change = _change_text(r, unit, scale)
    if r.status == INSUFFICIENT_DATA:
        if r.threshold is None:
            return f"{head}，但基期{target.base_year}年无数据，无法确定“{goal}”的目标值，暂不评价。"
        if r.n_values < 2:
            return f"{head}，仅有1个年度数据，无法判断变化趋势（目标{goal}）。"
        return f"{head}，基期之后暂无数据，无法判断变化趋势（目标{goal}）。"
    if r.status == ATTAINED:
        text = f"{head}{change}，已实现目标（{goal}）"
        earlier = [y for y in r.breaks if y != r.latest_year]
        if earlier:
            text += f"，但{'、'.join(str(y) for y in earlier)}年曾未达标"
        p = r.attainment_probability
        if p is not None and p < 0.5:
            # 已实现 beside a low 达标概率 needs its reason: the trend points away from the target.
            text += (
                f"；但按历年变化趋势，至{target.target_year}年仍保持达标的概率为"
                f"{numbers.probability(p)}，需巩固成果"
            )
        return text + "。"
    projected = numbers.value(r.projected_value, scale, unit)
    projection = f"，按现有速度{target.target_year}年预计约为{projected}"
    if r.status == REGRESSING and r.rule.startswith("R4"):
        return f"{head}{change}，基期已达到目标（{goal}），目前不再达标，出现倒退。"
    if r.projected_value is None:
        projection = ""
    prob = _probability_text(r)
    if r.status == ON_TRACK:
        verdict = f"可实现目标（{goal}）"
        if (
            r.progress_gap_points is not None
            and r.completion_progress is not None
            and r.progress_gap_points <= -20.0 + 1e-9
        ):
            lag = numbers.number(-r.progress_gap_points, 1)
            verdict += f"，但完成进度落后时间进度{lag}个百分点"
    elif r.status == NEEDS_ACCELERATION:
        verdict = f"需加快进度才能实现目标（{goal}）"
    elif r.status == OFF_TRACK:
        verdict = f"难以实现目标（{goal}）"
    else:
        verdict = f"变化方向与目标（{goal}）相反，呈退步趋势"
    return f"{head}{change}{projection}，{verdict}{prob}。"
