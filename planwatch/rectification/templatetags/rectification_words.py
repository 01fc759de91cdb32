from django import template
from django.utils.translation import get_language

from planwatch.accounts.notices import official_date
from planwatch.rectification.models import TRACKING_LABELS

register = template.Library()


@register.filter
def cn_date(day):
    """公文日期 on the pages too: 2026年3月5日 (an English page: 2026-03-05)."""
    if not day:
        return ""
    return day.isoformat() if (get_language() or "").startswith("en") else official_date(day)


@register.filter
def tracking_label(item):
    return TRACKING_LABELS[item.tracking_state()]
