"""The funnel plot's page data, read from the district's stored result (computed at recompute)."""

from django.utils.translation import gettext as _

FLAG_LABELS = {
    "high": lambda: _("above the 99.8 % limit"),
    "low": lambda: _("below the 99.8 % limit"),
    "near": lambda: _("outside 95 %, within 99.8 %"),
    "within": lambda: _("within the limits"),
}


def flag_label(flag: str | None) -> str:
    return FLAG_LABELS[flag]() if flag in FLAG_LABELS else ""


def funnel_chart(result, indicator, highlight: str | None = None) -> dict | None:
    """Chart.js data for the funnel plot of ``result`` (a district total), or None."""
    plot = result.funnel if result is not None else None
    if not plot or not plot.get("points"):
        return None
    points = [{**p, "flag_label": flag_label(p["flag"])} for p in plot["points"]]
    return {
        "element_id": f"funnel-{indicator.code}",
        "indicator": indicator.code,
        "unit": indicator.value_suffix,
        "scale": indicator.scale,  # the table's decimals (catalog.numbers)
        "model": plot.get("model"),
        "centre": plot["centre"],
        "curve": plot["curve"],
        "points": points,
        "flagged": plot["flagged"],
        "highlight": highlight,
        "years": points[0]["years"],
        "labels": {
            "units": _("Townships"),
            "centre": _("District rate"),
            "exposure": indicator.denominator or _("Denominator"),
            "rate": indicator.value_suffix or indicator.unit,
        },
    }


def gap_rows(result, labels_by_axis: dict) -> dict:
    """{axis: gap with its interval and whether it is significant} from the stored result."""
    out = {}
    for axis, gap in (result.gaps if result is not None else {}).items():
        out[axis] = {**gap, "labels": labels_by_axis.get(axis, ("", ""))}
    return out
