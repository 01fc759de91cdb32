"""How the monitoring tables keep the engine's numbers: six significant digits for fractions,
every digit of a count or a large exposure (a national-scale figure must not lose births)."""

import math

import pytest

from planwatch.evaluation.engine import evaluate
from planwatch.evaluation.model import Point, Series, Target, stored_number


@pytest.mark.parametrize(
    "raw, kept",
    [
        (12.345678901, 12.3457),
        (0.000123456789, 0.000123457),
        (9_023_456.0, 9_023_456.0),  # a whole count keeps every digit
        (123_456.789, 123_456.8),  # large: tenths kept, not rounded to 123,457
        (-3.14159265, -3.14159),
        (7, 7),  # ints and other types pass unchanged
        ("9.5/10万", "9.5/10万"),
        (None, None),
    ],
)
def test_stored_number(raw, kept):
    assert stored_number(raw) == kept


def test_undefined_numbers_are_null():
    assert stored_number(math.nan) is None
    assert stored_number(math.inf) is None


def test_stored_detail_keeps_national_exposure_whole():
    births = [9_023_456, 8_987_654, 9_100_001]
    deaths = [1_523, 1_498, 1_430]
    points = tuple(
        Point(2022 + i, d / b * 100_000, d, b)
        for i, (d, b) in enumerate(zip(deaths, births, strict=True))
    )
    series = Series(points, (0, None), count_model="poisson", factor=100_000.0, pool_years=3)
    detail = evaluate(Target("<=", 14.5, unit="/10万"), series).to_dict(stored=True)
    assert detail["latest"]["exposure"] == 9_100_001
    assert detail["pooled"]["exposure"] == sum(births)
    assert detail["pooled"]["events"] == sum(deaths)
    # the rate to six significant digits, computed here by hand
    assert detail["pooled"]["rate"] == float(f"{sum(deaths) / sum(births) * 100_000:.6g}")
