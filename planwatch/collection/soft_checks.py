"""Soft warnings on reported values: they never block saving, but an indicator that draws one
needs an explanation before its submission can be sent (规范数据质量).

A flag needs two things: the change is statistically out of character for the series (the
engine's volatility test, or a leap out of the series' range) AND it matters in practice — it
exceeds the indicator's tolerance (2 percentage points for shares, a fifth of the previous
value for rates per thousand or more, a tenth otherwise), so that large counts do not flag
every wiggle. Reasons are plain words with the numbers; the tests' statistics stay on the
method page. One explanation covers the whole indicator (any of its rows)."""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from planwatch.catalog import numbers
from planwatch.collection.labels import group_label, group_words
from planwatch.collection.models import DataValue
from planwatch.evaluation.warnings import volatility

MIN_HISTORY_FOR_RANGE = 3
RANGE_SLACK_SHARE = 0.05
# Percentage points a share may move in a year before anyone need explain it.
SHARE_TOLERANCE_POINTS = 2.0
RATE_TOLERANCE_SHARE = 0.20  # ‰, 1/万, 1/10万: a fifth of the previous value
OTHER_TOLERANCE_SHARE = 0.10
# The same explanation on this many values is boilerplate, shown to the reviewer as such.
BOILERPLATE_MIN_ROWS = 5


@dataclass(frozen=True)
class SoftWarning:
    value_id: int
    indicator: str
    org_unit: str
    year: int
    key: tuple
    reason: str
    has_comment: bool
    indicator_name: str = ""
    group: str = ""
    # The same in English, for English pages (the `loc` filter reads them).
    reason_en: str = ""
    indicator_name_en: str = ""
    org_unit_en: str = ""
    group_en: str = ""


def _key(v) -> tuple:
    return (v.indicator_id, v.org_unit_id, v.sex, v.age_group, v.residence)


def tolerance(indicator, previous: float) -> tuple[float, str]:
    """The change a value may make in a year without an explanation, and its words."""
    stated = getattr(indicator, "change_tolerance", None)  # a catalog may state its own
    unit = indicator.unit or ""
    if stated:
        return float(stated), _amount(float(stated), unit)
    if unit == "%":
        return SHARE_TOLERANCE_POINTS, f"{SHARE_TOLERANCE_POINTS:g}个百分点"
    share = RATE_TOLERANCE_SHARE if unit.startswith(("‰", "1/")) else OTHER_TOLERANCE_SHARE
    return share * abs(previous), f"上年数值的{share * 100:g}%"


def _amount(x: float, unit: str) -> str:
    """A change's size as the reports write it: "2.6个百分点", "0.4个千分点", "3名"."""
    return numbers.difference_words(x, unit)


def _num(x: float, indicator) -> str:
    """A value with the indicator's decimals and unit, as the pages print it (14.3/10万)."""
    return numbers.value(x, indicator.scale, indicator.unit)


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
    explained = {(v.indicator_id, v.year) for v in values if v.comment.strip()}
    out = []
    for v in values:
        reasons = _reasons(v, history[_key(v)])
        for reason, reason_en in reasons:
            out.append(
                SoftWarning(
                    v.pk,
                    v.indicator.code,
                    v.org_unit.name,
                    v.year,
                    _key(v),
                    reason,
                    (v.indicator_id, v.year) in explained,
                    v.indicator.name,
                    group_words(v.indicator, v.sex, v.age_group, v.residence),
                    reason_en,
                    v.indicator.name_en,
                    v.org_unit.name_en,
                    group_label(v.indicator, v.sex, v.age_group, v.residence),
                )
            )
    return out


def _reasons(v, series: dict) -> list[tuple[str, str]]:
    """(Chinese, English) for each reason."""
    earlier = sorted(y for y in series if y < v.year)
    unit = v.indicator.unit or ""
    reasons = []
    previous = series.get(v.year - 1)
    if previous is not None:
        points = [series[y] for y in earlier] + [v]
        found, _notes = volatility(
            [*earlier, v.year],
            [p.value for p in points],
            [p.numerator for p in points],
            [p.denominator for p in points],
            None,
            unit,
            v.indicator.scale,
        )
        change = v.value - previous.value
        limit, limit_words = tolerance(v.indicator, previous.value)
        if any(w.year == v.year for w in found) and abs(change) > limit:
            direction = "上升" if change > 0 else "下降"
            en = numbers.value_en
            scale = v.indicator.scale
            reasons.append(
                (
                    f"{v.year}年为{_num(v.value, v.indicator)}，"
                    f"上年为{_num(previous.value, v.indicator)}，"
                    f"{direction}{_amount(abs(change), unit)}，超过该指标一年内的正常变动"
                    f"（{limit_words}），请说明原因",
                    f"{v.year}: {en(v.value, scale, unit)}, the year before "
                    f"{en(previous.value, scale, unit)}: "
                    f"{numbers.change_en(change, scale, unit)}, more than this indicator's "
                    "usual yearly change; please explain",
                )
            )
    if len(earlier) >= MIN_HISTORY_FOR_RANGE and not reasons:
        past = [series[y].value for y in earlier]
        lo, hi = min(past), max(past)
        # A trending series leaves its old range every year; only a value beyond the
        # range by more than the series' largest yearly move is out of character.
        steps = [abs(b - a) for a, b in itertools.pairwise(past)]
        slack = max([*steps, RANGE_SLACK_SHARE * max(abs(lo), abs(hi))])
        beyond = lo - v.value if v.value < lo else v.value - hi
        limit, _words = tolerance(v.indicator, hi if v.value > hi else lo)
        if beyond > slack and beyond > limit:
            digits = numbers.decimals_for(v.indicator.scale)
            reasons.append(
                (
                    f"{v.year}年为{_num(v.value, v.indicator)}，明显超出{earlier[0]}—{earlier[-1]}"
                    f"年的取值范围（{numbers.number(lo, digits)}～{numbers.number(hi, digits)}"
                    f"{numbers.unit_suffix(unit)}），请说明原因",
                    f"{v.year}: {numbers.value_en(v.value, v.indicator.scale, unit)}, well outside "
                    f"the range of {earlier[0]}–{earlier[-1]} ({numbers.number(lo, digits)}–"
                    f"{numbers.number(hi, digits)}{numbers.unit_suffix_en(unit)}); please explain",
                )
            )
    return reasons


def boilerplate(values, min_rows: int = BOILERPLATE_MIN_ROWS) -> list[tuple[str, int]]:
    """Explanations repeated word for word on many values: (text, how many values)."""
    counts = Counter(
        c.strip() for c in values.exclude(comment="").values_list("comment", flat=True)
    )
    return sorted(((text, n) for text, n in counts.items() if n >= min_rows), key=lambda t: -t[1])
