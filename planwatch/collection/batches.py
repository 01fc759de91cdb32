"""Uploads as batches: checked first (preview), stored only when the user confirms.

Small files are handled inside the request; large ones by the background worker, with the
rows read so far kept in the cache so that the page can show progress.
"""

import csv
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from planwatch.audit.models import record
from planwatch.collection.cell_text import csv_text
from planwatch.collection.files import LONG_COLUMNS, unpacked_size
from planwatch.collection.importer import Importer, ImportResult, finish_batch
from planwatch.collection.leases import held, reclaim_orphans
from planwatch.collection.models import ImportBatch, ImportStatus
from planwatch.collection.problems import FileRefused, Problem
from planwatch.collection.retention import drop_file, purge_uploads

BACKGROUND_BYTES = 2 * 1024 * 1024
# A workbook's XML is some nine times the CSV of the same rows, and slower to parse.
BACKGROUND_UNPACKED = 8 * 1024 * 1024
# A checked batch waiting for its confirm, or queued for the worker after one.
CONFIRMABLE = {ImportStatus.CHECKED, ImportStatus.PENDING}


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def rows_read(batch: ImportBatch) -> int:
    """Rows read so far. Asked by the page while it waits, so it also reclaims batches whose
    process died: the page then shows them failed instead of waiting for ever."""
    if batch.status == ImportStatus.RUNNING and batch.pk in reclaim_orphans():
        batch.refresh_from_db()
    return cache.get(progress_key(batch.pk), batch.rows_done)


def runs_in_background(batch: ImportBatch) -> bool:
    """Whether the check is the worker's: by what reading the file means (a workbook's
    unpacked size, never its packed one), so that no big check runs inside a request."""
    if not batch.file:
        return False
    path = Path(batch.file.path)
    return batch.file.size > BACKGROUND_BYTES or unpacked_size(path) > BACKGROUND_UNPACKED


def run_batch(batch: ImportBatch, *, store: bool) -> ImportResult:
    """Check (store=False) or store the batch's file; the batch records the outcome."""
    # A confirm stores exactly what the user previewed: the preview's stamp is the condition.
    expect = batch.stamp if store and batch.status in CONFIRMABLE else None
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["status"])
    key = progress_key(batch.pk)

    def progress(rows: int) -> None:
        cache.set(key, rows, 3600)

    try:
        with held(batch.pk):
            importer = Importer(user=batch.user, channel=batch.channel)
            path = Path(batch.file.path)
            if store:
                result = importer.store(
                    path, name=batch.file_name, progress=progress, batch=batch, expect=expect
                )
            else:
                result = importer.check(path, name=batch.file_name, progress=progress)
    except FileRefused as exc:
        result = ImportResult(problems=[exc.problem])
    except Exception as exc:
        # A fault, not the file: the batch says so and can be retried; the task fails too.
        fail_batch(batch, f"处理失败（{type(exc).__name__}: {exc}），未保存任何数据；可重试")
        raise
    finish_batch(batch, result, stored_status=ImportStatus.STORED if result.stored else None)
    if result.stored:
        record(
            user=batch.user,
            action="import_values",
            obj_type="import",
            key=str(batch.pk),
            new={"file": batch.file_name, "new": result.n_new, "changed": result.n_changed},
            channel=batch.channel,
        )
    cache.delete(key)
    if not result.ok:
        drop_file(batch)  # nothing will be done with it; its problems stay on the batch
    purge_uploads()
    return result


def fail_batch(batch: ImportBatch, reason: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED,
        errors=[Problem(reason).to_dict()],
        finished_at=timezone.now(),
    )
    cache.delete(progress_key(batch.pk))


def retryable(batch: ImportBatch) -> bool:
    """A failed batch whose file is still there: checked again from the start."""
    return batch.status == ImportStatus.FAILED and bool(batch.file)


def retry(batch: ImportBatch, enqueue) -> None:
    """Put a failed batch back in the queue for a fresh check (`enqueue` is the check task's
    enqueue); the user confirms again after it."""
    batch.status = ImportStatus.PENDING
    batch.errors, batch.stamp, batch.finished_at = [], None, None
    batch.save(update_fields=["status", "errors", "stamp", "finished_at"])
    record(
        user=batch.user,
        action="import_retry",
        obj_type="import",
        key=str(batch.pk),
        new={"file": batch.file_name},
        channel=batch.channel,
    )
    enqueue(batch.pk)


def store_rows(rows: list[dict], *, user, channel, dry_run=False) -> tuple[ImportResult, list]:
    """Web entry: the typed rows go through the same importer as any file.

    Returns the result and the rows in the order their (spreadsheet-style) row numbers
    refer to: problem.row - 2 is the index of the row it is about.
    """
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as tmp:
        path = Path(tmp) / "entry.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, LONG_COLUMNS)
            writer.writeheader()
            # Written as an export writes text, so that the importer's restore gives back
            # exactly what was typed (a comment "'=x" stays "'=x").
            writer.writerows({**row, "comment": csv_text(row.get("comment") or "")} for row in rows)
        importer = Importer(user=user, channel=channel)
        result = importer.check(path) if dry_run else importer.store(path)
    if result.stored:
        record(
            user=user,
            action="enter_values",
            obj_type="entry",
            key=timezone.now().isoformat(),
            new={"new": result.n_new, "changed": result.n_changed},
            channel=channel,
        )
    return result, rows
