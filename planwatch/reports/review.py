"""The review chain of a report version: 草稿 → 审核（监测组 → 评估组）→ 印发.

Each step is kept (ReviewStep, shown on the report page) and audited. A return needs a comment
(the authors must know what to change); a returned version may be submitted again once the
office has edited its sections, or a new version built (which starts as a draft).
"""

from django.db import transaction

from planwatch.accounts.access import may_review_report_stage, may_submit_report_for_review
from planwatch.audit.models import Channel, record
from planwatch.reports.access import may_issue
from planwatch.reports.models import BuildStatus, Report, ReviewAction, ReviewState, ReviewStep

GROUP_NAMES = {ReviewState.MONITORING: "监测组", ReviewState.EVALUATION: "评估组"}
_NEXT = {
    ReviewState.MONITORING: ReviewState.EVALUATION,
    ReviewState.EVALUATION: ReviewState.APPROVED,
}


class ReviewRefused(Exception):
    """A step that the report's state or the user's group does not allow; message in Chinese."""


def _step(report: Report, *, by, action: str, new_state: str, comment: str, channel) -> Report:
    old_state = report.review
    ReviewStep.objects.create(
        report=report,
        stage=old_state,
        action=action,
        comment=comment,
        user=by if getattr(by, "is_authenticated", False) else None,
    )
    report.review = new_state
    report.save(update_fields=["review"])
    record(
        user=by,
        action=f"report_review_{action}",
        obj_type="report",
        key=str(report.pk),
        old={"review": old_state},
        new={"review": new_state, "version": report.version},
        channel=channel,
        reason=comment,
    )
    return report


@transaction.atomic
def submit(report: Report, *, by, channel=Channel.WEB) -> Report:
    if not may_submit_report_for_review(by):
        raise ReviewRefused("只有区妇儿工委办和统计局可以提交审核。")
    if report.status != BuildStatus.DONE:
        raise ReviewRefused("报告尚未生成完成，不能提交审核。")
    if report.review not in {ReviewState.DRAFT, ReviewState.RETURNED}:
        raise ReviewRefused("该版本已在审核中或已印发。")
    return _step(
        report,
        by=by,
        action=ReviewAction.SUBMIT,
        new_state=ReviewState.MONITORING,
        comment="",
        channel=channel,
    )


@transaction.atomic
def decide(report: Report, *, by, approve: bool, comment: str = "", channel=Channel.WEB) -> Report:
    """The group whose turn it is approves the version, or returns it with a comment."""
    stage = report.review
    if stage not in GROUP_NAMES:
        raise ReviewRefused("该版本当前不在审核环节。")
    if not may_review_report_stage(by, stage):
        raise ReviewRefused(f"当前为{GROUP_NAMES[stage]}审核环节，您不属于{GROUP_NAMES[stage]}。")
    comment = comment.strip()
    if not approve and not comment:
        raise ReviewRefused("退回修改须写明意见。")
    return _step(
        report,
        by=by,
        action=ReviewAction.APPROVE if approve else ReviewAction.RETURN,
        new_state=_NEXT[stage] if approve else ReviewState.RETURNED,
        comment=comment,
        channel=channel,
    )


def record_publication(report: Report, *, by) -> None:
    """The 印发 step of the chain (publish() checks the state and audits the publication)."""
    ReviewStep.objects.create(
        report=report,
        stage=ReviewState.APPROVED,
        action=ReviewAction.PUBLISH,
        user=by if getattr(by, "is_authenticated", False) else None,
    )


STAGES = [
    ("draft", "草稿"),
    (ReviewState.MONITORING, "监测组审核"),
    (ReviewState.EVALUATION, "评估组审核"),
    ("publication", "印发"),
]
_ORDER = {
    ReviewState.DRAFT: 0,
    ReviewState.RETURNED: 0,
    ReviewState.MONITORING: 1,
    ReviewState.EVALUATION: 2,
    ReviewState.APPROVED: 3,
    ReviewState.PUBLISHED: 4,
}


def chain_of(report: Report, user) -> dict:
    """What the report page shows of the chain: the stages (done / current / to come), the
    steps taken with their comments, and what this user may do now."""
    position = _ORDER[report.review]
    stages = [
        {"key": key, "label": label, "done": i < position, "current": i == position}
        for i, (key, label) in enumerate(STAGES)
    ]
    done = report.status == BuildStatus.DONE
    return {
        "state": report.review,
        "state_label": report.get_review_display(),
        "stages": stages,
        "steps": list(report.review_steps.select_related("user")),
        "may_submit": done
        and report.review in {ReviewState.DRAFT, ReviewState.RETURNED}
        and may_submit_report_for_review(user),
        "may_decide": report.review in GROUP_NAMES and may_review_report_stage(user, report.review),
        "group": GROUP_NAMES.get(report.review, ""),
        "may_issue": may_issue(user, report),
    }
