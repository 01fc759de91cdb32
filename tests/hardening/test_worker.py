"""The worker waits out database errors instead of dying with them."""

import pytest
from django.db.utils import OperationalError

from planwatch.collection.management.commands import worker as module


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(module, "FIRST_PAUSE", 0.01)
    monkeypatch.setattr(module, "reclaim_orphans", lambda: [])


def make_worker():
    return module.ResilientWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip


def test_the_loop_survives_database_errors(quick, monkeypatch):
    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(module.Worker, "run", flaky_run)
    worker = make_worker()
    worker.run()  # returns normally after the two failures
    worker.running = False
    assert len(calls) == 3


def test_recording_an_outcome_is_retried(quick):
    attempts = []

    def set_failed(exc):
        attempts.append(exc)
        if len(attempts) < 3:
            raise OperationalError("database is locked")
        return "recorded"

    assert module._retrying(set_failed)(ValueError("x")) == "recorded"
    assert len(attempts) == 3
