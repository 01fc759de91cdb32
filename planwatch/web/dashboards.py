"""What the dashboards show, as the signed-in user may see it: the read model
(`monitoring.queries`) narrowed by `accounts.access`. Pages never re-run the evaluation."""

from collections import Counter

from planwatch.accounts.access import results_for_user, values_for_user
from planwatch.collection.board import reporting_departments, reporting_townships
from planwatch.collection.models import DataValue, ReportingRound
from planwatch.monitoring import queries

# The read model lives in monitoring.queries; these names are the pages' shorthand for it.
district = queries.district
result_years = queries.result_years
latest_result_year = queries.latest_result_year
status_counts = queries.status_counts
by_area = queries.by_area
warnings_of = queries.warnings_of


def chosen_year(request, years: list[int]) -> int | None:
    return queries.year_or_latest(request.GET.get("year"), years)


def district_totals(user, year: int, *, plan: str | None = None, area=None):
    """The district's results as this user may read them."""
    return results_for_user(user, queries.district_results(year, plan=plan, area=area))


def round_progress() -> dict | None:
    round_ = ReportingRound.objects.order_by("-year").first()
    if round_ is None:
        return None
    counts = Counter(round_.submissions.values_list("status", flat=True))
    expected = reporting_departments().count() + reporting_townships().count()
    started = sum(counts.values())
    return {
        "round": round_,
        "counts": counts,
        "not_started": max(expected - started, 0),
        "expected": expected,
        "done": counts.get("submitted", 0) + counts.get("approved", 0) + counts.get("locked", 0),
    }


def approved_series(user, indicator, *, year: int, org_unit=None, sex="", age="", residence=""):
    """{year: DataValue} of the values that count, as this user may read them."""
    values = queries.counted_values(
        indicator, year=year, sex=sex, age=age, residence=residence, org_unit=org_unit
    )
    return queries.by_year(values_for_user(user, values))


def latest_values_by_unit(user, indicator, units, *, year: int) -> dict:
    """Each unit's latest total value that counts up to `year`, as this user may read it."""
    values = queries.counted_values(indicator, year=year).filter(org_unit__in=units)
    return queries.latest_by_unit(values_for_user(user, values))


def submission_state(value: DataValue) -> str:
    if value.submission_id is None:
        return "published"
    return value.submission.status
