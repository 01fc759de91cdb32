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


# --- 预警通报 and 整改 (planwatch/rectification) ---------------------------------------------


def may_issue_bulletins(user) -> bool:
    """The plan office issues 预警通报, sends 催办, closes or sends back 整改 items."""
    return role_of(user) in {Role.PLAN_OFFICE, Role.ADMIN}


def may_read_rectification(user) -> bool:
    """Readers of everything, and the departments the bulletins are addressed to."""
    return reads_everything(user) or role_of(user) == Role.DEPARTMENT


def bulletins_for_user(user, bulletins):
    """Readers of everything read every bulletin; a department those addressed to it."""
    if reads_everything(user):
        return bulletins
    if role_of(user) == Role.DEPARTMENT:
        return bulletins.filter(items__department_id=user.profile.department_id).distinct()
    return bulletins.none()


def rectification_items_for_user(user, items):
    """A department sees its own 整改 items only."""
    if reads_everything(user):
        return items
    if role_of(user) == Role.DEPARTMENT:
        return items.filter(department_id=user.profile.department_id)
    return items.none()


def get_bulletin_for_user(user, pk: int):
    from planwatch.rectification.models import Bulletin

    try:
        bulletin = Bulletin.objects.get(pk=pk)
    except Bulletin.DoesNotExist as exc:
        raise Http404 from exc
    if not bulletins_for_user(user, Bulletin.objects.filter(pk=pk)).exists():
        raise PermissionDenied
    return bulletin


def get_rectification_item_for_user(user, pk: int):
    from planwatch.rectification.models import RectificationItem

    qs = RectificationItem.objects.select_related("bulletin", "department", "indicator")
    try:
        item = qs.get(pk=pk)
    except RectificationItem.DoesNotExist as exc:
        raise Http404 from exc
    if not rectification_items_for_user(user, qs.filter(pk=pk)).exists():
        raise PermissionDenied
    return item


def may_answer_rectification(user, item) -> bool:
    """The responsible department answers (again, after a send-back) until the item closes."""
    from planwatch.rectification.models import AWAITING, ItemStatus

    if item.status not in (*AWAITING, ItemStatus.ANSWERED):
        return False
    role = role_of(user)
    return role == Role.ADMIN or (
        role == Role.DEPARTMENT and user.profile.department_id == item.department_id
    )


def may_decide_rectification(user, item) -> bool:
    """The plan office closes an answered item or sends it back."""
    from planwatch.rectification.models import ItemStatus

    return may_issue_bulletins(user) and item.status == ItemStatus.ANSWERED
