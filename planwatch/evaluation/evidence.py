"""Whether a judgement rests on figures reliable enough to act on, and what it says if not.

A status keeps its reference rule (R1–R6); its evidence is weak when the figures it rests on
are unreliable by the small-numbers rules (counts.py): the latest year's figure for every
status, and the base year's too where the projection is the two-point growth from the base
(R5/R6 without a count model; a fitted model rests on every year and carries its interval).
Without counts the figures are taken as published: strong. No value at all: weak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .counts import figure_text
from .model import (
    INSUFFICIENT_DATA,
    NO_DATA,
    SMALL_SAMPLE,
    EarlyWarning,
)

if TYPE_CHECKING:
    from .counts import CountFigure
    from .model import EvaluationResult

STRONG = "strong"
WEAK = "weak"
SMALL_SAMPLE_LABEL = "小样本，需持续观察"


def judge_evidence(r: EvaluationResult, base_figure: CountFigure | None) -> None:
    if r.status == NO_DATA:
        r.evidence, r.evidence_reason = WEAK, "无数据"
        return
    latest = r.latest_figure
    if latest is None:
        r.evidence, r.evidence_reason = STRONG, None
        return
    reasons = []
    if not latest.reliable:
        reasons.append(f"{latest.last_year}年{latest.reason}")
    # The two-point projection (R5/R6 without a count model) rests on the base year too.
    uses_base = r.rule.startswith(("R5", "R6")) and "glm" not in (r.projection_method or "")
    if uses_base and base_figure is not None and not base_figure.reliable:
        if base_figure.last_year != latest.last_year:
            reasons.append(f"基期{base_figure.last_year}年{base_figure.reason}")
    if reasons:
        r.evidence, r.evidence_reason = WEAK, "；".join(reasons)
    else:
        r.evidence, r.evidence_reason = STRONG, None


def evidence_sentence(
    r: EvaluationResult,
    unit: str,
    event_label: str = "",
    exposure_label: str = "",
    scale: str | None = None,
) -> str:
    """The pooled figure and the caveat, for a weak judgement on counts; "" otherwise."""
    if r.evidence != WEAK or r.pooled is None:
        return ""
    text = figure_text(r.pooled, r.latest_year, unit, scale, event_label, exposure_label)
    caveat = "样本量小" if r.pooled.model == "binomial" else "例数过少"
    verdict = "判断" if r.status == INSUFFICIENT_DATA else "达标判断"
    latest = r.latest_figure
    if r.pooled.reliable and latest is not None and r.pooled.n_years > 1:
        # the single year is too small, the pooled years are not: say which to read
        return (
            f"{latest.last_year}年{caveat}（{latest.reason}），单年数值不稳定；{text}，"
            f"{verdict}宜参考合计率。"
        )
    return f"{text}，{caveat}，{verdict}仅供参考。"


def soften_red(warnings: list[EarlyWarning], sentence: str) -> None:
    """Red on weak evidence becomes 小样本，需持续观察 (its own level), never a plain red."""
    for w in warnings:
        if w.level == "red":
            w.level = SMALL_SAMPLE
            tail = f"（{sentence.rstrip('。')}）" if sentence else ""
            w.reason = f"{SMALL_SAMPLE_LABEL}：{w.reason}{tail}"
