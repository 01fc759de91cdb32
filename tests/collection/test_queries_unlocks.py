"""Per-cell queries (质询) returned on their own, answered per query; unlock requests granted or
refused; and no reviewer approves their own submission. Every step audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from planwatch.audit.models import AuditEntry
from planwatch.collection import queries, workflow
from planwatch.collection.batches import import_file
from planwatch.collection.models import DataValue, Submission
from planwatch.collection.workflow import TransitionRefused

from .forms_html import entry_forms


@pytest.fixture
def submitted(rounds, write_csv, users):
    result, _ = import_file(
        write_csv(["C1-02,220112,2024,,,,2.5,,,", "C1-03,220112,2024,,,,4.1,,,"])
    )
    assert result.stored
    submission = Submission.objects.get(round__year=2024, department__code="health")
    workflow.submit(submission, users["health"])
    return submission


def test_query_one_cell_return_only_it_answer_and_approve(clients, users, submitted):
    c102 = DataValue.objects.get(indicator__code="C1-02")
    c103 = DataValue.objects.get(indicator__code="C1-03")
    page = clients["stats"].get(reverse("collection:submission", args=[submitted.pk]))
    assert f'name="q-{c102.pk}"' in page.content.decode()
    clients["stats"].post(
        reverse("collection:submission_query", args=[submitted.pk]),
        {f"q-{c102.pk}": "较上年下降一半，请核实", f"q-{c103.pk}": ""},
    )
    (query,) = submitted.queries.all()
    assert query.value == c102
    clients["stats"].post(reverse("collection:submission_return_queried", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert "C1-02 新生儿死亡率" in submitted.review_comment
    assert "较上年下降一半，请核实" in submitted.review_comment
    assert "C1-03" not in submitted.review_comment

    # Only the queried cell is open in the entry form.
    entry = clients["health"].get(reverse("collection:entry", args=[2024]))
    rows = {r.indicator.code: r for r in entry.context["rows"] if r.current is not None}
    assert rows["C1-03"].locked and not rows["C1-02"].locked
    posted = {k for f in entry_forms(entry.content.decode()) for k in f["fields"]}
    assert f"{rows['C1-02'].field_prefix}-value" in posted
    assert f"{rows['C1-03'].field_prefix}-value" not in posted

    with pytest.raises(TransitionRefused, match="质询尚未答复"):
        workflow.submit(submitted, users["health"])
    clients["health"].post(
        reverse("collection:query_answer", args=[query.pk]), {"text": "已核实，系口径调整"}
    )
    query.refresh_from_db()
    assert query.status == "answered" and query.answer == "已核实，系口径调整"
    workflow.submit(submitted, users["health"])
    workflow.approve(submitted, users["stats"])
    query.refresh_from_db()
    assert query.status == "closed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"query_ask", "query_answer", "submission_return"} <= actions


def test_only_a_reviewer_queries_and_only_cells_of_the_submission(clients, users, submitted):
    value = DataValue.objects.get(indicator__code="C1-02")
    with pytest.raises(PermissionDenied):
        queries.ask(submitted, value, users["health"], "?")
    response = clients["stats"].post(
        reverse("collection:submission_query", args=[submitted.pk]), {"q-999999": "?"}
    )
    assert response.status_code == 302
    assert not submitted.queries.exists()


def test_unlock_request_granted_and_refused(clients, users, submitted):
    workflow.approve(submitted, users["stats"])
    url = reverse("collection:unlock_request", args=[submitted.pk])
    assert clients["education"].post(url, {"text": "x"}).status_code == 403
    clients["health"].post(url, {"text": ""})
    assert not submitted.unlock_requests.exists()  # a reason is required
    clients["health"].post(url, {"text": "发现出生人数漏报"})
    (request,) = submitted.unlock_requests.all()
    assert users["stats"].notices.filter(text__contains="发现出生人数漏报").exists()
    refuse = reverse("collection:unlock_decide", args=[request.pk, "refuse"])
    assert clients["health"].post(refuse, {"text": "no"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"  # the department cannot decide its own request
    clients["stats"].post(refuse, {"text": "请在下一年度更正"})
    request.refresh_from_db()
    assert request.status == "refused" and request.decided_by == users["stats"]
    assert users["health"].notices.filter(text__contains="请在下一年度更正").exists()

    clients["health"].post(url, {"text": "出生人数漏报 12 人"})
    second = submitted.unlock_requests.get(status="pending")
    clients["stats"].post(reverse("collection:unlock_decide", args=[second.pk, "grant"]))
    submitted.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "granted" and submitted.status == "draft"
    actions = list(
        AuditEntry.objects.filter(action__startswith="unlock").values_list("action", flat=True)
    )
    assert actions.count("unlock_request") == 2
    assert "unlock_refused" in actions and "unlock_granted" in actions
    assert AuditEntry.objects.filter(action="submission_unlock").exists()


def test_the_bureau_cannot_approve_its_own_submission(rounds, write_csv, users):
    from planwatch.catalog.models import Indicator

    stats_indicator = Indicator.objects.filter(lead_department__code="statistics").first()
    assert stats_indicator is not None
    submission = Submission.objects.create(
        round=rounds[2024], department=stats_indicator.lead_department
    )
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    submission.refresh_from_db()
    assert not workflow.may(users["stats"], "approve", submission)
    with pytest.raises(PermissionDenied):
        workflow.approve(submission, users["stats"])
    assert workflow.may(users["office"], "approve", submission)  # the plan office reviews it
    other = Submission.objects.create(
        round=rounds[2024], department=users["health"].profile.department
    )
    Submission.objects.filter(pk=other.pk).update(status="submitted", submitted_by=users["admin"])
    other.refresh_from_db()
    assert not workflow.may(users["admin"], "approve", other)  # it submitted it itself
    assert workflow.may(users["stats"], "approve", other)
