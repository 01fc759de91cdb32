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
from django.db.models import Max, Q
from django.utils import timezone

from planwatch.catalog.models import Computation, Scope, Target
from planwatch.collection.models import DataValue
from planwatch.evaluation.counts import DEFAULT_POOL_YEARS, CountFigure
from planwatch.evaluation.engine import evaluate
from planwatch.evaluation.funnel import funnel, gap_interval
from planwatch.evaluation.model import Point, Series, stored_number
from planwatch.evaluation.model import Target as EngineTarget
from planwatch.evaluation.scope import evaluate_scoped
from planwatch.monitoring.comparisons import store_comparisons
from planwatch.monitoring.models import RESULT_YEARS_KEY, SeriesResult, Warning
from planwatch.org.models import OrgUnit

BATCH = 20_000
# Below this many series a worker pool (forked: ~0.1 s) costs more than it saves.
PARALLEL_FROM = 4_000
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
    "explanation_en",
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
    "explanation_en",
    "evidence",
)
POOLED_FIELDS = 8
# Kept in their own columns (or, warnings, in their own table) or known from the target:
# not repeated in the detail, which then stores only what pages and reports read from it.
NOT_IN_DETAIL = frozenset(
    {"warnings", "comparator", "target_value", "target_year", "base_year", "n_values"}
    | (set(SUMMARY_FIELDS) - {"rule"})
)
WARNING_COLUMNS = ("result_id", "level", "kind", "year", "reason", "reason_en", "statistics")


def visible_values(preview: bool):
    return DataValue.objects.counted(preview=preview)


def engine_target(target: Target) -> EngineTarget:
    return EngineTarget(
        comparator=target.comparator,
        value=target.value,
        base_year=target.base_year,
        target_year=target.target_year,
        unit=target.indicator.value_suffix,
        scale=target.indicator.scale,
        wording=target.wording,
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


def load_series(indicator_ids, as_of_year: int, preview: bool, units=None) -> dict:
    """{(indicator_id, org_unit_id, sex, age, residence): [Point, ...]} up to as_of_year."""
    series = defaultdict(list)
    rows = visible_values(preview).filter(indicator_id__in=indicator_ids, year__lte=as_of_year)
    if units is not None:
        rows = rows.filter(org_unit_id__in=units)
    rows = rows.order_by(
        "indicator_id", "org_unit_id", "sex", "age_group", "residence", "year"
    ).values_list(
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
    for ind, unit, sex, age, res, year, value, num, den in rows.iterator(chunk_size=BATCH):
        series[(ind, unit, sex, age, res)].append(Point(year, value, num, den))
    return series


def load_rows(indicator_ids, as_of_year: int, preview: bool, units=None) -> dict:
    """{indicator_id: [(key, ((year, value, num, den), ...)), ...]}: plain tuples, cheap to
    hand to worker processes."""
    by_indicator = defaultdict(list)
    for key, points in load_series(indicator_ids, as_of_year, preview, units).items():
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
        # Stored numbers keep six significant digits (the detail is half the size); counts and
        # exposures keep every digit.
        detail = outcome.to_dict(stored=True)
        summary = tuple(detail.get(name) for name in SUMMARY_FIELDS)
        # the pooled figure is stored in its own columns, not a second time in the detail
        summary += _pooled_columns(detail.pop("pooled"))
        detail = {k: v for k, v in detail.items() if k not in NOT_IN_DETAIL}
        warnings = [
            (w.level, w.kind, w.year, w.reason, w.reason_en, _statistics_json(w.statistics))
            for w in outcome.warnings
        ]
        out.append((key, summary, json.dumps(detail, ensure_ascii=False), warnings))
    return target_pk, out


def _statistics_json(statistics: dict | None) -> str | None:
    if not statistics:
        return None
    return json.dumps(_rounded(statistics))


def _rounded(data):
    kind = type(data)
    if kind is float:
        return stored_number(data)
    if kind is dict:
        return {key: _rounded(value) for key, value in data.items()}
    if kind is list:
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


def _delete_stale(as_of_year: int, preview: bool, indicator_ids, wanted, some: bool) -> None:
    stale = SeriesResult.objects.filter(as_of_year=as_of_year, preview=preview)
    if some:
        stale = stale.filter(target__indicator_id__in=indicator_ids)
    if wanted is not None:
        candidates = stale.filter(org_unit_id__in={key[1] for key in wanted}).values_list(
            "pk", "target__indicator_id", "org_unit_id", "sex", "age_group", "residence"
        )
        ids = [pk for pk, *key in candidates if tuple(key) in wanted]
        for start in range(0, len(ids), 900):  # under SQLite's limit of bound parameters
            chunk = ids[start : start + 900]
            Warning.objects.filter(result_id__in=chunk)._raw_delete(Warning.objects.db)
            SeriesResult.objects.filter(pk__in=chunk)._raw_delete(SeriesResult.objects.db)
        return
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


def _lock() -> None:
    """One recompute writes at a time (SQLite's IMMEDIATE transactions already do this);
    pages keep reading meanwhile."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE monitoring_seriesresult IN EXCLUSIVE MODE")


def _next_id() -> int:
    """Ids are given here so that warnings can point at results written in the same batch."""
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
    as_of_year: int,
    *,
    preview: bool = False,
    indicator_ids: Iterable[int] | None = None,
    series_keys: Iterable[tuple] | None = None,
) -> int:
    """Replace the stored results as of `as_of_year`: all of them, those of `indicator_ids`,
    or (incremental) only the series in `series_keys` — (indicator, unit, sex, age group,
    residence) — plus what derives from them: each touched indicator's district total row
    (a township scope, the funnel plot and the gaps live there) and its comparisons."""
    wanted = None
    if series_keys is not None:
        wanted = set(series_keys)
        indicator_ids = {key[0] for key in wanted}
    targets = list(Target.objects.select_related("indicator").order_by("indicator_id", "sort"))
    if indicator_ids is not None:
        chosen = set(indicator_ids)
        targets = [t for t in targets if t.indicator_id in chosen]
    ids = sorted({t.indicator_id for t in targets})
    by_pk = {t.pk: t for t in targets}
    townships = {u.pk: u.name for u in OrgUnit.objects.home_townships()}
    district_id = OrgUnit.objects.home_district().pk
    districts = {district_id}
    units = None
    if wanted is not None:
        wanted |= {(i, district_id, "", "", "") for i in ids}
        units = {key[1] for key in wanted} | set(townships)
    size = (
        len(wanted)
        if wanted is not None
        else visible_values(preview).filter(indicator_id__in=ids, year=as_of_year).count()
    )
    # The pool forks before the values are read, so the workers stay small.
    runner = _Runner(parallel=size > PARALLEL_FROM)
    # Written as the database stores it, once, rather than adapted row by row.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        now = timezone.now()
    written = 0
    try:
        with transaction.atomic():
            # Taken before the values are read: a recompute that waited for another one then
            # reads what that one saw and every value committed since, never older data.
            _lock()
            loaded = load_rows(ids, as_of_year, preview, units)
            scope_series = {
                ind: [(k, rows) for k, rows in items if k[1] in townships and not any(k[2:])]
                for ind, items in loaded.items()
            }
            series = loaded
            if wanted is not None:
                series = {
                    ind: [(k, rows) for k, rows in items if k in wanted]
                    for ind, items in loaded.items()
                }
            _delete_stale(as_of_year, preview, ids, wanted, indicator_ids is not None)
            next_id = _next_id()
            rows, warning_rows, held = [], [], defaultdict(list)
            jobs = _jobs(targets, series, as_of_year)
            for target_pk, evaluated in runner.run(jobs):
                target = by_pk[target_pk]
                if target.scope == Scope.EACH_TOWNSHIP:
                    # The district's row depends on every township's: hold until all are in.
                    held[target_pk] += evaluated
                    if len(held[target_pk]) < len(series.get(target.indicator_id, [])):
                        continue
                    evaluated = _apply_scope(
                        target, as_of_year, held.pop(target_pk), scope_series, townships,
                        districts,
                    )  # fmt: skip
                for key, summary, detail, warnings in evaluated:
                    _, unit_id, sex, age, res = key
                    rows.append(
                        (next_id, target_pk, unit_id, sex, age, res, as_of_year, preview,
                         *summary, detail, now)
                    )  # fmt: skip
                    warning_rows += [(next_id, *w) for w in warnings]
                    next_id += 1
                if len(rows) >= BATCH:
                    written += _flush(rows, warning_rows)
            written += _flush(rows, warning_rows)
            _store_home_figures(by_pk, as_of_year, preview, townships, district_id)
            comparison_ids = indicator_ids if indicator_ids is not None else None
            store_comparisons(as_of_year, preview, comparison_ids, townships, district_id)
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
POOLED_NAMES = RESULT_COLUMNS[RESULT_COLUMNS.index("pooled_first_year") :][:POOLED_FIELDS]


def _store_home_figures(targets: dict, as_of_year, preview, townships: dict, district_id):
    """Each target's funnel plot (townships against the district) and gaps (female/male,
    urban/rural pooled figures), stored on the district's total row. Read back from the
    stored rows, so that a full and an incremental recompute derive them alike."""
    stored = (
        SeriesResult.objects.filter(
            target_id__in=list(targets),
            as_of_year=as_of_year,
            preview=preview,
            org_unit_id__in=[*townships, district_id],
            age_group="",
            pooled_first_year__isnull=False,
        )
        .filter(Q(org_unit_id=district_id) | Q(sex="", residence=""))
        .values_list("pk", "target_id", "org_unit_id", "sex", "residence", "detail", *POOLED_NAMES)
    )
    figures = defaultdict(dict)  # target pk -> {(unit, sex, residence): CountFigure}
    district_rows = {}
    for pk, target_pk, unit_id, sex, res, detail, *pooled in stored.iterator():
        first, last, events, exposure, rate, lo, hi, reliable = pooled
        model = ((detail or {}).get("latest") or {}).get("model", "poisson")
        figures[target_pk][(unit_id, sex, res)] = CountFigure(
            first, last, last - first + 1, events, exposure, rate, lo, hi, reliable, "", model
        )
        if unit_id == district_id and not (sex or res):
            district_rows[target_pk] = (pk, detail)
    for target_pk, (row_id, data) in district_rows.items():
        found = figures[target_pk]
        factor = float(targets[target_pk].indicator.factor or 1)
        units = sorted(
            (townships[unit], figure)
            for (unit, sex, res), figure in found.items()
            if unit in townships and not (sex or res)
        )
        plot = funnel(units, found[(district_id, "", "")], factor)
        gaps = {}
        for axis, a, b in GAP_AXES:
            ka, kb = (district_id, *_axis_key(axis, a)), (district_id, *_axis_key(axis, b))
            if ka in found and kb in found:
                gaps[axis] = gap_interval(found[ka], found[kb])
        if plot is None and not gaps:
            continue
        data["funnel"] = _rounded(plot) if plot else None
        data["gaps"] = _rounded(gaps)
        SeriesResult.objects.filter(pk=row_id).update(detail=data)


def _axis_key(axis: str, value: str) -> tuple[str, str]:
    return (value, "") if axis == "sex" else ("", value)


def _apply_scope(target, as_of_year, evaluated, series, townships, districts):
    """A target for every township: the district's total attains only if every township
    does; its row then says which do not."""
    valid = target.indicator.valid_range
    units = {
        townships[key[1]]: Series(
            tuple(Point(*row) for row in rows), valid, **series_options(target.indicator)
        )
        for key, rows in series.get(target.indicator_id, [])
    }
    if not units:
        return evaluated
    scoped = evaluate_scoped(engine_target(target), units, as_of_year=as_of_year)
    status_at = SUMMARY_FIELDS.index("status")
    explanation_at = SUMMARY_FIELDS.index("explanation")
    english_at = SUMMARY_FIELDS.index("explanation_en")
    out = []
    for key, summary, detail, warnings in evaluated:
        if key[1] in districts and not (key[2] or key[3] or key[4]):
            summary = list(summary)
            summary[status_at] = scoped.status
            summary[explanation_at] = scoped.explanation + (summary[explanation_at] or "")
            summary[english_at] = scoped.explanation_en + " " + (summary[english_at] or "")
            data = json.loads(detail)
            data["scope"] = {"status": scoped.status, "failing_units": scoped.failing_units}
            detail = json.dumps(data, ensure_ascii=False)
            summary = tuple(summary)
        out.append((key, summary, detail, warnings))
    return out


def years_with_values() -> list[int]:
    return sorted(set(visible_values(False).values_list("year", flat=True).distinct()))
