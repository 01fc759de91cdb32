"""Who may see and change what: the one owner of every role decision.

Pages, the API, the importer, DHIS2, exports and the CLI ask here (directly, or through the
thin adapters beside their objects: collection/access.py, reports/access.py,
api/permissions.py); none of them tests a role itself. The decisions are the README's roles
table. A helper either answers yes/no, narrows a queryset, or returns the object or raises
PermissionDenied / Http404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from planwatch.accounts.models import Role
from planwatch.catalog.models import Department, Indicator
from planwatch.org.models import OrgUnit

# Roles that read everything the platform holds.
READ_ALL_ROLES = {Role.PLAN_OFFICE, Role.STATISTICS, Role.LEADER, Role.ADMIN}
# The plan office runs the platform's business; administrators may do all it does.
OFFICE = {Role.PLAN_OFFICE, Role.ADMIN}
# Who opens rounds and sends reminders: the office and the reviewing bureau.
ROUND_MANAGERS = {Role.PLAN_OFFICE, Role.STATISTICS, Role.ADMIN}
# Who writes data values (web entry, template, file import, API, DHIS2, CLI): the reporters,
# and the office for any reporter it names. The bureau reviews, queries and returns cells but
# does not change them itself; leaders change nothing.
VALUE_WRITERS = {Role.DEPARTMENT, Role.TOWNSHIP, Role.PLAN_OFFICE, Role.ADMIN}


def role_of(user) -> str | None:
    """None for no user with a role; the CLI without `--user` passes None for the user and is
    treated by `value_writer` as an administrator, never here."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def has_role(user) -> bool:
    return role_of(user) is not None


def require_role(user) -> None:
    """A signed-in account with no role (or a disabled one) sees nothing."""
    if role_of(user) is None:
        raise PermissionDenied


def reads_everything(user) -> bool:
    return role_of(user) in READ_ALL_ROLES


def is_department_reporter(user) -> bool:
    return role_of(user) == Role.DEPARTMENT


def is_reporter(user) -> bool:
    """A department or township reporter: fills its own scope, never one it names."""
    return role_of(user) in {Role.DEPARTMENT, Role.TOWNSHIP}


def is_own_department(user, department_id) -> bool:
    """A department reporter of exactly this department."""
    return is_department_reporter(user) and user.profile.department_id == department_id


def landing(user) -> tuple[str, str | None]:
    """The page a user starts on: a reporter its own department or township."""
    role = role_of(user)
    if role == Role.DEPARTMENT:
        return "department_detail", user.profile.department.code
    if role == Role.TOWNSHIP:
        return "org_unit_detail", user.profile.org_unit.code
    require_role(user)
    return "overview", None


def can_manage_catalog(user) -> bool:
    return role_of(user) in OFFICE


def may_manage_office_indicators(user) -> bool:
    """扩充调整指标: the plan office (and administrators) add, edit and retire them."""
    return role_of(user) in OFFICE


def can_manage_users(user) -> bool:
    """The plan office runs the platform's accounts (password resets, deactivation)."""
    return role_of(user) in OFFICE


def may_manage_user(actor, target) -> bool:
    """Its users, that is: not itself (it changes its own password on its own page) and not a
    superuser, whose account only another superuser may touch."""
    if not can_manage_users(actor) or actor.pk == target.pk:
        return False
    return actor.is_superuser or not target.is_superuser


def may_manage_rounds(user) -> bool:
    """Open a reporting round, send reminders."""
    return role_of(user) in ROUND_MANAGERS


def may_lock_rounds(user) -> bool:
    return role_of(user) in OFFICE


def may_publish(user) -> bool:
    """Choose what the public pages show. (Publishing a report is its 印发: may_issue_report.)"""
    return role_of(user) in OFFICE


def may_build_reports(user) -> bool:
    return role_of(user) in {Role.PLAN_OFFICE, Role.STATISTICS, Role.ADMIN}


def may_write_sections(user) -> bool:
    return role_of(user) in OFFICE


def may_read_reports(user) -> bool:
    """Readers of everything read every report; a department only its own feedback."""
    return reads_everything(user) or is_department_reporter(user)


def may_mark_comments(user) -> bool:
    """The office marks reporters' comments for the compilation beside the reviewers."""
    return role_of(user) in OFFICE


# --- reference objects: departments, org units, indicators ---------------------------------


def departments_for_user(user, departments):
    if reads_everything(user):
        return departments
    if is_department_reporter(user):
        return departments.filter(pk=user.profile.department_id)
    return departments.none()


def get_visible(user, queryset, narrow, pk: int):
    """The object `pk` of `queryset`: 404 when there is none, 403 when `narrow` (an adapter's
    "which of these may the user read") leaves it out — one order of refusals at every door."""
    try:
        obj = queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if not narrow(user, queryset.filter(pk=pk)).exists():
        raise PermissionDenied
    return obj


def get_department_for_user(user, code: str, write: bool = False) -> Department:
    try:
        department = Department.objects.get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        if not can_manage_catalog(user):
            raise PermissionDenied
        return department
    if not departments_for_user(user, Department.objects.filter(pk=department.pk)).exists():
        raise PermissionDenied
    return department


def subtree_ids(unit: OrgUnit) -> set[int]:
    """The unit and every unit below it (townships have villages when a file loads them)."""
    ids, level = {unit.pk}, {unit.pk}
    while level:
        level = set(OrgUnit.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids |= level
    return ids


def org_units_for_user(user, units):
    """The tree is every role's to read (departments report for the district and its
    townships), except that a township reporter reads its own township and what lies in it."""
    role = role_of(user)
    if role == Role.TOWNSHIP:
        return units.filter(pk__in=subtree_ids(user.profile.org_unit))
    if role is None:
        return units.none()
    return units


def get_org_unit_for_user(user, code: str, write: bool = False) -> OrgUnit:
    try:
        unit = OrgUnit.objects.select_related("parent").get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
    if write:
        if not can_manage_catalog(user):
            raise PermissionDenied
        return unit
    if not org_units_for_user(user, OrgUnit.objects.filter(pk=unit.pk)).exists():
        raise PermissionDenied
    return unit


def get_indicator_for_user(user, code: str, write: bool = False) -> Indicator:
    """The catalog is the plans' public text: every signed-in role reads it; only the plan
    office (and administrators) change an indicator's responsibilities."""
    try:
        indicator = Indicator.objects.select_related("plan", "area", "lead_department").get(
            code=code
        )
    except Indicator.DoesNotExist as exc:
        raise Http404 from exc
    require_role(user)
    if write and not can_manage_catalog(user):
        raise PermissionDenied
    return indicator


# --- values and results: indicator × org unit -----------------------------------------------


def own_indicator_ids(department_id):
    """Indicators a department answers for, as lead or co-responsible (a subquery)."""
    return Indicator.objects.filter(
        Q(lead_department_id=department_id) | Q(co_departments__id=department_id)
    ).values("pk")


def _scoped(user, qs, indicator_field: str):
    """Rows tied to an indicator and an org unit, as a user may read them: everything for
    readers of everything; a department reporter the indicators it leads or co-leads; a
    township reporter its own township (and what lies in it) plus the district totals."""
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return qs
    if role == Role.DEPARTMENT:
        return qs.filter(
            **{f"{indicator_field}__in": own_indicator_ids(user.profile.department_id)}
        )
    if role == Role.TOWNSHIP:
        own = user.profile.org_unit
        return qs.filter(Q(org_unit_id__in=subtree_ids(own)) | Q(org_unit_id=own.parent_id))
    return qs.none()


def results_for_user(user, results):
    """Stored evaluation results within the user's scope."""
    return _scoped(user, results, "target__indicator_id")


def values_for_user(user, values):
    """Stored data values within the user's scope (pages, history, exports, API, DHIS2)."""
    return _scoped(user, values, "indicator_id")


def may_read_indicator_values(user, indicator) -> bool:
    role = role_of(user)
    if role in READ_ALL_ROLES or role == Role.TOWNSHIP:
        return True
    if role == Role.DEPARTMENT:
        return own_indicator_ids(user.profile.department_id).filter(pk=indicator.pk).exists()
    return False


@dataclass(frozen=True)
class ValueWriter:
    """What one user may write, asked row by row by every door that writes values."""

    role: str
    department_id: int | None
    org_unit_id: int | None

    @property
    def everything(self) -> bool:
        """Any indicator, any unit, the reference units above the district included."""
        return self.role in OFFICE

    @property
    def township_id(self) -> int | None:
        """The township whose own submission receives what this writer stores: a township
        reporter's. Every other writer's values go to the lead department's submission (a
        department's entries for a township included)."""
        return self.org_unit_id if self.role == Role.TOWNSHIP else None

    def indicator_problem(self, lead_department_id, lead_department_name) -> str | None:
        """A department writes the indicators it leads: the lead reports the figure, the
        co-responsible departments supply it to the lead (and read it)."""
        if self.role == Role.DEPARTMENT and lead_department_id != self.department_id:
            return f"无权填报该指标：牵头单位为{lead_department_name}"
        return None

    def unit_problem(self, unit_path: frozenset, reference: bool) -> str | None:
        """`unit_path`: the unit's own id and its ancestors' ids."""
        if reference and not self.everything:
            return "上级参照单位的数据只能由妇儿工委办录入"
        if self.role == Role.TOWNSHIP and self.org_unit_id not in unit_path:
            return "只能填报本乡镇（街道）的数据"
        return None


def may_write_values(user) -> bool:
    return role_of(user) in VALUE_WRITERS


def value_writer(user) -> ValueWriter | None:
    """None for a user who writes no values. `user=None` is the CLI run without `--user`:
    the operator of the machine, an administrator."""
    if user is None:
        return ValueWriter(Role.ADMIN, None, None)
    if not may_write_values(user):
        return None
    profile = getattr(user, "profile", None)
    return ValueWriter(
        role_of(user),
        getattr(profile, "department_id", None),
        getattr(profile, "org_unit_id", None),
    )


def entry_scope_for_user(
    user, department_code: str | None = None, org_unit_code: str | None = None
):
    """(department, org_unit) a user may fill values for: their own, or — for the plan office
    and administrators — any they name. Leaders and reviewers fill nothing."""
    writer = value_writer(user)
    if writer is None:
        raise PermissionDenied
    if writer.role == Role.DEPARTMENT:
        return user.profile.department, None
    if writer.role == Role.TOWNSHIP:
        return None, user.profile.org_unit
    if department_code:
        return get_department_for_user(user, department_code), None
    if org_unit_code:
        return None, get_org_unit_for_user(user, org_unit_code)
    return None, None


# --- 预警通报 and 整改 (planwatch/rectification) ---------------------------------------------


def may_issue_bulletins(user) -> bool:
    """The plan office issues 预警通报, sends 催办, closes or sends back 整改 items."""
    return role_of(user) in {Role.PLAN_OFFICE, Role.ADMIN}


def may_read_rectification(user) -> bool:
    """Readers of everything, and the departments the bulletins are addressed to."""
    return reads_everything(user) or role_of(user) == Role.DEPARTMENT


def answers_rectification(user, item) -> bool:
    """The item's responsible department (and the administrator) answer it; anyone else is
    refused at the door, whatever the item's state."""
    role = role_of(user)
    return role == Role.ADMIN or (
        role == Role.DEPARTMENT and user.profile.department_id == item.department_id
    )


# The review of a report version (草稿 → 审核 → 印发). In county practice the 妇儿工委 sets up a
# 监测组 led by the statistics bureau and an 评估组 led by the plan office: each group checks the
# version in turn, and only the plan office issues (印发) what both approved. The system
# administrator runs the platform and judges no report, but may do all the office does.
REVIEW_GROUPS = {"monitoring": Role.STATISTICS, "evaluation": Role.PLAN_OFFICE}


def takes_part_in_report_review(user) -> bool:
    """Only the two review groups' roles reach the review door at all."""
    return role_of(user) in set(REVIEW_GROUPS.values())


def may_submit_report_for_review(user) -> bool:
    return role_of(user) in {Role.PLAN_OFFICE, Role.STATISTICS}


def may_review_report_stage(user, stage: str) -> bool:
    """Whether the user belongs to the group that reviews this stage (监测组 / 评估组)."""
    return stage in REVIEW_GROUPS and role_of(user) == REVIEW_GROUPS[stage]


def may_issue_report(user) -> bool:
    """印发 (publishing a report): the plan office issues a version once both groups approved
    it. The one rule of who publishes a report: the report page's button, the publish door and
    the review chain all ask here (through reports/access.py)."""
    return role_of(user) in OFFICE
