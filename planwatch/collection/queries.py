"""质询: the reviewer questions single cells and returns only those; the reporter answers each
query (and may correct the cell); approval closes them. Every step is audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from planwatch.audit.models import Channel, record
from planwatch.collection import workflow
from planwatch.collection.labels import value_words
from planwatch.collection.models import DataQuery, DataValue, QueryStatus, Submission
from planwatch.collection.models import SubmissionStatus as S
from planwatch.collection.workflow import TransitionRefused

OPEN_STATES = {QueryStatus.OPEN, QueryStatus.ANSWERED}


def _key(submission) -> str:
    return f"{submission.round.year}/{submission.reporter_code}"


def live(submission: Submission):
    return submission.queries.filter(status__in=OPEN_STATES).select_related(
        "value__indicator", "value__org_unit"
    )


def queried_keys(submission: Submission) -> set[tuple]:
    """The cells a submission returned with queries may still change (the others may not)."""
    if submission.status != S.RETURNED:
        return set()
    return {
        (
            q.value.indicator_id,
            q.value.org_unit_id,
            q.value.sex,
            q.value.age_group,
            q.value.residence,
        )
        for q in live(submission)
    }


@transaction.atomic
def ask(submission: Submission, value: DataValue, user, question: str, *, channel=Channel.WEB):
    if not workflow.may(user, "return", submission):
        raise PermissionDenied("无权对该报送提出质询")
    if submission.status != S.SUBMITTED:
        raise TransitionRefused("只能对已报送、正在审核的报送提出质询")
    if value.submission_id != submission.pk:
        raise TransitionRefused("该数值不属于这份报送")
    if not question.strip():
        raise TransitionRefused("质询须写明问题")
    query = DataQuery.objects.create(
        submission=submission, value=value, question=question.strip(), asked_by=user
    )
    record(
        user=user,
        action="query_ask",
        obj_type="submission",
        key=_key(submission),
        new={"query": query.pk, "cell": value_words(value), "question": query.question},
        channel=channel,
    )
    return query


@transaction.atomic
def return_queried(submission: Submission, user, comment: str = "", *, channel=Channel.WEB):
    """Return the submission for its open queries only; the comment lists them."""
    open_queries = list(
        submission.queries.filter(status=QueryStatus.OPEN).select_related(
            "value__indicator", "value__org_unit"
        )
    )
    if not open_queries:
        raise TransitionRefused("没有待答复的质询：请先对单元格提出质询，或整体退回")
    lines = [f"{n}. {value_words(q.value)}：{q.question}" for n, q in enumerate(open_queries, 1)]
    text = (comment.strip() + "\n" if comment.strip() else "") + (
        f"请答复以下{len(open_queries)}项质询（其余数据无需修改）：\n" + "\n".join(lines)
    )
    return workflow.return_(submission, user, text, channel=channel)


@transaction.atomic
def answer(query: DataQuery, user, text: str, *, channel=Channel.WEB):
    query = DataQuery.objects.select_for_update().select_related("submission").get(pk=query.pk)
    submission = query.submission
    if not workflow.may(user, "submit", submission):
        raise PermissionDenied("只有报送单位可以答复质询")
    if not submission.editable:
        raise TransitionRefused("报送退回后才能答复质询")
    if query.status == QueryStatus.CLOSED:
        raise TransitionRefused("该质询已关闭")
    if not text.strip():
        raise TransitionRefused("答复不能为空")
    old = {"status": query.status, "answer": query.answer}
    query.answer, query.status = text.strip(), QueryStatus.ANSWERED
    query.answered_by, query.answered_at = user, timezone.now()
    query.save()
    record(
        user=user,
        action="query_answer",
        obj_type="submission",
        key=_key(submission),
        old={"query": query.pk, **old},
        new={"query": query.pk, "status": query.status, "answer": query.answer},
        channel=channel,
    )
    return query


def close_all(submission: Submission) -> int:
    return submission.queries.filter(status__in=OPEN_STATES).update(status=QueryStatus.CLOSED)
