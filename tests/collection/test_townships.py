"""A township reports for itself: its own entries are a submission of its own, submitted by
its reporter and reviewed by the bureau like a department's, shown on the board beside the
departments, and waited for when the year is locked."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Department
from planwatch.collection import workflow
from planwatch.collection.access import submissions_for_user
from planwatch.collection.batches import import_file
from planwatch.collection.board import township_board
from planwatch.collection.models import DataValue, Submission, SubmissionStatus
from planwatch.collection.workflow import TransitionRefused
from planwatch.org.models import OrgUnit

S = SubmissionStatus
YUNSHAN = "220112001"


@pytest.fixture
def mailboxes(users):
    for name in ("health", "stats", "yunshan"):
        users[name].email = f"{name}@example.gov.cn"
        users[name].save()
    return users


def entry_url(**query):
    url = reverse("collection:entry", args=[2024])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def action_url(submission, action):
    return reverse("collection:submission_action", args=[submission.pk, action])


def save_first_row(client, value="50"):
    url = entry_url(org_unit=YUNSHAN)
    row = client.get(url).context["rows"][0]
    response = client.post(url, {f"{row.field_prefix}-value": value})
    assert response.status_code == 302
    return row


@pytest.fixture
def town_submission(clients, rounds):
    row = save_first_row(clients["yunshan"])
    value = DataValue.objects.get(
        indicator=row.indicator, org_unit__code=YUNSHAN, year=2024, sex="", age_group=""
    )
    return value.submission


def test_a_townships_entries_are_its_own_submission(clients, rounds, town_submission):
    yunshan = OrgUnit.objects.get(code=YUNSHAN)
    assert town_submission.township == yunshan and town_submission.department_id is None
    assert town_submission.status == S.DRAFT
    # Nothing went into a department's draft.
    assert not Submission.objects.filter(department__isnull=False).exists()
    assert str(town_submission) == "2024年度填报 云山街道"
    page = clients["yunshan"].get(entry_url(org_unit=YUNSHAN))
    assert page.context["submission"] == town_submission
    assert action_url(town_submission, "submit") in page.content.decode()


def test_a_departments_entries_for_a_township_stay_in_its_own_submission(rounds, users, write_csv):
    result, _ = import_file(write_csv([f"W1-10,{YUNSHAN},2024,,,,80,,,"]), user=users["health"])
    assert result.stored
    value = DataValue.objects.get(indicator__code="W1-10", org_unit__code=YUNSHAN, year=2024)
    assert value.submission.department.code == "health"
    assert value.submission.township_id is None


def test_the_township_submits_and_the_bureau_returns_and_approves(
    clients, mailboxes, rounds, town_submission
):
    users = mailboxes
    assert clients["yunshan"].post(action_url(town_submission, "submit")).status_code == 302
    town_submission.refresh_from_db()
    assert town_submission.status == S.SUBMITTED
    assert town_submission.submitted_by == users["yunshan"]
    (to_review,) = [m for m in mail.outbox if "stats@example.gov.cn" in m.to]
    assert "云山街道" in to_review.subject

    # The review page and its export name the township.
    review = clients["stats"].get(reverse("collection:submission", args=[town_submission.pk]))
    assert "<h1>云山街道 · 2024年度填报</h1>" in review.content.decode()
    export = clients["stats"].get(
        reverse("collection:submission_export", args=[town_submission.pk])
    )
    assert export["Content-Disposition"].endswith(f'review-2024-{YUNSHAN}.xlsx"')
    from io import BytesIO

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet["A1"].value == "云山街道 2024年度报送审核表"
    api = clients["stats"].get(f"/api/submissions/{town_submission.pk}/").json()
    assert (api["township"], api["department"], api["reporter"]) == (YUNSHAN, None, "云山街道")

    response = clients["stats"].post(action_url(town_submission, "return"), {"text": "请核实分母"})
    assert response.status_code == 302
    town_submission.refresh_from_db()
    assert town_submission.status == S.RETURNED
    notice = users["yunshan"].notices.get()
    assert "退回意见：请核实分母" in notice.text
    assert notice.link == entry_url(org_unit=YUNSHAN)
    assert not users["health"].notices.exists()

    workflow.submit(town_submission, users["yunshan"])
    workflow.approve(town_submission, users["stats"])
    town_submission.refresh_from_db()
    assert town_submission.status == S.APPROVED
    assert "审核通过" in users["yunshan"].notices.order_by("-pk").first().text
    keys = set(
        AuditEntry.objects.filter(object_type="submission").values_list("object_key", flat=True)
    )
    assert keys == {f"2024/{YUNSHAN}"}

    # The board: the township's line carries its own submission's state.
    lines = {line.township.code: line for line in township_board(rounds[2024])}
    assert lines[YUNSHAN].submission == town_submission
    assert lines[YUNSHAN].status_label == "已审核通过"
    assert {line.status_label for code, line in lines.items() if code != YUNSHAN} == {"未开始"}
    board_page = clients["office"].get(reverse("collection:board", args=[2024])).content.decode()
    link = reverse("collection:submission", args=[town_submission.pk])
    assert f'<a href="{link}">云山街道</a>' in board_page


def test_a_department_can_neither_see_nor_submit_the_townships_submission(
    clients, users, town_submission
):
    url = reverse("collection:submission", args=[town_submission.pk])
    for name in ("health", "education"):
        assert clients[name].get(url).status_code == 403
        assert clients[name].post(action_url(town_submission, "submit")).status_code == 403
        assert not submissions_for_user(users[name], Submission.objects.all()).exists()
        with pytest.raises(PermissionDenied):
            workflow.submit(town_submission, users[name])
    town_submission.refresh_from_db()
    assert town_submission.status == S.DRAFT
    assert list(submissions_for_user(users["yunshan"], Submission.objects.all())) == [
        town_submission
    ]
    # Nobody reviews their own: the township cannot approve what it submitted.
    workflow.submit(town_submission, users["yunshan"])
    with pytest.raises(PermissionDenied):
        workflow.approve(town_submission, users["yunshan"])


def test_the_year_waits_for_the_township_and_names_it(rounds, users, town_submission):
    from planwatch.collection.board import reporting_departments

    for department in reporting_departments():
        Submission.objects.create(round=rounds[2024], department=department, status=S.APPROVED)
    workflow.submit(town_submission, users["yunshan"])
    with pytest.raises(TransitionRefused) as refused:
        workflow.lock_round(rounds[2024], users["office"])
    assert refused.value.messages[0] == "还有 1 个单位的报送未审核通过：云山街道（已报送）"
    workflow.approve(town_submission, users["stats"])
    workflow.lock_round(rounds[2024], users["office"])
    town_submission.refresh_from_db()
    assert town_submission.status == S.LOCKED
    assert "锁定" in users["yunshan"].notices.order_by("-pk").first().text


def test_a_township_that_has_not_begun_holds_the_year_too(rounds, users):
    from planwatch.collection.board import reporting_departments

    for department in reporting_departments():
        Submission.objects.create(round=rounds[2024], department=department, status=S.APPROVED)
    assert workflow.what_blocks_lock(rounds[2024]) == ["云山街道（未开始）"]


def test_a_township_cannot_change_a_value_its_department_had_approved(rounds, users, write_csv):
    result, _ = import_file(write_csv([f"W1-10,{YUNSHAN},2024,,,,80,,,"]), user=users["health"])
    assert result.stored
    Submission.objects.filter(department__code="health").update(status=S.APPROVED)
    result, _ = import_file(write_csv([f"W1-10,{YUNSHAN},2024,,,,81,,,"]), user=users["yunshan"])
    assert not result.stored
    assert any("区卫生健康局2024年度报送" in p.message for p in result.problems)
    value = DataValue.objects.get(indicator__code="W1-10", org_unit__code=YUNSHAN, year=2024)
    assert value.value == 80 and value.submission.department.code == "health"


def test_a_submission_belongs_to_exactly_one_reporter(rounds):
    health = Department.objects.get(code="health")
    yunshan = OrgUnit.objects.get(code=YUNSHAN)
    for kw in ({}, {"department": health, "township": yunshan}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Submission.objects.create(round=rounds[2024], **kw)
    Submission.objects.create(round=rounds[2024], township=yunshan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(round=rounds[2024], township=yunshan)


def test_the_township_starts_from_its_page_towards_entry_and_submissions(clients, rounds):
    page = clients["yunshan"].get(reverse("org_unit_detail", args=[YUNSHAN])).content.decode()
    assert reverse("collection:entry", args=[2024]) in page
    assert reverse("collection:submissions") in page
    other = clients["office"].get(reverse("org_unit_detail", args=[YUNSHAN])).content.decode()
    assert reverse("collection:entry", args=[2024]) not in other
