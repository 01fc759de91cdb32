from django import template

from planwatch.accounts.notices import official_date
from planwatch.rectification.models import TRACKING_LABELS

register = template.Library()


@register.filter
def cn_date(day):
    """公文日期 on the pages too: 2026年3月5日."""
    return official_date(day) if day else ""


@register.filter
def tracking_label(item):
    return TRACKING_LABELS[item.tracking_state()]
