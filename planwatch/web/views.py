"""Pages: thin shells that ask `accounts.access` what the user may see, then render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts.access import (
    can_manage_catalog,
    get_department_for_user,
    get_indicator_for_user,
    get_org_unit_for_user,
    landing,
    may_read_indicator_values,
    org_units_for_user,
    reads_everything,
    require_role,
    values_for_user,
)
from planwatch.catalog.actions import set_responsibility
from planwatch.catalog.models import Area, Department, Indicator, Measure, Objective, Plan, Target
from planwatch.catalog.national import national_series
from planwatch.catalog.scoping import indicators_in_area, indicators_in_plan
from planwatch.collection.access import is_own_township
from planwatch.collection.models import DataValue, ReportingRound, RoundStatus
from planwatch.org.models import Level, OrgUnit
from planwatch.web import dashboards
from planwatch.web.forms import ResponsibilityForm
from planwatch.web.indicator_view import indicator_monitoring
from planwatch.web.township_view import township_comparison, township_funnel


@login_required
def home(request):
    name, code = landing(request.user)
    return redirect(name, code=code) if code else redirect(name)


@login_required
def plan_list(request):
    require_role(request.user)
    plans = Plan.objects.annotate(
        n_areas=Count("areas", distinct=True),
        n_targets=Count("areas__targets", distinct=True),
    )
    counts = {
        p.pk: {
            "objectives": Objective.objects.filter(area__plan=p).count(),
            "measures": Measure.objects.filter(area__plan=p).count(),
        }
        for p in plans
    }
    for p in plans:
        # Shared statistics count in both plans: they are monitored in each.
        p.n_indicators = indicators_in_plan(p).count()
    return render(request, "web/plan_list.html", {"plans": plans, "counts": counts})


@login_required
def plan_detail(request, plan):
    require_role(request.user)
    plan = get_object_or_404(Plan, code=plan)
    areas = plan.areas.annotate(
        n_objectives=Count("objectives", distinct=True),
        n_measures=Count("measures", distinct=True),
        n_targets=Count("targets", distinct=True),
    )
    for area in areas:
        area.n_indicators = indicators_in_area(area).count()
    return render(request, "web/plan_detail.html", {"plan": plan, "areas": areas})


@login_required
def area_detail(request, plan, area):
    require_role(request.user)
    area = get_object_or_404(Area.objects.select_related("plan"), plan__code=plan, number=area)
    years = dashboards.result_years()
    year = dashboards.chosen_year(request, years)
    status_by_target = {}
    sparks = {}
    if year is not None:
        for r in dashboards.district_totals(request.user, year, area=area):
            status_by_target[r.target_id] = r
        for value in values_for_user(
            request.user,
            DataValue.objects.filter(
                indicator__in=indicators_in_area(area),
                org_unit=dashboards.district(),
                sex="",
                age_group="",
                residence="",
                year__lte=year,
            ).counted(),
        ).order_by("year"):
            sparks.setdefault(value.indicator_id, {})[value.year] = value.value
    targets = Prefetch("targets", queryset=Target.objects.select_related("indicator"))
    objectives = area.objectives.select_related("lead_department").prefetch_related(
        "co_departments", targets
    )
    measures = area.measures.select_related("lead_department").prefetch_related(
        "co_departments", targets
    )
    indicators = list(indicators_in_area(area).select_related("lead_department"))
    for ind in indicators:
        # the latest stored value the user may read, as the sparklines have it
        series = sparks.get(ind.pk, {})
        ind.latest = (max(series), series[max(series)]) if series else None
    for group in (objectives, measures):
        for item in group:
            item.monitored = [
                (t, status_by_target.get(t.pk), sparks.get(t.indicator_id, {}))
                for t in item.targets.all()
            ]
    return render(
        request,
        "web/area_detail.html",
        {
            "area": area,
            "objectives": objectives,
            "measures": measures,
            "indicators": indicators,
            "has_monitored_only": any(i.monitored_only for i in indicators),
            "years": years,
            "year": year,
        },
    )


@login_required
def indicator_detail(request, code):
    indicator = get_indicator_for_user(request.user, code)
    targets = indicator.targets.select_related("objective__area", "measure__area")
    years = dashboards.result_years()
    year = dashboards.chosen_year(request, years)
    monitoring = None
    values = []
    if year is not None and may_read_indicator_values(request.user, indicator):
        monitoring = indicator_monitoring(request.user, indicator, year)
        values = (
            values_for_user(
                request.user,
                DataValue.objects.filter(
                    indicator=indicator, year__lte=year, org_unit__in=OrgUnit.objects.home_units()
                ),
            )
            .select_related("org_unit", "submission")
            .order_by("org_unit__level", "org_unit__code", "sex", "age_group", "residence", "year")
        )
    form = None
    if can_manage_catalog(request.user):
        form = ResponsibilityForm(
            initial={
                "lead": indicator.lead_department,
                "co": list(indicator.co_departments.all()),
            }
        )
    return render(
        request,
        "web/indicator_detail.html",
        {
            "indicator": indicator,
            "targets": targets,
            "form": form,
            "years": years,
            "year": year,
            "monitoring": monitoring,
            "values": values,
            "national": list(national_series(indicator.code).values()),
        },
    )


@login_required
@require_POST
def indicator_responsibility(request, code):
    indicator = get_indicator_for_user(request.user, code, write=True)
    form = ResponsibilityForm(request.POST)
    if form.is_valid():
        set_responsibility(
            indicator, form.cleaned_data["lead"], form.cleaned_data["co"], by=request.user
        )
        messages.success(request, _("Responsible departments saved."))
    else:
        messages.error(request, _("Please choose a lead department."))
    return redirect("indicator_detail", code=indicator.code)


@login_required
def org_unit_list(request):
    require_role(request.user)
    units = list(org_units_for_user(request.user, OrgUnit.objects.select_related("parent")))
    return render(
        request,
        "web/org_unit_list.html",
        {
            "references": [u for u in units if u.is_reference],
            "units": [u for u in units if not u.is_reference],
            "Level": Level,
        },
    )


@login_required
def org_unit_detail(request, code):
    unit = get_org_unit_for_user(request.user, code)
    children = unit.children.all()
    members = unit.members.select_related("user") if reads_everything(request.user) else []
    years = dashboards.result_years()
    year = dashboards.chosen_year(request, years)
    comparison = township_comparison(request.user, unit, year) if year else []
    funnel = township_funnel(comparison, unit, request.GET.get("funnel"))
    # The township's own reporter starts here: the way to its entry form and submissions.
    open_round = None
    if is_own_township(request.user, unit.pk):
        open_round = (
            ReportingRound.objects.filter(status=RoundStatus.OPEN).order_by("-year").first()
        )
    return render(
        request,
        "web/org_unit_detail.html",
        {
            "open_round": open_round,
            "unit": unit,
            "children": children,
            "members": members,
            "years": years,
            "year": year,
            "comparison": comparison,
            "funnel": funnel,
        },
    )


@login_required
def department_list(request):
    if not reads_everything(request.user):
        raise PermissionDenied
    departments = Department.objects.annotate(
        n_indicators=Count("indicator_lead", filter=Q(indicator_lead__retired=False), distinct=True)
    )
    return render(request, "web/department_list.html", {"departments": departments})


@login_required
def department_detail(request, code):
    department = get_department_for_user(request.user, code)
    lead = Q(lead_department=department)
    co = Q(co_departments=department)
    indicators = (
        Indicator.objects.filter(lead | co, retired=False)
        .distinct()
        .select_related("plan", "area", "lead_department")
        .prefetch_related("targets")
    )
    objectives = Objective.objects.filter(lead | co).distinct().select_related("area__plan")
    measures = Measure.objects.filter(lead | co).distinct().select_related("area__plan")
    members = department.members.select_related("user")
    year = dashboards.latest_result_year()
    status = {}
    if year is not None:
        for r in dashboards.district_totals(request.user, year).filter(
            target__indicator__in=indicators
        ):
            status.setdefault(r.target.indicator_id, r)
    for indicator in indicators:
        indicator.result = status.get(indicator.pk)
    open_round = ReportingRound.objects.filter(status=RoundStatus.OPEN).order_by("-year").first()
    return render(
        request,
        "web/department_detail.html",
        {
            "year": year,
            "open_round": open_round,
            "department": department,
            "indicators": indicators,
            "objectives": objectives,
            "measures": measures,
            "members": members,
        },
    )


@login_required
def notices(request):
    require_role(request.user)
    items = list(request.user.notices.all()[:100])
    request.user.notices.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "web/notices.html", {"items": items})


@login_required
def methods(request):
    """The evaluation methods, rendered from the repository's docs/methods.md."""
    require_role(request.user)
    import markdown

    text = (settings.REPO_DIR / "docs" / "methods.md").read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "toc"])
    return render(request, "web/methods.html", {"html": html})
