"""The 预警通报 .docx read back with python-docx, as the departments receive it."""

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from reports.reading import blocks, headings

from planwatch.rectification import document as writer


def read(bulletin):
    return Document(io.BytesIO(writer.build(bulletin)))


def test_the_bulletin_is_an_official_document(issued):
    doc = read(issued)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    assert doc.core_properties.identifier == "双妇儿工委办〔2026〕1号"


def test_heading_number_title_addressees_and_signature(issued):
    texts = [b[2] for b in blocks(read(issued)) if b[0] == "p" and b[2]]
    assert texts[:4] == [
        "双阳区妇女儿童工作委员会办公室",
        "双妇儿工委办〔2026〕1号",
        "关于2025年度妇女儿童发展规划监测指标预警情况的通报",
        "各有关成员单位：",
    ]
    assert texts[-3:] == [
        "双阳区妇女儿童工作委员会办公室",
        "2026年3月5日",
        "双阳区妇女儿童工作委员会办公室　　　　2026年3月5日印发",
    ]
    assert (
        "本次通报2025年度预警监测指标3项（红色预警1项，波动较大1项，黄色预警1项），涉及2个成员单位。"
        in texts
    )
    assert any("请于2026年4月10日前通过监测平台逐项反馈整改措施和完成时限" in t for t in texts)


def test_each_department_has_its_indicators_with_value_target_reason(issued):
    doc = read(issued)
    assert headings(doc) == ["一、预警总体情况", "二、各单位预警指标", "三、整改要求"]
    items = list(issued.items.select_related("department", "indicator"))
    departments = list(dict.fromkeys(i.department.name for i in items))
    assert headings(doc, 2) == [f"（{n}）{d}" for n, d in zip("一二", departments, strict=False)]
    tables = [b[1] for b in blocks(doc) if b[0] == "t"]
    assert len(tables) == 2
    assert tables[0][0] == ["序号", "监测指标", "目标值", "最新值", "预警级别", "预警原因"]
    rows = {r[1]: r for t in tables for r in t[1:]}
    for item in items:
        row = rows[f"{item.indicator.name}（{item.indicator.code}）"]
        assert row[2:] == [item.target_text, item.latest_text, item.level_label, item.reason]
    red = next(i for i in items if i.level == "red")
    assert red.indicator.code == "C1-01"  # a share in %, target 30%以上
    assert rows[f"{red.indicator.name}（C1-01）"][2:4] == ["30%以上", "81.5%（2025年）"]
    per_department = [b[2] for b in blocks(doc) if b[0] == "p" and b[2].startswith("涉及预警指标")]
    assert per_department == [
        f"涉及预警指标{n}项，请于2026年4月10日前反馈整改措施和完成时限。"
        for n in [sum(1 for i in items if i.department.name == d) for d in departments]
    ]


def test_the_same_bulletin_gives_the_same_document(issued):
    assert writer.build(issued) == writer.build(issued)


def test_every_part_is_dated_by_the_bulletin_not_by_the_clock(issued):
    # Zip entries dated by the clock made two builds a second apart differ (CI, stop 20).
    created = issued.created_at
    expected = (created.year, created.month, created.day, created.hour, created.minute)
    with zipfile.ZipFile(io.BytesIO(writer.build(issued))) as package:
        dates = {info.date_time[:5] for info in package.infolist()}
        assert dates == {expected}
        assert package.testzip() is None
