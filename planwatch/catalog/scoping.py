"""Which indicators belong to a plan or an area: their own and those shared with the other plan.

An indicator has one home (the plan and area whose file defines it) but is monitored in every
area that sets a target on it, so lists of a plan's or an area's indicators ask here.
"""

from django.db.models import Q, QuerySet

from planwatch.catalog.models import Area, Indicator, Plan


def indicators_in_plan(plan: Plan) -> QuerySet:
    return (
        Indicator.objects.filter(Q(plan=plan) | Q(targets__area__plan=plan), retired=False)
        .distinct()
        .order_by("code")
    )


def indicators_in_area(area: Area) -> QuerySet:
    return (
        Indicator.objects.filter(Q(area=area) | Q(targets__area=area), retired=False)
        .distinct()
        .order_by("code")
    )
