"""Every import, from start to end: the importer checks the rows (and stores them, all or
none), the batch records the outcome, the audit records what was stored — one ending for
uploads, the CLI, the demo data and typed rows (web entry, API, DHIS2).

Uploads are checked first (preview), stored only when the user confirms. Small files are
handled inside the request; large ones by the background worker, with the rows read so far
kept in the cache so that the page can show progress.
"""

import hashlib
from contextlib import nullcontext
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone

from planwatch.audit.models import Channel, record
from planwatch.collection.files import unpacked_size
from planwatch.collection.importer import Importer, ImportResult
from planwatch.collection.leases import held, reclaim_orphans
from planwatch.collection.models import ImportBatch, ImportStatus
from planwatch.collection.problems import FileRefused, Problem
from planwatch.collection.retention import drop_file, purge_uploads
from planwatch.collection.sources import RowSource

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

    result = run_import(
        Path(batch.file.path),
        user=batch.user,
        channel=batch.channel,
        store=store,
        batch=batch,
        name=batch.file_name,
        progress=progress,
        expect=expect,
    )
    cache.delete(key)
    if not result.ok:
        drop_file(batch)  # nothing will be done with it; its problems stay on the batch
    purge_uploads()
    return result


def import_file(
    source: Path | RowSource,
    *,
    user=None,
    channel: str = Channel.CSV,
    dry_run: bool = False,
    name: str | None = None,
    progress=None,
    reason: str = "",
) -> tuple[ImportResult, ImportBatch]:
    """Check a file (or a RowSource) and, unless dry_run, store it; always leaves an
    ImportBatch behind (the CLI, the demo data)."""
    path = None if isinstance(source, RowSource) else Path(source)
    batch = ImportBatch.objects.create(
        user=user if getattr(user, "pk", None) else None,
        channel=channel,
        file_name=name or (path.name if path else source.kind),
        sha256=sha256_of(path) if path is not None and path.exists() else "",
        status=ImportStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    result = run_import(
        source,
        user=user,
        channel=channel,
        store=not dry_run,
        batch=batch,
        name=name,
        progress=progress,
        reason=reason,
    )
    return result, batch


def store_rows(source: RowSource, *, user, channel, dry_run: bool = False) -> ImportResult:
    """Typed rows (web entry, API, DHIS2): checked and stored as any file, without a batch."""
    return run_import(source, user=user, channel=channel, store=not dry_run)


def run_import(
    source: Path | RowSource,
    *,
    user,
    channel: str,
    store: bool,
    batch: ImportBatch | None = None,
    name: str | None = None,
    progress=None,
    expect=None,
    reason: str = "",
) -> ImportResult:
    """The one way an import runs and ends. Under the batch's lease (a process killed here
    leaves the batch to be reclaimed as failed): the rows checked and, with `store`, stored
    all or none; then the batch's outcome; then the audit of what was stored."""
    try:
        with held(batch.pk) if batch is not None else nullcontext():
            importer = Importer(user=user, channel=channel, reason=reason)
            if store:
                result = importer.store(
                    source, name=name, progress=progress, batch=batch, expect=expect
                )
            else:
                result = importer.check(source, name=name, progress=progress)
    except FileRefused as exc:
        result = ImportResult(problems=[exc.problem])
    except Exception as exc:
        if batch is not None:
            # A fault, not the file: the batch says so and can be retried; the caller fails.
            fail_batch(batch, f"处理失败（{type(exc).__name__}: {exc}），未保存任何数据；可重试")
        raise
    if batch is not None:
        finish_batch(batch, result)
    if result.stored:
        _audit(result, batch, user=user, channel=channel, reason=reason)
    return result


def _audit(result: ImportResult, batch, *, user, channel, reason) -> None:
    counts = {"new": result.n_new, "changed": result.n_changed}
    if batch is None:
        action, obj_type, key, new = "enter_values", "entry", timezone.now().isoformat(), counts
    else:
        action, obj_type, key = "import_values", "import", str(batch.pk)
        new = {"file": batch.file_name, **counts}
    record(
        user=user,
        action=action,
        obj_type=obj_type,
        key=key,
        new=new,
        channel=channel,
        reason=reason,
    )


def finish_batch(batch: ImportBatch, result: ImportResult) -> None:
    batch.rows_total = batch.rows_done = result.n_rows
    batch.n_new, batch.n_changed, batch.n_unchanged = (
        result.n_new,
        result.n_changed,
        result.n_unchanged,
    )
    batch.errors = [p.to_dict() for p in result.problems]
    batch.warnings = [p.to_dict() for p in result.warnings]
    batch.preview = result.preview
    batch.stamp = result.stamp
    if result.stored:
        batch.status = ImportStatus.STORED
    else:
        batch.status = ImportStatus.CHECKED if result.ok else ImportStatus.REFUSED
    batch.finished_at = timezone.now()
    batch.save()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
