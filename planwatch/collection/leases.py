"""Who is still working on a batch: a heartbeat while it runs, and the reclaiming of batches
whose process died (kill -9, out of memory, a gunicorn timeout) — shown as failed, with the
reason, and retryable — instead of "running" for ever.

Whatever process runs a batch (the worker, the CLI, a request) holds its lease: it stamps
`heartbeat_at` when it starts and every PLANWATCH_LEASE_SECONDS / 4 from a thread while it
runs. A running batch whose stamp is older than the lease is an orphan. Its task, if a worker
had claimed one, is failed with it. Nothing partial can be left behind: an import stores in
one transaction, which the database rolls back when its process dies.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from planwatch.collection.models import ImportBatch, ImportStatus
from planwatch.collection.problems import Problem

logger = logging.getLogger(__name__)
BATCH_TASKS = (
    "planwatch.collection.tasks.check_batch",
    "planwatch.collection.tasks.store_batch",
)
ORPHANED = "处理该文件的进程意外中止（可能被强制结束或超时），未保存任何数据；请点击“重试”重新处理"


def lease_seconds() -> float:
    return float(settings.PLANWATCH_LEASE_SECONDS)


def beat(batch_id: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now())


@contextmanager
def held(batch_id: int):
    """The lease on a batch for as long as the block runs."""
    beat(batch_id)
    stop = threading.Event()

    def keep_beating():
        try:
            while not stop.wait(lease_seconds() / 4):
                try:
                    beat(batch_id)
                except DatabaseError as exc:  # a busy database: the next beat will do
                    logger.warning("heartbeat of batch %s failed: %s", batch_id, exc)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=keep_beating, name=f"lease-{batch_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()


def reclaim_orphans(now=None) -> list[int]:
    """Fail the running batches whose lease ran out, and their tasks; their ids."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=lease_seconds())
    stale = ImportBatch.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    reclaimed = []
    for batch_id in stale.values_list("pk", flat=True):
        # Conditional: a batch that finished meanwhile is left as it is.
        done = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED,
            errors=[Problem(ORPHANED).to_dict()],
            finished_at=now,
        )
        if done:
            reclaimed.append(batch_id)
    if reclaimed:
        _fail_tasks(reclaimed, now)
        logger.warning("reclaimed orphaned import batches %s", reclaimed)
    return reclaimed


def _fail_tasks(batch_ids: list[int], now) -> None:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: nothing of ours to fail
        return
    from django_tasks import TaskResultStatus

    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path__in=BATCH_TASKS
    )
    for task in running:
        args = (task.args_kwargs or {}).get("args") or []
        if args and args[0] in batch_ids:
            DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="planwatch.collection.leases.Orphaned",
                traceback=ORPHANED,
            )
