"""附录 方法说明: how the status, the forecast and the small-number rules work (docs/methods.md,
in the words of a report), and the statistics the body leaves out — each warning's exact test
and interval. The thresholds are the engine's own constants, so the text cannot drift from
what was computed."""

from planwatch.catalog import numbers
from planwatch.evaluation.counts import (
    BINOMIAL_MAX_WIDTH_POINTS,
    BINOMIAL_MIN_DENOMINATOR,
    DEFAULT_POOL_YEARS,
    POISSON_MIN_EVENTS,
)
from planwatch.evaluation.forecast import MIN_VALUES, WINDOW_YEARS
from planwatch.evaluation.significance import ALPHA
from planwatch.evaluation.status import P_NEEDS_ACCELERATION, P_OFF_TRACK, P_ON_TRACK
from planwatch.evaluation.warnings import (
    MODIFIED_Z_MIN_HISTORY,
    MODIFIED_Z_THRESHOLD,
    PROGRESS_LAG_POINTS,
    RELATIVE_CHANGE_THRESHOLD,
)

HEADING = "附录　方法说明"
TESTS = {
    "poisson": "精确Poisson条件检验",
    "binomial": "Fisher精确检验",
    # a directional target without counts: the slope since the base year (directional.py)
    "ols": "最小二乘趋势t检验",
}


def _n(x: float) -> str:
    return numbers.number(x, 2, trim=True)


STATUS_TEXT = (
    "各项目标以最新年度的已审核数据评价。最新值已满足目标的为“已达标”；基期已满足目标而最新值不再"
    "满足的为“倒退”；只有一个年度数值、或基期之后没有数值的为“数据不足”。其余目标按联合国统计司"
    "可持续发展目标进展图（2023年）的方法，以基期至最新年度的年均增长率推算至目标年份，计算推算值"
    f"完成“所需进展”的比例P：P不低于{_n(P_ON_TRACK)}为“按进度可达标”，{_n(P_NEEDS_ACCELERATION)}～"
    f"{_n(P_ON_TRACK)}为“需加快进度”，{_n(P_OFF_TRACK)}～{_n(P_NEEDS_ACCELERATION)}为“难以达标”，"
    f"低于{_n(P_OFF_TRACK)}为“倒退”。"
)
DIRECTIONAL_TEXT = (
    "规划中“提高”“逐步提高”“巩固提高”等未设具体数值的目标，按较基期的变化及其统计学意义评价："
    "有分子分母的，以最近一年（单年例数过少时以基期之后近几年合计）与基期比较，率用精确Poisson条件"
    "检验，比例用Fisher精确检验，任一方例数或分母不足时为“数据不足以判断”；无分子分母的，以基期以来"
    "各年数值的最小二乘趋势及其t检验判断，不足3个年度为“数据不足以判断”。按指标小数位显示为持平的"
    "变化视为无变化。朝目标方向且差异有统计学意义（P<0.05）的为“已实现预期方向”，朝目标方向但不显著"
    "的为“有所改善但尚不显著”，无变化或反向但不显著的为“尚未见改善”，反向且显著的为“出现反向变化”"
    "并列为红色预警；“巩固提高（稳定在较高水平）”类目标较基期无显著下降即为“保持在较高水平”。"
    "此类目标不计算完成进度、推算值和达标概率，也不计入已达标目标数。"
)
PROGRESS_TEXT = (
    "完成进度=（最新值-基期值）/（目标值-基期值），时间进度=已实施年数/规划期年数，按“时间过半、"
    "任务过半”的通行做法比较二者。推算可达标而完成进度落后时间进度"
    f"{numbers.number(PROGRESS_LAG_POINTS, 0)}个百分点及以上的，两种判断不一致，列为黄色预警；"
    "基期已达标的目标不计算完成进度。"
)
FORECAST_TEXT = (
    f"近{WINDOW_YEARS}个日历年内有数值的年度不少于{MIN_VALUES}个时，按历年趋势（数值均为正时为"
    "对数线性趋势，否则为线性趋势）预测至目标年份，给出预测值及80%预测区间；达标概率为同一预测分布"
    "下目标年份数值满足目标的概率。有例数和分母的指标，率用Poisson回归、比例用二项回归拟合，趋势"
    f"经似然比检验在{numbers.number(ALPHA * 100, 0)}%水平显著时才保留，否则按窗口内的不变率预测。"
    "预测反映现有趋势的延续，不代表政策调整后的结果。"
)
SMALL_NUMBERS_TEXT = (
    f"有例数和分母的指标，另计最近{DEFAULT_POOL_YEARS}个有例数年度的合计率及其95%精确置信区间："
    "率用Garwood精确区间（Poisson分布），比例用Clopper–Pearson精确区间（二项分布）。"
    f"率的例数少于{POISSON_MIN_EVENTS}例，或比例的分母少于{BINOMIAL_MIN_DENOMINATOR}、区间宽于"
    f"{numbers.number(BINOMIAL_MAX_WIDTH_POINTS, 0)}个百分点时，数字不可靠，达标判断仅供参考"
    "（“证据弱”），相应的红色预警改列“小样本，需持续观察”。"
)
WARNING_TEXT = (
    "逐年变化异常的判断：该变化之前已有"
    f"{MODIFIED_Z_MIN_HISTORY}个及以上逐年变化时，用Iglewicz–Hoaglin修正Z分数，绝对值超过"
    f"{numbers.number(MODIFIED_Z_THRESHOLD, 1)}为异常；历史不足时，相对变化超过"
    f"{numbers.number(RELATIVE_CHANGE_THRESHOLD * 100, 0)}%为异常。已知例数和分母的，异常变化还须在"
    f"{numbers.number((1 - ALPHA) * 100, 0)}%水平上统计显著才列为“波动较大”："
    "率用精确Poisson条件检验，比例用Fisher精确检验（双侧）。正文只写结论，检验结果列于下表。"
)


def annex(doc, snapshot) -> None:
    doc.appendix(HEADING)
    doc.paragraph(
        "本报告的评价方法详见平台“评价方法”页面，要点如下。各项数字均为平台重新计算后存储的结果，"
        "报告直接引用，不另行计算。"
    )
    for title, text in (
        ("达标状态的判断", STATUS_TEXT),
        ("方向性目标的判断", DIRECTIONAL_TEXT),
        ("完成进度与时间进度", PROGRESS_TEXT),
        ("趋势预测与达标概率", FORECAST_TEXT),
        ("小数字的处理", SMALL_NUMBERS_TEXT),
        ("预警与统计检验", WARNING_TEXT),
    ):
        doc.heading2(title)
        doc.paragraph(text)
    _tests_table(doc, snapshot)


def _counts(counts) -> str:
    k1, n1, k2, n2 = counts
    return f"{numbers.count(k1)}/{numbers.count(n1)}→{numbers.count(k2)}/{numbers.count(n2)}"


def test_rows(snapshot) -> list[list]:
    """One row per warning that rests on a test or on small numbers."""
    rows = []
    for w in snapshot["warnings"]:
        stats = w.get("statistics") or {}
        pooled = w.get("pooled") if w["level"] == "small_sample" else None
        if not stats and not pooled:
            continue
        parts = []
        if "z" in stats:
            parts.append(f"修正Z分数{numbers.number(stats['z'], 1)}")
        if "p" in stats:
            parts.append(numbers.p_value(stats["p"]))
        interval = "—"
        if pooled:
            years = pooled["first_year"], pooled["last_year"]
            when = f"{years[0]}—{years[1]}年" if years[0] != years[1] else f"{years[1]}年"
            rate = numbers.value(pooled["rate"], w["scale"], w["unit"])
            span = numbers.interval(pooled["lo95"], pooled["hi95"], w["scale"])
            interval = f"{when}合计{rate}" + (f"（{span}）" if span else "")
        method = TESTS.get(stats.get("test"), "修正Z分数" if "z" in stats else "小样本合计率")
        rows.append(
            [
                len(rows) + 1,
                w["indicator_name"],
                w["level_label"],
                w["year"] or "—",
                method,
                _counts(stats["counts"]) if "counts" in stats else "—",
                "，".join(parts) or "—",
                interval,
            ]
        )
    return rows


def _tests_table(doc, snapshot) -> None:
    rows = test_rows(snapshot)
    if not rows:
        doc.paragraph("本报告的预警均不涉及统计检验或小样本数字。")
        return
    doc.caption("预警指标的统计检验与精确区间", table=True)
    doc.table(
        [
            "序号",
            "监测指标",
            "预警级别",
            "年份",
            "检验方法",
            "例数/分母",
            "检验结果",
            "合计率（95%区间）",
        ],
        rows,
        [9, 32, 16, 11, 24, 26, 22, 28],
        numeric=(0, 3),
    )
    doc.note(
        "注：例数/分母为前后两个年度；检验结果为双侧P值或修正Z分数；合计率及其95%精确区间为"
        "小样本预警所依据的多年合计数字。"
    )
