"""Feed the pure engine the stored values and keep what it says.

Reads approved values (or, for a preview, submitted ones too) in one query, groups them into
series, evaluates every target on every series, and replaces the stored results for that
year in one transaction. Nothing is lost by recomputing: results derive from values alone.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from planwatch.catalog.models import Scope, Target
from planwatch.collection.models import APPROVED_STATES, DataValue, SubmissionStatus
from planwatch.evaluation.engine import evaluate
from planwatch.evaluation.model import Point, Series
from planwatch.evaluation.model import Target as EngineTarget
from planwatch.evaluation.scope import evaluate_scoped
from planwatch.monitoring.models import SeriesResult, Warning
from planwatch.org.models import Level, OrgUnit

BATCH = 5000
RESULT_FIELDS = (
    "status",
    "rule",
    "latest_year",
    "latest_value",
    "projected_value",
    "p_ratio",
    "completion_progress",
    "time_progress",
    "progress_gap_points",
    "attainment_probability",
    "explanation",
)


def _visible_values(preview: bool):
    states = set(APPROVED_STATES)
    if preview:
        states.add(SubmissionStatus.SUBMITTED)
    # Reference units' published values belong to no submission and always count.
    return DataValue.objects.filter(Q(submission__status__in=states) | Q(submission__isnull=True))


def engine_target(target: Target) -> EngineTarget:
    return EngineTarget(
        comparator=target.comparator,
        value=target.value,
        base_year=target.base_year,
        target_year=target.target_year,
        unit=target.indicator.value_suffix,
    )


def load_series(indicator_ids, as_of_year: int, preview: bool) -> dict:
    """{(indicator_id, org_unit_id, sex, age, residence): [Point, ...]} up to as_of_year."""
    series = defaultdict(list)
    rows = (
        _visible_values(preview)
        .filter(indicator_id__in=indicator_ids, year__lte=as_of_year)
        .order_by("indicator_id", "org_unit_id", "sex", "age_group", "residence", "year")
        .values_list(
            "indicator_id",
            "org_unit_id",
            "sex",
            "age_group",
            "residence",
            "year",
            "value",
            "numerator",
            "denominator",
        )
    )
    for ind, unit, sex, age, res, year, value, num, den in rows.iterator(chunk_size=BATCH):
        series[(ind, unit, sex, age, res)].append(Point(year, value, num, den))
    return series


def recompute(
    as_of_year: int, *, preview: bool = False, indicator_ids: Iterable[int] | None = None
) -> int:
    targets = list(Target.objects.select_related("indicator"))
    if indicator_ids is not None:
        wanted = set(indicator_ids)
        targets = [t for t in targets if t.indicator_id in wanted]
    ids = {t.indicator_id for t in targets}
    series = load_series(ids, as_of_year, preview)
    by_indicator = defaultdict(list)
    for key, points in series.items():
        by_indicator[key[0]].append((key, points))
    townships = {
        u.pk: u.name for u in OrgUnit.objects.filter(level=Level.TOWNSHIP, is_reference=False)
    }
    district_ids = set(
        OrgUnit.objects.filter(level=Level.DISTRICT, is_reference=False).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    results, warnings = [], []
    for target in targets:
        goal = engine_target(target)
        valid = target.indicator.valid_range
        scoped_units = {}
        for key, points in by_indicator.get(target.indicator_id, ()):
            _, unit_id, sex, age, res = key
            built = Series(tuple(points), valid)
            outcome = evaluate(goal, built, as_of_year=as_of_year)
            row = _result_row(target, key, as_of_year, preview, outcome, now)
            if (
                target.scope == Scope.EACH_TOWNSHIP
                and unit_id in townships
                and not (sex or age or res)
            ):
                scoped_units[townships[unit_id]] = built
            results.append(row)
            warnings.append([(w.level, w.kind, w.year, w.reason) for w in outcome.warnings])
        if target.scope == Scope.EACH_TOWNSHIP and scoped_units:
            scoped = evaluate_scoped(goal, scoped_units, as_of_year=as_of_year)
            for row in results:
                if row.target_id == target.pk and row.org_unit_id in district_ids and row.is_total:
                    row.status = scoped.status
                    row.explanation = scoped.explanation + row.explanation
                    row.detail["scope"] = {
                        "status": scoped.status,
                        "failing_units": scoped.failing_units,
                    }
    with transaction.atomic():
        stale = SeriesResult.objects.filter(as_of_year=as_of_year, preview=preview)
        if indicator_ids is not None:
            stale = stale.filter(target__indicator_id__in=ids)
        stale.delete()
        SeriesResult.objects.bulk_create(results, batch_size=BATCH)
        Warning.objects.bulk_create(
            [
                Warning(result=row, level=level, kind=kind, year=year, reason=reason)
                for row, found in zip(results, warnings, strict=True)
                for level, kind, year, reason in found
            ],
            batch_size=BATCH,
        )
    return len(results)


def _result_row(target, key, as_of_year, preview, outcome, now) -> SeriesResult:
    _, unit_id, sex, age, res = key
    detail = outcome.to_dict()
    row = SeriesResult(
        target=target,
        org_unit_id=unit_id,
        sex=sex,
        age_group=age,
        residence=res,
        as_of_year=as_of_year,
        preview=preview,
        detail=detail,
        computed_at=now,
    )
    for name in RESULT_FIELDS:
        setattr(row, name, detail.get(name))
    return row


def years_with_values() -> list[int]:
    return sorted(set(_visible_values(False).values_list("year", flat=True).distinct()))
