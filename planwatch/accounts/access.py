"""Scoping: who may see and change what. Every view, export and API call asks here.

One helper per object type, so that the rules are written and tested once. A helper either
returns the object or raises PermissionDenied / Http404; views never check roles themselves.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.accounts.models import Role
from planwatch.catalog.models import Indicator
from planwatch.org.models import Department, OrgUnit

# Roles that read everything the platform holds.
READ_ALL_ROLES = {Role.PLAN_OFFICE, Role.STATISTICS, Role.LEADER, Role.ADMIN}


def role_of(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def reads_everything(user) -> bool:
    return role_of(user) in READ_ALL_ROLES


def can_manage_catalog(user) -> bool:
    return role_of(user) in {Role.PLAN_OFFICE, Role.ADMIN}


def can_manage_users(user) -> bool:
    """The plan office runs the platform's accounts (password resets, deactivation)."""
    return role_of(user) in {Role.PLAN_OFFICE, Role.ADMIN}


def may_manage_user(actor, target) -> bool:
    """Its users, that is: not itself (it changes its own password on its own page) and not a
    superuser, whose account only another superuser may touch."""
    if not can_manage_users(actor) or actor.pk == target.pk:
        return False
    return actor.is_superuser or not target.is_superuser


def get_department_for_user(user, code: str, write: bool = False) -> Department:
    try:
        department = Department.objects.get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    role = role_of(user)
    if write:
        if role not in {Role.PLAN_OFFICE, Role.ADMIN}:
            raise PermissionDenied
        return department
    if role in READ_ALL_ROLES:
        return department
    if role == Role.DEPARTMENT and user.profile.department_id == department.pk:
        return department
    raise PermissionDenied


def get_org_unit_for_user(user, code: str, write: bool = False) -> OrgUnit:
    try:
        unit = OrgUnit.objects.select_related("parent").get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
    role = role_of(user)
    if write:
        if role not in {Role.PLAN_OFFICE, Role.ADMIN}:
            raise PermissionDenied
        return unit
    if role in READ_ALL_ROLES or role == Role.DEPARTMENT:
        # Departments report for the district and its townships: the tree is theirs to read.
        return unit
    if role == Role.TOWNSHIP and unit.is_within(user.profile.org_unit):
        return unit
    raise PermissionDenied


def get_indicator_for_user(user, code: str, write: bool = False) -> Indicator:
    """The catalog is the plans' public text: every signed-in role reads it; only the plan
    office (and administrators) change an indicator's responsibilities."""
    try:
        indicator = Indicator.objects.select_related("plan", "area", "lead_department").get(
            code=code
        )
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    if role_of(user) is None:
        raise PermissionDenied
    if write and not can_manage_catalog(user):
        raise PermissionDenied
    return indicator


def get_submission_for_user(user, pk: int, write: bool = False):
    """A department reporter sees and changes its own submissions; reviewers and the plan
    office see all; write access for reviewers is decided by the workflow table."""
    from planwatch.collection.models import Submission

    try:
        submission = Submission.objects.select_related("round", "department").get(pk=pk)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc
    role = role_of(user)
    if role in READ_ALL_ROLES and not (write and role == Role.LEADER):
        return submission
    if role == Role.DEPARTMENT and user.profile.department_id == submission.department_id:
        return submission
    raise PermissionDenied


def entry_scope_for_user(
    user, department_code: str | None = None, org_unit_code: str | None = None
):
    """(department, org_unit) a user may fill values for: their own, or — for the plan office
    and administrators — any they name. Leaders and reviewers fill nothing."""
    role = role_of(user)
    if role == Role.DEPARTMENT:
        return user.profile.department, None
    if role == Role.TOWNSHIP:
        return None, user.profile.org_unit
    if role in {Role.PLAN_OFFICE, Role.ADMIN}:
        if department_code:
            return get_department_for_user(user, department_code), None
        if org_unit_code:
            return None, get_org_unit_for_user(user, org_unit_code)
        return None, None
    raise PermissionDenied


def own_indicator_ids(department_id):
    """Indicators a department answers for, as lead or co-responsible (a subquery)."""
    from django.db.models import Q

    return Indicator.objects.filter(
        Q(lead_department_id=department_id) | Q(co_departments__id=department_id)
    ).values("pk")


def _scoped(user, qs, indicator_field: str):
    """Rows tied to an indicator and an org unit, as a user may read them: everything for
    readers of everything; a department reporter its own indicators; a township reporter its
    own township plus the district totals."""
    from django.db.models import Q

    role = role_of(user)
    if role in READ_ALL_ROLES:
        return qs
    if role == Role.DEPARTMENT:
        return qs.filter(
            **{f"{indicator_field}__in": own_indicator_ids(user.profile.department_id)}
        )
    if role == Role.TOWNSHIP:
        own = user.profile.org_unit
        return qs.filter(Q(org_unit=own) | Q(org_unit_id=own.parent_id))
    return qs.none()


def results_for_user(user, results):
    """Stored evaluation results within the user's scope."""
    return _scoped(user, results, "target__indicator_id")


def values_for_user(user, values):
    """Stored data values within the user's scope."""
    return _scoped(user, values, "indicator_id")


def may_read_indicator_values(user, indicator) -> bool:
    role = role_of(user)
    if role in READ_ALL_ROLES or role == Role.TOWNSHIP:
        return True
    if role == Role.DEPARTMENT:
        return own_indicator_ids(user.profile.department_id).filter(pk=indicator.pk).exists()
    return False


# The review of a report version (草稿 → 审核 → 印发). In county practice the 妇儿工委 sets up a
# 监测组 led by the statistics bureau and an 评估组 led by the plan office: each group checks the
# version in turn, and only the plan office issues (印发) what both approved. The system
# administrator runs the platform and judges no report.
REVIEW_GROUPS = {"monitoring": Role.STATISTICS, "evaluation": Role.PLAN_OFFICE}


def may_submit_report_for_review(user) -> bool:
    return role_of(user) in {Role.PLAN_OFFICE, Role.STATISTICS}


def may_review_report_stage(user, stage: str) -> bool:
    """Whether the user belongs to the group that reviews this stage (监测组 / 评估组)."""
    return stage in REVIEW_GROUPS and role_of(user) == REVIEW_GROUPS[stage]


def may_issue_report(user) -> bool:
    """印发: the plan office issues a version once both groups approved it."""
    return role_of(user) in {Role.PLAN_OFFICE, Role.ADMIN}
