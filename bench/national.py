"""A synthetic national-scale data set for the import benchmark.

    DATABASE_URL=... .venv/bin/python bench/national.py setup [--units 3000] [--indicators 60]
    .venv/bin/python bench/national.py csv OUT.csv [--units 3000] [--indicators 60] [--rows N]

`setup` runs after `planwatch init` (migrated database, real catalog loaded) and adds, through
the ORM and idempotently:

- an org tree of `--units` units below the real city (2201): districts (level 3), each with up
  to 8 townships (level 4), the rest villages (level 5). Codes start with 99, which no real
  statistical division code does, so they never clash with the real 220112… units;
- `--indicators` indicators B01…B60, all disaggregated by sex and reported at district,
  township and village level, each led by one of the real departments, cycling through four
  kinds: a share from counts (percent, factor 100), a rate from counts (per 100,000), a direct
  percentage, and a direct count;
- reporting rounds 2020–2025 (open).

`csv` writes units × indicators × 6 years × 3 sexes (total, female, male) rows in the long
format — 3,240,000 rows at the default size — grouped by indicator, unit and year, as an
export is. Female + male equals the total for every numerator, denominator and count, so the
file passes every check and is stored whole. The file depends only on the sizes (fixed seed),
and `csv` needs no database.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import sys
from pathlib import Path

from planwatch.collection.long_format import LONG_COLUMNS

YEARS = range(2020, 2026)
SEED = 20240601
UNITS = 3000
INDICATORS = 60
TOWNSHIPS_PER_DISTRICT = 8
CITY_CODE = "2201"  # the real 长春市 reference unit the synthetic districts hang below
LEVELS = ["district", "township", "village"]
# The importer's own long format, so the file is what a real upload looks like.
HEADER = LONG_COLUMNS
# Four kinds of indicator, cycled: (computation, scale, factor, share, unit).
KINDS = [
    ("ratio", "percent", 100, True, "%"),
    ("ratio", "per_100k", 100_000, False, "/10万"),
    ("direct", "percent", None, False, "%"),
    ("direct", "count", None, False, "人"),
]


# --- the shape of the data set (no database needed) ---------------------------------------


def unit_tree(n_units: int) -> list[tuple[str, int, str | None]]:
    """(code, level, parent code) for every synthetic unit, parents first."""
    n_districts = max(1, round(n_units / 50))
    n_townships = min(n_units - n_districts, n_districts * TOWNSHIPS_PER_DISTRICT)
    n_villages = n_units - n_districts - n_townships
    districts = [f"99{d + 1:04d}" for d in range(n_districts)]
    tree = [(code, 3, CITY_CODE) for code in districts]
    townships = []
    for t in range(n_townships):
        parent = districts[t % n_districts]
        code = f"{parent}{t // n_districts + 1:03d}"
        townships.append(code)
        tree.append((code, 4, parent))
    parents = townships or districts
    for v in range(n_villages):
        parent = parents[v % len(parents)]
        tree.append((f"{parent}{v // len(parents) + 1:03d}", 5, parent))
    return tree


def indicator_codes(n_indicators: int) -> list[str]:
    return [f"B{i + 1:02d}" for i in range(n_indicators)]


def write_csv(
    path: Path, *, n_units: int = UNITS, n_indicators: int = INDICATORS, max_rows: int | None = None
) -> int:
    """Write the file; returns the number of data rows. `max_rows` is rounded down to whole
    (total, female, male) triples so that a cut file still passes the sum check."""
    rng = random.Random(SEED)
    rand, randint = rng.random, rng.randint
    units = [code for code, _level, _parent in unit_tree(n_units)]
    # A size per unit, so that denominators and counts look like places of different sizes.
    size = {code: 0.3 + 2.0 * rand() for code in units}
    limit = None if max_rows is None else max_rows // 3 * 3
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for i, code in enumerate(indicator_codes(n_indicators)):
            computation, scale, _factor, _share, _unit = KINDS[i % len(KINDS)]
            level = 40.0 + 55.0 * rand()  # the indicator's typical percentage
            rows = []
            for unit in units:
                s = size[unit]
                for year in YEARS:
                    y = str(year)
                    if scale == "percent" and computation == "ratio":
                        df, dm = randint(200, 2000), randint(200, 2000)
                        df, dm = int(df * s), int(dm * s) + 1
                        nf = int(df * min(1.0, level / 100 + 0.1 * (rand() - 0.5)))
                        nm = int(dm * min(1.0, level / 100 + 0.1 * (rand() - 0.5)))
                        # Every other share indicator types the rate too (two decimals, as
                        # people do), so that the importer's value/count agreement check runs.
                        typed = i % 8 == 0
                        vt = f"{(nf + nm) / (df + dm) * 100:.2f}" if typed else ""
                        vf = f"{nf / df * 100:.2f}" if typed else ""
                        vm = f"{nm / dm * 100:.2f}" if typed else ""
                        rows += (
                            (code, unit, y, "", "", "", vt, nf + nm, df + dm, ""),
                            (code, unit, y, "female", "", "", vf, nf, df, ""),
                            (code, unit, y, "male", "", "", vm, nm, dm, ""),
                        )
                    elif computation == "ratio":  # a rare event per 100,000 births
                        df, dm = int(randint(500, 5000) * s) + 1, int(randint(500, 5000) * s) + 1
                        nf, nm = randint(0, 3), randint(0, 3)
                        rows += (
                            (code, unit, y, "", "", "", "", nf + nm, df + dm, ""),
                            (code, unit, y, "female", "", "", "", nf, df, ""),
                            (code, unit, y, "male", "", "", "", nm, dm, ""),
                        )
                    elif scale == "percent":  # a direct rate: the parts need not add up
                        vt = round(min(100.0, level + 10 * (rand() - 0.5)), 1)
                        vf = round(min(100.0, vt + 4 * (rand() - 0.5)), 1)
                        vm = round(min(100.0, vt + 4 * (rand() - 0.5)), 1)
                        rows += (
                            (code, unit, y, "", "", "", vt, "", "", ""),
                            (code, unit, y, "female", "", "", vf, "", "", ""),
                            (code, unit, y, "male", "", "", vm, "", "", ""),
                        )
                    else:  # a direct count: female + male = total
                        vf, vm = int(randint(0, 400) * s), int(randint(0, 400) * s)
                        rows += (
                            (code, unit, y, "", "", "", vf + vm, "", "", ""),
                            (code, unit, y, "female", "", "", vf, "", "", ""),
                            (code, unit, y, "male", "", "", vm, "", "", ""),
                        )
                if limit is not None and written + len(rows) >= limit:
                    writer.writerows(rows[: limit - written])
                    return limit
            writer.writerows(rows)
            written += len(rows)
    return written


# --- the database side (Django) -----------------------------------------------------------


def setup_database(*, n_units: int = UNITS, n_indicators: int = INDICATORS) -> dict:
    """Add the synthetic units, indicators and rounds; safe to run twice."""
    from django.db import transaction

    from planwatch.catalog.models import Area, Department, Indicator, Plan
    from planwatch.collection.models import ReportingRound
    from planwatch.org.models import OrgUnit

    with transaction.atomic():
        units = {u.code: u.pk for u in OrgUnit.objects.all()}
        if CITY_CODE not in units:
            raise SystemExit(f"org unit {CITY_CODE} missing: run `planwatch init` first")
        tree = unit_tree(n_units)
        kinds = {3: "区", 4: "街道", 5: "社区"}
        names = {3: "基准区", 4: "基准街道", 5: "基准社区"}
        for level in (3, 4, 5):  # parents before children, so their ids are known
            new = [
                OrgUnit(
                    code=code,
                    name=f"{names[level]}{code}",
                    level=level,
                    kind=kinds[level],
                    parent_id=units[parent],
                    is_reference=False,
                    sort=100_000 + n,
                )
                for n, (code, lvl, parent) in enumerate(tree)
                if lvl == level and code not in units
            ]
            OrgUnit.objects.bulk_create(new, batch_size=1000)
            units.update(
                OrgUnit.objects.filter(level=level, code__startswith="99").values_list("code", "pk")
            )

        plan = Plan.objects.order_by("sort").first()
        area = Area.objects.filter(plan=plan).order_by("number").first()
        if plan is None or area is None:
            raise SystemExit("catalog missing: run `planwatch init` first")
        departments = list(
            Department.objects.filter(active=True)
            .exclude(code__in=["plan_office", "statistics"])
            .order_by("sort", "code")
        )
        for i, code in enumerate(indicator_codes(n_indicators)):
            computation, scale, factor, share, unit = KINDS[i % len(KINDS)]
            Indicator.objects.update_or_create(
                code=code,
                defaults={
                    "plan": plan,
                    "area": area,
                    "name": f"基准指标{code}",
                    "name_en": f"Benchmark indicator {code}",
                    "scale": scale,
                    "unit": unit,
                    "direction": "higher",
                    "computation": computation,
                    "numerator": "分子" if computation == "ratio" else "",
                    "denominator": "分母" if computation == "ratio" else "",
                    "factor": factor,
                    "is_share": share,
                    "disaggregations": ["sex"],
                    "age_groups": [],
                    "org_levels": LEVELS,
                    "lead_department": departments[i % len(departments)],
                },
            )
        for year in YEARS:
            ReportingRound.objects.get_or_create(
                year=year,
                defaults={
                    "opens_on": datetime.date(year + 1, 1, 1),
                    "due_on": datetime.date(year + 1, 3, 31),
                },
            )
    return {"units": len(tree), "indicators": n_indicators, "years": len(YEARS)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("setup", "csv"):
        p = sub.add_parser(name)
        if name == "csv":
            p.add_argument("out", type=Path)
            p.add_argument("--rows", type=int, default=None, help="cut the file after N rows")
        p.add_argument("--units", type=int, default=UNITS)
        p.add_argument("--indicators", type=int, default=INDICATORS)
    args = parser.parse_args(argv)
    if args.indicators > 99 or args.units < 1:
        parser.error("--indicators at most 99, --units at least 1")
    if args.command == "csv":
        rows = write_csv(
            args.out, n_units=args.units, n_indicators=args.indicators, max_rows=args.rows
        )
        print(f"{rows} rows → {args.out}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    print(setup_database(n_units=args.units, n_indicators=args.indicators))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
