"""The read model: what pages, reports, exchange and the API read of stored results and of
the values that count. Unscoped on purpose: a caller acting for a user narrows the answer
with `accounts.access` (`results_for_user`, `values_for_user`); documents built for the
office read it whole, with no user to forge."""

from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from planwatch.collection.models import DataValue
from planwatch.evaluation.vocabulary import LEVEL_ORDER, STATUS_ORDER
from planwatch.monitoring.models import RESULT_YEARS_KEY, Comparison, SeriesResult, Warning
from planwatch.org.models import OrgUnit


def district() -> OrgUnit:
    return OrgUnit.objects.home_district()


def result_years() -> list[int]:
    """Years with stored results, asked on every dashboard: cached, and forgotten by every
    recompute (the cache is shared by the worker and the web processes)."""
    years = cache.get(RESULT_YEARS_KEY)
    if years is None:
        years = list(
            SeriesResult.objects.filter(preview=False)
            .values_list("as_of_year", flat=True)
            .distinct()
            .order_by("as_of_year")
        )
        cache.set(RESULT_YEARS_KEY, years, 600)
    return years


def latest_result_year() -> int | None:
    return SeriesResult.objects.filter(preview=False).aggregate(y=Max("as_of_year"))["y"]


def year_or_latest(asked: str | None, years: list[int]) -> int | None:
    """The result year asked for (a query-string value) if results exist for it, else the
    latest; None when there are no results at all."""
    if not years:
        return None
    try:
        year = int(asked or "")
    except ValueError:
        return years[-1]
    return year if year in years else years[-1]


def district_results(year: int, *, plan: str | None = None, area=None):
    """The district's stored results for its totals (no disaggregation) as of `year`."""
    qs = SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__code=settings.PLANWATCH_DISTRICT_CODE,
        sex="",
        age_group="",
        residence="",
    )
    if plan:
        qs = qs.filter(target__area__plan__code=plan)
    if area is not None:
        qs = qs.filter(target__area=area)
    return qs.select_related(
        "target__indicator", "target__area__plan", "target__objective", "org_unit"
    )


def status_counts(results) -> OrderedDict:
    counts = Counter(r.status for r in results)
    return OrderedDict((s, counts.get(s, 0)) for s in STATUS_ORDER)


@dataclass
class AreaLine:
    area: object
    counts: OrderedDict = field(default_factory=OrderedDict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def by_area(results) -> list[AreaLine]:
    lines: dict = {}
    for r in results:
        area = r.target.area
        lines.setdefault(area.pk, AreaLine(area, OrderedDict((s, 0) for s in STATUS_ORDER)))
        lines[area.pk].counts[r.status] += 1
    return sorted(lines.values(), key=lambda x: (x.area.plan.sort, x.area.number))


def warnings_of(results, levels=None):
    """The warnings of these results, most urgent level first."""
    qs = Warning.objects.filter(result__in=results).select_related(
        "result__target__indicator",
        "result__target__area__plan",
        "result__target__indicator__lead_department",
        "result__org_unit",
    )
    if levels:
        qs = qs.filter(level__in=levels)
    return sorted(qs, key=lambda w: (LEVEL_ORDER.index(w.level), w.result.target.code))


def counted_values(indicator, *, year: int, sex="", age="", residence="", org_unit=None):
    """The values that count of one indicator and group, up to `year`."""
    qs = DataValue.objects.filter(
        indicator=indicator, year__lte=year, sex=sex, age_group=age, residence=residence
    ).counted()
    return qs if org_unit is None else qs.filter(org_unit=org_unit)


def by_year(values) -> dict:
    """{year: DataValue}, for one unit's series."""
    return {v.year: v for v in values.order_by("year")}


def latest_by_unit(values) -> dict:
    """{unit: its latest DataValue}."""
    latest = {}
    for v in values.select_related("org_unit").order_by("year"):
        latest[v.org_unit] = v
    return latest


GAP_AXES = ("sex", "residence")  # female/male, urban/rural: the pairs a report speaks of


def gap_sentences(indicator_ids, year: int) -> dict[int, list[str]]:
    """{indicator pk: the stored gap explanations as of `year`, sex first}, for the pairs with
    values on both sides — what the recompute derived, never derived again by a reader."""
    stored = Comparison.objects.filter(
        indicator_id__in=list(indicator_ids), as_of_year=year, preview=False
    ).values_list("indicator_id", "gaps")
    out = {}
    for indicator_id, gaps in stored:
        pairs = [gaps[axis] for axis in GAP_AXES if axis in gaps]
        out[indicator_id] = [p["gap"]["explanation"] for p in pairs if p["a"] and p["b"]]
    return out
