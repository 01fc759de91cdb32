"""The whole catalog as one JSON-able dict (`planwatch export_catalog`)."""

from django.db.models import Count

from planwatch.catalog.models import Indicator, Measure, Objective, Plan, Target


def _departments(obj) -> dict:
    return {
        "lead": obj.lead_department.code if obj.lead_department else None,
        "co": sorted(d.code for d in obj.co_departments.all()),
    }


def export_catalog() -> dict:
    plans = [
        {
            "code": p.code,
            "name": p.name,
            "name_en": p.name_en,
            "document": p.document,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "areas": [
                {"number": a.number, "name": a.name, "name_en": a.name_en}
                for a in p.areas.order_by("number")
            ],
        }
        for p in Plan.objects.prefetch_related("areas")
    ]
    with_deps = ("lead_department", "area__plan")
    objectives = [
        {
            "plan": o.area.plan.code,
            "area": o.area.number,
            "area_name": o.area.name,
            "number": o.number,
            "text": o.text,
            "quantitative": bool(o.n_targets),
            "departments": _departments(o),
        }
        for o in Objective.objects.select_related(*with_deps)
        .prefetch_related("co_departments")
        .annotate(n_targets=Count("targets"))
    ]
    measures = [
        {
            "plan": m.area.plan.code,
            "area": m.area.number,
            "number": f"M{m.number}",
            "title": m.title,
            "text": m.text,
            "departments": _departments(m),
        }
        for m in Measure.objects.select_related(*with_deps).prefetch_related("co_departments")
    ]
    indicators = [
        {
            "code": i.code,
            "plan": i.plan.code,
            "area": i.area.number,
            "name": i.name,
            "name_en": i.name_en,
            "scale": i.scale,
            "unit": i.unit,
            "direction": i.direction,
            "computation": i.computation,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "factor": i.factor,
            "is_share": i.is_share,
            "pooled_years": i.pooled_years,
            "disaggregations": i.disaggregations,
            "age_groups": i.age_groups,
            "org_levels": i.org_levels,
            "departments": _departments(i),
            "retired": i.retired,
            "origin": i.origin,
            "origin_source": i.origin_source,
        }
        for i in Indicator.objects.select_related(
            "plan", "area", "lead_department"
        ).prefetch_related("co_departments")
    ]
    targets = [
        {
            "code": t.code,
            "plan": t.area.plan.code,
            "area": (t.objective or t.measure).area.number,
            "source": t.source,
            "source_number": t.source_number,
            "indicator": t.indicator.code,
            "indicator_name": t.indicator.name,
            "comparator": t.comparator,
            "value": t.value,
            "wording": t.wording,
            "unit": t.unit,
            "base_year": t.base_year,
            "target_year": t.target_year,
            "scope": t.scope,
            "quote": t.quote,
            "note": t.note,
        }
        for t in Target.objects.select_related(
            "indicator", "area__plan", "objective__area", "measure__area"
        )
    ]
    return {
        "plans": plans,
        "objectives": objectives,
        "measures": measures,
        "indicators": indicators,
        "targets": targets,
    }
