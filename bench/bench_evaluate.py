"""Benchmark: the full evaluation recompute on the national-scale data set, against the floor
of merely reading the same values out of the database, in the same run.

    .venv/bin/python bench/bench_evaluate.py [--units 3000] [--indicators 60] [--postgres URL]

It builds a fresh database (SQLite file by default; --postgres ADMIN_URL makes a fresh
PostgreSQL database on that server), adds the synthetic national units and indicators
(bench/national.py) with one target each, writes the 3,000 × 60 × 3 × 6 values straight into
the fact table as approved values, then runs, each in its own process so that time and peak
memory are its own:

- floor: read every approved value of the targets' indicators, in the order the recompute
  reads them, into Python tuples;
- recompute: `planwatch.monitoring.compute.recompute(2025)`: statuses, forecasts, warnings
  for every series, stored.

Goal (issue 4): the recompute within 3× the floor and under 60 s, peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PLANWATCH = REPO / ".venv" / "bin" / "planwatch"
PYTHON = REPO / ".venv" / "bin" / "python"
RESULTS = HERE / "results"


def child_env(url: str, var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=url,
        PLANWATCH_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="planwatch.settings",
        PYTHONPATH=str(REPO),
    )
    return env


def measured(args: list[str], env: dict) -> dict:
    start = time.perf_counter()
    out = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return {"seconds": seconds, **json.loads(out.stdout.strip().splitlines()[-1])}


def prepare(url: str, var: Path, units: int, indicators: int, *, demo: bool = False) -> int:
    env = child_env(url, var)
    subprocess.run([str(PLANWATCH), "init", "-v", "0"], env=env, check=True)
    if demo:  # the real district's data first: the national load then finds its rounds
        for command in ("create_demo_users", "load_demo"):
            subprocess.run([str(PLANWATCH), command, "-v", "0"], env=env, check=True)
    code = f"""
import django; django.setup()
import sys; sys.path.insert(0, {str(HERE)!r})
from bench_evaluate import load
print(load({units}, {indicators}))
"""
    out = subprocess.run([str(PYTHON), "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return int(out.stdout.strip().splitlines()[-1])


def load(units: int, indicators: int) -> int:
    """Synthetic units, indicators, targets and approved values, written raw and fast."""
    import national
    from django.db import connection, transaction

    from planwatch.catalog.models import Indicator, Objective, Target
    from planwatch.collection.models import ReportingRound, Submission
    from planwatch.org.models import OrgUnit

    national.setup_database(n_units=units, n_indicators=indicators)
    objective = Objective.objects.order_by("pk").first()
    comparators = [(">=", 80.0), ("<=", 10.0), (">=", 90.0), (">=", 300.0)]
    bench = list(Indicator.objects.filter(code__startswith="B").order_by("code"))
    for i, indicator in enumerate(bench):
        comparator, value = comparators[i % len(comparators)]
        Target.objects.update_or_create(
            code=f"{indicator.code}-T",
            defaults=dict(
                indicator=indicator,
                objective=objective,
                comparator=comparator,
                value=value,
                unit=indicator.unit,
                quote="基准目标",
                sort=90_000 + i,
            ),
        )
    rounds = {r.year: r for r in ReportingRound.objects.all()}
    submissions = {}
    for indicator in bench:
        for year, round_ in rounds.items():
            key = (year, indicator.lead_department_id)
            if key not in submissions:
                submissions[key], _ = Submission.objects.get_or_create(
                    round=round_,
                    department_id=indicator.lead_department_id,
                    defaults={"status": "approved"},
                )
    ids = {i.code: (i.pk, i.factor, i.lead_department_id) for i in bench}
    unit_ids = dict(OrgUnit.objects.filter(code__startswith="99").values_list("code", "pk"))
    path = Path(tempfile.mkdtemp()) / "national.csv"
    national.write_csv(path, n_units=units, n_indicators=indicators)
    sql = (
        "INSERT INTO collection_datavalue (indicator_id, org_unit_id, year, sex, age_group, "
        "residence, value, numerator, denominator, comment, source, submission_id, "
        "updated_at) VALUES (%s, %s, %s, %s, '', '', %s, %s, %s, '', 'csv', %s, %s)"
    )
    now = "2026-01-01T00:00:00+00:00"
    count, batch = 0, []
    with transaction.atomic(), path.open(encoding="utf-8") as fh, connection.cursor() as cur:
        for row in csv.DictReader(fh):
            pk, factor, dept = ids[row["indicator"]]
            num = float(row["numerator"]) if row["numerator"] else None
            den = float(row["denominator"]) if row["denominator"] else None
            value = float(row["value"]) if row["value"] else num / den * factor
            year = int(row["year"])
            batch.append(
                (pk, unit_ids[row["org_unit"]], year, row["sex"], value, num, den,
                 submissions[(year, dept)].pk, now)
            )  # fmt: skip
            if len(batch) == 20_000:
                cur.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        cur.executemany(sql, batch)
        count += len(batch)
    return count


# Each child reports its own peak memory and its worker processes' (the largest one).
PEAK = """
import json, resource
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"count": count, "main_mb": own, "worker_mb": workers}))
"""
FLOOR = (
    """
import django; django.setup()
from planwatch.catalog.models import Target
from planwatch.monitoring.compute import load_series
ids = set(Target.objects.values_list("indicator_id", flat=True))
series = load_series(ids, 2025, False)
count = sum(len(points) for points in series.values())
"""
    + PEAK
)
RECOMPUTE = (
    """
import django; django.setup()
from planwatch.monitoring.compute import recompute
count = recompute(2025)
"""
    + PEAK
)


def fresh_postgres(admin: str) -> tuple[str, callable]:
    import psycopg

    name = f"planwatch_bench_h14_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.rsplit("/", 1)[0] + "/" + name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to benchmark on")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    tmp = Path(tempfile.mkdtemp(prefix="bench-evaluate-"))
    drop = None
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        kind = "postgresql"
    else:
        url, kind = f"sqlite:///{tmp / 'national.sqlite3'}", "sqlite"
    try:
        values = prepare(url, tmp / "var", args.units, args.indicators)
        env = child_env(url, tmp / "var")
        floor = measured([str(PYTHON), "-c", FLOOR], env)
        recompute = measured([str(PYTHON), "-c", RECOMPUTE], env)
    finally:
        if drop:
            drop()
    report = {
        "database": kind,
        "values": values,
        "series": recompute["count"],
        "floor_seconds": round(floor["seconds"], 2),
        "recompute_seconds": round(recompute["seconds"], 2),
        "ratio": round(recompute["seconds"] / floor["seconds"], 2),
        "recompute_peak_mb": round(recompute["main_mb"] + recompute["worker_mb"]),
        "floor_peak_mb": round(floor["main_mb"]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "command": " ".join(["bench/bench_evaluate.py", *sys.argv[1:]]),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"evaluate-{kind}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
