"""Soft warnings on reported values: they never block saving, but a value that draws one
needs a comment before its submission can be sent (规范数据质量)."""

import itertools
from collections import defaultdict
from dataclasses import dataclass

from planwatch.collection.models import DataValue
from planwatch.evaluation.warnings import volatility

MIN_HISTORY_FOR_RANGE = 3
RANGE_SLACK_SHARE = 0.05


@dataclass(frozen=True)
class SoftWarning:
    value_id: int
    indicator: str
    org_unit: str
    year: int
    key: tuple
    reason: str
    has_comment: bool


def _key(v) -> tuple:
    return (v.indicator_id, v.org_unit_id, v.sex, v.age_group, v.residence)


def warnings_for(values) -> list[SoftWarning]:
    """Judge each value against its own series' earlier years (any approval state)."""
    values = list(values.select_related("indicator", "org_unit"))
    if not values:
        return []
    keys = {_key(v) for v in values}
    indicator_ids = {k[0] for k in keys}
    unit_ids = {k[1] for k in keys}
    history = defaultdict(dict)
    for h in DataValue.objects.filter(
        indicator_id__in=indicator_ids, org_unit_id__in=unit_ids
    ).only(
        "indicator_id",
        "org_unit_id",
        "sex",
        "age_group",
        "residence",
        "year",
        "value",
        "numerator",
        "denominator",
    ):
        if _key(h) in keys:
            history[_key(h)][h.year] = h
    out = []
    for v in values:
        series = history[_key(v)]
        earlier = sorted(y for y in series if y < v.year)
        reasons = []
        years = [*earlier, v.year]
        points = [series[y] for y in earlier] + [v]
        found, _notes = volatility(
            years,
            [p.value for p in points],
            [p.numerator for p in points],
            [p.denominator for p in points],
            None,
            v.indicator.unit,
        )
        reasons += [w.reason for w in found if w.year == v.year]
        if len(earlier) >= MIN_HISTORY_FOR_RANGE:
            past = [series[y].value for y in earlier]
            lo, hi = min(past), max(past)
            # A trending series leaves its old range every year; only a value beyond the
            # range by more than the series' largest yearly move is out of character.
            steps = [abs(b - a) for a, b in itertools.pairwise(past)]
            slack = max([*steps, RANGE_SLACK_SHARE * max(abs(lo), abs(hi))])
            if v.value < lo - slack or v.value > hi + slack:
                reasons.append(f"明显超出历年取值范围（{lo:.4g}～{hi:.4g}）")
        for reason in reasons:
            out.append(
                SoftWarning(
                    v.pk,
                    v.indicator.code,
                    v.org_unit.name,
                    v.year,
                    _key(v),
                    reason,
                    bool(v.comment.strip()),
                )
            )
    return out
