"""The annual monitoring report on the demo data, beside the time to merely read its data.

    .venv/bin/python bench/bench_report.py                  # women's plan, 2024, 3 runs
    .venv/bin/python bench/bench_report.py --plan children --runs 5

In a fresh SQLite database of its own (in a temporary folder: var/ is never touched), after
`planwatch init`, the demo data and the stored results for 2020–2024, in one process:

- **floor**: the rows the report is written from, fetched and nothing else — the approved
  values of the plan's indicators up to the year, the district results with their detail JSON,
  their warnings, the submissions of the year, the self-assessments, the qualitative
  objectives and measures;
- **snapshot**: `reports.snapshot.take_snapshot`, the same rows turned into the report's JSON;
- **report**: `reports.build.build_report`, as the page and the command line run it: snapshot,
  every chapter, every chart (matplotlib, Noto CJK), the .docx written and stored.

Wall times around the work only (Django start-up and the set-up excluded); the best and the
median of --runs. Goal: the report in under 15 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 15.0


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PLANWATCH_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from planwatch.collection.demo import load_demo
    from planwatch.monitoring.compute import recompute

    call_command("init", verbosity=0)
    load_demo()
    for year in range(2020, 2025):
        recompute(year)


def read_floor(plan: str, year: int) -> int:
    """Fetch the rows the report reads, as tuples; return how many."""
    from django.db.models import Q

    from planwatch.catalog.models import Measure, Objective
    from planwatch.collection.models import APPROVED_STATES, DataValue, Submission
    from planwatch.monitoring.models import SeriesResult, Warning
    from planwatch.reports.models import SelfAssessment

    results = SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__level=3,
        org_unit__is_reference=False,
        sex="",
        age_group="",
        residence="",
        target__indicator__plan__code=plan,
    )
    queries = [
        DataValue.objects.filter(indicator__plan__code=plan, year__lte=year)
        .filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True))
        .values_list(
            "indicator_id",
            "org_unit_id",
            "year",
            "sex",
            "age_group",
            "residence",
            "value",
            "comment",
            "source",
        ),
        results.values_list("target_id", "status", "explanation", "latest_value", "detail"),
        Warning.objects.filter(result__in=results).values_list("level", "reason", "result_id"),
        Submission.objects.filter(round__year=year).values_list("department_id", "status"),
        SelfAssessment.objects.filter(year__lte=year).values_list("pk", "rating", "text"),
        Objective.objects.filter(area__plan__code=plan).values_list("pk", "text"),
        Measure.objects.filter(area__plan__code=plan).values_list("pk", "title"),
    ]
    return sum(len(list(q)) for q in queries)


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(runs):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="women", choices=["women", "children"])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="planwatch-bench-report-") as tmp:
        started = time.perf_counter()
        setup(Path(tmp))
        print(f"set-up (init, demo data, results 2020–2024): {time.perf_counter() - started:.1f} s")

        from planwatch.reports.build import build_report
        from planwatch.reports.snapshot import take_snapshot

        floor, rows = timed(lambda: read_floor(args.plan, args.year), args.runs)
        snap, snapshot = timed(lambda: take_snapshot("annual", args.plan, args.year), args.runs)
        full, report = timed(lambda: build_report("annual", args.plan, args.year), args.runs)

        indicators = sum(len(a["indicators"]) for a in snapshot["areas"])
        size = report.file.size
        print(f"plan {args.plan}, year {args.year}: {rows} rows read, {indicators} indicators, "
              f"{len(snapshot['warnings'])} warnings; document {size / 1024:.0f} KiB")  # fmt: skip
        print(f"{'':10}{'best':>10}{'median':>10}")
        for name, times in (("floor", floor), ("snapshot", snap), ("report", full)):
            print(f"{name:10}{min(times):>9.3f}s{statistics.median(times):>9.3f}s")
        ratio = statistics.median(full) / statistics.median(floor)
        verdict = "met" if statistics.median(full) < GOAL_SECONDS else "MISSED"
        print(f"report / floor: {ratio:.0f}×; goal < {GOAL_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
