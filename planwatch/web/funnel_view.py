"""The funnel plot's page data, read from the district's stored result (computed at recompute)."""

from django.utils.translation import gettext as _

from planwatch.web import language

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
    names = _english_names() if language.english() else {}
    points = [
        {**p, "unit": names.get(p["unit"], p["unit"]), "flag_label": flag_label(p["flag"])}
        for p in plot["points"]
    ]
    highlight = names.get(highlight, highlight)
    return {
        "element_id": f"funnel-{indicator.code}",
        "indicator": indicator.code,
        "unit": language.suffix(indicator.unit),
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
            "exposure": (
                _("Denominator")
                if language.english() or not indicator.denominator
                else indicator.denominator
            ),
            "rate": language.axis(indicator.unit),
        },
    }


def _english_names() -> dict:
    """The stored plot names townships in Chinese: their English names for an English page."""
    from planwatch.org.models import OrgUnit

    return dict(OrgUnit.objects.filter(name_en__gt="").values_list("name", "name_en"))


def gap_rows(result, labels_by_axis: dict) -> dict:
    """{axis: gap with its interval and whether it is significant} from the stored result."""
    out = {}
    for axis, gap in (result.gaps if result is not None else {}).items():
        out[axis] = {**gap, "labels": labels_by_axis.get(axis, ("", ""))}
    return out
