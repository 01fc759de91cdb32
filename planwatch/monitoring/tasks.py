"""Background recomputation, enqueued when approved data changes."""

from django.db import transaction
from django_tasks import task

from planwatch.monitoring.compute import recompute, years_with_values


@task()
def recompute_from(year: int) -> int:
    """Results as of `year` and every later year depend on that year's values."""
    total = 0
    for as_of in [y for y in years_with_values() if y >= year] or [year]:
        total += recompute(as_of)
    return total


def schedule_recompute(year: int) -> None:
    transaction.on_commit(lambda: recompute_from.enqueue(year))
