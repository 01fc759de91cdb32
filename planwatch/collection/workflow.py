"""The review workflow: every transition in one table, every step an atomic audited action.

    draft ──submit──▶ submitted ──approve──▶ approved ──lock (the year)──▶ locked
      ▲                   │                      │                          │
      └──── returned ◀─return (with comment)    └──unlock (reason)──▶ draft ◀┘ (plan office)

Pages, API and CLI call these functions; none of them changes a status itself.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from planwatch.accounts.access import may_lock_rounds
from planwatch.audit.models import Channel, record
from planwatch.collection import notices
from planwatch.collection.access import may_act
from planwatch.collection.board import reporting_departments, reporting_townships
from planwatch.collection.models import (
    QueryStatus,
    ReportingRound,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.signals import submission_changed
from planwatch.collection.soft_checks import warnings_for

S = SubmissionStatus
TRANSITIONS = {
    ("submit", S.DRAFT): S.SUBMITTED,
    ("submit", S.RETURNED): S.SUBMITTED,
    ("approve", S.SUBMITTED): S.APPROVED,
    ("return", S.SUBMITTED): S.RETURNED,
    ("lock", S.APPROVED): S.LOCKED,
    ("unlock", S.APPROVED): S.DRAFT,
    ("unlock", S.LOCKED): S.DRAFT,
}
ACTION_LABELS = {
    "submit": "报送",
    "approve": "审核通过",
    "return": "退回",
    "lock": "锁定",
    "unlock": "解锁",
}


class TransitionRefused(ValidationError):
    pass


def allowed(action: str, status: str) -> bool:
    return (action, status) in TRANSITIONS


# Who may take which step is the access module's table; the workflow only asks it.
may = may_act


def _transition(
    submission: Submission, action: str, user, *, comment="", reason="", channel=Channel.WEB
):
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not may(user, action, submission):
        raise PermissionDenied(f"无权对该报送执行“{ACTION_LABELS[action]}”")
    new = TRANSITIONS.get((action, submission.status))
    if new is None:
        raise TransitionRefused(
            f"报送状态为“{submission.get_status_display()}”，不能{ACTION_LABELS[action]}"
        )
    old = submission.status
    submission.status = new
    now = timezone.now()
    if action == "submit":
        submission.submitted_at, submission.submitted_by = now, user
    elif action in {"approve", "return"}:
        submission.reviewed_at, submission.reviewed_by = now, user
        submission.review_comment = comment
    submission.save()
    record(
        user=user,
        action=f"submission_{action}",
        obj_type="submission",
        key=f"{submission.round.year}/{submission.reporter_code}",
        old={"status": old},
        new={"status": new, **({"comment": comment} if comment else {})},
        channel=channel,
        reason=reason or comment,
    )
    return submission


def unresolved_warnings(submission: Submission):
    return [w for w in warnings_for(submission.values.all()) if not w.has_comment]


@transaction.atomic
def submit(submission: Submission, user, *, channel=Channel.WEB) -> Submission:
    if not may(user, "submit", submission):  # who asks comes before what is in it
        raise PermissionDenied(f"无权对该报送执行“{ACTION_LABELS['submit']}”")
    if not submission.values.exists():
        raise TransitionRefused("报送中还没有任何数据")
    unanswered = submission.queries.filter(status=QueryStatus.OPEN).count()
    if unanswered:
        raise TransitionRefused(f"还有 {unanswered} 项质询尚未答复")
    open_warnings = unresolved_warnings(submission)
    if open_warnings:
        indicators = dict.fromkeys(f"{w.indicator} {w.indicator_name}" for w in open_warnings)
        first = open_warnings[0]
        raise TransitionRefused(
            f"有 {len(indicators)} 个指标的数值存在疑问但未填写说明（每个指标说明一次即可）："
            f"{'、'.join(indicators)}。例如 {first.org_unit}{first.group}：{first.reason}"
        )
    submission = _transition(submission, "submit", user, channel=channel)
    notices.submitted(submission)
    return submission


@transaction.atomic
def approve(submission: Submission, user, *, channel=Channel.WEB) -> Submission:
    submission = _transition(submission, "approve", user, channel=channel)
    submission_changed.send(Submission, submission=submission, action="approve")
    submission.queries.exclude(status=QueryStatus.CLOSED).update(status=QueryStatus.CLOSED)
    notices.approved(submission)
    return submission


@transaction.atomic
def return_(submission: Submission, user, comment: str, *, channel=Channel.WEB) -> Submission:
    if not comment.strip():
        raise TransitionRefused("退回时须填写退回意见")
    submission = _transition(submission, "return", user, comment=comment, channel=channel)
    submission_changed.send(Submission, submission=submission, action="return")
    notices.returned(submission, comment)
    return submission


@transaction.atomic
def unlock(submission: Submission, user, reason: str, *, channel=Channel.WEB) -> Submission:
    if not reason.strip():
        raise TransitionRefused("解锁须说明原因")
    submission = _transition(submission, "unlock", user, reason=reason, channel=channel)
    submission_changed.send(Submission, submission=submission, action="unlock")
    round_ = submission.round
    if round_.status == RoundStatus.LOCKED:
        round_.status = RoundStatus.OPEN
        round_.save(update_fields=["status"])
    notices.unlocked(submission, reason)
    return submission


def what_blocks_lock(round_: ReportingRound) -> list[str]:
    """Every reporter whose submission is not yet approved, each named with its state: the
    departments and townships that report, and any other holding a submission. One that has
    not begun counts too (its year would otherwise close empty)."""
    submissions = list(round_.submissions.select_related("department", "township"))
    by_department = {s.department_id: s for s in submissions if s.department_id is not None}
    by_township = {s.township_id: s for s in submissions if s.township_id is not None}
    missing = []
    for reporters, held in (
        (reporting_departments(), by_department),
        (reporting_townships(), by_township),
    ):
        for reporter in reporters:
            submission = held.pop(reporter.pk, None)
            if submission is None:
                missing.append(f"{reporter.name}（未开始）")
            elif submission.status not in {S.APPROVED, S.LOCKED}:
                missing.append(f"{reporter.name}（{submission.get_status_display()}）")
    # A department no longer leading any indicator, a township without a reporter any more.
    for submission in [*by_department.values(), *by_township.values()]:
        if submission.status not in {S.APPROVED, S.LOCKED}:
            missing.append(f"{submission.reporter_name}（{submission.get_status_display()}）")
    return missing


@transaction.atomic
def lock_round(round_: ReportingRound, user, *, channel=Channel.WEB) -> ReportingRound:
    """The plan office locks the year: every submission must be approved first."""
    if not may_lock_rounds(user):
        raise PermissionDenied("只有妇儿工委办可以锁定年度数据")
    missing = what_blocks_lock(round_)
    if missing:
        names = "；".join(missing)
        raise TransitionRefused(f"还有 {len(missing)} 个单位的报送未审核通过：{names}")
    for submission in round_.submissions.filter(status=S.APPROVED):
        _transition(submission, "lock", user, channel=channel)
    round_.status = RoundStatus.LOCKED
    round_.save(update_fields=["status"])
    record(
        user=user,
        action="round_lock",
        obj_type="round",
        key=str(round_.year),
        new={"status": "locked"},
        channel=channel,
    )
    notices.locked(round_)
    return round_
