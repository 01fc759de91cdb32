"""Every workflow step reaches the people concerned: a notice in the app and a mail with the
same words, the comment or reason, and a link back."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from planwatch.accounts.notices import official_date
from planwatch.collection import workflow
from planwatch.collection.batches import import_file
from planwatch.collection.board import board
from planwatch.collection.models import Submission
from planwatch.collection.reminders import remind


@pytest.fixture
def mailboxes(users):
    for name in ("health", "education", "stats", "yunshan"):
        users[name].email = f"{name}@example.gov.cn"
        users[name].save()
    return users


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_official_dates_have_no_leading_zeros():
    assert official_date(datetime.date(2026, 3, 31)) == "2026年3月31日"
    assert official_date(datetime.date(2026, 10, 1)) == "2026年10月1日"


def test_opening_a_round_tells_departments_and_townships(clients, mailboxes):
    response = clients["office"].post(
        reverse("collection:rounds"),
        {"year": 2025, "opens_on": "2026-01-05", "due_on": "2026-03-31"},
    )
    assert response.status_code == 302
    for name in ("health", "education", "yunshan"):
        (message,) = mails_to(f"{name}@example.gov.cn")
        assert "2026年3月31日" in message.body and "03月" not in message.body
        assert "http://localhost:8000/collection/rounds/2025/entry/" in message.body
        assert mailboxes[name].notices.count() == 1


def test_a_reminder_changes_no_status_and_states_the_rounds_deadline(clients, mailboxes, rounds):
    round_ = rounds[2024]  # due 2025-03-31
    lines = {line.department.code: line for line in board(round_)}
    assert lines["health"].status_label == "未开始"
    remind(round_, mailboxes["office"], today=datetime.date(2025, 3, 1))
    (message,) = mails_to("health@example.gov.cn")
    assert "2025年3月31日前" in message.body
    assert "/collection/rounds/2024/entry/?department=health" in message.body
    assert not Submission.objects.filter(round=round_, department__code="health").exists()
    lines = {line.department.code: line for line in board(round_)}
    assert lines["health"].status_label == "未开始"
    mail.outbox.clear()
    remind(round_, mailboxes["office"], today=datetime.date(2025, 11, 20))
    (late,) = mails_to("health@example.gov.cn")
    assert "截止日期为2025年3月31日，现已逾期" in late.body


def test_each_review_step_reaches_the_department_with_comment_and_link(
    mailboxes, rounds, write_csv, others_approved
):
    result, _ = import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    assert result.stored
    submission = Submission.objects.get(round__year=2024, department__code="health")
    users = mailboxes

    workflow.submit(submission, users["health"])
    (to_review,) = mails_to("stats@example.gov.cn")
    assert f"/collection/submissions/{submission.pk}/" in to_review.body

    workflow.return_(submission, users["stats"], "C1-02 分母口径与上年不一致")
    (returned,) = mails_to("health@example.gov.cn")
    assert "退回意见：C1-02 分母口径与上年不一致" in returned.body
    assert "/collection/rounds/2024/entry/?department=health" in returned.body
    notice = users["health"].notices.get()
    assert "C1-02 分母口径与上年不一致" in notice.text
    assert notice.link == "/collection/rounds/2024/entry/?department=health"

    workflow.submit(submission, users["health"])
    workflow.approve(submission, users["stats"])
    assert "审核通过" in mails_to("health@example.gov.cn")[-1].subject
    workflow.unlock(submission, users["stats"], "更正年龄组口径")
    assert "解锁原因：更正年龄组口径" in mails_to("health@example.gov.cn")[-1].body
    workflow.submit(submission, users["health"])
    workflow.approve(submission, users["stats"])
    workflow.lock_round(rounds[2024], users["office"])
    assert "锁定" in mails_to("health@example.gov.cn")[-1].subject
    assert users["health"].notices.count() == 5  # returned, approved, unlocked, approved, locked
    # Education heard only of the lock, which closed its (approved) submission too.
    assert [m.subject for m in mails_to("education@example.gov.cn")] == [
        "【锁定】2024年度妇女儿童发展规划监测数据"
    ]
