"""What a document states about each target, derived from the snapshot alone.

Sentences about a series come from the stored explanation (the engine's own words); this module
only adds what the engine does not know: that the report's year has no value (缺报), and the
year-on-year change a monitoring report prints beside it.
"""

from collections import Counter
from dataclasses import dataclass

from planwatch.catalog import numbers
from planwatch.evaluation.model import DIRECTIONAL
from planwatch.reports import labels


def series(mapping: dict | None) -> dict[int, float]:
    return {int(y): v for y, v in (mapping or {}).items()}


def signed(x: float | None, scale: str | None = None) -> str:
    """A change with its sign, in the indicator's decimals ("+1.2", "-0.4", "0.0")."""
    if x is None:
        return "—"
    text = numbers.number(x, numbers.decimals_for(scale))
    return text if text.startswith("-") or not text.strip("0.") else "+" + text


@dataclass
class Line:
    """One target of one indicator, as the report's tables and sentences state it."""

    area: dict
    indicator: dict
    target: dict
    year: int

    @property
    def result(self) -> dict | None:
        return self.target.get("result")

    @property
    def status(self) -> str:
        return self.result["status"] if self.result else "no_data"

    @property
    def status_label(self) -> str:
        # a directional target (提高/下降) reads its status as a direction: 已实现预期方向
        rule = (self.result or {}).get("rule")
        return labels.status_label(self.status, rule, self.target.get("comparator"))

    @property
    def directional(self) -> bool:
        """A target without a number (提高/下降/稳定在较高水平): no completion to count."""
        return self.target.get("comparator") in DIRECTIONAL

    @property
    def values(self) -> dict[int, float]:
        return series(self.indicator["district"])

    @property
    def value(self) -> float | None:
        return self.values.get(self.year)

    @property
    def missing_year(self) -> bool:
        return "district" in self.indicator["levels"] and self.value is None

    @property
    def previous(self) -> float | None:
        return self.values.get(self.year - 1)

    @property
    def base_year(self) -> int:
        used = self.result and self.result.get("base_year_used")
        return used or self.target["base_year"]

    @property
    def base(self) -> float | None:
        if self.result and self.result.get("base_value") is not None:
            return self.result["base_value"]
        return self.values.get(self.target["base_year"])

    @property
    def change_on_last_year(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_on_base(self) -> float | None:
        if self.value is None or self.base is None or self.base_year == self.year:
            return None
        return self.value - self.base

    @property
    def threshold(self) -> float | None:
        """As the stored result has it: never derived again here."""
        return self.result.get("threshold") if self.result else None

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "缺报" if self.missing_year else labels.MISSING_MARK
        return numbers.number(self.value, self.decimals)

    @property
    def decimals(self) -> int:
        return numbers.decimals_for(self.indicator.get("scale"))

    @property
    def national(self) -> dict | None:
        """The national value of the report's year, or the latest before it."""
        known = self.indicator.get("national") or {}
        years = [int(y) for y in known if int(y) <= self.year]
        return known[str(max(years))] if years else None

    @property
    def national_text(self) -> str:
        point = self.national
        if point is None:
            return labels.MISSING_MARK
        text = numbers.number(point["value"], self.decimals)
        return text if point["year"] == self.year else f"{text}（{point['year']}年）"

    @property
    def national_value_text(self) -> str:
        """The national value alone, for narrow table cells (the year goes in the note)."""
        point = self.national
        return (
            labels.MISSING_MARK if point is None else numbers.number(point["value"], self.decimals)
        )

    @property
    def national_sentence(self) -> str:
        """ "全国为14.3/10万（2024年）。" beside the district's value, or nothing."""
        point = self.national
        if point is None:
            return ""
        figure = numbers.value(point["value"], self.indicator.get("scale"), self.indicator["unit"])
        return f"全国{point['year']}年为{figure}。"

    @property
    def sentence(self) -> str:
        """The stored explanation, said honestly about a year without a value."""
        explanation = (self.result or {}).get("explanation") or ""
        latest = (self.result or {}).get("latest_year")
        if not self.missing_year:
            return explanation or "暂无评价结果。"
        gap = f"该指标{self.year}年数据缺报"
        if latest is None:
            return f"{gap}，此前年度也无已审核数据，暂无法评价。"
        return f"{gap}，以下按最近一年（{latest}年）数据评价：{explanation}"

    @property
    def gap_sentences(self) -> list[str]:
        """Female/male and urban/rural gaps as the recompute stored them (monitoring's
        comparisons), so the report says what the indicator page says."""
        return self.indicator.get("gaps", [])

    @property
    def forecast_2030(self) -> dict | None:
        for point in (self.result or {}).get("forecast") or []:
            if point["year"] == self.target["target_year"]:
                return point
        return None


def lines_of(snapshot: dict, area: dict | None = None) -> list[Line]:
    areas = [area] if area is not None else snapshot["areas"]
    return [
        Line(a, ind, target, snapshot["year"])
        for a in areas
        for ind in a["indicators"]
        for target in ind["targets"]
    ]


ORIGIN_TITLES = {"national": "纲要监测指标", "supplementary": "扩充调整指标"}


def monitored_lines(snapshot: dict, origin: str) -> list[Line]:
    """The indicators of one origin without a target in this plan, each as a Line against
    the plan's base year (2020): their stored values, no result, no status."""
    base = {"base_year": snapshot["plan"]["start_year"] - 1, "result": None}
    return [
        Line(a, ind, base, snapshot["year"])
        for a in snapshot["areas"]
        for ind in a["indicators"]
        if ind.get("origin") == origin and not ind["targets"]
    ]


def status_counts(lines: list[Line]) -> dict[str, int]:
    counts = Counter(line.status for line in lines)
    return {s: counts.get(s, 0) for s in labels.STATUS_ORDER}


def counts_sentence(counts: dict[str, int]) -> str:
    parts = [f"{labels.STATUS_LABELS[s]}{n}项" for s, n in counts.items() if n]
    return "，".join(parts) if parts else "暂无评价结果"


def numeric(lines: list[Line]) -> list[Line]:
    """The targets with a number: the ones counted as 已达标 / 按进度 / 需加快进度."""
    return [line for line in lines if not line.directional]


def status_summary(lines: list[Line]) -> str:
    """The numeric targets' counts, then the directional ones' in their own words: a
    directional target is never counted as 已达标."""
    text = counts_sentence(status_counts(numeric(lines)))
    directional = [line for line in lines if line.directional]
    if directional:
        counts = Counter(line.status_label for line in directional)
        parts = "，".join(f"{label}{n}项" for label, n in counts.items())
        text += (
            f"；另有方向性目标{len(directional)}项（无具体目标值，按较基期变化及其显著性评价），"
            f"{parts}"
        )
    return text


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def pct(share: float | None) -> str:
    """Shares of targets and progress ratios, as every page prints them (catalog.numbers)."""
    return numbers.share_of(share, 1, trim=True)


def assessment_lines(item: dict, year: int) -> list[str]:
    """One line per department: its rating and its words, dated when older than the report."""
    out = []
    for a in item["assessments"]:
        when = "" if a["year"] == year else f"（{a['year']}年自评）"
        text = a["text"].strip() or "（未填写具体内容）"
        evidence = f"（佐证材料：{'、'.join(a['evidence'])}）" if a["evidence"] else ""
        out.append(f"{a['department']}{when}【{a['rating_label']}】{text}{evidence}")
    return out
