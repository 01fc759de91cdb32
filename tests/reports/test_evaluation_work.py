"""评估工作开展情况 and 部门自评情况 of the evaluation reports, read back from the .docx and
compared with counts taken here from the workflow tables."""

import pytest
from django.db.models import Q
from django.utils import timezone

from planwatch.audit.models import record
from planwatch.catalog.models import Department, Indicator, Measure, Objective
from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.org.models import Level, OrgUnit
from planwatch.reports.models import SelfAssessment

from .building import render_docx
from .reading import chapter, headings, table_after

pytestmark = pytest.mark.usefixtures("demo_results")

APPROVED = ("approved", "locked")


def plan_indicators(plan):
    return Indicator.objects.filter(
        Q(plan__code=plan) | Q(targets__area__plan__code=plan), retired=False
    ).distinct()


def approved(qs):
    return qs.filter(Q(submission__status__in=APPROVED) | Q(submission__isnull=True))


def test_the_chapter_counts_rounds_submissions_townships_and_data_per_year(db):
    # One year locked through the workflow leaves its date in the audit record.
    record(
        user=None,
        action="round_lock",
        obj_type="round",
        key="2023",
        new={"status": "locked"},
        channel="cli",
    )
    # 2024 reopened and its submissions sent back to the reviewers
    ReportingRound.objects.filter(year=2024).update(status="open")
    Submission.objects.filter(round__year=2024).update(status="submitted")
    _snapshot, document = render_docx("midterm", "women", 2024)
    assert headings(document)[0] == "一、评估工作开展情况"
    rows = table_after(document, "2021—2024年度数据填报情况")
    assert [int(r[0]) for r in rows[1:]] == [2021, 2022, 2023, 2024]
    indicators = plan_indicators("women")
    for row in rows[1:]:
        year = int(row[0])
        submissions = Submission.objects.filter(round__year=year)
        reported = submissions.exclude(status="draft").count()
        assert int(row[3]) == reported
        assert int(row[4]) == submissions.filter(status__in=APPROVED).count()
        towns = (
            approved(DataValue.objects.filter(indicator__in=indicators, year=year))
            .filter(org_unit__level=Level.TOWNSHIP, sex="", age_group="", residence="")
            .values("org_unit")
            .distinct()
            .count()
        )
        assert int(row[5]) == towns
        with_data = (
            approved(DataValue.objects.filter(indicator__in=indicators, year=year))
            .filter(org_unit__code="220112", sex="", age_group="", residence="")
            .values("indicator")
            .distinct()
            .count()
        )
        assert row[6] == f"{with_data}/{indicators.count()}"
        round_ = ReportingRound.objects.get(year=year)
        assert row[1] == (
            f"{round_.opens_on.year}年{round_.opens_on.month}月{round_.opens_on.day}日—"
            f"{round_.due_on.year}年{round_.due_on.month}月{round_.due_on.day}日"
        )
    by_year = {int(r[0]): r for r in rows[1:]}
    assert by_year[2024][4] == "0"
    # the demo locks its past years without the workflow: locked, but no day to name
    assert by_year[2022][7] == "已锁定"
    today = timezone.localdate()
    assert by_year[2023][7] == f"{today.year}年{today.month}月{today.day}日锁定"
    assert by_year[2024][7] == "尚未锁定"
    text = "".join(b[2] for b in chapter(document, "评估工作开展情况") if b[0] == "p")
    n24 = Submission.objects.filter(round__year=2024).count()
    assert "2024年度填报于2025年1月1日开始、2025年3月31日截止。" in text
    assert f"{n24}个已报送，0个审核通过" in text
    assert "该年度数据尚未锁定，数值仍可能修改" in text
    assert f"{OrgUnit.objects.home_townships().count()}个乡镇（街道）中0个有审核通过的数据" in text
    assert f"本规划{indicators.count()}项监测指标中0项有审核通过的全区数据" in text


def responsible_items(department, plan):
    measures = Measure.objects.filter(area__plan__code=plan).filter(
        Q(lead_department=department) | Q(co_departments=department)
    )
    objectives = Objective.objects.filter(area__plan__code=plan, targets__isnull=True).filter(
        Q(lead_department=department) | Q(co_departments=department)
    )
    return measures.distinct().count() + objectives.distinct().count()


def test_the_self_assessments_are_counted_per_department_with_its_own_judgements(db):
    health = Department.objects.get(code="health")
    education = Department.objects.get(code="education")
    m1, m2 = Measure.objects.filter(area__plan__code="women", lead_department=health)[:2]
    # Two years of one measure: the later judgement counts, both records were received.
    SelfAssessment.objects.create(department=health, year=2022, measure=m1, rating="not_started")
    SelfAssessment.objects.create(department=health, year=2024, measure=m1, rating="done")
    SelfAssessment.objects.create(department=health, year=2024, measure=m2, rating="in_progress")
    # A children's-plan assessment is not the women's report's.
    other = Measure.objects.filter(area__plan__code="children", lead_department=education)[0]
    SelfAssessment.objects.create(department=education, year=2024, measure=other, rating="done")
    _snapshot, document = render_docx("midterm", "women", 2024)
    rows = table_after(document, "各责任单位自评情况（截至2024年）")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name[str(health)][2:] == [
        str(responsible_items(health, "women")),
        "2",
        "1",
        "1",
        "0",
    ]
    responsible = [d for d in Department.objects.all() if responsible_items(d, "women") > 0]
    assert set(by_name) == {str(d) for d in responsible}
    assert by_name[str(education)][3] == "0"
    text = "".join(
        b[2] for b in chapter(document, "评估工作开展情况") if b[0] == "p" and "自评" in b[2]
    )
    assert "共收到部门自评3条，涉及1个单位" in text
    assert "已完成1项，推进中1项" in text
    silent = [str(d) for d in responsible if d != health]
    assert f"{'、'.join(silent)}{len(silent)}个单位尚未提交自评" in text
