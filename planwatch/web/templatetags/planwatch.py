from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from planwatch.catalog import numbers
from planwatch.evaluation import vocabulary
from planwatch.web import language

register = template.Library()


@register.filter
def loc(obj, field: str = "name"):
    """The object's English field when the page is in English and one exists, else Chinese."""
    read = dict.get if isinstance(obj, dict) else getattr
    if (get_language() or "").startswith("en"):
        english = read(obj, f"{field}_en", "")
        if english:
            return english
    return read(obj, field, "")


@register.filter
def num(value):
    """A target value as people write it: 12, 4.5, 1.12 — never 12.0."""
    if value is None:
        return ""
    # never "1e+06" for a denominator of a million
    return numbers.number(value, 4, trim=True) if isinstance(value, float) else value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(value):
    """A progress ratio as pages and reports print it: 0.734 → 73.4%, 0.5 → 50%."""
    return numbers.share_of(value, 1)


@register.filter
def bar_width(value):
    """A ratio as a bar width in percent, kept inside the bar."""
    if value is None:
        return 0
    return f"{max(0.0, min(1.0, value)) * 100:.1f}"


@register.filter
def forecast_for(points, year):
    for point in points or []:
        if point.get("year") == year:
            return point
    return None


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def value_of(value, indicator):
    """A monitored value with the indicator's decimals and unit (catalog.numbers)."""
    write = numbers.value_en if _english() else numbers.value
    return write(value, indicator.scale, indicator.unit)


@register.filter
def target_text(target):
    """A target as the plans write it: "12/10万以下", "85%以上" (English: "at most 12/10万")."""
    write = numbers.target_en if _english() else numbers.target
    return write(target.comparator, target.value, target.unit, target.wording)


# A directional target's statuses in words (evaluation.vocabulary.DIRECTIONAL_STATUS_LABELS).
DIRECTIONAL_STATUS_EN = {
    "attained": _("direction achieved"),
    "on_track": _("improving, not yet significant"),
    "needs_acceleration": _("no improvement yet"),
    "off_track": _("no improvement yet"),
    "regressing": _("reverse change"),
    "insufficient_data": _("too little data to judge"),
    "no_data": _("no data"),
}


@register.filter
def status_text(result):
    """A stored result's status; a directional target's (rules D1–D5) as a direction."""
    if not vocabulary.is_directional_rule(result.rule):
        return result.get_status_display()
    if not _english():
        return vocabulary.status_label(result.status, result.rule)
    if result.status == "attained" and "no significant decline" in result.rule:
        return _("held at a high level")
    return DIRECTIONAL_STATUS_EN[result.status]


@register.filter
def probability(value):
    return numbers.probability(value)


@register.filter
def difference_of(value, indicator):
    """A difference of two values: of shares in percentage points (个百分点)."""
    text = numbers.difference(value, indicator.scale, indicator.unit)
    return text.replace("个百分点", " pp") if _english() else text


@register.filter
def number_of(value, indicator):
    """A value with the indicator's decimals, without its unit (for table cells)."""
    return numbers.number(value, numbers.decimals_for(indicator.scale))


@register.simple_tag
def interval_of(lo, hi, indicator):
    return (numbers.interval_en if _english() else numbers.interval)(lo, hi, indicator.scale)


@register.filter
def number_in(value, scale):
    """A value with the decimals of ``scale`` (where a page has the scale, not the indicator)."""
    return numbers.number(value, numbers.decimals_for(scale))


@register.simple_tag
def interval_in(lo, hi, scale):
    return (numbers.interval_en if _english() else numbers.interval)(lo, hi, scale)


@register.filter
def count(value):
    """Events and denominators: 10,510."""
    return numbers.count(value)


@register.filter
def ratio(value):
    """A ratio of two values (female/male, urban/rural): 1.18."""
    return numbers.ratio(value)


@register.filter
def named(obj):
    """A department or org unit by its name in the page's language: the English name on an
    English page; without one (a village) the Chinese name, marked lang="zh" as a proper name."""
    if obj is None or obj == "":
        return ""
    if _english():
        english = getattr(obj, "name_en", "")
        if english:
            return english
        return format_html('<span lang="zh">{}</span>', str(obj))
    return str(obj)


# The kinds of org units (org/data/org_units.yaml) in English.
KIND_EN = {
    "国家": "country",
    "省": "province",
    "市": "city",
    "区": "district",
    "街道": "subdistrict",
    "镇": "town",
    "乡": "township",
    "民族乡": "ethnic township",
    "村": "village",
    "社区": "community",
}


@register.filter
def kind_en(kind):
    return KIND_EN.get(kind, kind) if _english() else kind


@register.filter
def unit_of(unit):
    """A unit alone (a table's unit column, an axis): "per 100,000" on an English page."""
    if not _english():
        return unit
    return numbers.unit_suffix_en(unit).strip() or unit


@register.filter
def age_group(group):
    """An age group ({code, name}, or its code) in the page's language."""
    if isinstance(group, dict):
        return language.age_group_words(group.get("code", ""), group.get("name", ""))
    return language.age_group_words(group or "", group or "")


@register.filter
def group_word(code):
    """female/male/urban/rural in the page's language ("" is the total)."""
    return language.group_words(code or "")
