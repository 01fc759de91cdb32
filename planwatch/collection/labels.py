"""The words a reporter reads for a cell: one module for the importer, the entry and review
pages and the workflow's messages, so the same cell is named the same way everywhere."""

from planwatch.evaluation import vocabulary

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


def cell_problem(message: str, rowno: int, column: str | None, row: dict, rules, units):
    """An importer's complaint about one cell, in the reporter's words: the column as the
    template labels it, the indicator with its name and unit, the unit and group, a link."""
    from django.urls import reverse

    from planwatch.catalog.models import Indicator
    from planwatch.collection.problems import Problem
    from planwatch.collection.rules import RESIDENCE_CODES, SEX_CODES

    code = (row.get("indicator") or "").strip()
    unit_code = (row.get("org_unit") or "").strip()
    rule, unit = rules.get(code), units.get(unit_code)
    subject = link = ""
    if rule is not None:
        indicator = Indicator.objects.only("code", "name", "unit", "age_groups").get(pk=rule.id)
        sex = SEX_CODES.get((row.get("sex") or "").strip().lower()) or ""
        residence = RESIDENCE_CODES.get((row.get("residence") or "").strip().lower()) or ""
        age = (row.get("age_group") or "").strip()
        parts = [indicator_words(indicator)]
        if unit is not None:
            parts.append(unit.name)
        parts.append(group_words(indicator, sex, age, residence))
        subject = " · ".join(parts)
        year = (row.get("year") or "").strip()
        if unit is not None and year.isdigit():
            prefix = "v-" + "-".join(str(k) or "_" for k in (rule.id, unit.id, sex, age, residence))
            link = f"{reverse('collection:entry', args=[int(year)])}?cell={prefix}#cell-{prefix}"
    # The column stays a code (the API's consumers read it); its label is in the text.
    return Problem(message, rowno, column, subject=subject, link=link)
