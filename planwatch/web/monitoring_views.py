"""Dashboard pages: overview, warning list (with Excel export)."""

import io
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from planwatch.accounts.access import require_role
from planwatch.catalog.models import Area, Department, Plan
from planwatch.collection.cell_text import append_row
from planwatch.evaluation.english import LEVEL_LABELS_EN
from planwatch.evaluation.vocabulary import LEVEL_LABELS, STATUS_COLOURS
from planwatch.monitoring.models import Status
from planwatch.web import dashboards
from planwatch.web.templatetags.planwatch import status_text


@login_required
def overview(request, plan=None):
    require_role(request.user)
    plan_obj = get_object_or_404(Plan, code=plan) if plan else None
    years = dashboards.result_years()
    year = dashboards.chosen_year(request, years)
    results = list(dashboards.district_totals(request.user, year, plan=plan)) if year else []
    # a directional target (提高) is never counted as 已达标: its statuses are listed apart
    numeric = [r for r in results if not r.target.directional]
    directional = Counter(status_text(r) for r in results if r.target.directional)
    counts = dashboards.status_counts(numeric)
    areas = dashboards.by_area(numeric)
    warnings = dashboards.warnings_of([r.pk for r in results]) if results else []
    chart = {
        "statuses": [
            {"key": s, "label": str(Status(s).label), "colour": c}
            for s, c in STATUS_COLOURS.items()
        ],
        "areas": [{"label": line.area.name, "counts": line.counts} for line in areas],
    }
    return render(
        request,
        "web/overview.html",
        {
            "plan": plan_obj,
            "plans": Plan.objects.all(),
            "years": years,
            "year": year,
            "counts": counts,
            "total": len(numeric),
            "directional": sorted(directional.items()),
            "directional_total": sum(directional.values()),
            "areas": areas,
            "warnings": warnings,
            "level_labels": level_labels(),
            "progress": dashboards.round_progress(),
            "chart": chart,
            "chart_height": 60 + 26 * len(areas),
        },
    )


def level_labels() -> dict:
    """The warning levels' words in the page's language."""
    return LEVEL_LABELS_EN if (get_language() or "").startswith("en") else LEVEL_LABELS


def _filtered_warnings(request):
    area = request.GET.get("area")
    if area and (not (area.isascii() and area.isdigit()) or len(area) > 4):
        raise BadRequest(
            _("The area must be given by its number (area=%(area)s).") % {"area": area}
        )
    years = dashboards.result_years()
    year = dashboards.chosen_year(request, years)
    if year is None:
        return years, None, []
    results = dashboards.district_totals(request.user, year, plan=request.GET.get("plan") or None)
    if area:
        results = results.filter(target__area__number=int(area))
    if request.GET.get("department"):
        results = results.filter(target__indicator__lead_department__code=request.GET["department"])
    levels = [request.GET["level"]] if request.GET.get("level") in LEVEL_LABELS else None
    return years, year, dashboards.warnings_of(results, levels)


@login_required
def warning_list(request):
    require_role(request.user)
    years, year, warnings = _filtered_warnings(request)
    return render(
        request,
        "web/warnings.html",
        {
            "years": years,
            "year": year,
            "warnings": warnings,
            "level_labels": level_labels(),
            "plans": Plan.objects.all(),
            "areas": Area.objects.select_related("plan"),
            "departments": Department.objects.filter(active=True),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def warning_export(request):
    require_role(request.user)
    _years, year, warnings = _filtered_warnings(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "预警清单"
    sheet.append([f"{year or ''}年 妇女儿童发展规划监测预警清单"])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = ["预警级别", "规划", "领域", "目标代码", "监测指标", "单位", "最新年份", "最新值",
               "状态", "牵头单位", "原因"]  # fmt: skip
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for w in warnings:
        r = w.result
        indicator = r.target.indicator
        append_row(
            sheet,
            [
                LEVEL_LABELS[w.level],
                r.target.area.plan.name,
                r.target.area.name,
                r.target.code,
                indicator.name,
                indicator.unit,
                r.latest_year,
                r.latest_value,
                status_text(r),
                str(indicator.lead_department or ""),
                w.reason,
            ],
        )
    for letter, width in zip(
        "ABCDEFGHIJK", [10, 30, 16, 12, 30, 10, 8, 10, 12, 12, 80], strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="warnings-{year}.xlsx"'
    return response
