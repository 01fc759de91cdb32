"""Benchmark: from an approval's commit to fresh results a page can read, on the national set.

    .venv/bin/python bench/bench_approval.py [--db postgresql|sqlite] [--units 3000]
        [--indicators 60] [--repeat 3] [--pg-url ADMIN_URL]

It builds the national set (bench_evaluate.py: 3,000 units × 60 indicators × 3 sexes × 6
years, every value approved), stores the full recompute as of 2025, starts `planwatch worker`
(the production worker, polling every 0.1 s) and then, `--repeat` times, unlocks one
department's 2025 submission and approves it again, as the plan office and the statistics
bureau would. Measured for each step: the time from the step's commit until the request is
done and the department's results carry a time after that commit (what a page then reads),
and the task's own run time as the worker recorded it. After the last approval the
department's stored results must equal those stored by the full recompute before (same
values, same results). Goal (issue 14): under 2 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = REPO / ".venv" / "bin"
sys.path.insert(0, str(HERE))

import bench_evaluate  # noqa: E402
import bench_pages  # noqa: E402

DEPARTMENT = "health"
SETUP = """
import django, json, time; django.setup()
from django.contrib.auth import get_user_model
from planwatch.accounts.models import Profile, Role
from planwatch.catalog.models import Department
from planwatch.monitoring.compute import recompute
for name, role, dept in (("bench_office", Role.PLAN_OFFICE, "plan_office"),
                         ("bench_stats", Role.STATISTICS, "statistics")):
    user = get_user_model().objects.create_user(username=name, password="x")
    Profile.objects.create(user=user, role=role, department=Department.objects.get(code=dept))
start = time.perf_counter()
count = recompute(2025)
print(json.dumps({"series": count, "full_recompute_seconds": time.perf_counter() - start}))
"""
MEASURE = """
import django, json, sys, time; django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from planwatch.collection import workflow
from planwatch.collection.models import Submission
from planwatch.monitoring.models import RecomputeRequest, SeriesResult

users = get_user_model().objects
office, stats = users.get(username="bench_office"), users.get(username="bench_stats")
submission = Submission.objects.get(round__year=2025, department__code=%(dept)r)
mine = SeriesResult.objects.filter(
    as_of_year=2025, preview=False, target__indicator__lead_department__code=%(dept)r
)
FIELDS = ("target_id", "org_unit_id", "sex", "status", "p_ratio", "attainment_probability",
          "pooled_rate", "explanation")

def snapshot():
    return sorted(mine.values_list(*FIELDS))

def timed(step):
    marks = {}
    with transaction.atomic():
        transaction.on_commit(lambda: marks.update(at=time.perf_counter(), now=timezone.now()))
        step()
    while True:  # what a page would read: the request done, the results newer than the commit
        done = not RecomputeRequest.objects.exists()
        if done and mine.filter(computed_at__gte=marks["now"]).exists() or (
            done and not mine.filter(computed_at__lt=marks["now"]).exists()
        ):
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - marks["at"]
    task = DBTaskResult.objects.filter(enqueued_at__gte=marks["now"]).order_by("enqueued_at")
    return seconds, str(task.first().pk)

def run_seconds(task_id):
    for _ in range(100):  # the worker records the outcome just after the results commit
        task = DBTaskResult.objects.get(pk=task_id)
        if task.finished_at:
            return (task.finished_at - task.started_at).total_seconds()
        time.sleep(0.05)

before = snapshot()
steps = []
for _ in range(%(repeat)d):
    submission.refresh_from_db()
    unlock = timed(lambda: workflow.unlock(submission, office, "基准测试：解锁后重新审核"))
    left = mine.count()
    submission.refresh_from_db()
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    submission.refresh_from_db()
    approve = timed(lambda: workflow.approve(submission, stats))
    steps.append({"unlock": unlock, "approve": approve, "rows_while_unlocked": left})
after = snapshot()
for step in steps:
    step["unlock"] = (step["unlock"][0], run_seconds(step["unlock"][1]))
    step["approve"] = (step["approve"][0], run_seconds(step["approve"][1]))
print(json.dumps({"steps": steps, "rows": len(after), "identical": before == after}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pg-url", default="postgres://planwatch:planwatch@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-approval-"))
    drop = None
    if args.db == "postgresql":
        url, drop = bench_evaluate.fresh_postgres(args.pg_url)
    else:
        url = f"sqlite:///{tmp / 'approval.sqlite3'}"
    var = tmp / "var"
    worker = None
    try:
        values = bench_evaluate.prepare(url, var, args.units, args.indicators)
        env = bench_pages.production_env(url, var)
        setup = json.loads(child(SETUP, env))
        log = (tmp / "worker.log").open("w")
        worker = subprocess.Popen(
            [str(BIN / "planwatch"), "worker", "--interval", "0.1", "--no-startup-delay"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=log,
        )
        measured = json.loads(child(MEASURE % {"dept": DEPARTMENT, "repeat": args.repeat}, env))
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
        if drop:
            drop()
    approvals = [s["approve"][0] for s in measured["steps"]]
    unlocks = [s["unlock"][0] for s in measured["steps"]]
    report = {
        "database": args.db,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "load_average_after": os.getloadavg(),
        "values": values,
        "series_stored": setup["series"],
        "full_recompute_seconds": round(setup["full_recompute_seconds"], 2),
        "department": DEPARTMENT,
        "department_series_2025": measured["rows"],
        "approve_to_fresh_seconds": [round(s, 2) for s in approvals],
        "unlock_to_fresh_seconds": [round(s, 2) for s in unlocks],
        "approve_task_run_seconds": [
            round(s["approve"][1], 2) if s["approve"][1] else None for s in measured["steps"]
        ],
        "best_approve_seconds": round(min(approvals), 2),
        "identical_to_full_recompute": measured["identical"],
        "command": " ".join(["bench/bench_approval.py", *sys.argv[1:]]),
    }
    bench_evaluate.RESULTS.mkdir(exist_ok=True)
    (bench_evaluate.RESULTS / f"approval-{args.db}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


def child(code: str, env: dict) -> str:
    out = subprocess.run([str(BIN / "python"), "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return out.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
