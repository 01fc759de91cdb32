"""Background imports: the worker (`planwatch db_worker`) checks and stores large files."""

from django_tasks import task

from planwatch.collection.batches import run_batch
from planwatch.collection.models import ImportBatch


@task()
def check_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    return "checked" if run_batch(batch, store=False).ok else "refused"


@task()
def store_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    return "stored" if run_batch(batch, store=True).stored else "refused"
