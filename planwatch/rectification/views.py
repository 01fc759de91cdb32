"""Pages of the 预警通报 cycle. Who may do what is asked of the access modules only
(accounts/access.py, rectification/access.py)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts import access
from planwatch.evaluation.english import LEVEL_LABELS_EN
from planwatch.evaluation.vocabulary import LEVEL_LABELS
from planwatch.monitoring import queries
from planwatch.rectification import actions
from planwatch.rectification import document as bulletin_document_writer
from planwatch.rectification.access import (
    bulletins_for_user,
    get_bulletin_for_user,
    get_rectification_item_for_user,
    may_answer_rectification,
    may_decide_rectification,
    rectification_items_for_user,
)
from planwatch.rectification.forms import AnswerForm, DecisionForm, IssueForm
from planwatch.rectification.models import Bulletin, RectificationItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The levels a bulletin is about: targets expected to be missed, lagging, or fluctuating.
ISSUABLE_LEVELS = ["red", "yellow", "volatility", "small_sample"]


def _require_reader(user):
    if not access.may_read_rectification(user):
        raise PermissionDenied


def _counts(items, today):
    counts = {state: 0 for state in ("open", "overdue", "answered", "returned", "closed")}
    for item in items:
        counts[item.tracking_state(today)] += 1
    return counts


@login_required
def index(request):
    _require_reader(request.user)
    today = timezone.localdate()
    bulletins = list(bulletins_for_user(request.user, Bulletin.objects.all()))
    scoped = rectification_items_for_user(
        request.user, RectificationItem.objects.select_related("bulletin")
    )
    by_bulletin: dict = {}
    for item in scoped:
        by_bulletin.setdefault(item.bulletin_id, []).append(item)
    rows = [(b, _counts(by_bulletin.get(b.pk, []), today)) for b in bulletins]
    return render(
        request,
        "rectification/index.html",
        {
            "rows": rows,
            "may_issue": access.may_issue_bulletins(request.user),
            "overdue": actions.overdue_items(today).count()
            if access.may_issue_bulletins(request.user)
            else 0,
        },
    )


@login_required
def new_bulletin(request):
    if not access.may_issue_bulletins(request.user):
        raise PermissionDenied
    years = queries.result_years()
    year = queries.year_or_latest(request.GET.get("year"), years)
    warnings = (
        queries.warnings_of(
            access.results_for_user(request.user, queries.district_results(year)),
            ISSUABLE_LEVELS,
        )
        if year
        else []
    )
    today = timezone.localdate()
    initial = {
        "issued_on": today,
        "due_on": today + datetime.timedelta(days=30),
        "number": actions.next_number(today.year),
        "title": actions.default_title(year) if year else "",
    }
    form = IssueForm(request.POST or None, initial=initial)
    chosen = {int(x) for x in request.POST.getlist("warning") if x.isdigit()}
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = actions.issue(
                request.user,
                chosen,
                due_on=form.cleaned_data["due_on"],
                issued_on=form.cleaned_data["issued_on"],
                title=form.cleaned_data["title"],
                preface=form.cleaned_data["preface"],
                number=form.cleaned_data["number"],
            )
        except actions.RectificationRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Bulletin %(number)s issued.") % {"number": bulletin.document_number}
            )
            return redirect("rectification:bulletin", bulletin.pk)
    already = set(
        RectificationItem.objects.filter(bulletin__monitoring_year=year).values_list(
            "target_code", "level"
        )
    )
    return render(
        request,
        "rectification/new.html",
        {
            "form": form,
            "years": years,
            "year": year,
            "warnings": warnings,
            "chosen": chosen,
            "already": {f"{code}|{level}" for code, level in already},
            "level_labels": LEVEL_LABELS_EN if get_language().startswith("en") else LEVEL_LABELS,
        },
    )


@login_required
def bulletin_detail(request, pk):
    bulletin = get_bulletin_for_user(request.user, pk)
    items = rectification_items_for_user(
        request.user, bulletin.items.select_related("department", "indicator", "bulletin")
    )
    rows = [
        {
            "item": item,
            "may_answer": may_answer_rectification(request.user, item),
            "may_decide": may_decide_rectification(request.user, item),
        }
        for item in items
    ]
    return render(
        request,
        "rectification/bulletin.html",
        {"bulletin": bulletin, "rows": rows, "decision_form": DecisionForm()},
    )


@login_required
def bulletin_document(request, pk):
    bulletin = get_bulletin_for_user(request.user, pk)
    response = HttpResponse(bulletin_document_writer.build(bulletin), content_type=DOCX)
    name = f"bulletin-{bulletin.year}-{bulletin.number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def items(request):
    """督办: the items in the user's scope, by state; a department answers its own here."""
    _require_reader(request.user)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    scoped = rectification_items_for_user(
        request.user,
        RectificationItem.objects.select_related("bulletin", "department", "indicator"),
    )
    rows = [
        {
            "item": item,
            "may_answer": may_answer_rectification(request.user, item),
            "may_decide": may_decide_rectification(request.user, item),
            "form": AnswerForm(
                initial={"measures": item.measures, "complete_by": item.complete_by},
                prefix=f"i{item.pk}",
            ),
        }
        for item in scoped
        if not state or item.tracking_state(today) == state
    ]
    return render(
        request,
        "rectification/items.html",
        {
            "rows": rows,
            "state": state,
            "decision_form": DecisionForm(),
            "may_issue": access.may_issue_bulletins(request.user),
        },
    )


@login_required
@require_POST
def item_answer(request, pk):
    item = get_rectification_item_for_user(request.user, pk)
    if not access.answers_rectification(request.user, item):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Please give the measures and a valid completion date."))
        return redirect("rectification:items")
    try:
        actions.answer(
            item, request.user, form.cleaned_data["measures"], form.cleaned_data["complete_by"]
        )
    except actions.RectificationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rectification report sent."))
    return redirect("rectification:items")


DECISIONS = {"close": actions.close, "return": actions.send_back}


@login_required
@require_POST
def item_decide(request, pk, decision):
    if decision not in DECISIONS:
        raise Http404
    item = get_rectification_item_for_user(request.user, pk)
    if not access.may_issue_bulletins(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        DECISIONS[decision](item, request.user, comment)
    except actions.RectificationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Item closed.") if decision == "close" else _("Item sent back.")
        )
    if request.POST.get("back") == "bulletin":
        return redirect("rectification:bulletin", item.bulletin_id)
    return redirect("rectification:items")


@login_required
@require_POST
def remind(request):
    if not access.may_issue_bulletins(request.user):
        raise PermissionDenied
    n = actions.remind_overdue(request.user)
    messages.success(request, _("%(n)d overdue items reminded.") % {"n": n})
    return redirect("rectification:items")
