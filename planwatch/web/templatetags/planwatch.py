from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def loc(obj, field: str = "name"):
    """The object's English field when the page is in English and one exists, else Chinese."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def num(value):
    """A target value as people write it: 12, 4.5, 1.12 — never 12.0."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
