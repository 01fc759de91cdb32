"""Background recomputation when the values that count change.

Collection announces each review step (collection.signals.submission_changed) inside its
transaction; this module turns it into a keyed request (RecomputeRequest, the outbox) in that
same transaction and enqueues its task when the step commits. The task recomputes only the
series of that submission (compute.recompute's series_keys) as of its year and every later
year. Same key requested twice before a run: one run. Requested again during a run: that run
leaves the request in place and the next run recomputes again, so no approval is lost.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Least
from django.dispatch import receiver
from django_tasks import task

from planwatch.collection.models import DataValue
from planwatch.collection.signals import submission_changed
from planwatch.monitoring.compute import _lock, recompute, visible_values, years_with_values
from planwatch.monitoring.models import RecomputeRequest, SeriesResult

# Approving or unlocking changes what counts; returning changes what a preview shows.
RECOMPUTING_ACTIONS = {"approve", "unlock", "return"}


@receiver(submission_changed, dispatch_uid="monitoring-recompute")
def _on_submission_changed(sender, submission, action, **kwargs) -> None:
    if action in RECOMPUTING_ACTIONS:
        schedule_submission(submission.pk, submission.round.year)


def schedule_submission(submission_id: int, year: int) -> str:
    key = f"submission:{submission_id}"
    requested = RecomputeRequest.objects.filter(key=key)
    if not requested.update(generation=F("generation") + 1, year=Least(F("year"), year)):
        try:
            with transaction.atomic():
                RecomputeRequest.objects.create(key=key, submission_id=submission_id, year=year)
        except IntegrityError:  # made meanwhile by another step: raise it instead
            requested.update(generation=F("generation") + 1, year=Least(F("year"), year))
    transaction.on_commit(lambda: recompute_requested.enqueue(key))
    return key


def touched_series(submission_id: int) -> set[tuple]:
    """Every series a submission has a value in (values are never deleted, so this is also
    every series its values ever counted in)."""
    return set(
        DataValue.objects.filter(submission_id=submission_id)
        .values_list("indicator_id", "org_unit_id", "sex", "age_group", "residence")
        .distinct()
    )


def affected_years(year: int) -> list[int]:
    """Results as of `year` and every later year that has results or values depend on that
    year's values. Asked year by year through the indexes: a distinct over every value of a
    national set alone takes seconds."""
    stored = SeriesResult.objects.filter(preview=False)
    values = visible_values(False)
    last = max(
        stored.aggregate(y=Max("as_of_year"))["y"] or year,
        DataValue.objects.aggregate(y=Max("year"))["y"] or year,
    )
    return [year] + [
        y
        for y in range(year + 1, last + 1)
        if stored.filter(as_of_year=y).exists() or values.filter(year=y).exists()
    ]


@task()
def recompute_requested(key: str) -> int:
    with transaction.atomic():
        _lock()  # requests and values are read after any recompute that ran before
        request = RecomputeRequest.objects.filter(key=key).first()
        if request is None:
            return 0  # an earlier run of the same key took it
        keys = touched_series(request.submission_id)
        total = 0
        for as_of in affected_years(request.year):
            total += recompute(as_of, series_keys=keys)
            if SeriesResult.objects.filter(as_of_year=as_of, preview=True).exists():
                total += recompute(as_of, preview=True, series_keys=keys)
        RecomputeRequest.objects.filter(key=key, generation=request.generation).delete()
    return total


@task()
def recompute_from(year: int) -> int:
    """Everything as of `year` and every later year (a full recompute)."""
    total = 0
    for as_of in [y for y in years_with_values() if y >= year] or [year]:
        total += recompute(as_of)
    return total
