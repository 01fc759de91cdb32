"""Report pages: list, build, detail with progress, download, publish; the office's sections;
the departments' self-assessments. Thin shells over `build`, `assessments` and `access`."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts.access import (
    is_department_reporter,
    reads_everything,
    takes_part_in_report_review,
)
from planwatch.audit.models import Channel, record
from planwatch.catalog.models import Department, Plan
from planwatch.collection.models import ReportingRound
from planwatch.monitoring import queries
from planwatch.monitoring.compute import years_with_values
from planwatch.reports import assessments, drafts, review
from planwatch.reports.access import (
    get_assessing_department_for_user,
    get_evidence_for_user,
    get_report_for_user,
    may_build_reports,
    may_issue,
    may_write_sections,
    reports_for_user,
    require_builder,
    require_reader,
    require_section_reader,
)
from planwatch.reports.build import ReportRefused, create_report, publish
from planwatch.reports.chapters import incompleteness
from planwatch.reports.forms import AssessmentForm, BuildForm, SectionsForm
from planwatch.reports.models import (
    EVALUATION_KINDS,
    BuildStatus,
    Report,
    ReportKind,
    ReportSection,
    SectionKey,
)
from planwatch.reports.snapshot import take_snapshot
from planwatch.reports.tasks import build_report_task

# The reports whose 主要成效/存在问题/对策建议 the plan office edits (drafted from the data).
SECTION_KINDS = EVALUATION_KINDS | {ReportKind.ANNUAL}


@login_required
def report_list(request):
    require_reader(request.user)
    reports = reports_for_user(
        request.user, Report.objects.select_related("plan", "department", "author")
    )
    kind, plan, year = (request.GET.get(k, "") for k in ("kind", "plan", "year"))
    if kind in ReportKind.values:
        reports = reports.filter(kind=kind)
    if plan:
        reports = reports.filter(plan__code=plan)
    if year.isdigit():
        reports = reports.filter(year=int(year))
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports[:500],
            "kinds": ReportKind.choices,
            "plans": Plan.objects.all(),
            "years": sorted(
                set(reports_for_user(request.user, Report.objects).values_list("year", flat=True)),
                reverse=True,
            ),
            "chosen": {"kind": kind, "plan": plan, "year": year},
            "may_build": may_build_reports(request.user),
            "may_write_sections": may_write_sections(request.user),
            "evaluation_kinds": [
                (k, ReportKind(k).label) for k in ReportKind if k in SECTION_KINDS
            ],
        },
    )


def _build_years() -> list[int]:
    return sorted(set(queries.result_years()) | set(years_with_values()))


def _feedback_departments(plan) -> list[Department]:
    q = (
        Q(indicator_lead__plan=plan, indicator_lead__retired=False)
        | Q(indicator_co__plan=plan, indicator_co__retired=False)
        | Q(measure_lead__area__plan=plan)
        | Q(measure_co__area__plan=plan)
    )
    return list(Department.objects.filter(q, active=True).distinct())


@login_required
def report_build(request):
    require_builder(request.user)
    form = BuildForm(
        request.POST or None,
        years=_build_years(),
        departments=Department.objects.filter(active=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = Plan.objects.get(code=data["plan"])
        codes = [data["department"] or None]
        if data["kind"] == ReportKind.FEEDBACK and not data["department"]:
            codes = [d.code for d in _feedback_departments(plan)]
        try:
            reports = [
                create_report(data["kind"], plan.code, data["year"], code, author=request.user)
                for code in codes
            ]
        except ReportRefused as exc:
            form.add_error(None, str(exc))
        else:
            for report in reports:
                build_report_task.enqueue(report.pk)
            if len(reports) == 1:
                return redirect("reports:detail", pk=reports[0].pk)
            messages.success(request, _("%(n)s reports are being built.") % {"n": len(reports)})
            return redirect(f"{reverse('reports:list')}?kind={data['kind']}&plan={plan.code}")
    return render(request, "reports/report_build.html", {"form": form})


@login_required
def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "may_publish": may_issue(request.user, report),
            "review": review.chain_of(report, request.user),
            "may_write_sections": may_write_sections(request.user) and report.kind in SECTION_KINDS,
            "snapshot_counts": _snapshot_counts(report.snapshot),
            "incompleteness": (
                incompleteness(report.snapshot) if report.snapshot.get("areas") is not None else ""
            ),
        },
    )


def _snapshot_counts(snapshot: dict) -> dict:
    if not snapshot:
        return {}
    areas = snapshot.get("areas", [])
    return {
        "areas": len(areas),
        "indicators": sum(len(a["indicators"]) for a in areas),
        "warnings": len(snapshot.get("warnings", [])),
        "missing": sum(len(d["items"]) for d in snapshot.get("missing", [])),
    }


@login_required
def report_progress(request, pk):
    report = get_report_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": report.get_status_display(),
            "progress": report.progress,
            "stage": report.stage,
            "done": report.is_finished,
        }
    )


@login_required
def report_download(request, pk):
    report = get_report_for_user(request.user, pk)
    if report.status != BuildStatus.DONE or not report.file:
        raise Http404(_("The report is not ready."))
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.download_name)


@login_required
@require_POST
def report_publish(request, pk):
    report = get_report_for_user(request.user, pk, write=True)
    try:
        publish(
            report,
            by=request.user,
            confirm_incomplete=request.POST.get("confirm_incomplete") == "1",
        )
    except ReportRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The report is published."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_review(request, pk):
    """Submit a version for review, or approve / return it (the access rules live in
    accounts.access, called by the review module)."""
    report = get_report_for_user(request.user, pk)
    if not takes_part_in_report_review(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "submit":
            review.submit(report, by=request.user)
        elif action in {"approve", "return"}:
            review.decide(
                report,
                by=request.user,
                approve=action == "approve",
                comment=request.POST.get("comment", ""),
            )
        else:
            raise review.ReviewRefused("未知的审核操作。")
    except review.ReviewRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The review step is recorded."))
    return redirect("reports:detail", pk=report.pk)


@login_required
def sections_edit(request, plan, kind, year):
    require_section_reader(request.user, write=request.method == "POST")
    plan = get_object_or_404(Plan, code=plan)
    if kind not in SECTION_KINDS or not plan.start_year <= year <= plan.end_year:
        raise Http404
    stored = {s.key: s for s in ReportSection.objects.filter(plan=plan, kind=kind, year=year)}
    initial = {key: s.text for key, s in stored.items()}
    if request.method != "POST":
        # Start from the draft the data suggest wherever the office has written nothing yet.
        offered = drafts.drafts(take_snapshot(kind, plan.code, year))
        for key, text in offered.items():
            if not initial.get(key):
                initial[key] = text
    form = SectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = 0
        for key in SectionKey.values:
            text = form.cleaned_data[key].strip()
            before = stored[key].text if key in stored else ""
            if text == before:
                continue
            ReportSection.objects.update_or_create(
                plan=plan,
                kind=kind,
                year=year,
                key=key,
                defaults={"text": text, "updated_by": request.user},
            )
            record(
                user=request.user,
                action="report_section",
                obj_type="report_section",
                key=f"{plan.code}/{kind}/{year}/{key}",
                old={"text": before},
                new={"text": text},
                channel=Channel.WEB,
            )
            changed += 1
        messages.success(request, _("Sections saved: %(n)s changed.") % {"n": changed})
        return redirect("reports:sections", plan=plan.code, kind=kind, year=year)
    return render(
        request,
        "reports/sections.html",
        {
            "plan": plan,
            "kind": ReportKind(kind),
            "year": year,
            "form": form,
            "editable": may_write_sections(request.user),
            "stored": stored,
        },
    )


def _default_year() -> int:
    latest = ReportingRound.objects.order_by("-year").first()
    return latest.year if latest else datetime.date.today().year - 1


@login_required
def self_assessment_index(request):
    year = _default_year()
    if is_department_reporter(request.user):
        return redirect(
            "reports:self_assessment", code=request.user.profile.department.code, year=year
        )
    if not reads_everything(request.user):
        raise PermissionDenied
    responsible = (
        Department.objects.filter(
            Q(measure_lead__isnull=False)
            | Q(measure_co__isnull=False)
            | Q(objective_lead__isnull=False)
            | Q(objective_co__isnull=False)
        )
        .distinct()
        .order_by("sort", "code")
    )
    return render(
        request,
        "reports/self_assessment_index.html",
        {"departments": responsible, "year": year, "years": _plan_years()},
    )


def _plan_years() -> list[int]:
    plans = list(Plan.objects.all())
    if not plans:
        return []
    return list(range(min(p.start_year for p in plans), max(p.end_year for p in plans) + 1))


@login_required
def self_assessment(request, code, year):
    writing = request.method == "POST"
    department = get_assessing_department_for_user(request.user, code, write=writing)
    if year not in _plan_years():
        raise Http404
    editable = _may_edit(request.user, department)
    items = assessments.items_for(department, year)
    for item in items:
        initial = (
            {"rating": item.assessment.rating, "text": item.assessment.text}
            if item.assessment
            else {}
        )
        item.form = AssessmentForm(
            request.POST or None,
            request.FILES or None,
            prefix=item.prefix,
            initial=initial,
            existing=item.assessment,
        )
    if writing:
        if all(item.form.is_valid() for item in items):
            changed = assessments.save(department, year, items, user=request.user)
            messages.success(request, _("Self-assessment saved: %(n)s changed.") % {"n": changed})
            return redirect("reports:self_assessment", code=department.code, year=year)
        messages.error(request, _("Nothing was saved: please correct the marked items."))
    return render(
        request,
        "reports/self_assessment.html",
        {
            "department": department,
            "year": year,
            "years": _plan_years(),
            "items": items,
            "editable": editable,
            "n_done": sum(1 for i in items if i.assessment),
        },
    )


def _may_edit(user, department) -> bool:
    try:
        get_assessing_department_for_user(user, department.code, write=True)
    except PermissionDenied:
        return False
    return True


@login_required
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_evidence_for_user(request.user, pk, write=True)
    assessment = evidence.assessment
    assessments.remove_evidence(evidence, user=request.user)
    messages.success(request, _("The file is removed."))
    return redirect(
        "reports:self_assessment", code=assessment.department.code, year=assessment.year
    )
