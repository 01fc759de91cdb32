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
    return day.isoformat() if _english() else official_date(day)


@register.filter
def tracking_label(item):
    state = item.tracking_state()
    return TRACKING_LABELS_EN[state] if _english() else TRACKING_LABELS[state]


# The tracking states in English, beside the models' Chinese (which the bulletin .docx prints).
TRACKING_LABELS_EN = {
    "open": "awaiting answer",
    "overdue": "overdue",
    "answered": "answered, awaiting review",
    "returned": "returned, awaiting a new answer",
    "closed": "closed",
}


@register.filter
def tracking_words(english: str) -> str:
    """A state's label (given in English) in the page's language."""
    if _english():
        return english
    state = {v: k for k, v in TRACKING_LABELS_EN.items()}[english]
    return TRACKING_LABELS[state]


def _english() -> bool:
    return (get_language() or "").startswith("en")
