"""SIGKILL of the worker and of the CLI in the middle of a check and of a store, on a real
database file (and on PostgreSQL when a server is configured, as CI does): nothing partial is
stored, the batch is shown failed, and it can be retried to the end.

The processes stop at the importer's fault points (collection/faults.py) so that each kill
lands where it is meant to: during the check (no lock held), or inside the store's write
transaction after the history rows were inserted."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PLANWATCH = Path(sys.executable).parent / "planwatch"
CSV = "indicator,org_unit,year,value\nC1-02,220112,2024,2.5\nC1-03,220112,2024,4.4\n"
STATE = """
import json
from django_tasks_db.models import DBTaskResult
from planwatch.collection.models import DataValue, ImportBatch, ValueChange
print(json.dumps({
    "values": DataValue.objects.count(),
    "history": ValueChange.objects.count(),
    "batches": {b.pk: b.status for b in ImportBatch.objects.all()},
    "tasks": sorted(t.status for t in DBTaskResult.objects.all()),
}))
"""


def databases():
    yield "sqlite"
    if os.environ.get("PLANWATCH_TEST_POSTGRES_URL"):
        yield "postgresql"


@pytest.fixture(params=list(databases()))
def site(request, tmp_path):
    """A migrated database of its own, with the catalog and the 2024 round."""
    var = tmp_path / "var"
    admin = os.environ.get("PLANWATCH_TEST_POSTGRES_URL")
    name = None
    if request.param == "postgresql":
        import psycopg

        name = f"planwatch_kill_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{admin.rsplit('/', 1)[0]}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PLANWATCH_FAULT")},
        "DEBUG": "1",
        "DATABASE_URL": url,
        "PLANWATCH_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "planwatch.settings",
        "LEASE_SECONDS": "2",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    helper = Site(env, tmp_path)
    helper.run("init")
    helper.shell(
        "import datetime; from planwatch.collection.models import ReportingRound; "
        "ReportingRound.objects.create(year=2024, opens_on=datetime.date(2025, 1, 1), "
        "due_on=datetime.date(2025, 3, 31))"
    )
    (tmp_path / "values.csv").write_text(CSV)
    yield helper
    helper.stop_all()
    if name:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    def __init__(self, env, tmp):
        self.env, self.tmp, self.started = env, tmp, []

    def run(self, *args, **extra):
        result = subprocess.run(
            [str(PLANWATCH), *args], env={**self.env, **extra}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code):
        return self.run("shell", "-c", code)

    def state(self):
        return json.loads(self.shell(STATE).strip().splitlines()[-1])

    def start(self, *args, fault=None):
        extra = {}
        if fault:
            marker = self.tmp / f"marker-{uuid.uuid4().hex[:6]}"
            extra = {"PLANWATCH_FAULT_PAUSE": fault, "PLANWATCH_FAULT_MARKER": str(marker)}
        log = (self.tmp / f"process-{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            [str(PLANWATCH), *args], env={**self.env, **extra}, stdout=log, stderr=log
        )
        self.started.append(process)
        if fault:
            self.wait_for(marker.exists, f"{args} to reach {fault}")
        return process

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    @staticmethod
    def wait_for(condition, what, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def wait_state(self, test, what):
        self.wait_for(lambda: test(self.state()), what)
        return self.state()


def reclaim(site):
    time.sleep(2.5)  # past the 2-second lease
    site.shell("from planwatch.collection.leases import reclaim_orphans; reclaim_orphans()")
    return site.state()


@pytest.mark.parametrize("fault", ["check", "store"])
def test_a_killed_cli_import_stores_nothing_and_its_batch_fails(site, fault):
    args = ["import_values", str(site.tmp / "values.csv")]
    site.kill(site.start(*args, *(["--dry-run"] if fault == "check" else []), fault=fault))
    assert site.state()["batches"] == {"1": "running"}
    state = reclaim(site)
    assert state["batches"] == {"1": "failed"}
    assert (state["values"], state["history"]) == (0, 0)  # nothing partial
    site.run(*args)  # run again: stored whole
    assert site.state()["values"] == 2


ENQUEUE = """
from django.core.files.base import ContentFile
from planwatch.collection.models import ImportBatch
from planwatch.collection.tasks import check_batch
batch = ImportBatch(channel="csv", file_name="values.csv", status="pending")
batch.file.save("values.csv", ContentFile(open({path!r}, "rb").read()))
check_batch.enqueue(batch.pk)
"""
CONFIRM = """
from planwatch.collection.models import ImportBatch
from planwatch.collection.tasks import store_batch
ImportBatch.objects.filter(pk=1).update(status="pending")
store_batch.enqueue(1)
"""
RETRY = """
from planwatch.collection.batches import retry, retryable
from planwatch.collection.models import ImportBatch
from planwatch.collection.tasks import check_batch
batch = ImportBatch.objects.get(pk=1)
assert retryable(batch), batch.status
retry(batch, check_batch.enqueue)
"""


def test_a_killed_worker_leaves_a_failed_retryable_batch_and_nothing_partial(site):
    # --no-reload: DEBUG would run the worker as a child of a reloader, which a kill misses.
    worker = ["worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    site.shell(ENQUEUE.format(path=str(site.tmp / "values.csv")))
    # Killed in the middle of the check.
    site.kill(site.start(*worker, fault="check"))
    state = site.state()
    assert state["batches"] == {"1": "running"} and state["tasks"] == ["RUNNING"]
    healthy = site.start(*worker)
    state = site.wait_state(lambda s: s["batches"]["1"] == "failed", "the orphan reclaimed")
    assert state["tasks"] == ["FAILED"] and state["values"] == 0
    site.shell(RETRY)
    site.wait_state(lambda s: s["batches"]["1"] == "checked", "the retried check")
    site.kill(healthy)
    # Killed in the middle of the store, inside its transaction.
    site.shell(CONFIRM)
    site.kill(site.start(*worker, fault="store"))
    state = site.state()
    assert (state["values"], state["history"]) == (0, 0)
    assert state["batches"] == {"1": "running"}
    site.start(*worker)
    state = site.wait_state(lambda s: s["batches"]["1"] == "failed", "the orphan reclaimed")
    assert (state["values"], state["history"]) == (0, 0)
    site.shell(RETRY)
    site.wait_state(lambda s: s["batches"]["1"] == "checked", "the retried check")
    site.shell(CONFIRM)
    state = site.wait_state(lambda s: s["batches"]["1"] == "stored", "the confirmed store")
    assert (state["values"], state["history"]) == (2, 2)
