"""SIGKILL of the worker and of the CLI in the middle of a check and of a store, on a real
database file (and on PostgreSQL when a server is configured, as CI does): nothing partial is
stored, the batch is shown failed, and it can be retried to the end.

The processes stop at the importer's fault points (collection/faults.py) so that each kill
lands where it is meant to: during the check (no lock held), or inside the store's write
transaction after the history rows were inserted."""

import time

import pytest

from .sites import databases, fresh_site

CSV = "indicator,org_unit,year,value\nC1-02,220112,2024,2.5\nC1-03,220112,2024,4.4\n"


@pytest.fixture(params=list(databases()))
def site(request, tmp_path):
    """A migrated database of its own, with the catalog and the 2024 round."""
    with fresh_site(request.param, tmp_path) as helper:
        helper.shell(
            "import datetime; from planwatch.collection.models import ReportingRound; "
            "ReportingRound.objects.create(year=2024, opens_on=datetime.date(2025, 1, 1), "
            "due_on=datetime.date(2025, 3, 31))"
        )
        (tmp_path / "values.csv").write_text(CSV)
        yield helper


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
