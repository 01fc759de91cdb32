"""What is public: only indicators the plan office published, only for their years, only
approved values. Every public page, export and the static site ask here."""

from django.conf import settings
from django.db.models import Q

from planwatch.collection.models import DataValue
from planwatch.exchange.models import PublishedIndicator
from planwatch.monitoring.models import SeriesResult


def published() -> dict[int, PublishedIndicator]:
    return {p.indicator_id: p for p in PublishedIndicator.objects.select_related("indicator")}


def commented() -> set[int]:
    """The published indicators whose reporters' comments are public too."""
    return set(
        PublishedIndicator.objects.filter(comments_public=True).values_list(
            "indicator_id", flat=True
        )
    )


def public_values(indicator_id: int | None = None):
    """Approved (or reference) values of published indicators within their published years."""
    spans = published()
    if indicator_id is not None:
        spans = {k: v for k, v in spans.items() if k == indicator_id}
    if not spans:
        return DataValue.objects.none()
    window = Q()
    for ind, span in spans.items():
        window |= Q(indicator_id=ind, year__gte=span.from_year, year__lte=span.to_year)
    return DataValue.objects.filter(window).counted()


def public_result(indicator_id: int, year: int):
    """The district's stored result for the indicator's main target, if that year is public."""
    span = published().get(indicator_id)
    if span is None or not (span.from_year <= year <= span.to_year):
        return None
    return (
        SeriesResult.objects.filter(
            target__indicator_id=indicator_id,
            as_of_year=year,
            preview=False,
            org_unit__code=settings.PLANWATCH_DISTRICT_CODE,
            sex="",
            age_group="",
            residence="",
        )
        .select_related("target")
        .order_by("target__sort")
        .first()
    )
