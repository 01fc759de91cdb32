"""Chapters every monitoring document shares: cover, summary, areas, warnings, gaps, appendix."""

from datetime import datetime

from planwatch.catalog import numbers
from planwatch.officialdoc.form import DEMO_HEADER, OFFICE, OfficialDocument
from planwatch.reports import charts, drafts, labels
from planwatch.reports.facts import (
    ORIGIN_TITLES,
    Line,
    assessment_lines,
    lines_of,
    monitored_lines,
    numeric,
    pct,
    rate,
    signed,
    status_counts,
    status_summary,
)

PANELS_PER_CHART = 6


def new_document(snapshot: dict) -> OfficialDocument:
    return OfficialDocument(header_text=DEMO_HEADER if snapshot["demo"] else "")


def incompleteness(snapshot) -> str:
    """What a reader must know before trusting the figures: an unlocked year, missing data."""
    year = snapshot["year"]
    parts = []
    if not snapshot.get("round_locked", True):
        parts.append(f"{year}年数据尚未锁定，数值仍可能修改")
    n = sum(len(d["items"]) for d in snapshot.get("missing", []))
    if n:
        parts.append(f"{n}项指标{year}年数据缺报")
    return "；".join(parts)


def incomplete(snapshot) -> bool:
    return bool(incompleteness(snapshot))


def completeness_notice(doc, snapshot) -> None:
    """The first paragraph of a report on incomplete data says so, before any figure."""
    text = incompleteness(snapshot)
    if text:
        doc.paragraph(
            f"说明：{text}。本报告据此生成，相关结论为阶段性结论，经区妇儿工委办确认后方可印发。",
            lead="特别提示。",
        )


def cover(doc, snapshot, title_lines, created: datetime, *, issuer=OFFICE) -> None:
    footer = [issuer, f"生成日期：{created.year}年{created.month}月{created.day}日"]
    subtitle = [
        f"数据截至{snapshot['year']}年（已审核数据）",
        f"数据快照编号：{snapshot['_hash'][:12]}",
    ]
    if incomplete(snapshot):
        subtitle.insert(0, f"（数据不完整：{incompleteness(snapshot)}）")
    doc.cover(
        title_lines=title_lines,
        subtitle_lines=subtitle,
        demo=snapshot["demo"],
        demo_note=labels.DEMO_NOTE,
        footer_lines=footer,
    )


def plan_ref(snapshot) -> str:
    plan = snapshot["plan"]
    doc = f"（{plan['document']}）" if plan["document"] else ""
    return f"《{plan['title']}》{doc}"


def summary(doc, snapshot, *, heading: str = "总体情况", level: int = 1) -> list[Line]:
    lines = lines_of(snapshot)
    counts = status_counts(numeric(lines))
    year = snapshot["year"]
    evaluable = sum(counts[s] for s in labels.EVALUABLE)
    good = counts["attained"] + counts["on_track"]
    at_risk = sum(counts[s] for s in labels.AT_RISK)
    (doc.heading1 if level == 1 else doc.heading2)(heading)
    doc.paragraph(
        f"{plan_ref(snapshot)}在{len(snapshot['areas'])}个发展领域共设置{len(numeric(lines))}项"
        f"量化监测目标。根据截至{year}年已审核的统计数据，对各项目标的完成情况进行监测评价："
        f"{status_summary(lines)}。"
    )
    if evaluable:
        doc.paragraph(
            f"在可评价的{evaluable}项目标中，已达标和按进度可达标的共{good}项，"
            f"占{pct(rate(good, evaluable))}；需加快进度、难以达标和倒退的共{at_risk}项，"
            f"占{pct(rate(at_risk, evaluable))}，需重点关注。"
        )
    gaps = sum(len(d["items"]) for d in snapshot["missing"])
    if gaps:
        doc.paragraph(
            f"{year}年有{gaps}项指标数据缺报（未报送或未审核通过），相关目标按最近一年数据评价，"
            "不作推算，详见“缺项数据”一章。"
        )
    rows, chart_lines = [], []
    for area in snapshot["areas"]:
        area_counts = status_counts(numeric(lines_of(snapshot, area)))
        total = sum(area_counts.values())
        if not total:
            continue
        chart_lines.append((area["name"], area_counts))
        rows.append(
            [area["name"], total]
            + [area_counts[s] for s in labels.EVALUABLE]
            + [area_counts["insufficient_data"] + area_counts["no_data"]]
        )
    rows.append(
        ["合计", len(numeric(lines))]
        + [counts[s] for s in labels.EVALUABLE]
        + [counts["insufficient_data"] + counts["no_data"]]
    )
    doc.caption(f"{year}年各领域监测目标状态", table=True)
    headers = ["发展领域", "目标数"] + [labels.STATUS_LABELS[s] for s in labels.EVALUABLE]
    doc.table(
        [*headers, "数据不足/无数据"],
        rows,
        [30, 14, 16, 20, 18, 18, 14, 26],
        numeric=range(1, 8),
        unit="项",
    )
    if chart_lines:
        doc.caption(f"{year}年各领域监测目标状态", table=False)
        doc.picture(charts.status_by_area(chart_lines, labels.STATUS_LABELS))
    return lines


def area_chapter(doc, snapshot, area, *, forecast=False, all_measures=False) -> None:
    year = snapshot["year"]
    lines = lines_of(snapshot, area)
    doc.heading1(area["name"])
    if not lines:
        doc.paragraph("本领域未设置量化监测指标，以下为定性目标和策略措施落实情况。")
    else:
        doc.paragraph(f"本领域共有量化监测目标{len(numeric(lines))}项，{status_summary(lines)}。")
        doc.heading2("主要指标监测情况")
        indicator_table(doc, area, lines, year)
        for i, line in enumerate(lines, start=1):
            text = line.sentence + "".join(line.gap_sentences) + line.national_sentence
            doc.paragraph(text, lead=f"{i}. {line.indicator['name']}。")
        trend_charts(doc, area, lines, year, forecast=forecast)
    qualitative_section(doc, area, year)
    measures_section(doc, area, year, all_measures=all_measures)


def indicator_table(doc, area, lines: list[Line], year: int) -> None:
    doc.caption(f"{area['name']}领域监测指标（{year}年）", table=True)
    rows = [
        [
            i,
            line.indicator["name"],
            line.indicator["unit_label"] or "—",
            line.value_text,
            signed(line.change_on_last_year, line.indicator["scale"]),
            signed(line.change_on_base, line.indicator["scale"]),
            line.target["text"],
            line.status_label,
        ]
        for i, line in enumerate(lines, start=1)
    ]
    doc.table(
        ["序号", "监测指标", "单位", f"{year}年", "较上年", "较基期", "目标值", "状态"],
        rows,
        [10, 36, 12, 17, 15, 15, 25, 26],
        numeric=(0, 3, 4, 5),
    )
    doc.note(
        "注：“较上年”“较基期”为绝对变化量，百分比指标的单位为百分点；"
        "“缺报”表示该年度数据未报送或未审核通过。"
    )
    count_table(doc, area, lines, year)


COUNT_NOTE = (
    "注：例数、分母为合计年份内各年之和，合计率=例数/分母×系数。率的95%置信区间为Garwood精确区间"
    "（Poisson分布），比例为Clopper–Pearson精确区间（二项分布）。率的例数少于20例，或比例的分母"
    "少于30、区间宽于30个百分点时，数字不可靠，达标判断仅供参考（“证据弱”），相应预警列为"
    "“小样本，需持续观察”。方法见《评价方法》第9节。"
)


def count_table(doc, area, lines: list[Line], year: int) -> None:
    """例数/分母/合计率/置信区间 of the indicators with counts, from the stored results."""
    counted = [line for line in lines if line.result and line.result.get("pooled_rate") is not None]
    if not counted:
        return
    doc.caption(f"{area['name']}领域计数指标合计率（截至{year}年）", table=True)
    rows = []
    for i, line in enumerate(counted, start=1):
        r = line.result
        first, last = r.get("pooled_first_year"), r.get("pooled_last_year")
        years = f"{first}—{last}" if first != last else f"{last}"
        unit = line.indicator["unit_label"] or ""
        rows.append(
            [
                i,
                line.indicator["name"],
                years,
                numbers.count(r["pooled_events"]),
                numbers.count(r["pooled_exposure"]),
                f"{numbers.number(r['pooled_rate'], line.decimals)}{unit}",
                numbers.interval(r["pooled_lo95"], r["pooled_hi95"], line.indicator["scale"])
                or "—",
                "弱" if r.get("evidence") == "weak" else "强",
            ]
        )
    doc.table(
        ["序号", "监测指标", "合计年份", "例数", "分母", "合计率", "95%置信区间", "证据"],
        rows,
        [8, 40, 18, 13, 17, 18, 24, 10],
        numeric=(0, 3, 4, 5, 6),
    )
    doc.note(COUNT_NOTE)


def panel(line: Line, *, forecast: bool) -> dict:
    return {
        "title": line.indicator["name"],
        "unit": numbers.unit_words(line.indicator["unit"]),
        "from_zero": line.indicator.get("scale") in numbers.RATE_SCALES,
        "values": line.values,
        "threshold": line.threshold,
        "target_year": line.target["target_year"],
        "forecast": ((line.result or {}).get("forecast") or []) if forecast else [],
        "status": line.status,
    }


def trend_charts(doc, area, lines, year, *, forecast: bool) -> None:
    """The key series: every indicator of the area with at least one value."""
    drawn = [line for line in lines if line.values]
    if not drawn:
        return
    for start in range(0, len(drawn), PANELS_PER_CHART):
        chunk = drawn[start : start + PANELS_PER_CHART]
        suffix = "及2030年预测" if forecast else ""
        part = f"（{start // PANELS_PER_CHART + 1}）" if len(drawn) > PANELS_PER_CHART else ""
        doc.caption(f"{area['name']}领域主要指标变化趋势{suffix}{part}", table=False)
        doc.picture(charts.series_grid([panel(line, forecast=forecast) for line in chunk]))
    doc.note(
        "注：实线为全区历年数值，点线为目标值"
        + ("，虚线及阴影为预测值及其80%区间。" if forecast else "。")
    )


def qualitative_section(doc, area, year) -> None:
    items = area["qualitative"]
    if not items:
        return
    doc.heading2("定性目标落实情况")
    assessed = [item for item in items if item["assessments"]]
    doc.paragraph(f"本领域定性目标{len(items)}项，已有{len(assessed)}项收到责任单位自评。")
    doc.caption(f"{area['name']}领域定性目标落实情况", table=True)
    doc.table(
        ["序号", "定性目标", "责任单位", "自评情况"],
        [
            [
                item["number"],
                item["text"],
                "、".join(item["departments"]) or "—",
                "\n".join(assessment_lines(item, year)) or "尚未自评",
            ]
            for item in items
        ],
        [9, 62, 25, 60],
        numeric=(0,),
    )


def measures_section(doc, area, year, *, all_measures: bool) -> None:
    """The measures as their departments report them: every measure in an evaluation, only the
    assessed ones in an annual report (the others are counted)."""
    measures = area["measures"]
    if not measures:
        return
    assessed = [m for m in measures if m["assessments"]]
    shown = measures if all_measures else assessed
    doc.heading2("策略措施落实情况")
    doc.paragraph(
        f"本领域共有策略措施{len(measures)}项，已有{len(assessed)}项收到责任单位自评"
        + ("，各单位自评情况见下表。" if shown else "。")
    )
    if not shown:
        return
    doc.caption(f"{area['name']}领域策略措施落实情况", table=True)
    doc.table(
        ["序号", "策略措施", "责任单位", "自评情况"],
        [
            [
                m["number"],
                m["title"],
                "、".join(m["departments"]) or "—",
                "\n".join(assessment_lines(m, year)) or "尚未自评",
            ]
            for m in shown
        ],
        [9, 50, 27, 70],
        numeric=(0,),
    )


def warnings_chapter(doc, snapshot) -> None:
    warnings = snapshot["warnings"]
    doc.heading1("预警指标清单")
    if not warnings:
        doc.paragraph(f"截至{snapshot['year']}年，本规划监测指标无预警。")
        return
    by_level = {}
    for w in warnings:
        by_level[w["level_label"]] = by_level.get(w["level_label"], 0) + 1
    parts = "，".join(f"{label}{n}条" for label, n in by_level.items())
    doc.paragraph(
        f"截至{snapshot['year']}年，共有预警{len(warnings)}条：{parts}。红色预警表示按现有速度预计"
        "难以实现目标或变化方向与目标相反；黄色预警表示需加快进度或近年未保持目标；波动较大表示"
        "数值变化异常，需核实数据；缺报表示最近一个报送周期未报送数据。"
    )
    doc.caption("预警指标清单", table=True)
    rows = [
        [
            i,
            w["level_label"],
            w["indicator_name"],
            w["area"],
            _latest(w, snapshot["year"]),
            w.get("status_label") or labels.STATUS_LABELS.get(w["status"], w["status"]),
            w["department"],
            w["reason"],
        ]
        for i, w in enumerate(warnings, start=1)
    ]
    doc.table(
        ["序号", "预警级别", "监测指标", "领域", "最新值", "状态", "牵头单位", "预警原因"],
        rows,
        [9, 14, 28, 18, 17, 15, 15, 40],
        numeric=(0,),
    )


def _latest(w, year: int) -> str:
    if w["latest_value"] is None:
        return "—"
    when = "" if w["latest_year"] == year else f"（{w['latest_year']}年）"
    return f"{numbers.value(w['latest_value'], w.get('scale'), w['unit'])}{when}"


def missing_scope(item, n_townships: int) -> str:
    parts = []
    if item["district"]:
        parts.append("全区")
    if item["all_townships"]:
        parts.append(f"全部{n_townships}个乡镇（街道）")
    elif item["townships"]:
        parts.append("、".join(item["townships"]))
    return "；".join(parts)


def missing_chapter(doc, snapshot, *, heading="缺项数据") -> None:
    year = snapshot["year"]
    missing = snapshot["missing"]
    doc.heading1(heading)
    if not missing:
        doc.paragraph(f"截至报告生成时，{year}年各项监测指标数据均已报送并审核通过，无缺项。")
        return
    n_items = sum(len(d["items"]) for d in missing)
    names = "、".join(d["name"] for d in missing)
    doc.paragraph(
        f"截至报告生成时，共有{n_items}项监测指标{year}年数据缺报（未报送或未审核通过），"
        f"涉及{names}{len(missing)}个责任单位。报告对上述指标不作{year}年数值推算，"
        "均注明缺报；请相关单位在下一报送周期前补报。"
    )
    doc.caption(f"{year}年缺项数据", table=True)
    rows = []
    n_townships = len(snapshot["townships"])
    for d in missing:
        for item in d["items"]:
            rows.append(
                [
                    len(rows) + 1,
                    d["name"],
                    d["submission"] or "—",
                    f"{item['name']}（{item['indicator']}）",
                    missing_scope(item, n_townships),
                ]
            )
    doc.table(["序号", "责任单位", "报送状态", "缺报指标", "缺报范围"], rows, [9, 24, 28, 50, 45])


def appendix_table(doc, snapshot) -> None:
    year = snapshot["year"]
    doc.appendix("附表　监测指标一览表")
    rows = []
    for line in lines_of(snapshot):
        values = line.values
        rows.append(
            [
                line.indicator["code"],
                line.indicator["name"],
                line.indicator["unit_label"] or "—",
                _num(line.base, line.decimals),
                _num(values.get(year - 1), line.decimals),
                line.value_text,
                line.target["text"],
                line.status_label,
                line.national_value_text,
                line.indicator["lead"],
            ]
        )
    doc.table(
        [
            "代码",
            "监测指标",
            "单位",
            "基期值",
            f"{year - 1}年",
            f"{year}年",
            "目标值",
            "达标情况",
            "全国",
            "牵头单位",
        ],
        rows,
        # Sized so that no code, number or year splits across lines.
        [16, 24, 10, 15, 15, 15, 18, 15, 14, 14],
        numeric=(3, 4, 5, 8),
    )
    doc.note(
        f"注：基期值一般为2020年数值；“{labels.MISSING_MARK}”表示无数据，“缺报”表示该年度数据未报送或未审核通过。"
    )
    sources = sorted({line.national["source"] for line in lines_of(snapshot) if line.national})
    if sources:
        older = [
            f"{line.indicator['code']}为{line.national['year']}年"
            for line in lines_of(snapshot)
            if line.national and line.national["year"] != year
        ]
        when = f"全国栏为{year}年数据" + (f"（{'、'.join(dict.fromkeys(older))}）" if older else "")
        doc.note(f"注：{when}。全国数据来源：" + "；".join(sources) + "。")
    monitored_table(doc, snapshot)


def monitored_table(doc, snapshot) -> None:
    """In the annex, after the targets' table: the 纲要监测指标 and 扩充调整指标, which the plan
    sets no target for — their values beside the base year's and the nation's, no status."""
    year = snapshot["year"]
    for origin, title in ORIGIN_TITLES.items():
        lines = monitored_lines(snapshot, origin)
        if not lines:
            continue
        doc.caption(f"{title}监测情况（{year}年）", table=True)
        rows = [
            [
                line.indicator["code"],
                line.indicator["name"],
                line.indicator["unit_label"] or "—",
                _num(line.base, line.decimals),
                _num(line.previous, line.decimals),
                line.value_text,
                numbers.change(
                    line.change_on_base, line.indicator["scale"], line.indicator["unit_label"]
                ),
                line.national_value_text,
                line.indicator["lead"],
            ]
            for line in lines
        ]
        base_year = lines[0].base_year
        doc.table(
            [
                "代码",
                "监测指标",
                "单位",
                f"{base_year}年",
                f"{year - 1}年",
                f"{year}年",
                "较基期",
                "全国",
                "牵头单位",
            ],
            rows,
            [16, 30, 12, 15, 15, 15, 24, 14, 14],
            numeric=(3, 4, 5, 7),
        )
        what = (
            "国家妇女儿童发展纲要统计监测所列、本区可统计的指标"
            if origin == "national"
            else "区妇儿工委办根据监测工作需要增设的指标"
        )
        doc.note(f"注：{title}为{what}，区规划未设量化目标，只监测其数值变化，不评价达标情况。")
        sources = [
            f"{line.indicator['code']}：{line.indicator['origin_source']}"
            for line in lines
            if line.indicator.get("origin_source")
        ]
        if sources:
            doc.note("指标依据：" + "；".join(sources) + "。")


def _num(x, decimals: int = 1) -> str:
    return labels.MISSING_MARK if x is None else numbers.number(x, decimals)


def office_section(doc, snapshot, key: str, *, level: int = 1) -> None:
    title = labels.SECTION_TITLES[key]
    if level == 1:
        doc.heading1(title)
    else:
        doc.heading2(title)
    text = (snapshot["sections"].get(key) or "").strip()
    if not text and key in drafts.DRAFTERS:
        # Until the office writes its own, the report says what the data say.
        text = drafts.DRAFTERS[key](snapshot).strip()
    if not text:
        doc.paragraph("（本部分由区妇儿工委办在平台中撰写，尚未填写。）")
        return
    for para in [p.strip() for p in text.splitlines() if p.strip()]:
        doc.paragraph(para)
