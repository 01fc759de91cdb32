"""Access to reports, the office's sections, self-assessments and their evidence files.

A thin adapter beside the objects: the role decisions are `accounts.access`'s predicates; a
helper returns the object or raises PermissionDenied / Http404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.accounts.access import (
    is_department_reporter,
    is_own_department,
    may_build_reports,
    may_issue_report,
    may_read_reports,
    may_write_sections,
    reads_everything,
)
from planwatch.catalog.models import Department
from planwatch.reports.models import Report, ReportKind, ReviewState


def reports_for_user(user, reports):
    """Readers of everything see every report; a department reporter only the feedback
    written for its own department; everyone else nothing."""
    if reads_everything(user):
        return reports
    if is_department_reporter(user):
        return reports.filter(kind=ReportKind.FEEDBACK, department_id=user.profile.department_id)
    return reports.none()


def get_report_for_user(user, pk: int, write: bool = False) -> Report:
    try:
        report = Report.objects.select_related("plan", "department", "author").get(pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        if not may_issue_report(user):
            raise PermissionDenied
        return report
    if not reports_for_user(user, Report.objects.filter(pk=report.pk)).exists():
        raise PermissionDenied
    return report


def may_issue(user, report: Report) -> bool:
    """印发 now: a version both review groups approved, by whom accounts.access lets issue."""
    return report.review == ReviewState.APPROVED and may_issue_report(user)


def require_reader(user) -> None:
    if not may_read_reports(user):
        raise PermissionDenied


def require_builder(user) -> None:
    if not may_build_reports(user):
        raise PermissionDenied


def require_section_reader(user, write: bool = False) -> None:
    if write and not may_write_sections(user):
        raise PermissionDenied
    if not reads_everything(user):
        raise PermissionDenied


def get_assessing_department_for_user(user, code: str, write: bool = False) -> Department:
    """A department's self-assessment is its own account: only its reporters write it; the
    plan office, the statistics bureau and leaders read every department's; others nothing."""
    try:
        department = Department.objects.get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    own = is_own_department(user, department.pk)
    if write:
        if not own:
            raise PermissionDenied
        return department
    if own or reads_everything(user):
        return department
    raise PermissionDenied


def get_evidence_for_user(user, pk: int, write: bool = False):
    from planwatch.reports.models import Evidence

    try:
        evidence = Evidence.objects.select_related(
            "assessment__department", "assessment__measure", "assessment__objective"
        ).get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    get_assessing_department_for_user(user, evidence.assessment.department.code, write=write)
    return evidence
