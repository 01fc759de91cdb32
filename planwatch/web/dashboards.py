"""What the dashboards show, read from stored results: pages never re-run the evaluation."""

from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q

from planwatch.accounts.access import results_for_user, values_for_user
from planwatch.collection.board import reporting_departments
from planwatch.collection.models import APPROVED_STATES, DataValue, ReportingRound
from planwatch.monitoring.models import RESULT_YEARS_KEY, SeriesResult, Status, Warning
from planwatch.org.models import OrgUnit

STATUS_ORDER = [
    Status.ATTAINED,
    Status.ON_TRACK,
    Status.NEEDS_ACCELERATION,
    Status.OFF_TRACK,
    Status.REGRESSING,
    Status.INSUFFICIENT_DATA,
    Status.NO_DATA,
]
STATUS_COLOURS = {
    Status.ATTAINED: "#2b8a3e",
    Status.ON_TRACK: "#74b816",
    Status.NEEDS_ACCELERATION: "#f59f00",
    Status.OFF_TRACK: "#e8590c",
    Status.REGRESSING: "#c92a2a",
    Status.INSUFFICIENT_DATA: "#868e96",
    Status.NO_DATA: "#ced4da",
}
LEVEL_ORDER = ["red", "small_sample", "yellow", "volatility", "data"]


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


def chosen_year(request, years: list[int]) -> int | None:
    if not years:
        return None
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return years[-1]
    return year if year in years else years[-1]


def district_totals(user, year: int, *, plan: str | None = None, area=None):
    qs = SeriesResult.objects.filter(
        as_of_year=year,
        preview=False,
        org_unit__code=settings.PLANWATCH_DISTRICT_CODE,
        sex="",
        age_group="",
        residence="",
    )
    if plan:
        qs = qs.filter(target__indicator__plan__code=plan)
    if area is not None:
        qs = qs.filter(target__indicator__area=area)
    qs = results_for_user(user, qs)
    return qs.select_related("target__indicator__area__plan", "target__objective", "org_unit")


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
        area = r.target.indicator.area
        lines.setdefault(area.pk, AreaLine(area, OrderedDict((s, 0) for s in STATUS_ORDER)))
        lines[area.pk].counts[r.status] += 1
    return sorted(lines.values(), key=lambda x: (x.area.plan.sort, x.area.number))


def warnings_of(results, levels=None):
    qs = Warning.objects.filter(result__in=results).select_related(
        "result__target__indicator__area__plan",
        "result__target__indicator__lead_department",
        "result__org_unit",
    )
    if levels:
        qs = qs.filter(level__in=levels)
    return sorted(qs, key=lambda w: (LEVEL_ORDER.index(w.level), w.result.target.code))


def round_progress() -> dict | None:
    round_ = ReportingRound.objects.order_by("-year").first()
    if round_ is None:
        return None
    counts = Counter(round_.submissions.values_list("status", flat=True))
    expected = reporting_departments().count()
    started = sum(counts.values())
    return {
        "round": round_,
        "counts": counts,
        "not_started": max(expected - started, 0),
        "expected": expected,
        "done": counts.get("submitted", 0) + counts.get("approved", 0) + counts.get("locked", 0),
    }


def approved_series(user, indicator, *, year: int, org_unit=None, sex="", age="", residence=""):
    """{year: DataValue} of approved values (and reference units' published values)."""
    qs = DataValue.objects.filter(
        indicator=indicator, year__lte=year, sex=sex, age_group=age, residence=residence
    ).filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True))
    if org_unit is not None:
        qs = qs.filter(org_unit=org_unit)
    qs = values_for_user(user, qs)
    return {v.year: v for v in qs.order_by("year")}


def latest_values_by_unit(user, indicator, units, *, year: int) -> dict:
    """Each unit's latest approved total value up to `year`."""
    qs = values_for_user(
        user,
        DataValue.objects.filter(
            indicator=indicator,
            org_unit__in=units,
            year__lte=year,
            sex="",
            age_group="",
            residence="",
        ).filter(Q(submission__status__in=APPROVED_STATES) | Q(submission__isnull=True)),
    )
    latest = {}
    for v in qs.select_related("org_unit").order_by("year"):
        latest[v.org_unit] = v
    return latest


def submission_state(value: DataValue) -> str:
    if value.submission_id is None:
        return "published"
    return value.submission.status


def latest_result_year() -> int | None:
    return SeriesResult.objects.filter(preview=False).aggregate(y=Max("as_of_year"))["y"]
