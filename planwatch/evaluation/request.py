"""JSON request -> engine -> JSON-ready result, for `planwatch evaluate_series`.

Request::

    {"target": {"comparator": "<=", "value": 12, "base_year": 2020, "target_year": 2030,
                "unit": "/10万", "scale": "per_100k", "tolerance": null},
     "series": [[2020, 16.0], [2023, 14.5]],
     "valid_range": [0, null],
     "counts": [[2020, 3, 18750], [2023, 2, 13800]],
     "count_model": "poisson", "factor": 100000, "pool_years": 3,
     "as_of_year": 2024, "forecast": true}

Only ``target`` (with comparator and value) and ``series`` are required. ``scale`` (a key of
catalog.numbers.DECIMALS, in the target or beside it) gives the decimals the explanation writes
figures with, as the pages do; without it, one decimal. A series entry may be
[year, value] or [year, value, numerator, denominator]; a null value records a round without
a value. Keys the engine does not know are ignored, so callers may carry labels along.
Malformed requests raise ValueError with a message naming the offending field.
"""

from __future__ import annotations

import math
from typing import Any

from planwatch.catalog import numbers  # pure Python: the one formatter of every figure

from .engine import evaluate
from .model import COMPARATORS, COUNT_MODELS, DIRECTIONAL, Point, Series, Target


def _number(x: Any, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"{what} must be a number, got {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number, got {x!r}")
    return x


def _optional_number(x: Any, what: str) -> float | None:
    return None if x is None else _number(x, what)


def _year(x: Any, what: str) -> int:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"{what} must be an integer year, got {x!r}")
    if isinstance(x, float) and not (math.isfinite(x) and x.is_integer()):
        raise ValueError(f"{what} must be an integer year, got {x!r}")
    return int(x)


def _target(raw: Any, default_unit: str, default_scale: Any = None) -> Target:
    if not isinstance(raw, dict):
        raise ValueError("'target' must be an object with at least 'comparator' and 'value'")
    comparator = raw.get("comparator")
    if comparator not in COMPARATORS:
        raise ValueError(
            f"target.comparator {comparator!r} is unknown; expected one of {', '.join(COMPARATORS)}"
        )
    if comparator in DIRECTIONAL:
        # a directional target (提高/下降/稳定在较高水平) has no number; a null value is fine
        if raw.get("value") is not None:
            raise ValueError(f"target.value must be null for a {comparator} target")
        value = None
    elif "value" not in raw:
        raise ValueError("target.value is required")
    else:
        value = _number(raw["value"], "target.value")
    base_year = _year(raw.get("base_year", 2020), "target.base_year")
    target_year = _year(raw.get("target_year", 2030), "target.target_year")
    unit = raw.get("unit", default_unit)
    if unit is None:
        unit = ""
    if not isinstance(unit, str):
        raise ValueError(f"target.unit must be a string, got {unit!r}")
    tolerance = _optional_number(raw.get("tolerance"), "target.tolerance")
    scale = raw.get("scale", default_scale)
    if scale is not None and scale not in numbers.DECIMALS:
        raise ValueError(
            f"scale {scale!r} is unknown; expected one of {', '.join(numbers.DECIMALS)}"
        )
    wording = raw.get("wording", "")
    if not isinstance(wording, str):
        raise ValueError(f"target.wording must be a string, got {wording!r}")
    return Target(comparator, value, base_year, target_year, unit, tolerance, scale, wording)


def _series_entries(raw: Any) -> list[tuple[int, float | None, float | None, float | None]]:
    if not isinstance(raw, list):
        raise ValueError("'series' must be a list of [year, value] pairs")
    entries = []
    seen: set[int] = set()
    for i, item in enumerate(raw):
        where = f"series[{i}]"
        if isinstance(item, dict):
            if "year" not in item:
                raise ValueError(f"{where} needs a 'year'")
            item = [
                item["year"],
                item.get("value"),
                item.get("numerator"),
                item.get("denominator"),
            ]
        if not isinstance(item, list | tuple) or len(item) not in (2, 4):
            raise ValueError(
                f"{where} must be [year, value] or [year, value, numerator, denominator]"
            )
        year = _year(item[0], f"{where} year")
        if year in seen:
            raise ValueError(f"duplicate year {year} in series")
        seen.add(year)
        value = _optional_number(item[1], f"{where} value ({year})")
        num = den = None
        if len(item) == 4:
            num = _optional_number(item[2], f"{where} numerator ({year})")
            den = _optional_number(item[3], f"{where} denominator ({year})")
        entries.append((year, value, num, den))
    return entries


def _counts(raw: Any) -> dict[int, tuple[float, float]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise ValueError("'counts' must be a list of [year, numerator, denominator]")
    out: dict[int, tuple[float, float]] = {}
    for i, item in enumerate(raw):
        where = f"counts[{i}]"
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise ValueError(f"{where} must be [year, numerator, denominator]")
        year = _year(item[0], f"{where} year")
        if year in out:
            raise ValueError(f"duplicate year {year} in counts")
        out[year] = (
            _number(item[1], f"{where} numerator ({year})"),
            _number(item[2], f"{where} denominator ({year})"),
        )
    return out


def parse_request(request: Any) -> tuple[Target, Series, int | None, bool]:
    """Validate a request and build (target, series, as_of_year, with_forecast)."""
    if not isinstance(request, dict):
        raise ValueError("the request must be a JSON object")
    if "target" not in request:
        raise ValueError("'target' is required")
    if "series" not in request:
        raise ValueError("'series' is required (it may be an empty list)")
    unit = request.get("unit", "")
    target = _target(request["target"], unit if isinstance(unit, str) else "", request.get("scale"))

    entries = _series_entries(request["series"])
    counts = _counts(request.get("counts"))
    by_year = {e[0]: e for e in entries}
    for year in counts:
        if year not in by_year:
            raise ValueError(f"counts for {year} but the series has no entry for {year}")
    points = []
    for year, value, num, den in sorted(entries):
        if year in counts:
            if num is not None or den is not None:
                raise ValueError(f"counts for {year} given both in 'series' and in 'counts'")
            num, den = counts[year]
        if (num is None) != (den is None):
            raise ValueError(f"{year}: numerator and denominator go together")
        if num is not None and den is not None:
            if num < 0:
                raise ValueError(f"{year}: numerator must not be negative, got {num!r}")
            if den <= 0:
                raise ValueError(f"{year}: denominator must be positive, got {den!r}")
        points.append(Point(year, value, num, den))

    valid_range = request.get("valid_range")
    if valid_range is None:
        lo = hi = None
    else:
        if not isinstance(valid_range, list | tuple) or len(valid_range) != 2:
            raise ValueError("'valid_range' must be [lo, hi] with null for an open end")
        lo = _optional_number(valid_range[0], "valid_range lo")
        hi = _optional_number(valid_range[1], "valid_range hi")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"valid_range lo ({lo}) is above hi ({hi})")

    count_model = request.get("count_model")
    if count_model is not None and count_model not in COUNT_MODELS:
        raise ValueError(f"count_model must be one of {', '.join(COUNT_MODELS)} or null")

    factor = _optional_number(request.get("factor"), "factor")
    if factor is not None and factor <= 0:
        raise ValueError(f"factor must be positive, got {factor!r}")
    pool_years = request.get("pool_years", 3)
    if isinstance(pool_years, bool) or not isinstance(pool_years, int) or pool_years < 1:
        raise ValueError(f"pool_years must be a positive integer, got {pool_years!r}")
    labels = {}
    for name in ("event_label", "exposure_label"):
        label = request.get(name, "")
        if not isinstance(label, str):
            raise ValueError(f"{name} must be a string, got {label!r}")
        labels[name] = label

    as_of_year = request.get("as_of_year")
    if as_of_year is not None:
        as_of_year = _year(as_of_year, "as_of_year")

    with_forecast = request.get("forecast", True)
    if not isinstance(with_forecast, bool):
        raise ValueError(f"'forecast' must be true or false, got {with_forecast!r}")

    series = Series(tuple(points), (lo, hi), count_model, factor, pool_years, **labels)
    return target, series, as_of_year, with_forecast


def evaluate_request(request: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one JSON request and return a JSON-ready dict (None where not applicable)."""
    target, series, as_of_year, with_forecast = parse_request(request)
    result = evaluate(target, series, as_of_year=as_of_year, with_forecast=with_forecast)
    return result.to_dict()
