"""The Chinese words the documents print: reports are in Chinese whatever the page language."""

import re

from planwatch.evaluation.vocabulary import (  # noqa: F401 (the documents' words, one list)
    AT_RISK,
    EVALUABLE,
    RESIDENCE_WORDS,
    SEX_WORDS,
    STATUS_LABELS,
    STATUS_ORDER,
    status_label,
)
from planwatch.evaluation.vocabulary import LEVEL_LABELS as WARNING_LEVELS  # noqa: F401
from planwatch.officialdoc.form import chinese_number  # noqa: F401 (the chapters number with it)

RATING_LABELS = {"done": "已完成", "in_progress": "推进中", "not_started": "未启动"}
SUBMISSION_LABELS = {
    None: "未填报",
    "draft": "填报中，未报送",
    "submitted": "已报送，待审核",
    "returned": "已退回，待修改",
    "approved": "已审核通过",
    "locked": "已锁定",
}
SECTION_TITLES = {
    "overall": "总体评价意见",
    "achievements": "主要成效",
    "problems": "存在的主要问题",
    "recommendations": "对策建议",
}
SEX_LABELS = SEX_WORDS  # the vocabulary's: 女性/男性 in the reports as on the pages
RESIDENCE_LABELS = RESIDENCE_WORDS
DEMO_MARK = "示例数据"
DEMO_NOTE = "本文件依据平台合成的示例数据生成，不是真实统计数据，不得引用或公开。"
MISSING_MARK = "…"  # how Chinese statistical tables print a figure that is not available


def plan_title(name: str) -> str:
    """The plan's name with the long dash official titles use between years."""
    return re.sub(r"(\d{4})\s*[-－–]\s*(\d{4})", r"\1—\2", name)


def plan_subject(plan_code: str) -> str:
    return "妇女" if plan_code == "women" else "儿童"
