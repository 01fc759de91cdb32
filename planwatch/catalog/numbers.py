"""Every figure shown to a reader, formatted one way: pages, reports, exports and public pages.

Pure Python on purpose (no Django), so that any layer can use it. The rules are a statistics
office's:
- fixed decimals per kind of indicator, never scientific notation, never "-0";
- the unit follows the number and the comparison follows the unit, in Chinese order
  ("12/10万以下", "85%以上", "保持在95%以上");
- a difference of two shares is in 个百分点 (percentage points), not in %;
- a probability is bounded: "<1%" and ">99%" rather than "0%" or "7e-07%";
- an interval is shown only when its ends differ once rounded ("100～100" says nothing).
"""

from __future__ import annotations

import math

# Decimals a value of each scale is printed with (the scale's usual precision in NBS tables).
DECIMALS = {
    "percent": 1,
    "permille": 1,
    "per_100k": 1,
    "per_1000_population": 2,
    "per_1000_children": 2,
    "count": 0,
    "hours_per_day": 1,
    "minutes": 0,
    "years": 2,  # 人均预期寿命, as NBS prints it (80.88岁)
}
SHARE_SCALES = {"percent"}
DASH = "—"

# The comparison after the unit, or a verb before the number, as the plans write targets.
_AFTER = {">=": "以上", "<=": "以下"}
_BEFORE = {"<": "低于", ">": "高于", "=": "达到"}
_MAINTAIN = {"maintain>=": "以上", "maintain<=": "以下"}


# Units in words, for chart axes ("/10万" alone is not a label).
UNIT_WORDS = {
    "%": "百分比（%）",
    "‰": "千分率（‰）",
    "1/10万": "每10万（1/10万）",
    "个/千人口": "个/千人口",
    "名/千名儿童": "名/千名儿童",
    "张/千名儿童": "张/千名儿童",
    "小时/天": "小时/天",
    "名": "人数（名）",
    "课时": "课时",
    "岁": "岁",
}
RATE_SCALES = {"percent", "permille", "per_100k", "per_1000_population", "per_1000_children"}


def unit_words(unit: str | None) -> str:
    return UNIT_WORDS.get(unit or "", unit or "")


def decimals_for(scale: str | None) -> int:
    return DECIMALS.get(scale or "", 1)


_INFINITY = math.inf
# Format specs by decimals, so that the hot path (the recompute writes explanations for half a
# million series) formats with one call.
_SPECS = {d: f".{d}f" for d in range(7)}


def number(x: float | None, decimals: int = 1, *, trim: bool = False) -> str:
    """Fixed-point text of a number; `trim` drops trailing zeros (for targets: 12, 4.5)."""
    if x is None or x != x:  # x != x: NaN
        return DASH
    if x == _INFINITY or x == -_INFINITY:
        return "∞" if x > 0 else "-∞"
    text = format(x, _SPECS.get(decimals) or f".{max(0, decimals)}f")
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text[0] == "-" and not text.strip("-0."):
        text = text[1:]  # -0.0 is 0.0
    return text


def count(x: float | None) -> str:
    """A count of events or people: "10,510", half a count (estimated) with one decimal."""
    if x is None:
        return DASH
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def ratio(x: float | None) -> str:
    """A ratio of two values (female/male, urban/rural) with two decimals: "1.18"."""
    return number(x, 2)


def unit_suffix(unit: str | None) -> str:
    """The unit as written after a number: 12/10万 for "1/10万", 95% for "%"."""
    if not unit:
        return ""
    return unit[1:] if unit[:2] == "1/" else unit


def value(x: float | None, scale: str | None, unit: str | None = "") -> str:
    """A monitored value with its unit: "98.1%", "14.30/10万", "3个"."""
    if x is None:
        return DASH
    return number(x, DECIMALS.get(scale, 1)) + unit_suffix(unit)  # type: ignore[arg-type]


# Directional targets (no number) in the plans' words, when the target carries none of its own.
DIRECTIONAL_WORDS = {"increase": "提高", "decrease": "下降", "maintain_high": "稳定在较高水平"}
DIRECTIONAL_WORDS_EN = {
    "increase": "to rise",
    "decrease": "to fall",
    "maintain_high": "to stay at a high level",
}


def target(comparator: str, x: float | None, unit: str | None, wording: str = "") -> str:
    """A target in the plans' own order: "12/10万以下", "95%以上", "保持在85%以上"; a
    directional one in the plan's words ("逐步提高", "持续下降") or its comparator's."""
    if comparator in DIRECTIONAL_WORDS:
        return wording or DIRECTIONAL_WORDS[comparator]
    figure = f"{number(x, 2, trim=True)}{unit_suffix(unit)}"
    if comparator in _AFTER:
        return f"{figure}{_AFTER[comparator]}"
    if comparator in _MAINTAIN:
        return f"保持在{figure}{_MAINTAIN[comparator]}"
    if comparator in _BEFORE:
        return f"{_BEFORE[comparator]}{figure}"
    if comparator == "reduce_by_pct":
        return f"较基期下降{number(x, 2, trim=True)}%"
    return figure


TARGET_EN = {">=": "at least", "<=": "at most", "<": "below", ">": "above", "=": "equal to"}

# English pages and sentences: the same figures, the unit in English words after the number
# ("12 per 100,000"); % and ‰ stay symbols. A unit not listed prints as it is.
UNIT_SUFFIX_EN = {
    "%": "%",
    "‰": "‰",
    "1/10万": " per 100,000",
    "/10万": " per 100,000",
    "个/千人口": " per 1,000 population",
    "名/千名儿童": " per 1,000 children",
    "张/千名儿童": " beds per 1,000 children",
    "小时/天": " hours a day",
    "名": " persons",
    "个": "",
    "课时": " class hours",
    "天": " days",
}
UNIT_WORDS_EN = {
    "%": "Percent (%)",
    "‰": "Per mille (‰)",
    "1/10万": "Per 100,000",
    "个/千人口": "Per 1,000 population",
    "名/千名儿童": "Per 1,000 children",
    "张/千名儿童": "Beds per 1,000 children",
    "小时/天": "Hours a day",
    "名": "Persons",
    "课时": "Class hours",
}
POINTS_EN = {"%": " percentage points", "‰": "‰", "1/10万": " per 100,000"}
UNCHANGED_EN = "unchanged"


def unit_suffix_en(unit: str | None) -> str:
    if not unit:
        return ""
    return UNIT_SUFFIX_EN.get(unit, " " + unit_suffix(unit))


def unit_words_en(unit: str | None) -> str:
    return UNIT_WORDS_EN.get(unit or "", unit_suffix_en(unit).strip())


def value_en(x: float | None, scale: str | None, unit: str | None = "") -> str:
    """value() in English: "98.1%", "14.3 per 100,000"."""
    if x is None:
        return DASH
    return number(x, DECIMALS.get(scale, 1)) + unit_suffix_en(unit)  # type: ignore[arg-type]


def difference_en(d: float | None, scale: str | None, unit: str | None = "") -> str:
    """difference() in English: of shares in percentage points ("-2.0 pp")."""
    text = difference(d, scale, unit)
    if d is None or scale in SHARE_SCALES:
        return text.replace("个百分点", " pp")
    return text.removesuffix(unit_suffix(unit)) + unit_suffix_en(unit)


def change_en(d: float | None, scale: str | None, unit: str | None = "") -> str:
    """change() in English: "up 2.0 percentage points", "down 0.35‰", "unchanged"."""
    if d is None:
        return DASH
    text = number(abs(d), DECIMALS.get(scale, 1))  # type: ignore[arg-type]
    if not text.strip("0."):
        return UNCHANGED_EN
    points = POINTS_EN.get(unit or "")
    return ("up " if d > 0 else "down ") + text + (points if points else unit_suffix_en(unit))


def interval_en(lo: float | None, hi: float | None, scale: str | None) -> str:
    """interval() with an en dash ("38.9–45.4"): English pages have no full-width tilde."""
    return interval(lo, hi, scale).replace("～", "–")


def target_en(comparator: str, x: float | None, unit: str | None, wording: str = "") -> str:
    if comparator in DIRECTIONAL_WORDS_EN:
        return DIRECTIONAL_WORDS_EN[comparator]
    figure = f"{number(x, 2, trim=True)}{unit_suffix_en(unit)}"
    if comparator == "maintain>=":
        return f"stay at or above {figure}"
    if comparator == "maintain<=":
        return f"stay at or below {figure}"
    if comparator == "reduce_by_pct":
        return f"{number(x, 2, trim=True)}% below the base year"
    return f"{TARGET_EN.get(comparator, '')} {figure}".strip()


def difference(d: float | None, scale: str | None, unit: str | None = "") -> str:
    """A difference of two values: of shares in 个百分点, of anything else in its unit."""
    if d is None:
        return DASH
    text = number(abs(d), decimals_for(scale))
    sign = "-" if d < 0 and text.strip("0.") else ""
    if scale in SHARE_SCALES:
        return f"{sign}{text}个百分点"
    return f"{sign}{text}{unit_suffix(unit)}"


POINTS = {"%": "个百分点", "‰": "个千分点", "1/10万": "个十万分点", "/10万": "个十万分点"}


def difference_words(d: float, unit: str | None, decimals: int | None = None) -> str:
    """The size of a change as NBS reports write it: "2.6个十万分点", "0.4个千分点", "1.2小时"."""
    return _in_points(number(d, 1 if decimals is None else decimals, trim=decimals is None), unit)


def _in_points(text: str, unit: str | None) -> str:
    points = POINTS.get(unit or "")
    return text + (points if points is not None else unit_suffix(unit))


UNCHANGED = "持平"


def change(d: float | None, scale: str | None, unit: str | None = "") -> str:
    """A change in words: "上升2.0个百分点", "下降0.35‰", "持平"."""
    if d is None:
        return DASH
    text = number(abs(d), DECIMALS.get(scale, 1))  # type: ignore[arg-type]
    if not text.strip("0."):
        return UNCHANGED
    return ("上升" if d > 0 else "下降") + _in_points(text, unit)


def probability(p: float | None) -> str:
    """A probability (0–1) in whole percent, bounded: "<1%", "37%", ">99%"."""
    if p is None or math.isnan(p):
        return DASH
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%"
    return f"{round(p * 100):d}%"


def share_of(ratio: float | None, decimals: int = 1, *, trim: bool = True) -> str:
    """A ratio such as completion or time elapsed (0.383) as a percentage ("38.3%", "50%")."""
    if ratio is None:
        return DASH
    return f"{number(ratio * 100, decimals, trim=trim)}%"


def interval(lo: float | None, hi: float | None, scale: str | None) -> str:
    """ "lo～hi" when the ends differ once rounded, else nothing (no "100～100")."""
    if lo is None or hi is None:
        return ""
    digits = decimals_for(scale)
    a, b = number(lo, digits), number(hi, digits)
    return "" if a == b else f"{a}～{b}"


def p_value(p: float | None) -> str:
    """An exact test's two-sided P as statisticians print it: "P=0.012", "P<0.001"."""
    if p is None or math.isnan(p):
        return DASH
    return "P<0.001" if p < 0.0005 else f"P={number(p, 3)}"
