"""The labels module's words in templates (a preview row's group: 女性 · 城镇, 35-44岁)."""

from django import template

from planwatch.collection.labels import RESIDENCE_WORDS, SEX_WORDS, TOTAL, column_label

register = template.Library()


@register.filter
def preview_group(row: dict) -> str:
    parts = []
    if row.get("sex"):
        parts.append(SEX_WORDS.get(row["sex"], row["sex"]))
    if row.get("age_group"):
        parts.append(f"{row['age_group']}岁")
    if row.get("residence"):
        parts.append(RESIDENCE_WORDS.get(row["residence"], row["residence"]))
    return " · ".join(parts) or TOTAL


@register.filter(name="column_label")
def column_label_filter(column: str | None) -> str:
    return column_label(column) or ""
