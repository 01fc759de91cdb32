"""Feed the pure engine the stored values and keep what it says.

Reads approved values (or, for a preview, submitted ones too) indicator by indicator, groups
them into series, evaluates every target on every series — across processes when there are
many — and replaces the stored results for that year in one transaction, written with plain
bulk statements (COPY on PostgreSQL). Memory stays flat: one indicator's series at a time.
Nothing is lost by recomputing: results derive from values alone.
"""

import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from planwatch.catalog.models import Computation, Scope, Target
from planwatch.collection.models import DataValue
from planwatch.evaluation.counts import DEFAULT_POOL_YEARS, CountFigure
from planwatch.evaluation.engine import evaluate
from planwatch.evaluation.funnel import funnel, gap_interval
from planwatch.evaluation.model import Point, Series
from planwatch.evaluation.model import Target as EngineTarget
from planwatch.evaluation.scope import evaluate_scoped
from planwatch.monitoring.models import RESULT_YEARS_KEY, SeriesResult, Warning
from planwatch.org.models import OrgUnit

BATCH = 20_000
# Below this many series a worker pool costs more than it saves.
PARALLEL_FROM = 20_000
RESULT_COLUMNS = (
    "id",
    "target_id",
    "org_unit_id",
    "sex",
    "age_group",
    "residence",
    "as_of_year",
    "preview",
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
    "evidence",
    "pooled_first_year",
    "pooled_last_year",
    "pooled_events",
    "pooled_exposure",
    "pooled_rate",
    "pooled_lo95",
    "pooled_hi95",
    "pooled_reliable",
    "detail",
    "computed_at",
)
SUMMARY_FIELDS = (
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
    "evidence",
)
POOLED_FIELDS = 8
WARNING_COLUMNS = ("result_id", "level", "kind", "year", "reason")


def _visible_values(preview: bool):
    return DataValue.objects.counted(preview=preview)


def engine_target(target: Target) -> EngineTarget:
    return EngineTarget(
        comparator=target.comparator,
        value=target.value,
        base_year=target.base_year,
        target_year=target.target_year,
        unit=target.indicator.value_suffix,
    )


def series_options(indicator) -> dict:
    """What the engine needs to know about an indicator's counts."""
    if indicator.computation != Computation.RATIO:
        return {}
    return {
        "count_model": "binomial" if indicator.is_share else "poisson",
        "factor": float(indicator.factor) if indicator.factor else None,
        "pool_years": indicator.pooled_years or DEFAULT_POOL_YEARS,
        "event_label": indicator.numerator,
        "exposure_label": indicator.denominator,
    }


def _pooled_columns(pooled: dict | None) -> tuple:
    if not pooled:
        return (None,) * POOLED_FIELDS
    return (
        pooled["years"][0],
        pooled["years"][1],
        pooled["events"],
        pooled["exposure"],
        pooled["rate"],
        pooled["ci95"][0],
        pooled["ci95"][1],
        pooled["reliable"],
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


def load_rows(indicator_ids, as_of_year: int, preview: bool) -> dict:
    """{indicator_id: [(key, ((year, value, num, den), ...)), ...]}: plain tuples, cheap to
    hand to worker processes."""
    by_indicator = defaultdict(list)
    for key, points in load_series(indicator_ids, as_of_year, preview).items():
        by_indicator[key[0]].append(
            (key, tuple((p.year, p.value, p.numerator, p.denominator) for p in points))
        )
    return by_indicator


# --- the engine's side: plain tuples in, plain tuples out (cheap to send between processes)


def _evaluate_job(job):
    target_pk, goal, valid, options, as_of_year, items = job
    out = []
    for key, rows in items:
        points = tuple(Point(*row) for row in rows)
        outcome = evaluate(goal, Series(points, valid, **options), as_of_year=as_of_year)
        detail = outcome.to_dict()
        summary = tuple(detail.get(name) for name in SUMMARY_FIELDS)
        # the pooled figure is stored in its own columns, not a second time in the detail
        summary += _pooled_columns(detail.pop("pooled"))
        # Six significant digits are beyond any published statistic's precision, and halve
        # the stored size of a national recompute.
        detail = _rounded(detail)
        warnings = [(w.level, w.kind, w.year, w.reason) for w in outcome.warnings]
        out.append((key, summary, json.dumps(detail, ensure_ascii=False), warnings))
    return target_pk, out


def _rounded(data):
    if isinstance(data, float):
        return float(f"{data:.6g}")
    if isinstance(data, dict):
        return {key: _rounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_rounded(value) for value in data]
    return data


class _Runner:
    """Evaluates jobs in this process, or across CPUs once there is enough to share."""

    def __init__(self, parallel: bool):
        self.pool = None
        if parallel and (os.cpu_count() or 1) > 1:
            # fork: the workers run only the pure engine, never the database connection.
            self.pool = multiprocessing.get_context("fork").Pool(os.cpu_count())

    def run(self, jobs):
        """(target pk, results) per job, in the order the jobs were given."""
        if self.pool is None:
            return map(_evaluate_job, jobs)
        return self.pool.imap(_evaluate_job, jobs)

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


JOB_SIZE = 500


def _jobs(targets, series_by_indicator, as_of_year):
    for target in targets:
        goal, valid = engine_target(target), target.indicator.valid_range
        options = series_options(target.indicator)
        items = series_by_indicator.get(target.indicator_id, [])
        for start in range(0, len(items), JOB_SIZE):
            yield (target.pk, goal, valid, options, as_of_year, items[start : start + JOB_SIZE])


# --- the database side --------------------------------------------------------------------


def _delete_stale(as_of_year: int, preview: bool, indicator_ids) -> None:
    stale = SeriesResult.objects.filter(as_of_year=as_of_year, preview=preview)
    if indicator_ids is not None:
        stale = stale.filter(target__indicator_id__in=indicator_ids)
    # Raw deletes: the ORM's cascade collector would load every row into memory first.
    warnings = Warning.objects.filter(result__in=stale.values("pk"))
    warnings._raw_delete(warnings.db)
    stale._raw_delete(stale.db)


def _write(table: str, columns: tuple, rows: list[tuple]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _lock_and_next_id() -> int:
    """Ids are given here so that warnings can point at results written in the same batch."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE monitoring_seriesresult IN EXCLUSIVE MODE")
    return (SeriesResult.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _reset_sequence() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("monitoring_seriesresult", "monitoring_warning"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


def recompute(
    as_of_year: int, *, preview: bool = False, indicator_ids: Iterable[int] | None = None
) -> int:
    targets = list(Target.objects.select_related("indicator").order_by("indicator_id", "sort"))
    if indicator_ids is not None:
        wanted = set(indicator_ids)
        targets = [t for t in targets if t.indicator_id in wanted]
    ids = sorted({t.indicator_id for t in targets})
    by_pk = {t.pk: t for t in targets}
    townships = {u.pk: u.name for u in OrgUnit.objects.home_townships()}
    districts = {OrgUnit.objects.home_district().pk}
    size = _visible_values(preview).filter(indicator_id__in=ids, year=as_of_year).count()
    # The pool forks before the values are read, so the workers stay small.
    runner = _Runner(parallel=size > PARALLEL_FROM)
    # Written as the database stores it, once, rather than adapted row by row.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        now = timezone.now()
    written = 0
    try:
        series = load_rows(ids, as_of_year, preview)
        with transaction.atomic():
            _delete_stale(as_of_year, preview, ids if indicator_ids is not None else None)
            next_id = _lock_and_next_id()
            rows, warning_rows, held = [], [], defaultdict(list)
            home = _HomeFigures(townships, districts)
            jobs = _jobs(targets, series, as_of_year)
            for target_pk, evaluated in runner.run(jobs):
                target = by_pk[target_pk]
                if target.scope == Scope.EACH_TOWNSHIP:
                    # The district's row depends on every township's: hold until all are in.
                    held[target_pk] += evaluated
                    if len(held[target_pk]) < len(series.get(target.indicator_id, [])):
                        continue
                    evaluated = _apply_scope(
                        target, as_of_year, held.pop(target_pk), series, townships, districts
                    )
                for key, summary, detail, warnings in evaluated:
                    _, unit_id, sex, age, res = key
                    home.collect(target_pk, key, next_id, summary, detail)
                    rows.append(
                        (next_id, target_pk, unit_id, sex, age, res, as_of_year, preview,
                         *summary, detail, now)
                    )  # fmt: skip
                    warning_rows += [(next_id, *w) for w in warnings]
                    next_id += 1
                if len(rows) >= BATCH:
                    written += _flush(rows, warning_rows)
            written += _flush(rows, warning_rows)
            home.store(by_pk)
            _reset_sequence()
            transaction.on_commit(lambda: cache.delete(RESULT_YEARS_KEY))
    finally:
        runner.close()
    return written


def _flush(rows: list, warning_rows: list) -> int:
    count = len(rows)
    _write("monitoring_seriesresult", RESULT_COLUMNS, rows)
    _write("monitoring_warning", WARNING_COLUMNS, warning_rows)
    rows.clear()
    warning_rows.clear()
    return count


GAP_AXES = (("residence", "urban", "rural"), ("sex", "female", "male"))


class _HomeFigures:
    """The district's and its townships' pooled figures, gathered while results are written,
    then turned into each target's funnel plot and gaps, stored on the district's total row."""

    def __init__(self, townships: dict, districts: set):
        self.townships = townships
        self.districts = districts
        self.figures = defaultdict(dict)  # target pk -> {key: pooled dict}
        self.district_rows = {}  # target pk -> (row id, detail dict)

    def collect(self, target_pk, key, row_id, summary: tuple, detail: str) -> None:
        unit_id = key[1]
        if unit_id not in self.townships and unit_id not in self.districts:
            return
        first, last, events, exposure, rate, lo, hi, reliable = summary[-POOLED_FIELDS:]
        if first is None:
            return
        data = json.loads(detail)
        self.figures[target_pk][key] = {
            "years": [first, last],
            "n_years": last - first + 1,
            "events": events,
            "exposure": exposure,
            "rate": rate,
            "ci95": [lo, hi],
            "reliable": reliable,
            "reason": "",
            "model": (data.get("latest") or {}).get("model", "poisson"),
        }
        if unit_id in self.districts and not (key[2] or key[3] or key[4]):
            self.district_rows[target_pk] = (row_id, data)

    def store(self, targets: dict) -> None:
        for target_pk, (row_id, data) in self.district_rows.items():
            figures = self.figures[target_pk]
            indicator = targets[target_pk].indicator
            factor = float(indicator.factor or 1)
            district_key = next(k for k in figures if k[1] in self.districts and not any(k[2:]))
            units = [
                (self.townships[k[1]], CountFigure.from_dict(f))
                for k, f in figures.items()
                if k[1] in self.townships and not any(k[2:])
            ]
            units.sort(key=lambda u: u[0])
            plot = funnel(units, CountFigure.from_dict(figures[district_key]), factor)
            gaps = {}
            for axis, a, b in GAP_AXES:
                ka = (district_key[0], district_key[1], *_axis_key(axis, a))
                kb = (district_key[0], district_key[1], *_axis_key(axis, b))
                if ka in figures and kb in figures:
                    gaps[axis] = gap_interval(
                        CountFigure.from_dict(figures[ka]), CountFigure.from_dict(figures[kb])
                    )
            if plot is None and not gaps:
                continue
            data["funnel"] = _rounded(plot) if plot else None
            data["gaps"] = _rounded(gaps)
            SeriesResult.objects.filter(pk=row_id).update(detail=data)


def _axis_key(axis: str, value: str) -> tuple[str, str, str]:
    return (value, "", "") if axis == "sex" else ("", "", value)


def _apply_scope(target, as_of_year, evaluated, series, townships, districts):
    """A target for every township: the district's total attains only if every township
    does; its row then says which do not."""
    valid = target.indicator.valid_range
    units = {
        townships[key[1]]: Series(
            tuple(Point(*row) for row in rows), valid, **series_options(target.indicator)
        )
        for key, rows in series.get(target.indicator_id, [])
        if key[1] in townships and not (key[2] or key[3] or key[4])
    }
    if not units:
        return evaluated
    scoped = evaluate_scoped(engine_target(target), units, as_of_year=as_of_year)
    status_at = SUMMARY_FIELDS.index("status")
    explanation_at = SUMMARY_FIELDS.index("explanation")
    out = []
    for key, summary, detail, warnings in evaluated:
        if key[1] in districts and not (key[2] or key[3] or key[4]):
            summary = list(summary)
            summary[status_at] = scoped.status
            summary[explanation_at] = scoped.explanation + (summary[explanation_at] or "")
            data = json.loads(detail)
            data["scope"] = {"status": scoped.status, "failing_units": scoped.failing_units}
            detail = json.dumps(data, ensure_ascii=False)
            summary = tuple(summary)
        out.append((key, summary, detail, warnings))
    return out


def years_with_values() -> list[int]:
    return sorted(set(_visible_values(False).values_list("year", flat=True).distinct()))
