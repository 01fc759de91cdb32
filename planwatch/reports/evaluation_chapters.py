"""What the mid-term and final evaluations add: progress against time, attainment rates by
area, the forecast to the target year, and how the measures were carried out."""

from planwatch.catalog import numbers
from planwatch.reports import charts, labels
from planwatch.reports.facts import Line, lines_of, numeric, pct, rate

ATTAINED_COLOUR = "#2b8a3e"
EXPECTED_COLOUR = "#74b816"


def completion(line: Line) -> float | None:
    """The stored completion progress, as the pages show it (never re-derived or capped here:
    136 % on a page and 100 % in 表3 would be two answers to one question)."""
    return (line.result or {}).get("completion_progress")


def keeps_pace(line: Line, elapsed: float) -> bool:
    """时间过半、任务过半: completion at least the time elapsed, or the target already met."""
    value = completion(line)
    return line.status == "attained" or (value is not None and value >= elapsed - 1e-9)


def time_progress(snapshot) -> float:
    plan = snapshot["plan"]
    base = plan["start_year"] - 1
    return min(max((snapshot["year"] - base) / (plan["end_year"] - base), 0.0), 1.0)


def progress_chapter(doc, snapshot) -> None:
    """完成进度与时间进度: does the work keep pace with the years (时间过半、任务过半)?"""
    year = snapshot["year"]
    elapsed = time_progress(snapshot)
    lines = [line for line in lines_of(snapshot) if completion(line) is not None]
    doc.heading1("完成进度与时间进度")
    if not lines:
        doc.paragraph("暂无可计算完成进度的目标。")
        return
    keeping = [line for line in lines if keeps_pace(line, elapsed)]
    half = "时间过半、任务过半" if elapsed >= 0.5 else "完成进度与时间进度同步"
    doc.paragraph(
        f"至{year}年，规划实施时间进度为{pct(elapsed)}。在可计算完成进度的{len(lines)}项目标中，"
        f"完成进度达到或超过时间进度的{len(keeping)}项，占{pct(rate(len(keeping), len(lines)))}；"
        f"其余{len(lines) - len(keeping)}项未实现“{half}”，需加快推进。"
    )
    doc.caption(f"各领域完成进度与时间进度（{year}年）", table=True)
    rows = []
    for area in snapshot["areas"]:
        own = [line for line in lines if line.area is area]
        if not own:
            continue
        ok = sum(1 for line in own if keeps_pace(line, elapsed))
        mean = sum(completion(line) for line in own) / len(own)
        rows.append([area["name"], len(own), ok, pct(rate(ok, len(own))), pct(mean)])
    doc.table(
        ["发展领域", "可计算目标", "达到时间进度", "占比", "平均完成进度"],
        rows,
        [44, 26, 30, 26, 30],
        numeric=(1, 2, 3, 4),
        unit="项，%",
    )
    doc.caption(f"各项目标完成进度（{year}年）", table=True)
    detail = [
        [
            i,
            line.indicator["name"],
            pct(completion(line)),
            pct(elapsed),
            signed_points(completion(line) - elapsed),
            line.status_label,
        ]
        for i, line in enumerate(lines, start=1)
    ]
    doc.table(
        ["序号", "监测指标", "完成进度", "时间进度", "差距（百分点）", "状态"],
        detail,
        [10, 56, 20, 20, 26, 24],
        numeric=(0, 2, 3, 4),
    )
    doc.note(
        "注：完成进度=（最新值-基期值）/（目标值-基期值），超过100%表示已超出目标，为负表示较基期退步；"
        "已达标目标计为达到时间进度；时间进度=已实施年数/规划期年数。"
    )


def signed_points(share: float) -> str:
    points = share * 100
    text = numbers.number(points, 1)
    return text if text.startswith("-") or not text.strip("0.") else "+" + text


def attainment_chapter(doc, snapshot) -> None:
    """达标率 by area: attained, and attained or expected to be, among evaluable targets."""
    year = snapshot["year"]
    doc.heading1("各领域目标达标情况")
    rows, names, attained_rates, expected_rates = [], [], [], []
    total = {"n": 0, "evaluable": 0, "attained": 0, "on_track": 0}
    for area in snapshot["areas"]:
        # 达标率 counts targets with a number; a directional one has nothing to attain
        lines = numeric(lines_of(snapshot, area))
        if not lines:
            continue
        evaluable = [line for line in lines if line.status in labels.EVALUABLE]
        attained = sum(1 for line in evaluable if line.status == "attained")
        on_track = sum(1 for line in evaluable if line.status == "on_track")
        for key, n in (
            ("n", len(lines)),
            ("evaluable", len(evaluable)),
            ("attained", attained),
            ("on_track", on_track),
        ):
            total[key] += n
        r1 = rate(attained, len(evaluable))
        r2 = rate(attained + on_track, len(evaluable))
        rows.append([area["name"], len(lines), len(evaluable), attained, pct(r1), pct(r2)])
        if r1 is not None:
            names.append(area["name"])
            attained_rates.append(r1)
            expected_rates.append(r2)
    overall = rate(total["attained"], total["evaluable"])
    expected = rate(total["attained"] + total["on_track"], total["evaluable"])
    doc.paragraph(
        f"截至{year}年，可评价的{total['evaluable']}项目标中已达标{total['attained']}项，"
        f"达标率{pct(overall)}；加上按进度可达标的{total['on_track']}项，预计达标率{pct(expected)}。"
    )
    rows.append(
        ["合计", total["n"], total["evaluable"], total["attained"], pct(overall), pct(expected)]
    )
    doc.caption(f"各领域目标达标率（{year}年）", table=True)
    doc.table(
        ["发展领域", "目标数", "可评价", "已达标", "达标率", "预计达标率"],
        rows,
        [40, 22, 22, 22, 25, 25],
        numeric=(1, 2, 3, 4, 5),
        unit="项，%",
    )
    doc.note("注：达标率=已达标目标数/可评价目标数；预计达标率另计入按进度可达标的目标。")
    if names:
        doc.caption(f"各领域目标达标率（{year}年）", table=False)
        doc.picture(
            charts.rates_by_area(
                names,
                [
                    ("达标率", attained_rates, ATTAINED_COLOUR),
                    ("预计达标率", expected_rates, EXPECTED_COLOUR),
                ],
            )
        )


def forecast_chapter(doc, snapshot) -> None:
    """The forecast to the target year, with the probability of reaching the target."""
    year = snapshot["year"]
    # a directional target has no value to forecast nor a probability of reaching it
    lines = numeric(lines_of(snapshot))
    doc.heading1(f"{snapshot['plan']['end_year']}年目标实现预测")
    with_p = [
        line for line in lines if (line.result or {}).get("attainment_probability") is not None
    ]
    likely = sum(1 for line in with_p if line.result["attainment_probability"] >= 0.8)
    unsure = sum(1 for line in with_p if 0.5 <= line.result["attainment_probability"] < 0.8)
    unlikely = len(with_p) - likely - unsure
    doc.paragraph(
        f"依据{year}年及以前的已审核数据，按各指标历年变化趋势预测至目标年。在可预测的{len(with_p)}"
        f"项目标中，达标概率在80%以上的{likely}项，50%～80%的{unsure}项，不足50%的{unlikely}项。"
        "预测仅反映现有趋势的延续，不代表政策调整后的结果。"
    )
    rows = []
    for i, line in enumerate(lines, start=1):
        point = line.forecast_2030
        p = (line.result or {}).get("attainment_probability")
        rows.append(
            [
                i,
                line.indicator["name"],
                line.indicator["unit_label"] or "—",
                line.value_text,
                numbers.number(point["value"], line.decimals) if point else "—",
                (numbers.interval(point["lo80"], point["hi80"], line.indicator["scale"]) or "—")
                if point
                else "—",
                line.target["text"],
                numbers.probability(p),
            ]
        )
    doc.caption(f"{snapshot['plan']['end_year']}年预测值与达标概率", table=True)
    doc.table(
        ["序号", "监测指标", "单位", f"{year}年", "预测值", "80%预测区间", "目标值", "达标概率"],
        rows,
        [9, 42, 13, 15, 15, 22, 24, 16],
        numeric=(0, 3, 4, 7),
    )


def measures_overview(doc, snapshot) -> None:
    """How the measures were carried out, as the responsible departments report it."""
    year = snapshot["year"]
    doc.heading1("策略措施落实情况")
    rows, counts = [], {"done": 0, "in_progress": 0, "not_started": 0}
    n_measures = n_assessed = 0
    for area in snapshot["areas"]:
        measures = area["measures"]
        if not measures:
            continue
        area_counts = {"done": 0, "in_progress": 0, "not_started": 0}
        assessed = 0
        for m in measures:
            if m["assessments"]:
                assessed += 1
            for a in m["assessments"]:
                area_counts[a["rating"]] = area_counts.get(a["rating"], 0) + 1
        for k, n in area_counts.items():
            counts[k] += n
        n_measures += len(measures)
        n_assessed += assessed
        rows.append(
            [
                area["name"],
                len(measures),
                assessed,
                area_counts["done"],
                area_counts["in_progress"],
                area_counts["not_started"],
            ]
        )
    doc.paragraph(
        f"规划共有策略措施{n_measures}项，截至{year}年已有{n_assessed}项收到责任单位自评。"
        f"各单位自评中，已完成{counts['done']}条，推进中{counts['in_progress']}条，"
        f"未启动{counts['not_started']}条。各领域措施的具体落实情况见各领域章节。"
    )
    doc.caption("各领域策略措施自评情况", table=True)
    doc.table(
        ["发展领域", "措施数", "已自评措施", "已完成", "推进中", "未启动"],
        rows,
        [44, 20, 26, 22, 22, 22],
        numeric=(1, 2, 3, 4, 5),
        unit="项，条",
    )
