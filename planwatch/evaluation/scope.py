"""Targets scoped to every unit of a level (e.g. a vaccination rate that must hold in each
township): the district attains only when every unit does, and the result names the others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .engine import evaluate
from .english import goal_en
from .explain import target_text
from .model import (
    ATTAINED,
    INSUFFICIENT_DATA,
    NEEDS_ACCELERATION,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
    EvaluationResult,
    Series,
    Target,
)
from .vocabulary import STATUS_LABELS

# When not every unit attains, the district is as far behind as its furthest-behind unit.
_SEVERITY = (REGRESSING, OFF_TRACK, NEEDS_ACCELERATION, ON_TRACK)


@dataclass(slots=True)
class ScopedResult:
    status: str
    rule: str
    units: dict[str, EvaluationResult]
    failing_units: list[str] = field(default_factory=list)
    explanation: str = ""
    explanation_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rule": self.rule,
            "failing_units": list(self.failing_units),
            "failing": {u: self.units[u].status for u in self.failing_units},
            "units": {u: r.to_dict() for u, r in self.units.items()},
            "explanation": self.explanation,
            "explanation_en": self.explanation_en,
        }


def aggregate_status(statuses: list[str]) -> tuple[str, str]:
    """The district's status from its units' statuses."""
    if not statuses or all(s == NO_DATA for s in statuses):
        return NO_DATA, "S0 no_data: no unit has a value"
    if all(s == ATTAINED for s in statuses):
        return ATTAINED, "S1 attained: every unit attains the target"
    present = set(statuses)
    for status in _SEVERITY:
        if status in present:
            return status, f"S2 {status}: not every unit attains; furthest-behind unit decides"
    # the rest attain and the others cannot be judged: the district cannot be called attained
    return INSUFFICIENT_DATA, "S3 insufficient_data: some units cannot be judged"


def evaluate_scoped(
    target: Target,
    unit_series: Mapping[str, Series],
    *,
    as_of_year: int | None = None,
    with_forecast: bool = True,
) -> ScopedResult:
    """Evaluate ``target`` in every unit; units are reported in name order."""
    units = {
        name: evaluate(
            target, unit_series[name], as_of_year=as_of_year, with_forecast=with_forecast
        )
        for name in sorted(unit_series)
    }
    status, rule = aggregate_status([r.status for r in units.values()])
    failing = [name for name, r in units.items() if r.status != ATTAINED]
    # a reduce_by_pct threshold differs by unit, so the district sentence states the percentage
    goal = target_text(target, None)
    if not units:
        explanation = f"没有适用的单位，无法评价目标（{goal}）。"
    elif not failing:
        explanation = f"全部{len(units)}个单位均已实现目标（{goal}）。"
    else:
        listed = "、".join(f"{name}（{STATUS_LABELS[units[name].status]}）" for name in failing)
        explanation = (
            f"{len(units)}个单位中有{len(failing)}个未实现目标（{goal}）：{listed}，"
            f"须每个单位均达标才算实现。"
        )
    return ScopedResult(
        status, rule, units, failing, explanation, scoped_en(goal_en(target, None), units, failing)
    )


def scoped_en(goal: str, units: dict, failing: list[str]) -> str:
    if not units:
        return f"No unit this target applies to: it cannot be assessed ({goal})."
    if not failing:
        return f"All {len(units)} units have attained the target ({goal})."
    return (
        f"{len(failing)} of {len(units)} units have not attained the target ({goal}); it is "
        "attained only when every unit attains it."
    )
