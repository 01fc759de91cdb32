"""The evaluation reports, the department feedback and the statistical compilation, read back
and compared with the database."""

import datetime
import io

import openpyxl
import pytest
from django.db.models import Q

from planwatch.catalog.models import Area, Department, Indicator, Measure, Plan
from planwatch.catalog.numbers import decimals_for
from planwatch.collection.models import APPROVED_STATES, DataValue
from planwatch.monitoring.models import SeriesResult, Warning
from planwatch.org.models import Level, OrgUnit
from planwatch.reports import documents, labels
from planwatch.reports.build import render
from planwatch.reports.compilation import sheet_name
from planwatch.reports.models import ReportSection, SelfAssessment
from planwatch.reports.snapshot import take_snapshot

from .building import render_docx
from .reading import body_text, chapter, cover_text, headings, table_after

pytestmark = pytest.mark.usefixtures("demo_results")
DIRECTIONAL = ("increase", "decrease", "maintain_high")


def district_results(year, plan):
    return SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__code="220112",
        sex="",
        age_group="",
        residence="",
        target__area__plan__code=plan,
    )


def pct(share):
    """A share of targets to one decimal, trailing zeros dropped ("50%", "38.3%")."""
    return f"{round(share * 100, 1):g}%"


def probability(p):
    """Bounded and in whole percent, computed here from the stored probability."""
    if p is None:
        return "—"
    return "<1%" if p < 0.005 else ">99%" if p > 0.995 else f"{round(p * 100)}%"


def test_midterm_evaluation_adds_progress_rates_forecast_measures_and_office_text(db):
    women = Plan.objects.get(code="women")
    ReportSection.objects.create(
        plan_id=1,
        kind="midterm",
        year=2024,
        key="overall",
        text="规划实施总体顺利。\n健康领域成效明显。",
    )
    ReportSection.objects.create(
        plan=women, kind="midterm", year=2024, key="recommendations", text="加大宫颈癌筛查投入。"
    )
    measure = Measure.objects.get(area__plan__code="women", area__number=1, number=4)
    SelfAssessment.objects.create(
        department=Department.objects.get(code="health"),
        year=2024,
        measure=measure,
        rating="done",
        text="开展孕产妇安全分娩专项行动",
    )
    _snapshot, document = render_docx("midterm", "women", 2024)
    assert "中期评估报告（数据截至2024年）" in cover_text(document)
    titles = [t.split("、", 1)[1] for t in headings(document)[:-2]]
    # the appendices close the report, outside the chapter numbering
    assert headings(document)[-2:] == ["附表\u3000监测指标一览表", "附录\u3000方法说明"]
    for expected in (
        "评估工作开展情况",
        "总体评价",
        "主要成效",
        "完成进度与时间进度",
        "各领域目标达标情况",
        "2030年目标实现预测",
        "策略措施落实情况",
        "存在的主要问题",
        "对策建议",
        "预警指标清单",
        "缺项数据",
    ):
        assert expected in titles
    overall = [b[2] for b in chapter(document, "总体评价") if b[0] == "p"]
    assert "规划实施总体顺利。" in overall and "健康领域成效明显。" in overall
    assert "加大宫颈癌筛查投入。" in [b[2] for b in chapter(document, "对策建议") if b[0] == "p"]
    # Not written by the office yet: drafted from the stored results, one paragraph per area
    # with targets at risk, naming them.
    problems = [b[2] for b in chapter(document, "存在的主要问题") if b[0] == "p"]
    at_risk = district_results(2024, "women").filter(status__in=labels.AT_RISK)
    areas = {r.target.area.name for r in at_risk}
    assert areas and {p.split("领域，")[0] for p in problems if "领域，" in p} == areas
    some = at_risk.select_related("target__indicator").first().target.indicator.name
    assert some in "".join(problems) or "等" in "".join(problems)

    progress = next(b[2] for b in chapter(document, "完成进度与时间进度") if b[0] == "p")
    assert "时间进度为40%" in progress

    rows = table_after(document, "各领域目标达标率（2024年）")
    by_area = {row[0]: row for row in rows[1:]}
    for area in Area.objects.filter(plan__code="women", targets__isnull=False).distinct():
        # targets with a number: a directional one (提高) has no 达标 to count
        results = district_results(2024, "women").filter(target__area=area)
        results = results.exclude(target__comparator__in=DIRECTIONAL)
        evaluable = results.filter(status__in=labels.EVALUABLE)
        attained = results.filter(status="attained").count()
        row = by_area[area.name]
        assert int(row[2]) == evaluable.count()
        assert int(row[3]) == attained
        if evaluable.exists():
            assert row[4] == pct(attained / evaluable.count())

    forecast = table_after(document, "2030年预测值与达标概率")
    by_name = {row[1]: row for row in forecast[1:]}
    assert "提高" not in {row[6] for row in forecast[1:]}
    numeric = district_results(2024, "women").exclude(target__comparator__in=DIRECTIONAL)
    assert len(forecast) - 1 == numeric.count()
    for r in numeric.select_related("target__indicator"):
        row = by_name[r.target.indicator.name]
        p = r.attainment_probability
        assert row[7] == probability(p)
        point = next((f for f in r.detail["forecast"] if f["year"] == 2030), None)
        scale = r.target.indicator.scale
        assert row[4] == (f"{point['value']:.{decimals_for(scale)}f}" if point else "—")

    measures = table_after(document, "妇女与健康领域策略措施落实情况")
    row = next(r for r in measures[1:] if r[0] == "4")
    assert row[3] == "卫健局【已完成】开展孕产妇安全分娩专项行动"
    assert sum(1 for r in measures[1:]) == Measure.objects.filter(area=measure.area).count()


def test_final_evaluation_is_titled_as_such(db):
    snapshot = take_snapshot("final", "children", 2030 - 6)
    assert documents.title_lines(snapshot) == [
        "双阳区儿童发展规划（2021—2030年）",
        "终期评估报告（数据截至2024年）",
    ]
    snapshot["year"] = 2030
    assert documents.title_lines(snapshot)[1] == "终期评估报告"


def test_department_feedback_has_its_indicators_warnings_and_gaps_only(db):
    snapshot, document = render_docx("feedback", "women", 2024, department="health")
    health = Department.objects.get(code="health")
    own = Indicator.objects.filter(plan__code="women", retired=False).filter(
        Q(lead_department=health) | Q(co_departments=health)
    )
    cover = cover_text(document)
    assert "2024年监测情况反馈" in cover and "（区卫生健康局）" in cover and "示例数据" in cover
    rows = table_after(document, "本单位负责的监测指标（2024年）")
    judged = own.filter(targets__isnull=False).distinct()
    assert {r[1] for r in rows[1:]} == set(judged.values_list("name", flat=True))
    # those without a target (纲要监测指标) in a table of their own
    monitored = table_after(document, "纲要监测指标监测情况")
    assert {r[1] for r in monitored[1:]} == set(
        own.filter(targets__isnull=True).values_list("name", flat=True)
    )
    assert all(r[2] in ("牵头", "配合") for r in rows[1:])
    assert "义务教育巩固率" not in "\n".join(body_text(document))  # the education bureau's
    stored = Warning.objects.filter(
        result__in=district_results(2024, "women").filter(target__indicator__in=own)
    )
    warnings = next(b[1] for b in chapter(document, "预警指标") if b[0] == "t")
    assert sorted(r[3] for r in warnings[1:]) == sorted(w.reason for w in stored)
    assert headings(document) == [
        "一、监测指标情况",
        "二、预警指标",
        "三、数据缺报情况",
        "四、策略措施和定性目标自评情况",
    ]
    assessments = next(b[1] for b in chapter(document, "自评情况") if b[0] == "t")
    assert len(assessments) - 1 == sum(
        len(a["qualitative"]) + len(a["measures"]) for a in snapshot["areas"]
    )


def approved_values(indicator, unit, sex="", residence=""):
    return {
        v.year: v.value
        for v in DataValue.objects.filter(
            indicator=indicator,
            org_unit__code=unit,
            sex=sex,
            age_group="",
            residence=residence,
            year__lte=2024,
        ).filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True))
    }


def close(expected):
    """The stored values as Excel keeps them (16 significant digits); "…" where none."""
    return [x if x == "…" else pytest.approx(x, rel=1e-14) for x in expected]


def test_statistical_compilation_sheets_values_and_print_setup(db):
    snapshot = take_snapshot("compilation", "women", 2024)
    book = openpyxl.load_workbook(io.BytesIO(render(snapshot, datetime.datetime(2026, 3, 1))))
    areas = list(Area.objects.filter(plan__code="women").order_by("number"))
    assert book.sheetnames == [
        "说明",
        *(sheet_name({"number": a.number, "name": a.name}) for a in areas),
    ]
    assert "示例数据" in "\n".join(str(c.value) for c in book["说明"]["A"] if c.value)

    health = book[book.sheetnames[1]]
    header = [c.value for c in health[4]]
    assert header[:5] == ["指标代码", "监测指标", "单位", "地区", "分组"]
    assert header[5:11] == [f"{y}年" for y in range(2020, 2025)] + ["数据来源"]
    rows = [[c.value for c in row] for row in health.iter_rows(min_row=5)]

    def row_for(code, place, group):
        return next(r for r in rows if r[0] == code and r[3] == place and r[4] == group)

    township = OrgUnit.objects.filter(level=Level.TOWNSHIP, is_reference=False).first()
    checked = 0
    for indicator in Indicator.objects.filter(area=areas[0], retired=False):
        district = row_for(indicator.code, "双阳区", "合计")
        stored = approved_values(indicator, "220112")
        assert district[5:10] == close([stored.get(y, "…") for y in range(2020, 2025)])
        assert district[2] == indicator.unit
        assert district[10] == str(indicator.lead_department)
        if "sex" in indicator.disaggregations:
            female = row_for(indicator.code, "双阳区", "女性")
            assert female[5:10] == close(
                [
                    approved_values(indicator, "220112", sex="female").get(y, "…")
                    for y in range(2020, 2025)
                ],
            )
            checked += 1
        if "township" in indicator.org_levels:
            town = row_for(indicator.code, township.name, "合计")
            assert town[5:10] == close(
                [approved_values(indicator, township.code).get(y, "…") for y in range(2020, 2025)],
            )
            checked += 1
    assert checked >= 3

    assert health.freeze_panes == "F5"
    assert health.print_title_rows == "$1:$4"
    assert health.page_setup.orientation == "landscape"
    assert int(health.page_setup.paperSize) == 9  # A4
    assert health.sheet_properties.pageSetUpPr.fitToPage
    percent_row = next(
        i for i, r in enumerate(rows, start=5) if r[2] == "%" and isinstance(r[9], float)
    )
    assert health.cell(row=percent_row, column=10).number_format == "0.0"
