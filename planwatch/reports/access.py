"""Who may see, build and publish reports, write the office's sections and the self-assessments.

One helper per object, as in `accounts.access`: a helper returns the object or raises
PermissionDenied / Http404, and views never check roles themselves.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.accounts.access import READ_ALL_ROLES, role_of
from planwatch.accounts.models import Role
from planwatch.org.models import Department
from planwatch.reports.models import Report, ReportKind

BUILDERS = {Role.PLAN_OFFICE, Role.STATISTICS, Role.ADMIN}
PUBLISHERS = {Role.PLAN_OFFICE, Role.ADMIN}
SECTION_WRITERS = {Role.PLAN_OFFICE, Role.ADMIN}


def may_build_reports(user) -> bool:
    return role_of(user) in BUILDERS


def may_publish_reports(user) -> bool:
    return role_of(user) in PUBLISHERS


def may_write_sections(user) -> bool:
    return role_of(user) in SECTION_WRITERS


def reports_for_user(user, reports):
    """Readers of everything see every report; a department reporter only the feedback
    written for its own department; everyone else nothing."""
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return reports
    if role == Role.DEPARTMENT:
        return reports.filter(kind=ReportKind.FEEDBACK, department_id=user.profile.department_id)
    return reports.none()


def get_report_for_user(user, pk: int, write: bool = False) -> Report:
    try:
        report = Report.objects.select_related("plan", "department", "author").get(pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        if not may_publish_reports(user):
            raise PermissionDenied
        return report
    if not reports_for_user(user, Report.objects.filter(pk=report.pk)).exists():
        raise PermissionDenied
    return report


def require_builder(user) -> None:
    if not may_build_reports(user):
        raise PermissionDenied


def require_section_reader(user, write: bool = False) -> None:
    role = role_of(user)
    if write and role not in SECTION_WRITERS:
        raise PermissionDenied
    if role not in READ_ALL_ROLES:
        raise PermissionDenied


def get_assessing_department_for_user(user, code: str, write: bool = False) -> Department:
    """A department's self-assessment is its own account: only its reporters write it; the
    plan office, the statistics bureau and leaders read every department's; others nothing."""
    try:
        department = Department.objects.get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    role = role_of(user)
    own = role == Role.DEPARTMENT and user.profile.department_id == department.pk
    if write:
        if not own:
            raise PermissionDenied
        return department
    if own or role in READ_ALL_ROLES:
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
