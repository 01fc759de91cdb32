"""`planwatch worker`: django-tasks-db's worker, made to survive what stopped it.

- A database error anywhere in its loop (SQLite busy past its timeout, a PostgreSQL restart)
  is logged and waited out with a growing pause, instead of ending the loop while the process
  stays alive and idle.
- Recording a task's outcome is retried the same way, so that a task is never left RUNNING
  because the database was busy at the moment it finished.
- Every half lease it reclaims import batches (and their tasks) whose process died
  (collection/leases.py): they are shown failed, with the reason, and can be retried.
"""

import logging
import threading
import time

from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from planwatch.collection.leases import lease_seconds, reclaim_orphans

logger = logging.getLogger("planwatch.worker")
FIRST_PAUSE = 0.5
MAX_PAUSE = 30.0


def _retrying(method):
    def call(*args, **kwargs):
        pause = FIRST_PAUSE
        while True:
            try:
                return method(*args, **kwargs)
            except DatabaseError as exc:
                logger.warning(
                    "recording a task outcome failed (%s); retrying in %.1fs", exc, pause
                )
                connection.close()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)

    return call


class ResilientWorker(Worker):
    def run(self) -> None:
        threading.Thread(target=self._reclaim_loop, name="reclaim", daemon=True).start()
        pause = FIRST_PAUSE
        while self.running:
            try:
                super().run()
                return  # batch mode or max tasks reached: a normal end
            except DatabaseError as exc:
                logger.warning("database error in the worker loop (%s); retry in %.1fs", exc, pause)
                connection.close()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
                self.startup_delay = False

    def _reclaim_loop(self) -> None:
        """Reclaims orphans at start and every half lease, on its own connection."""
        while self.running:
            try:
                reclaim_orphans()
            except DatabaseError as exc:
                logger.warning("reclaiming orphans failed (%s)", exc)
                connection.close()
            time.sleep(lease_seconds() / 2)

    def run_task(self, db_task_result) -> None:
        for name in ("set_successful", "set_failed"):
            setattr(db_task_result, name, _retrying(getattr(db_task_result, name)))
        try:
            super().run_task(db_task_result)
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "后台任务进程：数据库出错时等待重试，并回收被中止进程遗留的导入批次"

    def handle(self, *args, **options):
        import django_tasks_db.management.commands.db_worker as db_worker

        original = db_worker.Worker
        db_worker.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
