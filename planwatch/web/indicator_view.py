"""The monitoring half of the indicator page: series, target, path, forecast, gaps, peers."""

from planwatch.catalog.models import Comparator
from planwatch.evaluation.gaps import pair_gap, rank_units
from planwatch.monitoring.models import SeriesResult
from planwatch.org.models import OrgUnit
from planwatch.web import dashboards
from planwatch.web.funnel_view import funnel_chart


def _threshold(target, base_value):
    if target.comparator == Comparator.REDUCE_BY_PCT:
        return None if base_value is None else base_value * (1 - target.value / 100)
    return target.value


def _mapping(values: dict) -> dict:
    return {year: v.value for year, v in values.items()}


def indicator_monitoring(user, indicator, year: int) -> dict:
    district = dashboards.district()
    targets = list(indicator.targets.order_by("sort"))
    results = {
        r.target_id: r
        for r in dashboards.district_totals(user, year).filter(target__indicator=indicator)
    }
    own = dashboards.approved_series(user, indicator, year=year, org_unit=district)
    base_year = targets[0].base_year if targets else 2020
    base = own.get(base_year) or (own[min(own)] if own else None)
    end_year = max([t.target_year for t in targets] + [year])
    years = list(range(min([*own, base_year]), end_year + 1))
    main = targets[0] if targets else None
    main_result = results.get(main.pk) if main else None
    threshold = _threshold(main, base.value if base else None) if main else None
    chart = {
        "years": years,
        "unit": indicator.value_suffix,
        "district": {"label": district.name, "data": _mapping(own)},
        "target": threshold,
        "path": (
            [[base.year, base.value], [main.target_year, threshold]]
            if base is not None and threshold is not None
            else []
        ),
        "forecast": (main_result.detail.get("forecast") or []) if main_result else [],
        "probability": main_result.attainment_probability if main_result else None,
        "references": [],
    }
    for unit in OrgUnit.objects.filter(is_reference=True).order_by("level"):
        ref = dashboards.approved_series(user, indicator, year=year, org_unit=unit)
        if ref:
            chart["references"].append({"label": unit.name, "data": _mapping(ref)})
    gaps = []
    for axis, (a, b), labels in (
        ("sex", ("female", "male"), ("女", "男")),
        ("residence", ("urban", "rural"), ("城镇", "农村")),
    ):
        if axis not in indicator.disaggregations:
            continue
        kwargs = [{axis: a}, {axis: b}]
        first = dashboards.approved_series(
            user, indicator, year=year, org_unit=district, **_axis(kwargs[0])
        )
        second = dashboards.approved_series(
            user, indicator, year=year, org_unit=district, **_axis(kwargs[1])
        )
        if first or second:
            gap = pair_gap(
                _mapping(first),
                _mapping(second),
                a_label=labels[0],
                b_label=labels[1],
                scale=indicator.scale,
                unit=indicator.value_suffix,
            )
            stored = main_result.gaps.get(axis) if main_result else None
            gaps.append(
                {
                    "axis": axis,
                    "interval": stored,
                    "element_id": f"gap-{axis}",
                    "labels": labels,
                    "a": _mapping(first),
                    "b": _mapping(second),
                    "gap": gap.to_dict(),
                }
            )
    townships = list(OrgUnit.objects.home_townships())
    latest = dashboards.latest_values_by_unit(user, indicator, townships, year=year)
    ranking = None
    if latest:
        lower = indicator.direction == "lower"
        ranked = rank_units({u.name: v.value for u, v in latest.items()}, lower_is_better=lower)
        ranking = {
            "entries": [{"rank": e.rank, "unit": e.unit, "value": e.value} for e in ranked.entries],
            "spread": ranked.spread,
            "best": ranked.best.unit if ranked.best else None,
            "worst": ranked.worst.unit if ranked.worst else None,
            "years": sorted({v.year for v in latest.values()}),
        }
    township_results = {}
    if main is not None:
        for r in SeriesResult.objects.filter(
            target=main,
            as_of_year=year,
            preview=False,
            org_unit__in=townships,
            sex="",
            age_group="",
            residence="",
        ).select_related("org_unit"):
            township_results[r.org_unit.name] = r
    return {
        "targets": targets,
        "results": [(t, results.get(t.pk)) for t in targets],
        "main_result": main_result,
        "chart": chart,
        "gaps": gaps,
        "ranking": ranking,
        "funnel": funnel_chart(main_result, indicator),
        "township_results": township_results,
        "district_values": [own[y] for y in sorted(own)],
    }


def _axis(kwargs: dict) -> dict:
    out = {"sex": "", "age": "", "residence": ""}
    out.update(kwargs)
    return out
