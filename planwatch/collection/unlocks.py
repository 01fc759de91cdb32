"""解锁申请: the department asks, with a reason; the reviewer (or, for a locked year, the plan
office) grants — which unlocks the submission — or refuses with a reply. Both are audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from planwatch.accounts.models import Role
from planwatch.accounts.notices import notify, users_with_role
from planwatch.audit.models import Channel, record
from planwatch.collection import workflow
from planwatch.collection.access import may_request_unlock
from planwatch.collection.models import (
    RequestStatus,
    Submission,
    SubmissionStatus,
    UnlockRequest,
)
from planwatch.collection.notices import TOPIC, reporter_name, submission_link
from planwatch.collection.workflow import TransitionRefused

S = SubmissionStatus


may_request = may_request_unlock  # the access module decides


def pending(submission: Submission) -> UnlockRequest | None:
    return submission.unlock_requests.filter(status=RequestStatus.PENDING).first()


def _key(submission) -> str:
    return f"{submission.round.year}/{submission.reporter_code}"


@transaction.atomic
def request_unlock(submission: Submission, user, reason: str, *, channel=Channel.WEB):
    if not may_request(user, submission):
        raise PermissionDenied("只有报送单位可以对已审核通过或已锁定的报送申请解锁")
    if not reason.strip():
        raise TransitionRefused("申请解锁须说明原因")
    if pending(submission) is not None:
        raise TransitionRefused("该报送已有一份待处理的解锁申请")
    request = UnlockRequest.objects.create(
        submission=submission, reason=reason.strip(), requested_by=user
    )
    record(
        user=user,
        action="unlock_request",
        obj_type="submission",
        key=_key(submission),
        new={"request": request.pk, "reason": request.reason},
        channel=channel,
        reason=request.reason,
    )
    deciders = Role.PLAN_OFFICE if submission.status == S.LOCKED else Role.STATISTICS
    year = submission.round.year
    notify(
        users_with_role(deciders),
        subject=f"【解锁申请】{reporter_name(submission)}{year}年度{TOPIC}",
        text=f"{reporter_name(submission)}申请解锁{year}年度报送。申请理由：{request.reason}",
        link=submission_link(submission),
    )
    return request


def _decide(request: UnlockRequest, user, status: str, decision: str, channel) -> UnlockRequest:
    request.status = status
    request.decided_by, request.decided_at = user, timezone.now()
    request.decision = decision.strip()
    request.save()
    record(
        user=user,
        action=f"unlock_{status}",
        obj_type="submission",
        key=_key(request.submission),
        old={"request": request.pk, "status": RequestStatus.PENDING},
        new={"request": request.pk, "status": status},
        channel=channel,
        reason=request.decision or request.reason,
    )
    return request


@transaction.atomic
def grant(request: UnlockRequest, user, decision: str = "", *, channel=Channel.WEB):
    request = UnlockRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise TransitionRefused("该解锁申请已处理")
    # unlock() checks who may, changes the status and tells the department.
    workflow.unlock(request.submission, user, request.reason, channel=channel)
    return _decide(request, user, RequestStatus.GRANTED, decision, channel)


@transaction.atomic
def refuse(request: UnlockRequest, user, decision: str, *, channel=Channel.WEB):
    request = UnlockRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise TransitionRefused("该解锁申请已处理")
    if not workflow.may(user, "unlock", request.submission):
        raise PermissionDenied("无权处理该解锁申请")
    if not decision.strip():
        raise TransitionRefused("不同意解锁须说明理由")
    request = _decide(request, user, RequestStatus.REFUSED, decision, channel)
    submission = request.submission
    year = submission.round.year
    notify(
        [request.requested_by] if request.requested_by else [],
        subject=f"【解锁申请未获同意】{year}年度{TOPIC}",
        text=f"{reporter_name(submission)}{year}年度报送的解锁申请未获同意。理由：{request.decision}",
        link=submission_link(submission),
    )
    return request
