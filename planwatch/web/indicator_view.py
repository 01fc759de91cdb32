"""The monitoring half of the indicator page: series, target, path, forecast, gaps, peers."""

from django.utils.translation import pgettext

from planwatch.accounts.access import reads_everything, values_for_user
from planwatch.collection.models import DataValue
from planwatch.monitoring.comparisons import PAIRS, stored_comparison
from planwatch.monitoring.models import SeriesResult
from planwatch.org.models import OrgUnit
from planwatch.web import dashboards, language
from planwatch.web.funnel_view import funnel_chart


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
    threshold = main_result.threshold if main_result else None
    chart = {
        "years": years,
        "unit": language.suffix(indicator.unit),
        "axis": language.axis(indicator.unit),
        "words": {
            "forecast": pgettext("chart", "forecast"),
            "target": pgettext("chart", "target"),
            "path": pgettext("chart", "path to the target"),
        },
        "district": {"label": language.name_of(district), "data": _mapping(own)},
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
            chart["references"].append({"label": language.name_of(unit), "data": _mapping(ref)})
    # Gaps and the townships' ranking as the recompute stored them (monitoring/comparisons.py).
    stored = stored_comparison(indicator, year)
    gaps = [
        {
            "axis": axis,
            "interval": main_result.gaps.get(axis) if main_result else None,
            "element_id": f"gap-{axis}",
            "labels": [language.group_words(code) for code in codes],
            **stored["gaps"][axis],
        }
        for axis, codes, _words in PAIRS
        if axis in stored["gaps"]
    ]
    townships = list(OrgUnit.objects.home_townships())
    ranking = _in_language(_visible_ranking(user, indicator, townships, stored["ranking"]))
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


def _visible_ranking(user, indicator, townships, ranking):
    """The stored ranking for readers of everything; others see only the townships whose
    values they may read, without ranks that would tell them about the others."""
    if ranking is None or reads_everything(user):
        return ranking
    seen = values_for_user(user, DataValue.objects.filter(indicator=indicator))
    names = set(seen.filter(org_unit__in=townships).values_list("org_unit__name", flat=True))
    entries = [{**e, "rank": ""} for e in ranking["entries"] if e["unit"] in names]
    if not entries:
        return None
    return {**ranking, "entries": entries, "spread": None, "best": None, "worst": None}


def _in_language(ranking):
    """The stored ranking names townships in Chinese; an English page shows their English names."""
    if ranking is None or not language.english():
        return ranking
    english = dict(OrgUnit.objects.filter(name_en__gt="").values_list("name", "name_en"))
    entries = [{**e, "unit": english.get(e["unit"], e["unit"])} for e in ranking["entries"]]
    named = {k: english.get(ranking[k], ranking[k]) for k in ("best", "worst") if ranking.get(k)}
    return {**ranking, "entries": entries, **named}
