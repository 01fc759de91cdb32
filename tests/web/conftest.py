import pytest


@pytest.fixture(scope="module")
def demo_results(django_db_setup, django_db_blocker, reference_data):
    """The demo data with stored results for every year, loaded once for a module of
    read-only page tests and removed afterwards so that other tests start empty."""
    from planwatch.audit.models import AuditEntry
    from planwatch.collection.demo import load_demo
    from planwatch.collection.models import (
        DataValue,
        ImportBatch,
        ReportingRound,
        Submission,
        ValueChange,
    )
    from planwatch.monitoring.compute import recompute
    from planwatch.monitoring.models import SeriesResult

    with django_db_blocker.unblock():
        load_demo()
        for year in range(2020, 2025):
            recompute(year)
    yield
    with django_db_blocker.unblock():
        SeriesResult.objects.all().delete()
        DataValue.objects.all().delete()
        ValueChange.objects.all()._raw_delete(ValueChange.objects.db)
        ImportBatch.objects.all().delete()
        Submission.objects.all().delete()
        ReportingRound.objects.all().delete()
        AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)
