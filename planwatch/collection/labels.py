"""The words a reporter reads for a cell: one module for the importer, the entry and review
pages and the workflow's messages, so the same cell is named the same way everywhere."""

from django.utils.translation import get_language

from planwatch.evaluation import english, vocabulary

# Columns as the Excel template and the entry form label them.
COLUMN_LABELS = {
    "indicator": "指标代码",
    "org_unit": "单位代码",
    "year": "年份",
    "sex": "性别",
    "age_group": "年龄组",
    "residence": "城乡",
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    "comment": "说明",
    # labels the cross-row checks already use
    "性别": "性别",
    "城乡": "城乡",
}
# The groups' words are the vocabulary's (evaluation/vocabulary.py), with the total's.
SEX_WORDS = {"": vocabulary.TOTAL, **vocabulary.SEX_WORDS}
RESIDENCE_WORDS = {"": vocabulary.TOTAL, **vocabulary.RESIDENCE_WORDS}
TOTAL = vocabulary.TOTAL


def column_label(column: str | None) -> str | None:
    if column is None:
        return None
    return COLUMN_LABELS.get(column, column)


def age_words(indicator, age_group: str) -> str:
    if not age_group:
        return ""
    for group in getattr(indicator, "age_groups", None) or []:
        if group.get("code") == age_group:
            return group.get("name") or f"{age_group}岁"
    return f"{age_group}岁"


def group_words(indicator, sex: str = "", age_group: str = "", residence: str = "") -> str:
    """'合计', '女性', '35-44岁', '城镇', or parts joined: '女性 · 城镇'."""
    parts = []
    if sex:
        parts.append(SEX_WORDS.get(sex, sex))
    if age_group:
        parts.append(age_words(indicator, age_group))
    if residence:
        parts.append(RESIDENCE_WORDS.get(residence, residence))
    return " · ".join(parts) or TOTAL


def group_label(indicator, sex: str = "", age_group: str = "", residence: str = "") -> str:
    """group_words in the page's language, for pages (messages stay Chinese): "female · urban"."""
    if not (get_language() or "").startswith("en"):
        return group_words(indicator, sex, age_group, residence)
    parts = []
    if sex:
        parts.append(english.SEX_WORDS_EN.get(sex, sex))
    if age_group:
        stages = {"primary": "primary school", "junior": "junior secondary"}
        stages["senior"] = "senior secondary"
        if age_group in stages:
            parts.append(stages[age_group])
        elif age_group.endswith("+"):
            parts.append(f"aged {age_group[:-1]} and over")
        else:
            parts.append(f"aged {age_group}")
    if residence:
        parts.append(english.RESIDENCE_WORDS_EN.get(residence, residence))
    return " · ".join(parts) or english.TOTAL_EN


def indicator_words(indicator) -> str:
    unit = f"（{indicator.unit}）" if indicator.unit else ""
    return f"{indicator.code} {indicator.name}{unit}"


def cell_words(indicator, org_unit, sex="", age_group="", residence="", year=None) -> str:
    """'C1-01 婴儿死亡率（‰）· 双阳区 · 2025年 · 女性'."""
    parts = [indicator_words(indicator), org_unit.name]
    if year is not None:
        parts.append(f"{year}年")
    parts.append(group_words(indicator, sex, age_group, residence))
    return " · ".join(parts)


def value_words(value) -> str:
    return cell_words(
        value.indicator, value.org_unit, value.sex, value.age_group, value.residence, value.year
    )
