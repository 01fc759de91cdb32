"""Report builds in the background: the worker (`planwatch db_worker`) runs them."""

from django_tasks import task

from planwatch.reports.build import run_build
from planwatch.reports.models import BuildStatus, Report


@task()
def build_report_task(report_id: int) -> str:
    report = Report.objects.select_related("plan", "department").get(pk=report_id)
    if report.status != BuildStatus.PENDING:
        return report.status  # already built (a task delivered twice builds once)
    return run_build(report).status
