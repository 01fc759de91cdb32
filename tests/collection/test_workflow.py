"""Every workflow transition, every refused one, and the audit trail they leave."""

import pytest
from django.core.exceptions import PermissionDenied

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Department
from planwatch.collection import workflow
from planwatch.collection.batches import import_file
from planwatch.collection.models import RoundStatus, Submission, SubmissionStatus
from planwatch.collection.workflow import TRANSITIONS, TransitionRefused

S = SubmissionStatus


@pytest.fixture
def submission(rounds, write_csv):
    result, _ = import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,"]))
    assert result.stored
    return Submission.objects.get(round__year=2024, department__code="health")


def test_the_whole_path_draft_to_locked(submission, users, rounds, others_approved):
    workflow.submit(submission, users["health"])
    workflow.return_(submission, users["stats"], "分母口径不对")
    submission.refresh_from_db()
    assert submission.status == S.RETURNED
    assert submission.review_comment == "分母口径不对"
    workflow.submit(submission, users["health"])
    workflow.approve(submission, users["stats"])
    workflow.lock_round(rounds[2024], users["office"])
    submission.refresh_from_db()
    rounds[2024].refresh_from_db()
    assert submission.status == S.LOCKED
    assert rounds[2024].status == RoundStatus.LOCKED
    actions = list(
        AuditEntry.objects.order_by("pk")
        .values_list("action", flat=True)
        .filter(object_type__in=["submission", "round"], object_key__in=["2024/health", "2024"])
    )
    assert actions == [
        "submission_submit",
        "submission_return",
        "submission_submit",
        "submission_approve",
        "submission_lock",
        "round_lock",
    ]
    entry = AuditEntry.objects.get(action="submission_return")
    assert entry.user == users["stats"]
    assert entry.old == {"status": "submitted"}
    assert entry.new["comment"] == "分母口径不对"


ALL_ACTIONS = ["submit", "approve", "return", "lock", "unlock"]


@pytest.mark.parametrize("status", [s.value for s in S])
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_transitions_outside_the_table_are_refused(submission, users, status, action):
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    if (action, status) in TRANSITIONS:
        return  # allowed transitions are exercised in the path tests
    with pytest.raises(TransitionRefused):
        workflow._transition(submission, action, users["admin"], reason="x")
    submission.refresh_from_db()
    assert submission.status == status


@pytest.mark.parametrize(
    "action,status,allowed",
    [
        ("submit", S.DRAFT, {"health", "office", "admin"}),
        ("approve", S.SUBMITTED, {"stats", "admin"}),
        ("return", S.SUBMITTED, {"stats", "admin"}),
        ("lock", S.APPROVED, {"office", "admin"}),
        ("unlock", S.APPROVED, {"office", "stats", "admin"}),
        ("unlock", S.LOCKED, {"office", "admin"}),
    ],
)
def test_who_may_do_what(submission, users, action, status, allowed):
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    for name, user in users.items():
        assert workflow.may(user, action, submission) == (name in allowed), (name, action)


def test_another_department_cannot_submit(submission, users):
    with pytest.raises(PermissionDenied):
        workflow.submit(submission, users["education"])
    submission.refresh_from_db()
    assert submission.status == S.DRAFT


def test_return_needs_a_comment_and_unlock_a_reason(submission, users):
    workflow.submit(submission, users["health"])
    with pytest.raises(TransitionRefused, match="退回意见"):
        workflow.return_(submission, users["stats"], "  ")
    workflow.approve(submission, users["stats"])
    with pytest.raises(TransitionRefused, match="原因"):
        workflow.unlock(submission, users["stats"], "")


def test_unlock_reopens_a_locked_year_and_is_audited(
    submission, users, rounds, write_csv, others_approved
):
    workflow.submit(submission, users["health"])
    workflow.approve(submission, users["stats"])
    workflow.lock_round(rounds[2024], users["office"])
    refused, _ = import_file(write_csv(["C1-02,220112,2024,,,,2.6,,,"]))
    assert not refused.ok
    workflow.unlock(submission, users["office"], "卫健局更正死亡数")
    rounds[2024].refresh_from_db()
    assert rounds[2024].status == RoundStatus.OPEN
    entry = AuditEntry.objects.get(action="submission_unlock")
    assert entry.reason == "卫健局更正死亡数"
    accepted, _ = import_file(write_csv(["C1-02,220112,2024,,,,2.6,,,更正"]))
    assert accepted.stored


def test_the_year_cannot_be_locked_while_a_submission_is_pending(submission, users, rounds):
    from planwatch.collection.board import reporting_departments, reporting_townships

    Submission.objects.create(
        round=rounds[2024], department=Department.objects.get(code="education"), status="returned"
    )
    with pytest.raises(TransitionRefused, match="未审核通过") as refused:
        workflow.lock_round(rounds[2024], users["office"])
    message = refused.value.messages[0]
    # Every reporter not yet approved is named — the township with a reporter account too —
    # and the count is the number of names.
    expected = reporting_departments().count() + reporting_townships().count()
    assert reporting_townships().count() == 1
    assert f"还有 {expected} 个单位" in message
    names = message.split("：", 1)[1].split("；")
    assert len(names) == expected
    assert "双阳区卫生健康局（草稿）" in names or any(n.endswith("（草稿）") for n in names)
    assert any(n.endswith("（退回）") or n.endswith("（已退回）") for n in names)
    assert any(n.endswith("（未开始）") for n in names)
    with pytest.raises(PermissionDenied):
        workflow.lock_round(rounds[2024], users["stats"])


def test_an_empty_submission_cannot_be_sent(rounds, users):
    from planwatch.catalog.models import Department

    empty = Submission.objects.create(
        round=rounds[2024], department=Department.objects.get(code="education")
    )
    with pytest.raises(TransitionRefused, match="还没有任何数据"):
        workflow.submit(empty, users["education"])


def test_an_abnormal_value_needs_a_comment_before_submission(rounds, users, write_csv):
    history = [f"C1-02,220112,{y},,,,{v},,," for y, v in [(2022, 3.0), (2023, 3.1)]]
    import_file(write_csv(history))
    Submission.objects.filter(round__year__in=[2022, 2023]).update(status=S.APPROVED)
    import_file(write_csv(["C1-02,220112,2024,,,,6.5,,,"]))  # +110 %: abnormal
    submission = Submission.objects.get(round__year=2024, department__code="health")
    with pytest.raises(TransitionRefused, match="未填写说明"):
        workflow.submit(submission, users["health"])
    import_file(write_csv(["C1-02,220112,2024,,,,6.5,,,新生儿监测口径调整"]))
    workflow.submit(submission, users["health"])
    submission.refresh_from_db()
    assert submission.status == S.SUBMITTED


def test_a_steady_trend_is_not_flagged_but_a_leap_out_of_range_is(rounds, write_csv):
    import datetime

    from planwatch.collection.models import DataValue, ReportingRound
    from planwatch.collection.soft_checks import warnings_for

    ReportingRound.objects.create(
        year=2021, opens_on=datetime.date(2022, 1, 1), due_on=datetime.date(2022, 3, 1)
    )
    steady = [f"W1-10,220112,{y},,,,{v},,," for y, v in [(2021, 80), (2022, 82), (2023, 84)]]
    import_file(write_csv([*steady, "W1-10,220112,2024,,,,86,,,"]))
    assert warnings_for(DataValue.objects.filter(year=2024)) == []
    import_file(write_csv(["W1-10,220112,2024,,,,97,,,"]))
    reasons = [w.reason for w in warnings_for(DataValue.objects.filter(year=2024))]
    # a share with the indicator's one decimal, as the pages print it (catalog.numbers)
    assert reasons == ["2024年为97.0%，明显超出2021—2023年的取值范围（80.0～84.0%），请说明原因"]
