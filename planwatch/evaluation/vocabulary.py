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
