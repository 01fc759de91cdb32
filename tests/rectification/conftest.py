import datetime

import pytest

# The demo data with stored results, loaded once per module (the web tests' fixture).
from web.conftest import demo_results  # noqa: F401

ISSUED = datetime.date(2026, 3, 5)
DUE = datetime.date(2026, 4, 10)


def stored_warning(indicator_code, *, level="red", latest=81.5, reason=None, year=2025):
    """A stored result with one warning, as a recompute leaves them."""
    from django.utils import timezone

    from planwatch.catalog.models import Target
    from planwatch.monitoring.models import SeriesResult, Warning
    from planwatch.org.models import OrgUnit

    target = Target.objects.filter(indicator__code=indicator_code).order_by("sort").first()
    result = SeriesResult.objects.create(
        target=target,
        org_unit=OrgUnit.objects.home_district(),
        as_of_year=year,
        status="off_track",
        latest_year=year,
        latest_value=latest,
        computed_at=timezone.now(),
    )
    return Warning.objects.create(
        result=result,
        level=level,
        kind="off_track",
        year=year,
        reason=reason or "按现有速度2030年预计约为85.0%，仅为所需进展的40%",
    )


@pytest.fixture
def warnings(db):
    """Two warnings on 卫健局's indicators, one on 教育局's."""
    from planwatch.catalog.models import Indicator

    health = list(
        Indicator.objects.filter(lead_department__code="health", targets__isnull=False)
        .distinct()
        .order_by("code")[:2]
    )
    education = (
        Indicator.objects.filter(lead_department__code="education", targets__isnull=False)
        .distinct()
        .order_by("code")
        .first()
    )
    return {
        "health": [
            stored_warning(health[0].code),
            stored_warning(health[1].code, level="volatility"),
        ],
        "education": [stored_warning(education.code, level="yellow")],
    }


@pytest.fixture
def issued(users, warnings):
    from planwatch.rectification import actions

    ids = [w.pk for ws in warnings.values() for w in ws]
    return actions.issue(users["office"], ids, due_on=DUE, issued_on=ISSUED)


def make_department_user(username, department):
    from conftest import make_user

    from planwatch.accounts.models import Role

    return make_user(username, Role.DEPARTMENT, department=department)
