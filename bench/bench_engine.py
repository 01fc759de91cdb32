"""Throughput of the evaluation engine on synthetic series (no database).

    .venv/bin/python bench/bench_engine.py [--series 100000] [--seed 20240601]

Generates the series deterministically, shaped like the national-scale set (60 indicators
x 3 sexes x 6 years per org unit): a mix of comparators, shares and rates, some with counts,
some with gaps and a missing latest round. Reports series per second for the engine alone and
extrapolates to 3,000 org units x 60 indicators x 3 sexes.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from planwatch.evaluation import Point, Series, Target, evaluate_many

YEARS = range(2020, 2026)
NATIONAL_SERIES = 3000 * 60 * 3


def _targets(rng: random.Random) -> list[tuple[Target, tuple[float, float | None], float, bool]]:
    """60 indicators: (target, valid range, typical level, has counts)."""
    shapes = [
        (Target("<=", 12, unit="/10万", scale="per_100k"), (0.0, None), 14.0, True),
        (Target("<=", 5, unit="‰", scale="permille"), (0.0, None), 4.5, True),
        (Target(">=", 90, unit="%", scale="percent"), (0.0, 100.0), 88.0, True),
        (Target("maintain>=", 95, unit="%", scale="percent"), (0.0, 100.0), 96.0, False),
        (Target("reduce_by_pct", 10, unit="%", scale="percent"), (0.0, 100.0), 20.0, False),
        (Target("=", 107), (0.0, None), 110.0, False),
        (Target(">=", 70, unit="%", scale="percent"), (0.0, 100.0), 60.0, False),
        (Target("maintain<=", 5, unit="%", scale="percent"), (0.0, 100.0), 4.0, False),
    ]
    return [shapes[rng.randrange(len(shapes))] for _ in range(60)]


def generate(n: int, seed: int) -> list[tuple[Target, Series]]:
    rng = random.Random(seed)
    indicators = _targets(rng)
    items = []
    for i in range(n):
        target, valid_range, level, has_counts = indicators[i % len(indicators)]
        x = level * rng.uniform(0.7, 1.3)
        drift = rng.uniform(-0.06, 0.04)
        denominator = rng.choice((800, 3000, 20000))
        points = []
        for year in YEARS:
            x = max(0.0, x * (1 + drift + rng.gauss(0, 0.03)))
            if valid_range[1] is not None:
                x = min(x, valid_range[1])
            if rng.random() < 0.03:
                continue  # a year not reported
            value = round(x, 1)
            if year == YEARS[-1] and rng.random() < 0.02:
                points.append(Point(year, None))  # latest round missing (缺报)
            elif has_counts:
                scale = 100.0 if target.unit == "%" else 1000.0 if target.unit == "‰" else 1e5
                k = round(value / scale * denominator)
                points.append(Point(year, k / denominator * scale, k, denominator))
            else:
                points.append(Point(year, value))
        items.append((target, Series(tuple(points), valid_range)))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    started = time.perf_counter()
    items = generate(args.series, args.seed)
    generated = time.perf_counter()
    results = evaluate_many(items, as_of_year=YEARS[-1])
    done = time.perf_counter()

    elapsed = done - generated
    rate = len(items) / elapsed
    statuses = Counter(r.status for r in results)
    levels = Counter(w.level for r in results for w in r.warnings)
    forecasts = sum(1 for r in results if r.forecast)
    print(f"generated {len(items):,} series in {generated - started:.1f} s")
    print(f"evaluated {len(items):,} series in {elapsed:.2f} s: {rate:,.0f} series/s (1 core)")
    print(f"with forecast: {forecasts:,}; statuses: {dict(sorted(statuses.items()))}")
    print(f"warnings by level: {dict(sorted(levels.items()))}")
    print(
        f"national set ({NATIONAL_SERIES:,} series): about {NATIONAL_SERIES / rate:.0f} s on one "
        f"core, {NATIONAL_SERIES / rate / 2:.0f} s split over two processes"
    )


if __name__ == "__main__":
    main()
