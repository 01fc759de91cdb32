"""The form of the documents: A4, official margins and fonts, page numbers, contents; charts in
a CJK font with no missing glyphs. No database needed: a document is written from a snapshot."""

import datetime
import io
import warnings

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from planwatch.monitoring.models import Status
from planwatch.reports import charts, labels
from planwatch.reports.build import render

from .reading import cover_text, headings


def tiny_snapshot(demo=True) -> dict:
    """A snapshot of one area with one indicator: enough to write every chapter."""
    result = {
        "status": "on_track",
        "explanation": (
            "2024年为95%，较基期上升5，按现有速度2030年预计约为99%，可实现目标（≥98%）。"
        ),
        "latest_year": 2024,
        "latest_value": 95.0,
        "projected_value": 99.0,
        "completion_progress": 0.62,
        "time_progress": 0.4,
        "progress_gap_points": 22.0,
        "attainment_probability": 0.9,
        "base_value": 90.0,
        "base_year_used": 2020,
        "threshold": 98.0,
        "breaks": [],
        "rule": "R5",
        "forecast": [{"year": 2030, "value": 99.0, "lo80": 97.0, "hi80": 100.0}],
        "forecast_reason": None,
        "scope": None,
    }
    indicator = {
        "code": "X1-01",
        "name": "示例检测率",
        "unit": "%",
        "unit_label": "%",
        "scale": "percent",
        "direction": "higher",
        "note": "",
        "lead": "卫健局",
        "lead_code": "health",
        "co": [],
        "levels": ["district"],
        "district": {"2020": 90.0, "2023": 94.0, "2024": 95.0},
        "groups": [],
        "townships": {},
        "comments": [],
        "targets": [
            {
                "code": "X1-O1-1",
                "comparator": ">=",
                "value": 98.0,
                "base_year": 2020,
                "target_year": 2030,
                "scope": "district",
                "quote": "检测率达到98%以上",
                "text": "≥98%",
                "source": "主要目标1",
                "result": result,
            }
        ],
    }
    return {
        "schema": 1,
        "kind": "annual",
        "year": 2024,
        "years": [2020, 2021, 2022, 2023, 2024],
        "plan": {
            "code": "women",
            "name": "双阳区妇女发展规划（2021-2030年）",
            "title": "双阳区妇女发展规划（2021—2030年）",
            "subject": "妇女",
            "document": "长双府办发〔2022〕8号",
            "start_year": 2021,
            "end_year": 2030,
        },
        "department": None,
        "demo": demo,
        "district": "双阳区",
        "townships": [],
        "areas": [
            {
                "number": 1,
                "name": "妇女与健康",
                "indicators": [indicator],
                "qualitative": [],
                "measures": [],
            }
        ],
        "warnings": [],
        "missing": [],
        "sections": {},
    }


@pytest.fixture(scope="module")
def document():
    data = render(tiny_snapshot(), datetime.datetime(2026, 3, 1))
    return Document(io.BytesIO(data))


def east_asia_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_a4_with_official_margins_on_every_section(document):
    assert len(document.sections) == 2  # the cover, then the numbered body
    for section in document.sections:
        # Word stores twentieths of a point: millimetres come back to within 0.05 mm.
        assert section.page_width.mm == pytest.approx(210, abs=0.05)
        assert section.page_height.mm == pytest.approx(297, abs=0.05)
        assert section.top_margin.mm == pytest.approx(37, abs=0.05)
        assert section.bottom_margin.mm == pytest.approx(35, abs=0.05)
        assert section.left_margin.mm == pytest.approx(28, abs=0.05)
        assert section.right_margin.mm == pytest.approx(26, abs=0.05)


def test_fonts_and_sizes_of_title_body_and_headings(document):
    styles = document.styles
    assert east_asia_font(styles["Normal"]) == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)  # 三号
    assert east_asia_font(styles["Heading 1"]) == "黑体"
    assert east_asia_font(styles["Heading 2"]) == "楷体_GB2312"
    assert east_asia_font(styles["Title"]) == "方正小标宋简体"
    assert styles["Title"].font.size == Pt(22)  # 二号
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:asciiTheme")) is None, name  # no theme font overriding it
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "双阳区妇女发展规划（2021—2030年）"


def test_the_font_table_names_the_fallbacks(document):
    part = next(
        p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    )
    xml = part.blob.decode("utf-8")
    for font, fallback in (
        ("方正小标宋简体", "黑体"),
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
    ):
        assert f'<w:font w:name="{font}"><w:altName w:val="{fallback}"/>' in xml


def test_page_numbers_in_the_body_footer_and_none_on_the_cover(document):
    cover, body = document.sections
    assert not cover.footer.paragraphs or not "".join(p.text for p in cover.footer.paragraphs)
    footer = body.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    start = body._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
    assert start == "1"


def test_table_of_contents_entries_point_at_their_headings_by_page_reference(document):
    body = document.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    # No TOC field around the entries: LibreOffice prints PAGEREFs inside one without numbers.
    assert not any(i.startswith("TOC") for i in instructions)
    assert any(p.text == "目  录" for p in document.paragraphs)
    toc = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    entries = [p.text for p in toc]
    assert entries and entries[0].startswith("一、总体情况")
    assert [e.rstrip("\t") for e in entries if not e.startswith("（")][:2] == headings(document)[:2]
    marks = {
        m.get(qn("w:name")): p.text
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
        for m in p._p.iter(qn("w:bookmarkStart"))
    }
    for entry in toc:
        refs = [t.text.split()[1] for t in entry._p.iter(qn("w:instrText"))]
        assert len(refs) == 1 and refs[0] in marks
        assert marks[refs[0]] == entry.text.rstrip("\t")
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_tables_carry_units(document):
    table = document.tables[1]  # the area's indicator table
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "监测指标", "单位"]
    assert table.rows[1].cells[2].text == "%"
    assert any(p.text == "单位：项" for p in document.paragraphs)


def test_demo_mark_follows_the_data(document):
    assert "示例数据" in cover_text(document)
    plain = Document(io.BytesIO(render(tiny_snapshot(demo=False), datetime.datetime(2026, 3, 1))))
    assert "示例数据" not in cover_text(plain)


def test_status_labels_are_the_dashboard_words():
    with translation.override("zh-hans"):
        assert {s.value: str(s.label) for s in Status} == labels.STATUS_LABELS


def test_chinese_chapter_numbers():
    assert [labels.chinese_number(n) for n in (1, 9, 10, 12, 20, 23)] == [
        "一", "九", "十", "十二", "二十", "二十三",
    ]  # fmt: skip


def test_chart_font_is_the_installed_noto_cjk():
    path = charts.cjk_font_path()
    assert path == "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    found = font_manager.findfont(
        font_manager.FontProperties(family=charts.FONT_FAMILY), fallback_to_default=False
    )
    assert found == path


def draw_title(family=None) -> list[str]:
    """Render a Chinese title; return the warnings matplotlib gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with charts.cjk_style():
            fig = Figure(figsize=(3, 2))
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            kwargs = {"family": family} if family else {}
            ax.set_title("孕产妇死亡率（1/10万）达标概率", **kwargs)
            fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught]


def test_chinese_renders_without_missing_glyphs():
    assert not [m for m in draw_title() if "missing from" in m]
    # The check itself works: a Latin-only font does report missing glyphs.
    assert [m for m in draw_title(family="DejaVu Sans") if "missing from" in m]


def test_charts_are_png_and_the_same_data_draws_the_same_bytes():
    panel = {
        "title": "孕产妇死亡率",
        "unit": "/10万",
        "values": {2020: 14.0, 2021: 13.0, 2022: 12.5},
        "threshold": 12.0,
        "target_year": 2030,
        "forecast": [{"year": 2030, "value": 10.0, "lo80": 8.0, "hi80": 12.0}],
        "status": "on_track",
    }
    first = charts.series_grid([panel])
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.series_grid([panel]) == first
