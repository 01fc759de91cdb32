"""The Word documents, chapter by chapter, written from a snapshot alone."""

from datetime import datetime

from planwatch.reports import (
    chapters,
    evaluation_chapters,
    evaluation_work,
    methods_annex,
    rectification_chapter,
)
from planwatch.reports.facts import Line, assessment_lines, lines_of, numeric, status_summary

KIND_TITLES = {
    "annual": "{year}年统计监测报告",
    "midterm": "中期评估报告",
    "final": "终期评估报告",
    "feedback": "{year}年监测情况反馈",
}
EVALUATION_YEARS = {"midterm": 2025, "final": 2030}


def title_lines(snapshot) -> list[str]:
    kind, year = snapshot["kind"], snapshot["year"]
    lines = [snapshot["plan"]["title"], KIND_TITLES[kind].format(year=year)]
    if kind in EVALUATION_YEARS and year != EVALUATION_YEARS[kind]:
        lines[-1] += f"（数据截至{year}年）"
    if snapshot["department"]:
        lines.append(f"（{snapshot['department']['name']}）")
    return lines


def document_title(snapshot) -> str:
    return "".join(title_lines(snapshot))


def annual(snapshot, created: datetime, progress) -> bytes:
    doc = chapters.new_document(snapshot)
    chapters.cover(doc, snapshot, title_lines(snapshot), created)
    doc.table_of_contents()
    chapters.completeness_notice(doc, snapshot)
    chapters.summary(doc, snapshot)
    progress(45, "各领域章节")
    for area in snapshot["areas"]:
        chapters.area_chapter(doc, snapshot, area)
    progress(80, "问题、建议、预警与缺项")
    chapters.office_section(doc, snapshot, "problems")
    chapters.office_section(doc, snapshot, "recommendations")
    chapters.warnings_chapter(doc, snapshot)
    rectification_chapter.chapter(doc, snapshot)
    chapters.missing_chapter(doc, snapshot)
    chapters.appendix_table(doc, snapshot)
    return doc.save(title=document_title(snapshot), created=created, identifier=snapshot["_hash"])


def evaluation(snapshot, created: datetime, progress) -> bytes:
    doc = chapters.new_document(snapshot)
    chapters.cover(doc, snapshot, title_lines(snapshot), created)
    doc.table_of_contents()
    chapters.completeness_notice(doc, snapshot)
    evaluation_work.chapter(doc, snapshot)
    doc.heading1("总体评价")
    chapters.office_section(doc, snapshot, "overall", level=2)
    chapters.summary(doc, snapshot, heading="目标完成情况", level=2)
    chapters.office_section(doc, snapshot, "achievements")
    progress(35, "完成进度与达标率")
    evaluation_chapters.progress_chapter(doc, snapshot)
    evaluation_chapters.attainment_chapter(doc, snapshot)
    evaluation_chapters.forecast_chapter(doc, snapshot)
    progress(50, "各领域章节")
    for area in snapshot["areas"]:
        chapters.area_chapter(doc, snapshot, area, forecast=True, all_measures=True)
    progress(85, "措施落实、问题与建议")
    evaluation_chapters.measures_overview(doc, snapshot)
    chapters.office_section(doc, snapshot, "problems")
    chapters.office_section(doc, snapshot, "recommendations")
    chapters.warnings_chapter(doc, snapshot)
    rectification_chapter.chapter(doc, snapshot)
    chapters.missing_chapter(doc, snapshot)
    chapters.appendix_table(doc, snapshot)
    methods_annex.annex(doc, snapshot)
    return doc.save(title=document_title(snapshot), created=created, identifier=snapshot["_hash"])


def feedback(snapshot, created: datetime, progress) -> bytes:
    """反馈: one department's indicators, statuses, warnings, data gaps and self-assessments."""
    department = snapshot["department"]
    year = snapshot["year"]
    doc = chapters.new_document(snapshot)
    chapters.cover(doc, snapshot, title_lines(snapshot), created)
    lines = lines_of(snapshot)
    doc.heading1("监测指标情况")
    if not lines:
        doc.paragraph("本单位在本规划中不负责量化监测指标。")
    else:
        doc.paragraph(
            f"{department['name']}在{chapters.plan_ref(snapshot)}中牵头或配合负责量化监测目标"
            f"{len(numeric(lines))}项。截至{year}年：{status_summary(lines)}。"
        )
        _feedback_table(doc, snapshot, lines)
        for i, line in enumerate(lines, start=1):
            doc.paragraph(line.sentence, lead=f"{i}. {line.indicator['name']}。")
    chapters.monitored_table(doc, snapshot)
    progress(60, "预警与缺项")
    doc.heading1("预警指标")
    if snapshot["warnings"]:
        doc.paragraph(
            f"本单位负责的指标共有预警{len(snapshot['warnings'])}条，请分析原因、研究措施，"
            "并在下一年度自评中说明整改情况。"
        )
        doc.table(
            ["序号", "预警级别", "监测指标", "预警原因"],
            [
                [i, w["level_label"], w["indicator_name"], w["reason"]]
                for i, w in enumerate(snapshot["warnings"], start=1)
            ],
            [10, 18, 40, 88],
            numeric=(0,),
        )
    else:
        doc.paragraph("本单位负责的指标无预警。")
    chapters.missing_chapter(doc, snapshot, heading="数据缺报情况")
    _feedback_assessments(doc, snapshot)
    return doc.save(title=document_title(snapshot), created=created, identifier=snapshot["_hash"])


def _feedback_table(doc, snapshot, lines: list[Line]) -> None:
    code = snapshot["department"]["code"]
    year = snapshot["year"]
    doc.caption(f"本单位负责的监测指标（{year}年）", table=True)
    doc.table(
        ["序号", "监测指标", "职责", "单位", f"{year}年", "目标值", "状态"],
        [
            [
                i,
                line.indicator["name"],
                "牵头" if line.indicator["lead_code"] == code else "配合",
                line.indicator["unit_label"] or "—",
                line.value_text,
                line.target["text"],
                line.status_label,
            ]
            for i, line in enumerate(lines, start=1)
        ],
        [10, 48, 12, 16, 18, 30, 22],
        numeric=(0, 4),
    )


def _feedback_assessments(doc, snapshot) -> None:
    year = snapshot["year"]
    doc.heading1("策略措施和定性目标自评情况")
    items = [
        (f"{area['name']} 目标{item['number']}", item)
        for area in snapshot["areas"]
        for item in area["qualitative"]
    ] + [
        (f"{area['name']} 措施{item['number']}：{item['title']}", item)
        for area in snapshot["areas"]
        for item in area["measures"]
    ]
    if not items:
        doc.paragraph("本单位在本规划中不负责策略措施或定性目标。")
        return
    done = [x for x in items if x[1]["assessments"]]
    doc.paragraph(
        f"本单位负责的策略措施和定性目标共{len(items)}项，已自评{len(done)}项，"
        f"未自评{len(items) - len(done)}项。"
    )
    rows = []
    for i, (name, item) in enumerate(items, start=1):
        quotes = assessment_lines(item, year)
        rows.append([i, name, "；".join(quotes) if quotes else "尚未自评"])
    doc.table(["序号", "措施或目标", "自评情况"], rows, [10, 56, 90], numeric=(0,))
    if len(done) < len(items):
        doc.paragraph("请在平台“部门自评”页面补充未自评事项，并上传佐证材料。")


WRITERS = {
    "annual": annual,
    "midterm": evaluation,
    "final": evaluation,
    "feedback": feedback,
}
