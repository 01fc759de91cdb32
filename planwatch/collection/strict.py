"""Strict reading of numbers and years, the same at every door (file, form, API, CLI).

Python's own `float()` and `int()` are too forgiving for reported statistics: they accept
underscores (`9_7` is 97, `2_025` is 2025), other scripts' digits and surrounding junk. A
number here is plain ASCII decimal notation, and a year is four ASCII digits inside the plan
period widened by a margin (settings.PLANWATCH_YEAR_MARGIN), so that a typo like 2205 or
32767 never becomes a year every page then shows by default.
"""

import re

from django.conf import settings

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
YEAR = re.compile(r"\d{4}", re.ASCII)
# When no plan is loaded yet (a fresh database), the period of the 2021–2030 plans.
DEFAULT_PERIOD = (2021, 2030)


class BadYear(ValueError):
    pass


def is_plain_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def year_bounds() -> tuple[int, int]:
    """The first and last year anything may be reported or published for."""
    from planwatch.catalog.models import Plan

    margin = settings.PLANWATCH_YEAR_MARGIN
    first, last = DEFAULT_PERIOD
    periods = list(Plan.objects.values_list("start_year", "end_year"))
    if periods:
        first = min(start for start, _end in periods)
        last = max(end for _start, end in periods)
    return first - margin, last + margin


def parse_year(text, bounds: tuple[int, int] | None = None) -> int:
    """A year typed as text (or an int) → the year; BadYear with a Chinese message."""
    if isinstance(text, bool):
        raise BadYear(f"年份“{text}”不是整数年份")
    if isinstance(text, int):
        year = text
    else:
        text = str(text).strip()
        if not text:
            raise BadYear("年份不能为空")
        if YEAR.fullmatch(text) is None:
            raise BadYear(f"年份“{text}”不是整数年份")
        year = int(text)
    first, last = bounds or year_bounds()
    if not first <= year <= last:
        raise BadYear(f"年份 {year} 超出允许范围（{first}—{last}年）")
    return year
