"""The demo data: realistic, consistent (it passed the real importer), loaded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import SeriesResult, Warning


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_covers_2020_to_2025_for_district_and_townships(demo):
    assert "示例数据已加载" in demo
    assert sorted(ReportingRound.objects.values_list("year", flat=True)) == list(range(2020, 2026))
    units = set(DataValue.objects.values_list("org_unit__code", flat=True))
    assert {"220112", "220112001", "220112203"} <= units
    assert DataValue.objects.filter(sex="female").exists()
    assert DataValue.objects.filter(source="demo").count() == DataValue.objects.count()


def test_2020_to_2024_locked_and_2025_open_with_departments_missing(demo):
    statuses = set(Submission.objects.filter(round__year__lt=2025).values_list("status", flat=True))
    assert statuses == {"locked"}
    rounds = dict(ReportingRound.objects.values_list("year", "status"))
    assert {rounds[y] for y in range(2020, 2025)} == {"locked"} and rounds[2025] == "open"
    open_statuses = set(
        Submission.objects.filter(round__year=2025).values_list("status", flat=True)
    )
    assert open_statuses <= {"draft", "submitted"}
    assert not DataValue.objects.filter(year=2025, indicator__lead_department__code="education")
    assert DataValue.objects.filter(year=2024, indicator__lead_department__code="education")


def test_demo_loads_once(demo):
    count = DataValue.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "未重复加载" in out.getvalue()
    assert DataValue.objects.count() == count


def test_demo_tells_stories_worth_monitoring(demo):
    recompute(2024)
    district = SeriesResult.objects.filter(
        as_of_year=2024, org_unit__code="220112", sex="", age_group="", residence=""
    )
    statuses = set(district.values_list("status", flat=True))
    assert {"attained", "on_track", "off_track", "regressing"} <= statuses
    assert Warning.objects.filter(level="volatility", result__target__indicator__code="W1-10")
    assert Warning.objects.filter(level="red").exists()
