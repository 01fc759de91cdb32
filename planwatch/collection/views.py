"""Collection pages: thin shells over entry rows, the importer, batches and the workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts.access import (
    entry_scope_for_user,
    may_lock_rounds,
    may_manage_rounds,
    reads_everything,
    require_role,
)
from planwatch.accounts.notices import official_date
from planwatch.audit.models import Channel, record
from planwatch.collection import notices, queries, unlocks, workflow
from planwatch.collection.access import (
    get_batch_for_user,
    get_submission_for_user,
    get_value_for_user,
    may_mark_notes,
    receiving_submission,
    submissions_for_user,
)
from planwatch.collection.batches import (
    retry,
    retryable,
    rows_read,
    run_batch,
    runs_in_background,
    store_rows,
)
from planwatch.collection.board import board, reporting_departments, township_board
from planwatch.collection.entry import HISTORY_YEARS, entry_groups, entry_rows
from planwatch.collection.forms import ReasonForm, RoundForm, UploadForm
from planwatch.collection.labels import group_label
from planwatch.collection.long_format import number_text
from planwatch.collection.models import (
    DataQuery,
    DataValue,
    ImportBatch,
    ImportStatus,
    QueryStatus,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionStatus,
    UnlockRequest,
    ValueChange,
)
from planwatch.collection.reminders import remind
from planwatch.collection.review_export import build_review_workbook
from planwatch.collection.soft_checks import boilerplate, warnings_for
from planwatch.collection.sources import typed_rows
from planwatch.collection.tasks import check_batch, store_batch
from planwatch.collection.xlsx_template import build_template
from planwatch.org.models import OrgUnit


@login_required
def rounds(request):
    require_role(request.user)
    form = None
    if may_manage_rounds(request.user):
        form = RoundForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            created = form.save(commit=False)
            created.created_by = request.user
            created.save()
            record(
                user=request.user,
                action="round_open",
                obj_type="round",
                key=str(created.year),
                new={"opens_on": str(created.opens_on), "due_on": str(created.due_on)},
                channel=Channel.WEB,
            )
            notices.round_opened(created, reporting_departments(), OrgUnit.objects.home_townships())
            messages.success(
                request, _("Reporting round %(year)s opened.") % {"year": created.year}
            )
            return redirect("collection:rounds")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "collection/rounds.html",
        {"rounds": ReportingRound.objects.all(), "form": form},
    )


@login_required
def round_board(request, year):
    if not reads_everything(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(ReportingRound, year=year)
    lines = board(round_)
    return render(
        request,
        "collection/board.html",
        {
            "round": round_,
            "lines": lines,
            "towns": township_board(round_),
            "can_remind": may_manage_rounds(request.user),
            "can_lock": may_lock_rounds(request.user),
        },
    )


@login_required
@require_POST
def round_remind(request, year):
    if not may_manage_rounds(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(ReportingRound, year=year)
    names = remind(round_, request.user)
    messages.success(request, _("Reminder sent to: %(names)s") % {"names": "、".join(names) or "—"})
    return redirect("collection:board", year=year)


@login_required
@require_POST
def round_lock(request, year):
    round_ = get_object_or_404(ReportingRound, year=year)
    try:
        workflow.lock_round(round_, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The year %(year)s is locked.") % {"year": year})
    return redirect("collection:board", year=year)


def _scope(request):
    department, org_unit = entry_scope_for_user(
        request.user, request.GET.get("department"), request.GET.get("org_unit")
    )
    if department is None and org_unit is None:
        raise Http404(_("Choose a department or a township."))
    return department, org_unit


def _scope_query(department, org_unit) -> str:
    if department is not None:
        return f"?department={department.code}"
    return f"?org_unit={org_unit.code}"


FIELDS = ("value", "numerator", "denominator", "comment")


def _entry_url(year, department, org_unit, group: str = "") -> str:
    url = reverse("collection:entry", args=[year]) + _scope_query(department, org_unit)
    return url + (f"&group={group}#group-{group}" if group else "")


def _typed_rows(request, rows, year):
    """The rows this POST carries (one group's form posts only its own rows), minus the
    approved ones, which only an unlock reopens."""
    typed, to_store = {}, []
    for row in rows:
        names = [f"{row.field_prefix}-{f}" for f in FIELDS]
        if not any(n in request.POST for n in names) or row.locked:
            continue
        cells = {f: request.POST.get(n, "").strip() for f, n in zip(FIELDS, names, strict=True)}
        typed[row.field_prefix] = cells
        if not any(cells[f] for f in ("value", "numerator", "denominator")):
            continue
        current = row.current
        unchanged = current is not None and (
            cells["value"] == _shown(current, "value")
            and cells["numerator"] == number_text(current.numerator)
            and cells["denominator"] == number_text(current.denominator)
            and cells["comment"] == current.comment
        )
        if unchanged:
            continue
        to_store.append(
            (
                row,
                {
                    "indicator": row.indicator.code,
                    "org_unit": row.org_unit.code,
                    "year": str(year),
                    "sex": row.sex,
                    "age_group": row.age_group,
                    "residence": row.residence,
                    **cells,
                },
            )
        )
    return typed, to_store


@login_required
def entry(request, year):
    round_ = get_object_or_404(ReportingRound, year=year)
    department, org_unit = _scope(request)
    rows = entry_rows(year, department=department, org_unit=org_unit)
    submission = receiving_submission(request.user, round_, department)
    queried = queries.queried_keys(submission) if submission else set()
    if queried:
        for row in rows:
            row.restricted = row.key not in queried
    typed, row_errors, result = {}, {}, None
    group = request.POST.get("group", "") or request.GET.get("group", "")
    cell = request.GET.get("cell", "")  # a link from a message: open the cell's group
    if request.method == "POST":
        typed, to_store = _typed_rows(request, rows, year)
        if not to_store:
            messages.info(request, _("Nothing changed."))
            return redirect(_entry_url(year, department, org_unit, group))
        by_key = {row.field_prefix: row for row, _cells in to_store}
        source = typed_rows(
            ((row.field_prefix, cells) for row, cells in to_store),
            label=lambda key: f"{by_key[key].indicator.code} {by_key[key].group_label}",
        )
        result = store_rows(source, user=request.user, channel=Channel.WEB)
        if result.stored:
            messages.success(
                request,
                _("Saved: %(new)s new, %(changed)s changed.")
                % {"new": result.n_new, "changed": result.n_changed},
            )
            return redirect(_entry_url(year, department, org_unit, group))
        for problem in result.problems:
            if problem.row in by_key:
                row_errors.setdefault(problem.row, []).append(problem)
        messages.error(request, _("Nothing was saved: please correct the marked rows."))
    for row in rows:
        if row.field_prefix not in typed:
            current = row.current
            typed[row.field_prefix] = {
                "value": _shown(current, "value") if current else "",
                "numerator": number_text(current.numerator) if current else "",
                "denominator": number_text(current.denominator) if current else "",
                "comment": current.comment if current else "",
            }
        row.typed = typed[row.field_prefix]
        row.errors = row_errors.get(row.field_prefix, [])
    soft = warnings_for(submission.values.all()) if submission else []
    soft_by_key = {}
    for w in soft:
        soft_by_key.setdefault(w.key, []).append(w)
    for row in rows:
        row.soft = soft_by_key.get(row.key, [])
    groups = entry_groups(rows)
    for g in groups:
        g.has_errors = any(r.errors for r in g.rows)
        g.n_soft = sum(1 for r in g.rows if r.soft)
        g.open = g.has_errors or g.key == group or any(r.field_prefix == cell for r in g.rows)
    if groups and not any(g.open for g in groups):
        groups[0].open = True
    history_years = list(range(year - HISTORY_YEARS, year))
    editable = round_.status != RoundStatus.LOCKED and (submission is None or submission.editable)
    return render(
        request,
        "collection/entry.html",
        {
            "round": round_,
            "department": department,
            "org_unit": org_unit,
            "rows": rows,
            "groups": groups,
            "due_text": official_date(round_.due_on),
            "history_years": history_years,
            "submission": submission,
            "editable": editable,
            "scope_query": _scope_query(department, org_unit),
            "upload_form": UploadForm(),
            "problems": result.problems if result else [],
        },
    )


def _shown(value: DataValue | None, field: str) -> str:
    """A rate computed from counts is shown empty in the value box: the counts are the input."""
    if value is None or (field == "value" and value.numerator is not None):
        return ""
    return number_text(value.value)


@login_required
def template_download(request, year):
    get_object_or_404(ReportingRound, year=year)
    department, org_unit = _scope(request)
    content = build_template(year, department=department, org_unit=org_unit)
    owner = department.code if department else org_unit.code
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="planwatch-{year}-{owner}.xlsx"'
    return response


@login_required
@require_POST
def upload(request, year):
    get_object_or_404(ReportingRound, year=year)
    department, org_unit = _scope(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(
            reverse("collection:entry", args=[year]) + _scope_query(department, org_unit)
        )
    uploaded = form.cleaned_data["file"]
    is_excel = uploaded.name.lower().endswith((".xlsx", ".xlsm"))
    batch = ImportBatch.objects.create(
        user=request.user,
        channel=Channel.EXCEL if is_excel else Channel.CSV,
        file_name=uploaded.name,
        file=uploaded,
        status=ImportStatus.PENDING,
    )
    if runs_in_background(batch):
        check_batch.enqueue(batch.pk)
    else:
        run_batch(batch, store=False)
    return redirect("collection:import_detail", pk=batch.pk)


# Why a file cannot be stored now, by the state its batch is in.
NOT_CONFIRMABLE = {
    ImportStatus.PENDING: _(
        "The file is still waiting to be checked or stored; confirm it once its check has ended."
    ),
    ImportStatus.RUNNING: _(
        "The file is still being checked; confirm it once its check has ended."
    ),
    ImportStatus.REFUSED: _(
        "The file did not pass its check, so nothing of it can be stored: correct the rows "
        "listed below and upload it again."
    ),
    ImportStatus.STORED: _("The file is already stored; nothing was stored a second time."),
    ImportStatus.FAILED: _(
        "The check of the file stopped before its end; check it again (retry) before storing it."
    ),
}


@login_required
def import_detail(request, pk):
    batch = get_batch_for_user(request.user, pk)
    if request.method == "POST":
        if request.POST.get("retry") and retryable(batch):
            retry(batch, check_batch.enqueue)
            return redirect("collection:import_detail", pk=batch.pk)
        if batch.status != ImportStatus.CHECKED:
            # Not a refusal of the user but of the moment (a confirm sent before the check
            # ended, or twice): 409, with the page and what to do.
            messages.error(request, NOT_CONFIRMABLE[batch.status])
            return render(
                request,
                "collection/import_detail.html",
                {"batch": batch, "rows_read": rows_read(batch)},
                status=409,
            )
        if runs_in_background(batch):
            batch.status = ImportStatus.PENDING
            batch.save(update_fields=["status"])
            store_batch.enqueue(batch.pk)
        else:
            result = run_batch(batch, store=True)
            if result.stored:
                messages.success(request, _("The file is stored."))
            else:
                messages.error(request, _("The file was refused; nothing was stored."))
        return redirect("collection:import_detail", pk=batch.pk)
    return render(
        request,
        "collection/import_detail.html",
        {"batch": batch, "rows_read": rows_read(batch)},
    )


@login_required
def import_progress(request, pk):
    batch = get_batch_for_user(request.user, pk)
    return JsonResponse(
        {"status": batch.status, "rows": rows_read(batch), "done": batch.finished_at is not None}
    )


def _review_groups(submission):
    """The submission's values by plan area, each with its previous year and its queries."""
    values = list(
        submission.values.select_related("indicator__area", "org_unit").order_by(
            "indicator__area__plan__sort",
            "indicator__area__number",
            "indicator__code",
            "org_unit__code",
            "sex",
            "age_group",
            "residence",
        )
    )
    year = submission.round.year
    key = lambda v: (v.indicator_id, v.org_unit_id, v.sex, v.age_group, v.residence)  # noqa: E731
    previous = {
        key(v): v
        for v in DataValue.objects.filter(
            year=year - 1,
            indicator_id__in={v.indicator_id for v in values},
            org_unit_id__in={v.org_unit_id for v in values},
        )
    }
    by_value = {}
    for q in submission.queries.select_related("asked_by", "answered_by"):
        by_value.setdefault(q.value_id, []).append(q)
    groups: dict = {}
    for v in values:
        v.previous = previous.get(key(v))
        v.group_words = group_label(v.indicator, v.sex, v.age_group, v.residence)
        v.query_list = by_value.get(v.pk, [])
        groups.setdefault(v.indicator.area, []).append(v)
    return [
        {
            "area": area,
            "values": vs,
            "n_queries": sum(len(v.query_list) for v in vs),
            "key": f"a{area.pk}",
        }
        for area, vs in groups.items()
    ], len(values)


@login_required
def submission_detail(request, pk):
    submission = get_submission_for_user(request.user, pk)
    groups, n_values = _review_groups(submission)
    soft = warnings_for(submission.values.all())
    user = request.user
    actions = [
        action
        for action in ("submit", "approve", "return", "unlock")
        if workflow.allowed(action, submission.status) and workflow.may(user, action, submission)
    ]
    can_query = submission.status == SubmissionStatus.SUBMITTED and workflow.may(
        user, "return", submission
    )
    for g in groups:
        g["open"] = bool(g["n_queries"]) or request.GET.get("group") == g["key"]
    return render(
        request,
        "collection/submission_detail.html",
        {
            "submission": submission,
            "groups": groups,
            "n_values": n_values,
            "soft": soft,
            "actions": actions,
            "reason_form": ReasonForm(),
            "can_query": can_query,
            "can_mark_notes": may_mark_notes(user, submission),
            "boilerplate": boilerplate(submission.values.all()),
            "open_queries": submission.queries.filter(status=QueryStatus.OPEN).count(),
            "can_answer": submission.editable and workflow.may(user, "submit", submission),
            "can_request_unlock": unlocks.may_request(user, submission)
            and unlocks.pending(submission) is None,
            "unlock_requests": submission.unlock_requests.select_related(
                "requested_by", "decided_by"
            ),
            "can_decide": workflow.allowed("unlock", submission.status)
            and workflow.may(user, "unlock", submission),
        },
    )


@login_required
def submission_export(request, pk):
    submission = get_submission_for_user(request.user, pk)
    groups, _n = _review_groups(submission)
    response = HttpResponse(
        build_review_workbook(submission, groups),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"review-{submission.round.year}-{submission.reporter_code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _back(submission):
    return redirect("collection:submission", pk=submission.pk)


@login_required
@require_POST
def submission_query(request, pk):
    """The reviewer's queries on single cells: one text box per cell, the filled ones count."""
    submission = get_submission_for_user(request.user, pk)
    values = {v.pk: v for v in submission.values.all()}
    asked = 0
    try:
        with transaction.atomic():
            for name, text in request.POST.items():
                if not name.startswith("q-") or not text.strip():
                    continue
                value = values.get(int(name[2:])) if name[2:].isdigit() else None
                if value is None:
                    raise ValidationError(_("That value is not part of this submission."))
                queries.ask(submission, value, request.user, text)
                asked += 1
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if asked:
            messages.success(request, _("%(n)s queries recorded.") % {"n": asked})
        else:
            messages.info(request, _("No query was written."))
    return _back(submission)


@login_required
@require_POST
def submission_note(request, pk):
    """The reviewer marks (or unmarks) a reporter's comment for the compilation's 备注."""
    submission = get_submission_for_user(request.user, pk)
    if not may_mark_notes(request.user, submission):
        raise PermissionDenied
    value = get_object_or_404(submission.values.exclude(comment=""), pk=request.POST.get("value"))
    value.comment_in_report = request.GET.get("in") == "1"
    value.save(update_fields=["comment_in_report"])
    record(
        user=request.user,
        action="comment_in_report" if value.comment_in_report else "comment_not_in_report",
        obj_type="value",
        key=str(value.pk),
        new={"comment": value.comment, "in_report": value.comment_in_report},
        channel=Channel.WEB,
    )
    return redirect(
        reverse("collection:submission", args=[submission.pk])
        + f"?group=a{value.indicator.area_id}#value-{value.pk}"
    )


@login_required
@require_POST
def submission_return_queried(request, pk):
    submission = get_submission_for_user(request.user, pk)
    try:
        queries.return_queried(submission, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Returned for the queried cells only."))
    return _back(submission)


@login_required
@require_POST
def query_answer(request, pk):
    query = get_object_or_404(DataQuery.objects.select_related("submission"), pk=pk)
    submission = get_submission_for_user(request.user, query.submission_id)
    try:
        queries.answer(query, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Answer recorded."))
    return _back(submission)


@login_required
@require_POST
def unlock_request(request, pk):
    submission = get_submission_for_user(request.user, pk)
    try:
        unlocks.request_unlock(submission, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Unlock requested."))
    return _back(submission)


@login_required
@require_POST
def unlock_decide(request, pk, decision):
    unlock = get_object_or_404(UnlockRequest.objects.select_related("submission"), pk=pk)
    submission = get_submission_for_user(request.user, unlock.submission_id)
    if decision not in {"grant", "refuse"}:
        raise Http404
    try:
        if decision == "grant":
            unlocks.grant(unlock, request.user, request.POST.get("text", ""))
        else:
            unlocks.refuse(unlock, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return _back(submission)


ACTIONS = {
    "submit": lambda s, u, text: workflow.submit(s, u),
    "approve": lambda s, u, text: workflow.approve(s, u),
    "return": lambda s, u, text: workflow.return_(s, u, text),
    "unlock": lambda s, u, text: workflow.unlock(s, u, text),
}


@login_required
@require_POST
def submission_action(request, pk, action):
    submission = get_submission_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](submission, request.user, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Done: %(action)s") % {"action": workflow.ACTION_LABELS[action]}
        )
    return redirect("collection:submission", pk=submission.pk)


@login_required
def review_queue(request):
    if not reads_everything(request.user):
        raise PermissionDenied
    queue = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).select_related(
        "round", "department", "township"
    )
    return render(request, "collection/review.html", {"queue": queue})


@login_required
def value_history(request, pk):
    value = get_value_for_user(request.user, pk)
    history = ValueChange.objects.filter(
        indicator_id=value.indicator_id,
        org_unit_id=value.org_unit_id,
        year=value.year,
        sex=value.sex,
        age_group=value.age_group,
        residence=value.residence,
    ).select_related("user")
    return render(request, "collection/value_history.html", {"value": value, "history": history})


@login_required
def my_submissions(request):
    """A reporter's landing page for collection: its submissions, round by round."""
    require_role(request.user)
    subs = submissions_for_user(request.user, Submission.objects.all())
    return render(
        request,
        "collection/my_submissions.html",
        {"submissions": subs.select_related("round", "department", "township")},
    )
