"""扩充调整指标 pages: the plan office adds, edits and retires monitoring indicators without a
numeric target. Thin shells over catalog.actions; the rule is accounts.access's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts.access import may_manage_office_indicators, require_role
from planwatch.catalog import actions
from planwatch.catalog.models import (
    Area,
    Computation,
    Department,
    Direction,
    Disaggregation,
    Indicator,
    Origin,
    Scale,
)
from planwatch.catalog.supplementary import FIELDS, ORG_LEVELS

LISTS = ("disaggregations", "org_levels", "co")


def _office(request) -> None:
    require_role(request.user)
    if not may_manage_office_indicators(request.user):
        raise PermissionDenied


def _raw(post, *, edit: bool) -> dict:
    raw = {}
    for name in FIELDS:
        if name in LISTS:
            raw[name] = post.getlist(name)
        elif name == "is_share":
            raw[name] = post.get(name, "")
        elif name in post:
            raw[name] = post[name]
    if edit:
        raw.pop("plan", None)
        raw.pop("area", None)
    return raw


def _current(indicator) -> dict:
    """The form's values: the indicator as stored (an edit) or the defaults of a new one."""
    if indicator is None:
        return {"org_levels": ["district"], "computation": "ratio", "factor": "100"}
    out = {name: getattr(indicator, name, "") for name in FIELDS if hasattr(indicator, name)}
    out.update(
        source=indicator.origin_source,
        lead=indicator.lead_department.code if indicator.lead_department else "",
        co=[d.code for d in indicator.co_departments.all()],
        is_share="1" if indicator.is_share else "",
        factor=indicator.factor or "",
    )
    return out


def _page(request, indicator=None, raw=None, problems=None, status=200):
    return render(
        request,
        "web/office_indicators.html",
        {
            "indicator": indicator,
            "indicators": Indicator.objects.filter(origin=Origin.SUPPLEMENTARY)
            .select_related("plan", "area", "lead_department")
            .order_by("retired", "code"),
            "areas": Area.objects.select_related("plan"),
            "departments": Department.objects.filter(active=True),
            "scales": Scale.choices,
            "directions": Direction.choices,
            "computations": Computation.choices,
            "disaggregations": [c for c in Disaggregation.choices if c[0] != "age_group"],
            "org_levels": ORG_LEVELS,
            "current": raw if raw is not None else _current(indicator),
            "problems": [(FIELDS.get(k, k), v) for k, v in (problems or {}).items()],
        },
        status=status,
    )


@login_required
def office_indicator_list(request):
    _office(request)
    if request.method != "POST":
        return _page(request)
    raw = _raw(request.POST, edit=False)
    area = Area.objects.select_related("plan").filter(pk=request.POST.get("area_id") or 0).first()
    if area is not None:
        raw["plan"], raw["area"] = area.plan.code, str(area.number)
    raw["area_id"] = request.POST.get("area_id", "")
    try:
        indicator = actions.add_indicator(raw, by=request.user)
    except actions.IndicatorRefused as exc:
        return _page(request, raw=raw, problems=exc.problems, status=400)
    messages.success(
        request, _("Supplementary indicator %(code)s added.") % {"code": indicator.code}
    )
    return redirect("office_indicator_edit", code=indicator.code)


@login_required
def office_indicator_edit(request, code):
    _office(request)
    indicator = get_object_or_404(Indicator, code=code, origin=Origin.SUPPLEMENTARY)
    if request.method != "POST":
        return _page(request, indicator)
    raw = _raw(request.POST, edit=True)
    try:
        actions.edit_indicator(
            indicator, raw, by=request.user, reason=request.POST.get("reason", "")
        )
    except actions.IndicatorRefused as exc:
        indicator.refresh_from_db()
        return _page(request, indicator, raw=raw, problems=exc.problems, status=400)
    messages.success(request, _("Indicator %(code)s saved.") % {"code": indicator.code})
    return redirect("office_indicator_edit", code=indicator.code)


@login_required
@require_POST
def office_indicator_retire(request, code):
    _office(request)
    indicator = get_object_or_404(Indicator, code=code, origin=Origin.SUPPLEMENTARY)
    try:
        actions.retire_indicator(indicator, by=request.user, reason=request.POST.get("reason", ""))
    except actions.IndicatorRefused as exc:
        return _page(request, indicator, problems=exc.problems, status=400)
    messages.success(
        request,
        _("Indicator %(code)s retired; its collected values are kept.") % {"code": indicator.code},
    )
    return redirect("office_indicator_list")
