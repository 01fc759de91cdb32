"""Everything a report says, read once from approved data and stored results.

The snapshot is plain JSON: the documents are written from it alone, it is stored with the
report, and its hash names the data a document was made from. It is read in one transaction so
that values, results and warnings belong together even while reviewers approve more data.
"""

import hashlib
import json
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Prefetch, Q

from planwatch.audit.models import Channel
from planwatch.catalog import numbers
from planwatch.catalog.models import Department, Measure, Objective, Plan, Target
from planwatch.catalog.national import national_series
from planwatch.catalog.scoping import indicators_in_plan
from planwatch.collection.entry import disaggregation_cells
from planwatch.collection.models import (
    DataValue,
    ReportingRound,
    RoundStatus,
    Submission,
)
from planwatch.monitoring import queries
from planwatch.org.models import OrgUnit
from planwatch.reports import evaluation_work, labels, rectification_chapter
from planwatch.reports.models import EVALUATION_KINDS, ReportSection, SelfAssessment

SCHEMA = 1
FIRST_YEAR = 2020  # the plans' base year: every table starts there

# A report speaks for the district as a whole, whoever starts the build: it reads the read
# model unscoped, and who may *see* the report is decided on the report (reports/access.py).

RESULT_NUMBERS = (
    "latest_year",
    "latest_value",
    "projected_value",
    "completion_progress",
    "time_progress",
    "progress_gap_points",
    "attainment_probability",
    "evidence",
    "pooled_first_year",
    "pooled_last_year",
    "pooled_events",
    "pooled_exposure",
    "pooled_rate",
    "pooled_lo95",
    "pooled_hi95",
    "pooled_reliable",
)
POOLED_NUMBERS = ("first_year", "last_year", "events", "exposure", "rate", "lo95", "hi95")
DETAIL_NUMBERS = ("base_value", "base_year_used", "threshold", "breaks", "rule")


class SnapshotRefused(ValueError):
    """The snapshot cannot be taken; the message says why, in Chinese."""


def take_snapshot(kind: str, plan_code: str, year: int, department_code: str | None = None):
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # READ COMMITTED would let each query see a different moment.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        snapshot = _gather(kind, plan_code, year, department_code)
    # What the documents read is exactly what is stored: JSON, with string keys.
    return json.loads(canonical_json(snapshot))


def canonical_json(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def _gather(kind, plan_code, year, department_code) -> dict:
    try:
        plan = Plan.objects.get(code=plan_code)
    except Plan.DoesNotExist as exc:
        raise SnapshotRefused(f"没有代码为“{plan_code}”的规划。") from exc
    department = None
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise SnapshotRefused(f"没有代码为“{department_code}”的成员单位。")
    district = queries.district()
    townships = list(OrgUnit.objects.home_townships())
    indicators = _indicators(plan, department)
    results = list(queries.district_results(year, plan=plan.code))
    if department is not None:
        mine = {i.pk for i in indicators}
        results = [r for r in results if r.target.indicator_id in mine]
    values, demo = _values(indicators, year, district, townships)
    warnings = queries.warnings_of([r.pk for r in results]) if results else []
    by_target = {r.target_id: r for r in results}
    gaps = queries.gap_sentences([i.pk for i in indicators], year)
    areas = []
    for area in plan.areas.order_by("number"):
        own = [i for i in indicators if i.plan_area.pk == area.pk]
        areas.append(
            {
                "number": area.number,
                "name": area.name,
                "indicators": [
                    {
                        **_indicator(i, values[i.pk], by_target, district, townships, year),
                        "gaps": gaps.get(i.pk, []),
                    }
                    for i in own
                ],
                "qualitative": [],
                "measures": [],
            }
        )
    _add_items(areas, plan, department, year)
    return {
        "schema": SCHEMA,
        "kind": kind,
        "year": year,
        "years": list(range(min(FIRST_YEAR, year), year + 1)),
        "plan": {
            "code": plan.code,
            "name": plan.name,
            "title": labels.plan_title(plan.name),
            "subject": labels.plan_subject(plan.code),
            "document": plan.document,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "department": (
            {"code": department.code, "name": department.name, "short": str(department)}
            if department
            else None
        ),
        "demo": demo,
        "district": district.name,
        "townships": [{"code": u.code, "name": u.name} for u in townships],
        "areas": areas,
        "warnings": [_warning(w) for w in warnings],
        "missing": _missing(indicators, values, year, district, townships),
        "round_locked": ReportingRound.objects.filter(
            year=year, status=RoundStatus.LOCKED
        ).exists(),
        "sections": _sections(plan, kind, year),
        "rectification": rectification_chapter.snapshot_part(
            plan, year, department, since=plan.start_year if kind in EVALUATION_KINDS else None
        ),
        "work": (
            evaluation_work.snapshot_part(plan, year, indicators, values, district, townships)
            if kind in EVALUATION_KINDS and department is None
            else None
        ),
    }


def _indicators(plan, department) -> list:
    # Only this plan's targets: a statistic both plans monitor is one indicator with a target
    # in each plan, and each plan's report judges it against its own.
    targets = Prefetch(
        "targets",
        queryset=Target.objects.filter(area__plan=plan)
        .select_related("objective", "measure", "area")
        .order_by("sort"),
    )
    qs = (
        indicators_in_plan(plan)
        .select_related("area", "lead_department")
        .prefetch_related("co_departments", targets)
    )
    indicators = list(qs)
    for ind in indicators:
        mine = [t.area for t in ind.targets.all()]
        ind.plan_area = mine[0] if mine else ind.area
    indicators.sort(key=lambda i: (i.plan_area.number, i.code))
    if department is not None:
        indicators = [
            i
            for i in indicators
            if i.lead_department_id == department.pk
            or any(d.pk == department.pk for d in i.co_departments.all())
        ]
    return indicators


def _values(indicators, year, district, townships):
    """{indicator_id: {(unit_code, sex, age, residence): {year: (value, comment)}}} of approved
    values, and whether any of them is synthetic demo data.

    One query for the whole plan rather than `queries.counted_values` per indicator and
    group: the same filter (approved, or published by a reference unit), hundreds of times fewer
    round trips.
    """
    units = {district.pk: district.code, **{u.pk: u.code for u in townships}}
    rows = (
        DataValue.objects.filter(
            indicator__in=[i.pk for i in indicators],
            org_unit_id__in=list(units),
            year__lte=year,
        )
        .counted()
        .order_by("indicator_id", "org_unit_id", "sex", "age_group", "residence", "year")
        .values_list(
            "indicator_id",
            "org_unit_id",
            "sex",
            "age_group",
            "residence",
            "year",
            "value",
            "comment",
            "source",
            "comment_in_report",
        )
    )
    out = defaultdict(lambda: defaultdict(dict))
    demo = False
    for ind, unit, sex, age, res, y, value, comment, source, in_report in rows:
        # Only comments the reviewer marked for the 备注 are printed.
        out[ind][(units[unit], sex, age, res)][y] = (value, comment if in_report else "")
        demo = demo or source == Channel.DEMO
    return out, demo


def _pairs(by_year: dict) -> dict:
    return {str(y): v for y, (v, _c) in sorted(by_year.items())}


def _indicator(ind, values, by_target, district, townships, year) -> dict:
    total = values.get((district.code, "", "", ""), {})
    groups = []
    for sex, age, res, age_label in disaggregation_cells(ind)[1:]:
        label = labels.SEX_LABELS.get(sex) or age_label or labels.RESIDENCE_LABELS.get(res, "")
        groups.append(
            {
                "axis": "sex" if sex else "age_group" if age else "residence",
                "key": sex or age or res,
                "label": label,
                "values": _pairs(values.get((district.code, sex, age, res), {})),
            }
        )
    comments = []
    for unit in [district, *townships]:
        for y, (_v, comment) in sorted(values.get((unit.code, "", "", ""), {}).items()):
            if comment:
                comments.append({"year": y, "unit": unit.name, "text": comment})
    co = [str(d) for d in ind.co_departments.all() if d.pk != ind.lead_department_id]
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.value_suffix,
        "unit_label": ind.unit,
        "scale": ind.scale,
        "direction": ind.direction,
        "note": ind.note,
        # 纲要监测指标 / 扩充调整指标 carry no target of the plan: reports mark and list them.
        "origin": ind.origin,
        "origin_source": ind.origin_source,
        "lead": str(ind.lead_department) if ind.lead_department else "",
        "lead_code": ind.lead_department.code if ind.lead_department else "",
        "co": co,
        "levels": list(ind.org_levels),
        "district": _pairs(total),
        "groups": groups,
        "townships": {
            u.code: _pairs(values.get((u.code, "", "", ""), {}))
            for u in townships
            if "township" in ind.org_levels
        },
        "comments": comments,
        # 全国: the NBS monitoring reports' value of each year up to the report's, with source.
        "national": {
            str(y): v.as_dict() for y, v in national_series(ind.code).items() if y <= year
        },
        "targets": [_target(t, ind, by_target.get(t.pk)) for t in ind.targets.all()],
    }


def _target_text(target, ind, threshold) -> str:
    """The target in the plans' own words order ("12/10万以下"), with the value a relative
    target works out to."""
    text = numbers.target(target.comparator, target.value, target.unit or ind.unit, target.wording)
    if target.comparator == "reduce_by_pct" and threshold is not None:
        text += f"（即{numbers.target('<=', threshold, ind.unit)}）"
    return text


def _target(target, ind, result) -> dict:
    detail = result.detail if result is not None else {}
    threshold = detail.get("threshold")
    out = {
        "code": target.code,
        "comparator": target.comparator,
        "value": target.value,
        "wording": target.wording,
        "base_year": target.base_year,
        "target_year": target.target_year,
        "scope": target.scope,
        "quote": target.quote,
        "text": _target_text(target, ind, threshold),
        "source": (
            f"主要目标{target.objective.number}"
            if target.objective_id
            else f"策略措施{target.measure.number}"
        ),
        "result": None,
    }
    if result is not None:
        out["result"] = {
            "status": result.status,
            "explanation": result.explanation,
            **{name: getattr(result, name) for name in RESULT_NUMBERS},
            **{name: detail.get(name) for name in DETAIL_NUMBERS},
            "forecast": detail.get("forecast") or [],
            "forecast_reason": detail.get("forecast_reason"),
            "scope": detail.get("scope"),
        }
    return out


def _warning(w) -> dict:
    result = w.result
    indicator = result.target.indicator
    return {
        "level": w.level,
        "level_label": labels.WARNING_LEVELS.get(w.level, w.level),
        "kind": w.kind,
        "year": w.year,
        "reason": w.reason,
        "target": result.target.code,
        "indicator": indicator.code,
        "indicator_name": indicator.name,
        "area": result.target.area.name,
        "area_number": result.target.area.number,
        "department": str(indicator.lead_department or ""),
        "latest_year": result.latest_year,
        "latest_value": result.latest_value,
        "unit": indicator.value_suffix,
        "scale": indicator.scale,
        "status": result.status,
        "status_label": labels.status_label(result.status, result.rule, result.target.comparator),
        # For the methods annex only: the test behind the warning and the stored pooled figure.
        "statistics": w.statistics,
        "pooled": (
            {name: getattr(result, f"pooled_{name}") for name in POOLED_NUMBERS}
            if result.pooled_rate is not None
            else None
        ),
    }


def _missing(indicators, values, year, district, townships) -> list[dict]:
    """缺报: per responsible department, the indicators without an approved total for `year`
    where the catalog says they are reported (the district, and each township)."""
    statuses = dict(
        Submission.objects.filter(round__year=year).values_list("department_id", "status")
    )
    by_department: dict = {}
    for ind in indicators:
        reported = {
            unit
            for (unit, sex, age, res), years in values[ind.pk].items()
            if not (sex or age or res) and year in years
        }
        district_missing = "district" in ind.org_levels and district.code not in reported
        towns = [
            u.name for u in townships if "township" in ind.org_levels and u.code not in reported
        ]
        if not district_missing and not towns:
            continue
        lead = ind.lead_department
        key = lead.pk if lead else None
        entry = by_department.setdefault(
            key,
            {
                "code": lead.code if lead else "",
                "name": str(lead) if lead else "未指定牵头单位",
                "full_name": lead.name if lead else "",
                "sort": (lead.sort, lead.code) if lead else (10**6, ""),
                "submission": labels.SUBMISSION_LABELS.get(statuses.get(key), ""),
                "items": [],
            },
        )
        entry["items"].append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "area": ind.plan_area.name,
                "district": district_missing,
                "townships": towns,
                "all_townships": len(towns) == len(townships),
            }
        )
    ordered = sorted(by_department.values(), key=lambda e: e["sort"])
    for entry in ordered:
        del entry["sort"]
    return ordered


def _responsible(item, department) -> bool:
    if department is None:
        return True
    return item.lead_department_id == department.pk or any(
        d.pk == department.pk for d in item.co_departments.all()
    )


def _add_items(areas, plan, department, year) -> None:
    """Qualitative objectives and measures, each with the latest self-assessment (up to the
    report's year) of every department that answers for it."""
    assessments = defaultdict(dict)
    qs = (
        SelfAssessment.objects.filter(year__lte=year)
        .filter(Q(measure__area__plan=plan) | Q(objective__area__plan=plan))
        .select_related("department")
        .prefetch_related("evidence")
        .order_by("year", "pk")
    )
    if department is not None:
        qs = qs.filter(department=department)
    for a in qs:
        key = ("m", a.measure_id) if a.measure_id else ("o", a.objective_id)
        assessments[key][a.department_id] = a  # later years overwrite earlier ones
    by_number = {a["number"]: a for a in areas}
    objectives = (
        Objective.objects.filter(area__plan=plan, targets__isnull=True)
        .select_related("area", "lead_department")
        .prefetch_related("co_departments")
        .order_by("area__number", "number")
    )
    for o in objectives:
        if _responsible(o, department):
            by_number[o.area.number]["qualitative"].append(
                _item(o, assessments[("o", o.pk)], text=o.text)
            )
    measures = (
        Measure.objects.filter(area__plan=plan)
        .select_related("area", "lead_department")
        .prefetch_related("co_departments")
        .order_by("area__number", "number")
    )
    for m in measures:
        if _responsible(m, department):
            by_number[m.area.number]["measures"].append(
                _item(m, assessments[("m", m.pk)], title=m.title)
            )


def _item(item, assessments: dict, **fields) -> dict:
    departments = item.all_departments()
    return {
        "number": item.number,
        **fields,
        "departments": [str(d) for d in departments],
        "assessments": [
            {
                "department": str(a.department),
                "department_code": a.department.code,
                "year": a.year,
                "rating": a.rating,
                "rating_label": labels.RATING_LABELS.get(a.rating, a.rating),
                "text": a.text,
                "evidence": [e.name for e in a.evidence.all()],
            }
            for a in sorted(
                assessments.values(), key=lambda a: (a.department.sort, a.department.code)
            )
        ],
    }


def _sections(plan, kind, year) -> dict:
    if kind not in EVALUATION_KINDS and kind != "annual":
        return {}
    return dict(
        ReportSection.objects.filter(plan=plan, kind=kind, year=year).values_list("key", "text")
    )
