"""The annual monitoring report on the demo data, read back with python-docx and compared with
the database it was written from."""

import datetime

import pytest
from django.db.models import Q

from planwatch.catalog.models import Area, Indicator, Target
from planwatch.catalog.numbers import decimals_for
from planwatch.collection.models import APPROVED_STATES, DataValue, Submission
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import SeriesResult, Warning
from planwatch.reports import labels
from planwatch.reports.snapshot import snapshot_hash, take_snapshot

from .building import render_docx
from .reading import blocks, body_text, chapter, cover_text, headings, table_after

pytestmark = pytest.mark.usefixtures("demo_results")
DISTRICT = "220112"
DIRECTIONAL = ("increase", "decrease", "maintain_high")


@pytest.fixture(scope="module")
def annual(demo_results, module_db):
    return render_docx("annual", "women", 2024)


def district_results(year, plan):
    return SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__code=DISTRICT,
        sex="",
        age_group="",
        residence="",
        target__area__plan__code=plan,
    ).select_related("target__area", "target__indicator__lead_department")


def approved(indicator, year, unit=DISTRICT):
    value = (
        DataValue.objects.filter(
            indicator=indicator, org_unit__code=unit, year=year, sex="", age_group="", residence=""
        )
        .filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True))
        .first()
    )
    return None if value is None else value.value


def shown(x, indicator):
    """A value as the pages and reports print it: the indicator's fixed decimals, no "-0.0"."""
    text = f"{x:.{decimals_for(indicator.scale)}f}"
    return text.lstrip("-") if not text.strip("-0.") else text


def signed(x, indicator):
    text = shown(x, indicator)
    return text if text.startswith("-") or not text.strip("0.") else "+" + text


def test_cover_names_the_plan_the_year_and_says_demo_data(annual):
    snapshot, document = annual
    cover = cover_text(document)
    assert "双阳区妇女发展规划（2021—2030年）" in cover
    assert "2024年统计监测报告" in cover
    assert "示例数据" in cover and labels.DEMO_NOTE in cover
    assert snapshot["demo"] is True


def test_a_report_from_real_data_has_no_demo_mark(db):
    from io import BytesIO

    from docx import Document

    from planwatch.reports.build import render

    snapshot = take_snapshot("annual", "women", 2024)
    snapshot["demo"] = False
    document = Document(BytesIO(render(snapshot, datetime.datetime(2026, 3, 1))))
    assert "示例数据" not in cover_text(document)
    assert "示例数据" not in "\n".join(body_text(document))


def test_chapters_follow_the_plan_order(annual, db):
    _snapshot, document = annual
    areas = list(Area.objects.filter(plan__code="women").order_by("number"))
    titles = headings(document)
    assert titles[0] == "一、总体情况"
    assert [t.split("、", 1)[1] for t in titles[1 : 1 + len(areas)]] == [a.name for a in areas]
    assert titles[1 + len(areas) :] == [
        f"{labels.chinese_number(len(areas) + 2)}、存在的主要问题",
        f"{labels.chinese_number(len(areas) + 3)}、对策建议",
        f"{labels.chinese_number(len(areas) + 4)}、预警指标清单",
        f"{labels.chinese_number(len(areas) + 5)}、预警通报与整改落实情况",
        f"{labels.chinese_number(len(areas) + 6)}、缺项数据",
        "附表　监测指标一览表",
    ]


def test_summary_counts_each_status_as_stored(annual, db):
    _snapshot, document = annual
    rows = table_after(document, "2024年各领域监测目标状态")
    total = rows[-1]
    assert total[0] == "合计"
    # targets with a number only: a directional one (提高) is never counted as 已达标
    every = district_results(2024, "women")
    directional = every.filter(target__comparator__in=DIRECTIONAL)
    results = every.exclude(target__comparator__in=DIRECTIONAL)
    assert directional.exists()
    assert int(total[1]) == results.count()
    for column, status in enumerate(labels.EVALUABLE, start=2):
        assert int(total[column]) == results.filter(status=status).count(), status
    summary = "\n".join(body_text(document))
    assert f"共设置{results.count()}项量化监测目标" in summary
    assert f"另有方向性目标{directional.count()}项" in summary


def test_every_indicator_with_its_value_change_target_and_status(annual, db):
    _snapshot, document = annual
    checked = 0
    for area in Area.objects.filter(plan__code="women", targets__isnull=False).distinct():
        rows = table_after(document, f"{area.name}领域监测指标（2024年）")
        assert rows[0][3] == "2024年"
        results = district_results(2024, "women").filter(target__area=area)
        assert len(rows) - 1 == results.count()
        for r in results:
            indicator = r.target.indicator
            # an indicator with a numeric and a directional target has a row for each
            row = next(
                row
                for row in rows[1:]
                if row[1] == indicator.name
                and (
                    row[6] == r.target.wording
                    if r.target.value is None
                    else any(c.isdigit() for c in row[6])
                )
            )
            value, previous = approved(indicator, 2024), approved(indicator, 2023)
            assert row[2] == indicator.unit
            assert row[3] == shown(value, indicator)
            assert row[4] == signed(value - previous, indicator)
            if r.target.value is None:
                assert row[6] == r.target.wording
                assert row[7] == labels.status_label(r.status, r.rule, r.target.comparator)
            else:
                assert f"{r.target.value:g}" in row[6]
                assert row[7] == labels.STATUS_LABELS[r.status]
            checked += 1
    assert checked == district_results(2024, "women").count() > 20


def test_sentences_are_the_stored_explanations_for_every_kind_of_series(annual, db):
    _snapshot, document = annual
    text = "\n".join(body_text(document))
    results = list(district_results(2024, "women"))
    for r in results:
        assert r.explanation in text, r.target.code
    # the stored detail keeps 6 significant digits: equal values may differ in the last one
    rising = [r for r in results if r.latest_value > r.detail["base_value"] * (1 + 1e-5)]
    falling = [r for r in results if r.latest_value < r.detail["base_value"] * (1 - 1e-5)]
    attained = [r for r in results if r.status == "attained"]
    regressing = [r for r in results if r.status == "regressing"]
    assert rising and falling and attained and regressing
    assert all("较基期上升" in r.explanation for r in rising)
    assert all("较基期下降" in r.explanation for r in falling)
    numeric = [r for r in attained if r.target.value is not None]
    assert all("已实现目标" in r.explanation for r in numeric)
    # a directional target's attainment is a direction: 已实现预期方向 / 保持在较高水平
    assert all(
        "已实现预期方向" in r.explanation or "保持在较高水平" in r.explanation
        for r in attained
        if r.target.value is None
    )
    assert all("倒退" in r.explanation or "退步" in r.explanation for r in regressing)


def test_group_gaps_are_the_page_s_stored_sentences_with_the_approved_values(annual, db):
    """The female/male and urban/rural sentences are those the recompute stored for the
    indicator page; their figures are the approved values of the last common year."""
    from planwatch.catalog import numbers
    from planwatch.monitoring.models import Comparison

    _snapshot, doc = annual
    text = "".join(body_text(doc))
    checked = 0
    for comparison in (
        Comparison.objects.filter(
            as_of_year=2024, preview=False, indicator__targets__area__plan__code="women"
        )
        .select_related("indicator")
        .distinct()
    ):
        indicator = comparison.indicator
        if not indicator.targets.exists():
            continue
        for axis, (a, b) in (("sex", ("female", "male")), ("residence", ("urban", "rural"))):
            pair = comparison.gaps.get(axis)
            common = sorted(set(pair["a"]) & set(pair["b"])) if pair else []
            if not common:
                continue
            year = int(common[-1])
            first, second = (
                DataValue.objects.counted().get(
                    indicator=indicator,
                    org_unit__code=DISTRICT,
                    year=year,
                    age_group="",
                    **{axis: group, ("residence" if axis == "sex" else "sex"): ""},
                )
                for group in (a, b)
            )
            sentence = pair["gap"]["explanation"]
            assert sentence in text, indicator.code
            unit = indicator.value_suffix
            assert numbers.value(first.value, indicator.scale, unit) in sentence
            assert numbers.value(second.value, indicator.scale, unit) in sentence
            assert sentence.startswith(f"{year}年"), sentence
            checked += 1
    assert checked >= 3


def test_warnings_chapter_lists_the_stored_warnings_with_reasons(annual, db):
    _snapshot, document = annual
    table = next(b[1] for b in chapter(document, "预警指标清单") if b[0] == "t")
    stored = Warning.objects.filter(result__in=district_results(2024, "women"))
    assert stored.count() > 5
    assert len(table) - 1 == stored.count()
    assert sorted(row[7] for row in table[1:]) == sorted(w.reason for w in stored)
    assert {row[1] for row in table[1:]} == {labels.WARNING_LEVELS[w.level] for w in stored}
    red = stored.filter(level="red").first()
    row = next(r for r in table[1:] if r[7] == red.reason)
    assert row[1] == "红色预警"
    assert row[2] == red.result.target.indicator.name


def expected_gaps(plan, year):
    """(department short name, indicator code) without an approved total for the year."""
    from planwatch.org.models import Level, OrgUnit

    units = [OrgUnit.objects.get(code=DISTRICT)]
    townships = list(OrgUnit.objects.filter(level=Level.TOWNSHIP, is_reference=False))
    gaps = set()
    for indicator in Indicator.objects.filter(plan__code=plan, retired=False):
        wanted = (units if "district" in indicator.org_levels else []) + (
            townships if "township" in indicator.org_levels else []
        )
        if any(approved(indicator, year, unit.code) is None for unit in wanted):
            gaps.add((str(indicator.lead_department), indicator.code))
    return gaps


def test_missing_data_chapter_agrees_with_the_database(db):
    _snapshot, document = render_docx("annual", "children", 2024)
    gaps = expected_gaps("children", 2024)
    assert gaps  # the demo leaves a few township values out
    table = next(b[1] for b in chapter(document, "缺项数据") if b[0] == "t")
    found = {(row[1], row[3].rsplit("（", 1)[1].rstrip("）")) for row in table[1:]}
    assert found == gaps
    intro = next(b[2] for b in chapter(document, "缺项数据") if b[0] == "p")
    for department, _code in gaps:
        assert department in intro


def test_appendix_lists_every_indicator(annual, db):
    _snapshot, document = annual
    table = next(b[1] for b in chapter(document, "附表") if b[0] == "t")
    # The plan's own indicators and those it shares with the children's plan, by the area
    # of the plan's target on them.
    first_area, targets = {}, {}
    for t in Target.objects.filter(area__plan__code="women", indicator__retired=False).order_by(
        "sort"
    ):
        first_area.setdefault(t.indicator.code, t.area.number)
        targets[t.indicator.code] = targets.get(t.indicator.code, 0) + 1
    # one row per target: an indicator with a numeric and a directional target has two
    codes = [
        code
        for _n, code in sorted((n, code) for code, n in first_area.items())
        for _ in range(targets[code])
    ]
    assert [row[0] for row in table[1:]] == codes
    w101 = next(row for row in table[1:] if row[0] == "W1-01")
    w1 = Indicator.objects.get(code="W1-01")
    assert w101[5] == shown(approved(w1, 2024), w1)
    # 全国 beside it, from the NBS 2024 monitoring report (14.3/10万), and the source named
    assert table[0][8] == "全国" and w101[8] == "14.3"
    notes = "\n".join(b[2] for b in chapter(document, "附表") if b[0] == "p")
    assert "2024年《中国妇女发展纲要(2021—2030年)》统计监测报告" in notes


def test_charts_are_png_pictures_for_the_summary_and_every_area_with_indicators(annual, db):
    _snapshot, document = annual
    shapes = document.inline_shapes
    areas = Area.objects.filter(plan__code="women", targets__isnull=False).distinct().count()
    assert len(shapes) >= 1 + areas
    for shape in shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        assert document.part.related_parts[rid].blob[:8] == b"\x89PNG\r\n\x1a\n"
    captions = [b[2] for b in blocks(document) if b[0] == "p" and b[2].startswith("图")]
    assert len(captions) == len(shapes)


def test_same_data_gives_the_same_document_apart_from_its_date(db):
    first_snapshot, first = render_docx(
        "annual", "women", 2024, created=datetime.datetime(2026, 1, 5)
    )
    second_snapshot, second = render_docx(
        "annual", "women", 2024, created=datetime.datetime(2027, 7, 9)
    )
    assert snapshot_hash(first_snapshot) == snapshot_hash(second_snapshot)
    a, b = body_text(first), body_text(second)
    assert a != b  # the date differs …
    dated = [line for line in a if line.startswith("生成日期")]
    assert dated == ["生成日期：2026年1月5日"]
    assert [x for x in a if x not in dated] == [x for x in b if not x.startswith("生成日期")]


def test_a_year_with_gaps_says_so_instead_of_inventing_numbers(db):
    # 2025 as the platform would see it once the departments that reported are approved:
    # education, civil affairs and water have sent nothing.
    Submission.objects.filter(round__year=2025).update(status="approved")
    recompute(2025)
    _snapshot, document = render_docx("annual", "women", 2025)
    late = Indicator.objects.get(code="W2-02")  # led by the education bureau
    on_time = Indicator.objects.get(code="W1-01")
    assert str(late.lead_department) == "教育局"
    rows = table_after(document, "妇女与教育领域监测指标（2025年）")
    row = next(r for r in rows[1:] if r[1] == late.name)
    assert row[3] == "缺报"
    assert row[4] == row[5] == "—"
    text = "\n".join(body_text(document))
    assert f"{late.name}。该指标2025年数据缺报，以下按最近一年（2024年）数据评价：" in text
    health = table_after(document, "妇女与健康领域监测指标（2025年）")
    assert next(r for r in health[1:] if r[1] == on_time.name)[3] == shown(
        approved(on_time, 2025), on_time
    )
    missing = chapter(document, "缺项数据")
    intro = next(b[2] for b in missing if b[0] == "p")
    assert "教育局" in intro
    table = next(b[1] for b in missing if b[0] == "t")
    assert any(r[1] == "教育局" and "W2-02" in r[3] and "全区" in r[4] for r in table[1:])
    assert not any(r[1] == "卫健局" and "W1-01" in r[3] and "全区" in r[4] for r in table[1:])


def test_count_indicators_carry_events_denominator_pooled_rate_and_interval(annual, db):
    _snapshot, document = annual
    area = Area.objects.get(plan__code="women", number=1)
    rows = table_after(document, f"{area.name}领域计数指标合计率")
    assert rows[0] == [
        "序号",
        "监测指标",
        "合计年份",
        "例数",
        "分母",
        "合计率",
        "95%置信区间",
        "证据",
    ]
    stored = {
        r.target.indicator.name: r
        for r in district_results(2024, "women").filter(target__area=area)
        if r.pooled_rate is not None
    }
    assert len(rows) - 1 == len(stored) > 0
    for row in rows[1:]:
        r = stored[row[1]]
        # the pooled rate is events / exposure × factor: checked here from the stored counts
        factor = r.target.indicator.factor
        assert abs(r.pooled_rate - r.pooled_events / r.pooled_exposure * factor) < 1e-6 * factor
        assert row[3] == f"{r.pooled_events:,.0f}" and row[4] == f"{r.pooled_exposure:,.0f}"
        ind = r.target.indicator
        assert row[5].startswith(shown(r.pooled_rate, ind))
        lo, hi = shown(r.pooled_lo95, ind), shown(r.pooled_hi95, ind)
        assert row[6] == (f"{lo}～{hi}" if lo != hi else "—")
        assert row[7] == ("弱" if r.evidence == "weak" else "强")
    maternal = rows[[row[1] for row in rows].index("孕产妇死亡率")]
    assert maternal[7] == "弱"
    assert "Garwood" in body_text(document)[-1] or any("Garwood" in t for t in body_text(document))


def test_drafted_achievements_name_directional_targets_apart(annual, db):
    """A directional target reached (已实现预期方向) is an achievement in its own sentence; it
    never swells the count of numeric targets 已实现或按进度可如期实现."""
    from planwatch.reports import drafts

    snapshot, _document = annual
    text = drafts.achievements(snapshot)
    results = district_results(2024, "women")
    numeric_good = results.exclude(target__comparator__in=DIRECTIONAL).filter(
        status__in=("attained", "on_track")
    )
    assert f"{numeric_good.count()}项已实现或按进度可如期实现" in text
    reached = results.filter(target__comparator="increase", status="attained")
    assert reached.exists()
    sentence = next(p for p in text.split("\n") if p.startswith("在方向性目标中"))
    for r in reached:
        assert r.target.indicator.name in sentence
