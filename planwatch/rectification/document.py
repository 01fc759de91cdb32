"""预警通报 as the plan office prints it: 发文机关标志, 发文字号, red rule, title, 主送机关,
body, per-department tables, signature and date, 印发 line — in the official form the reports
use too (officialdoc: A4, 仿宋/黑体, page numbers). Written from the stored bulletin only, so it
never changes."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

from planwatch.accounts.notices import official_date
from planwatch.officialdoc.form import (
    DEMO_HEADER,
    NOTE,
    OFFICE,
    PPR_AFTER_BORDER,
    TITLE_FONT,
    OfficialDocument,
    chinese_number,
    set_fonts,
)

RED = RGBColor(0xC0, 0x00, 0x00)
ADDRESSEES = "各有关成员单位："


def _centered(doc, text, *, style="Normal", size=None, font=None, colour=None):
    p = doc.doc.add_paragraph(style=style)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    run = p.add_run(text)
    if size is not None:
        run.font.size = size
    if font is not None:
        set_fonts(run._r, font)
    if colour is not None:
        run.font.color.rgb = colour
    return p


def _rule(paragraph, side="bottom", colour="C00000", size=12) -> None:
    paragraph._p.get_or_add_pPr().insert_element_before(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="6" '
            f'w:color="{colour}"/></w:pBdr>'
        ),
        *PPR_AFTER_BORDER,
    )


def _flush(doc, text, *, align=WD_ALIGN_PARAGRAPH.LEFT):
    p = doc.paragraph(text)
    p.paragraph_format.first_line_indent = Pt(0)
    p.alignment = align
    return p


def by_department(items) -> list[tuple[object, list]]:
    groups: dict = {}
    for item in items:
        groups.setdefault(item.department, []).append(item)
    return list(groups.items())


def summary_sentence(bulletin, items) -> str:
    levels: dict = {}
    for item in items:
        levels[item.level_label] = levels.get(item.level_label, 0) + 1
    parts = "，".join(f"{label}{n}项" for label, n in levels.items())
    n_departments = len({i.department_id for i in items})
    return (
        f"本次通报{bulletin.monitoring_year}年度预警监测指标{len(items)}项（{parts}），"
        f"涉及{n_departments}个成员单位。"
    )


def build(bulletin) -> bytes:
    items = list(
        bulletin.items.select_related("department", "indicator").order_by(
            "department__sort", "sort", "pk"
        )
    )
    doc = OfficialDocument(header_text=DEMO_HEADER if bulletin.demo else "")
    section = doc.doc.sections[0]
    doc._page_number_footer(section)
    if doc.header_text:
        doc._header(section, doc.header_text)
    # 发文机关标志 and 发文字号 above the red rule.
    _centered(doc, OFFICE, size=Pt(26), font=TITLE_FONT, colour=RED)
    doc.doc.add_paragraph(style=NOTE)
    _rule(_centered(doc, bulletin.document_number))
    doc.doc.add_paragraph(style=NOTE)
    title = doc.doc.add_paragraph(bulletin.title, style="Title")
    title.paragraph_format.space_after = Pt(12)
    _flush(doc, ADDRESSEES)
    due = official_date(bulletin.due_on)
    doc.paragraph(
        bulletin.preface
        or (
            "根据双阳区妇女发展规划和儿童发展规划（2021—2030年）监测评估工作安排，"
            f"区妇儿工委办对{bulletin.monitoring_year}年度监测数据进行了分析评估，"
            "对按现有进度难以如期实现目标、进度滞后或数值波动较大的指标发出预警。"
            "现将有关情况通报如下。"
        )
    )
    doc.heading1("预警总体情况")
    doc.paragraph(summary_sentence(bulletin, items))
    doc.heading1("各单位预警指标")
    for department, owned in by_department(items):
        doc.heading2(department.name)
        doc.paragraph(f"涉及预警指标{len(owned)}项，请于{due}前反馈整改措施和完成时限。")
        doc.caption(f"{department.name}预警指标", table=True)
        doc.table(
            ["序号", "监测指标", "目标值", "最新值", "预警级别", "预警原因"],
            [
                [
                    n,
                    f"{i.indicator.name}（{i.indicator.code}）",
                    i.target_text,
                    i.latest_text,
                    i.level_label,
                    i.reason,
                ]
                for n, i in enumerate(owned, start=1)
            ],
            [9, 34, 22, 24, 17, 50],
            numeric=(0,),
        )
    doc.heading1("整改要求")
    for n, text in enumerate(
        (
            "各有关单位要高度重视，对照预警指标逐项分析原因，属数据问题的要核实更正，"
            "属工作进展问题的要制定切实可行的整改措施，明确责任人和完成时限。",
            f"请于{due}前通过监测平台逐项反馈整改措施和完成时限。",
            "区妇儿工委办将对整改情况跟踪督办，对逾期未反馈的予以催办，整改情况纳入年度监测报告。",
        ),
        start=1,
    ):
        doc.paragraph(text, lead=f"（{chinese_number(n)}）")
    doc.doc.add_paragraph(style=NOTE)
    doc.doc.add_paragraph(style=NOTE)
    for line in (OFFICE, official_date(bulletin.issued_on)):
        p = _flush(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(32)
    doc.doc.add_paragraph(style=NOTE)
    imprint = _flush(doc, f"{OFFICE}　　　　{official_date(bulletin.issued_on)}印发")
    _rule(imprint, side="top", colour="000000", size=8)
    for run in imprint.runs:
        run.font.size = Pt(14)
    return doc.save(
        title=f"{bulletin.document_number} {bulletin.title}",
        created=bulletin.created_at,
        identifier=bulletin.document_number,
    )
