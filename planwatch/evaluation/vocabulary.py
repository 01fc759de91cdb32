"""The words and colours of statuses and warning levels: one list, read by pages, charts,
reports and exports. Pure Python beside the engine that defines the statuses.

The Chinese labels are the dashboard's (tests check they stay the same), so that a report and
the page a reader compares it with say the same thing; pages in English translate the model's
choices instead.
"""

from .model import (
    ATTAINED,
    INSUFFICIENT_DATA,
    NEEDS_ACCELERATION,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REGRESSING,
    SMALL_SAMPLE,
    STATUSES,
)

STATUS_ORDER = list(STATUSES)
STATUS_LABELS = {
    ATTAINED: "已达标",
    ON_TRACK: "按进度可达标",
    NEEDS_ACCELERATION: "需加快进度",
    OFF_TRACK: "难以达标",
    REGRESSING: "倒退",
    INSUFFICIENT_DATA: "数据不足",
    NO_DATA: "无数据",
}
# A directional target (逐步提高, 持续下降, 稳定在较高水平) has no number to attain: the same
# statuses read as directions (evaluation/directional.py, rules D1–D5).
DIRECTIONAL_STATUS_LABELS = {
    ATTAINED: "已实现预期方向",
    ON_TRACK: "有所改善但尚不显著",
    NEEDS_ACCELERATION: "尚未见改善",
    OFF_TRACK: "尚未见改善",
    REGRESSING: "出现反向变化",
    INSUFFICIENT_DATA: "数据不足以判断",
    NO_DATA: "无数据",
}
MAINTAIN_HIGH_ATTAINED = "保持在较高水平"
# Stored results say which rules judged them: D1–D5 are the directional ones.
DIRECTIONAL_RULE_PREFIX = "D"


def is_directional_rule(rule: str | None) -> bool:
    return bool(rule) and rule[0] == DIRECTIONAL_RULE_PREFIX and rule[1:2].isdigit()


def status_label(status: str, rule: str | None = None, comparator: str | None = None) -> str:
    """The status in words; a directional target's (rule D…, or its comparator) as a direction."""
    if comparator == "maintain_high" and status == ATTAINED:
        return MAINTAIN_HIGH_ATTAINED
    if comparator in ("increase", "decrease", "maintain_high") or is_directional_rule(rule):
        if status == ATTAINED and rule and "no significant decline" in rule:
            return MAINTAIN_HIGH_ATTAINED
        return DIRECTIONAL_STATUS_LABELS[status]
    return STATUS_LABELS[status]


STATUS_COLOURS = {
    ATTAINED: "#2b8a3e",
    ON_TRACK: "#74b816",
    NEEDS_ACCELERATION: "#f59f00",
    OFF_TRACK: "#e8590c",
    REGRESSING: "#c92a2a",
    INSUFFICIENT_DATA: "#868e96",
    NO_DATA: "#ced4da",
}
AT_RISK = (NEEDS_ACCELERATION, OFF_TRACK, REGRESSING)
EVALUABLE = (ATTAINED, ON_TRACK, NEEDS_ACCELERATION, OFF_TRACK, REGRESSING)

# Warning levels, most urgent first (the warning list's order).
LEVEL_LABELS = {
    "red": "红色预警",
    SMALL_SAMPLE: "小样本，需持续观察",
    "yellow": "黄色预警",
    "volatility": "波动较大",
    "data": "缺报",
}
LEVEL_ORDER = list(LEVEL_LABELS)

# The groups of a disaggregation in words ("城镇/农村, 女性, 35–44岁", issue 11): the one list
# the engine's sentences, the pages, the Excel template, the reports and exports read, so that
# one group is never 女 in one place and 女性 in another. The keys are the stored codes
# (collection.models.Sex, Residence); the Chinese of the models' choices says the same
# (planwatch/locale, checked by a test).
TOTAL = "合计"
SEX_WORDS = {"female": "女性", "male": "男性"}
RESIDENCE_WORDS = {"urban": "城镇", "rural": "农村"}
