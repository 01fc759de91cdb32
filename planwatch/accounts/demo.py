"""Demo users, one per role, for the demo set-up only (never created by `planwatch init`)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from planwatch.accounts.models import Profile, Role
from planwatch.catalog.models import Department
from planwatch.org.models import OrgUnit


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    label: str
    department: str | None = None
    org_unit: str | None = None


DEMO_USERS = [
    DemoUser("admin", "demo-admin-2030", Role.ADMIN, "系统管理员"),
    DemoUser("office", "demo-office-2030", Role.PLAN_OFFICE, "妇儿工委办", "plan_office"),
    DemoUser("stats", "demo-stats-2030", Role.STATISTICS, "统计局审核员", "statistics"),
    DemoUser("health", "demo-health-2030", Role.DEPARTMENT, "卫健局填报员", "health"),
    DemoUser("education", "demo-edu-2030", Role.DEPARTMENT, "教育局填报员", "education"),
    DemoUser("yunshan", "demo-yunshan-2030", Role.TOWNSHIP, "云山街道填报员", None, "220112001"),
    DemoUser("leader", "demo-leader-2030", Role.LEADER, "领导（只读）"),
]


@transaction.atomic
def create_demo_users() -> None:
    users = get_user_model()
    for spec in DEMO_USERS:
        user, _ = users.objects.get_or_create(username=spec.username)
        user.set_password(spec.password)
        user.first_name = spec.label
        user.is_superuser = user.is_staff = spec.role == Role.ADMIN
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": spec.role,
                "department": (
                    Department.objects.get(code=spec.department) if spec.department else None
                ),
                "org_unit": OrgUnit.objects.get(code=spec.org_unit) if spec.org_unit else None,
            },
        )
