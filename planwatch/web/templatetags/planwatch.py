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


@register.filter
def percent(value):
    """A progress ratio as people read it: 0.734 → 73%."""
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


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


@register.filter
def public_name(path: str) -> str:
    """A stored file's name without its folders, as the static site writes it."""
    return str(path).rsplit("/", 1)[-1]
