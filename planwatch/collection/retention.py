"""Uploaded files are kept only as long as they are needed.

A refused file is deleted at once (its problems are kept on the batch); any other upload
after settings.PLANWATCH_UPLOAD_RETENTION_DAYS. Files left in the upload temp folder by a
process killed mid-upload or mid-import are deleted once they are a day old.
"""

import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from planwatch.collection.models import ImportBatch, ImportStatus

STALE_TEMP_SECONDS = 24 * 3600


def drop_file(batch: ImportBatch) -> None:
    if batch.file:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")


def purge_uploads(now=None) -> int:
    """Delete expired uploads and stale temp files; the number of files deleted."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.PLANWATCH_UPLOAD_RETENTION_DAYS)
    deleted = 0
    expired = ImportBatch.objects.exclude(file="").filter(created_at__lt=cutoff)
    refused = ImportBatch.objects.exclude(file="").filter(status=ImportStatus.REFUSED)
    for batch in (expired | refused).exclude(status=ImportStatus.RUNNING):
        drop_file(batch)
        deleted += 1
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if temp.is_dir():
        limit = time.time() - STALE_TEMP_SECONDS
        for path in temp.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    deleted += 1
            except OSError:
                continue  # gone already, or another process's
    return deleted
