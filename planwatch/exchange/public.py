"""The public part of the site (no sign-in) and the same pages as a static site.

Both render the same templates from the same data — published indicators, their approved
values in the published years, and the files other apps publish (reports) — with links
relative to `root`, so that the static copy works from any web server or a USB stick.
"""

from django.apps import apps
from django.template.loader import render_to_string

from planwatch.catalog.models import Indicator, Plan
from planwatch.catalog.scoping import indicators_in_area
from planwatch.exchange.publication import public_result, public_values, published
from planwatch.org.models import OrgUnit


def public_documents() -> list[dict]:
    """Files other apps publish (title, url, name, path), each asked through its AppConfig's
    `public_documents()`: the public site lists published reports without depending on the
    reports app, which stands beside it, not below."""
    return [
        document
        for config in apps.get_app_configs()
        if hasattr(config, "public_documents")
        for document in config.public_documents()
    ]


def indicator_page_context(indicator: Indicator) -> dict:
    span = published()[indicator.pk]
    district = OrgUnit.objects.home_district()
    values = public_values(indicator.pk).filter(
        org_unit=district, sex="", age_group="", residence=""
    )
    series = {v.year: v.value for v in values.order_by("year")}
    latest_year = max(series) if series else None
    result = public_result(indicator.pk, latest_year) if latest_year else None
    target = indicator.targets.order_by("sort").first()
    chart = {
        "years": list(range(span.from_year, max(span.to_year, target.target_year) + 1)),
        "unit": indicator.value_suffix,
        "district": {"label": district.name, "data": series},
        "target": target.value if target and target.comparator != "reduce_by_pct" else None,
        "path": [],
        "forecast": [],
        "probability": None,
        "references": [],
    }
    return {
        "indicator": indicator,
        "span": span,
        "series": sorted(series.items()),
        "result": result,
        "targets": list(indicator.targets.order_by("sort")),
        "chart": chart,
    }


def index_context() -> dict:
    spans = published()
    plans = []
    for plan in Plan.objects.prefetch_related("areas"):
        areas = []
        for area in plan.areas.all():
            items = []
            for indicator in indicators_in_area(area).filter(pk__in=spans):
                span = spans[indicator.pk]
                items.append((indicator, public_result(indicator.pk, span.to_year)))
            if items:
                areas.append((area, items))
        if areas:
            plans.append((plan, areas))
    return {"plans": plans, "documents": public_documents()}


def render_index(root: str, static: bool = False) -> str:
    return render_to_string(
        "exchange/public_index.html", {**index_context(), "root": root, "static": static}
    )


def render_indicator(indicator: Indicator, root: str, static: bool = False) -> str:
    return render_to_string(
        "exchange/public_indicator.html",
        {**indicator_page_context(indicator), "root": root, "static": static},
    )
