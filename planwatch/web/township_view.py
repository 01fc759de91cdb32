"""One township's indicators against the district and its peers (from stored results)."""

from dataclasses import dataclass

from planwatch.accounts.access import reads_everything, results_for_user
from planwatch.monitoring.models import SeriesResult
from planwatch.org.models import Level
from planwatch.web.funnel_view import flag_label, funnel_chart


@dataclass
class ComparisonLine:
    target: object
    own: SeriesResult
    district: SeriesResult | None
    rank: int | None
    peers: int
    funnel_flag: str = ""


def township_comparison(user, unit, year: int) -> list[ComparisonLine]:
    if unit.level != Level.TOWNSHIP or unit.is_reference:
        return []
    totals = dict(sex="", age_group="", residence="", as_of_year=year, preview=False)
    own = results_for_user(user, SeriesResult.objects.filter(org_unit=unit, **totals))
    own = own.select_related("target__indicator__area__plan").order_by("target__sort")
    district = {
        r.target_id: r
        for r in results_for_user(
            user, SeriesResult.objects.filter(org_unit_id=unit.parent_id, **totals)
        )
    }
    peers = {}
    if reads_everything(user):
        for r in (
            SeriesResult.objects.filter(
                org_unit__parent_id=unit.parent_id, org_unit__level=Level.TOWNSHIP, **totals
            )
            .exclude(latest_value=None)
            .select_related("target__indicator")
        ):
            peers.setdefault(r.target_id, []).append(r.latest_value)
    lines = []
    for r in own:
        rank = None
        values = peers.get(r.target_id, [])
        if values and r.latest_value is not None:
            lower = r.target.indicator.direction == "lower"
            better = [v for v in values if (v < r.latest_value if lower else v > r.latest_value)]
            rank = len(better) + 1
        line = ComparisonLine(r.target, r, district.get(r.target_id), rank, len(values))
        plot = line.district.funnel if line.district is not None else None
        for point in (plot or {}).get("points", []):
            if point["unit"] == unit.name:
                line.funnel_flag = flag_label(point["flag"])
        lines.append(line)
    return lines


def township_funnel(lines: list[ComparisonLine], unit, code: str | None) -> dict | None:
    """The funnel plot of the indicator asked for, else of the first one that has one."""
    candidates = [line for line in lines if line.district is not None and line.district.funnel]
    chosen = [line for line in candidates if line.target.indicator.code == code] or candidates
    if not chosen:
        return None
    line = chosen[0]
    chart = funnel_chart(line.district, line.target.indicator, highlight=unit.name)
    if chart is None:
        return None
    choices = list({c.target.indicator.code: c.target.indicator for c in candidates}.values())
    return {"chart": chart, "indicator": line.target.indicator, "choices": choices}
