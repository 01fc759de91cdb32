"""The 预警通报 cycle: the plan office issues, the departments answer, the office closes or
sends back, and reminds the late. Every step is audited and told to the people concerned."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from planwatch.accounts import access
from planwatch.accounts.models import Role
from planwatch.accounts.notices import (
    department_reporters,
    notify,
    official_date,
    users_with_role,
)
from planwatch.audit.models import Channel, record
from planwatch.catalog import numbers
from planwatch.collection.demo import demo_loaded
from planwatch.evaluation.vocabulary import LEVEL_LABELS
from planwatch.monitoring.models import Warning
from planwatch.rectification.access import (
    may_answer_rectification,
    may_decide_rectification,
)
from planwatch.rectification.models import AWAITING, Bulletin, ItemStatus, RectificationItem

OFFICE_NAME = "区妇儿工委办"
# The bulletin's words for each level, before the engine's own sentence with the numbers.
LEVEL_PHRASES = {
    "red": "按现有进度难以如期实现规划目标",
    "yellow": "推进进度滞后于时序进度，需加快推进",
    "volatility": "近年数值波动较大，需核实数据、分析原因",
    "small_sample": "涉及人数较少、数值不够稳定，需持续关注",
    "data": "最近一个报送周期未报送数据",
}


class RectificationRefused(ValueError):
    """A step that cannot be taken as asked; the message says why, in Chinese."""


def default_title(monitoring_year: int) -> str:
    return f"关于{monitoring_year}年度妇女儿童发展规划监测指标预警情况的通报"


def next_number(year: int) -> int:
    return (Bulletin.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def official_reason(warning) -> str:
    sentence = warning.reason.strip().rstrip("。；;")
    phrase = LEVEL_PHRASES.get(warning.level, "")
    return "。".join(p for p in (phrase, sentence) if p) + "。"


def _latest_text(result, indicator) -> str:
    if result.latest_value is None:
        return numbers.DASH
    figure = numbers.value(result.latest_value, indicator.scale, indicator.value_suffix)
    return f"{figure}（{result.latest_year}年）"


def _target_text(target, indicator, result) -> str:
    text = numbers.target(
        target.comparator, target.value, target.unit or indicator.unit, target.wording
    )
    threshold = (result.detail or {}).get("threshold")
    if target.comparator == "reduce_by_pct" and threshold is not None:
        text += f"（即{numbers.target('<=', threshold, indicator.unit)}）"
    return text


def item_key(item) -> str:
    return f"{item.bulletin.document_number}/{item.department.code}/{item.indicator.code}"


def items_link() -> str:
    return reverse("rectification:items")


@transaction.atomic
def issue(
    user,
    warning_ids,
    *,
    due_on: datetime.date,
    issued_on: datetime.date | None = None,
    title: str = "",
    preface: str = "",
    number: int | None = None,
    channel=Channel.WEB,
) -> Bulletin:
    """A numbered bulletin from chosen warnings: all of them or none."""
    if not access.may_issue_bulletins(user):
        raise PermissionDenied("只有区妇儿工委办可以印发预警通报")
    issued_on = issued_on or timezone.localdate()
    warnings = list(
        Warning.objects.filter(pk__in=list(warning_ids), result__preview=False).select_related(
            "result__target__indicator__lead_department", "result__org_unit"
        )
    )
    problems = []
    if not warnings:
        problems.append("请至少选择一条预警")
    if due_on <= issued_on:
        problems.append(f"整改情况报送时限须晚于印发日期（{official_date(issued_on)}）")
    for w in warnings:
        indicator = w.result.target.indicator
        if indicator.lead_department_id is None:
            problems.append(f"{indicator.code} {indicator.name}：未确定牵头单位，无法通报")
    years = {w.result.as_of_year for w in warnings}
    if len(years) > 1:
        problems.append("一份通报只能包含同一监测年度的预警")
    if problems:
        raise RectificationRefused("；".join(problems))
    number = number or next_number(issued_on.year)
    if Bulletin.objects.filter(year=issued_on.year, number=number).exists():
        raise RectificationRefused(
            f"文号{Bulletin(year=issued_on.year, number=number).document_number}已被使用"
        )
    monitoring_year = years.pop()
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                year=issued_on.year,
                number=number,
                monitoring_year=monitoring_year,
                title=title.strip() or default_title(monitoring_year),
                preface=preface.strip(),
                issued_on=issued_on,
                due_on=due_on,
                issued_by=user,
                demo=demo_loaded(),
            )
    except IntegrityError as exc:
        raise RectificationRefused(f"文号{number}号已被使用，请重新印发") from exc
    ordered = sorted(
        warnings,
        key=lambda w: (w.result.target.indicator.lead_department.sort, w.result.target.code),
    )
    items = RectificationItem.objects.bulk_create(
        RectificationItem(
            bulletin=bulletin,
            department=w.result.target.indicator.lead_department,
            indicator=w.result.target.indicator,
            org_unit=w.result.org_unit,
            target_code=w.result.target.code,
            target_text=_target_text(w.result.target, w.result.target.indicator, w.result),
            level=w.level,
            level_label=LEVEL_LABELS.get(w.level, w.level),
            latest_year=w.result.latest_year,
            latest_text=_latest_text(w.result, w.result.target.indicator),
            reason=official_reason(w),
            sort=i,
        )
        for i, w in enumerate(ordered)
    )
    record(
        user=user,
        action="bulletin_issue",
        obj_type="bulletin",
        key=bulletin.document_number,
        new={
            "title": bulletin.title,
            "issued_on": issued_on.isoformat(),
            "due_on": due_on.isoformat(),
            "items": [
                {"department": i.department.code, "target": i.target_code, "level": i.level}
                for i in items
            ],
        },
        channel=channel,
    )
    departments = {i.department_id: i.department for i in items}
    for department in departments.values():
        n = sum(1 for i in items if i.department_id == department.pk)
        notify(
            department_reporters(department),
            subject=f"【预警通报】{bulletin.document_number}",
            text=(
                f"{OFFICE_NAME}印发《{bulletin.title}》（{bulletin.document_number}），"
                f"涉及{department.name}{n}项监测指标。请认真分析原因，制定整改措施，"
                f"于{official_date(due_on)}前在平台逐项反馈整改措施和完成时限。"
            ),
            link=items_link(),
        )
    return bulletin


def _locked(item) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update()
        .select_related("bulletin", "department", "indicator")
        .get(pk=item.pk)
    )


def _audit(item, user, action, old_status, *, channel, reason="", extra=None):
    record(
        user=user,
        action=action,
        obj_type="rectification_item",
        key=item_key(item),
        old={"status": old_status},
        new={"status": item.status, **(extra or {})},
        channel=channel,
        reason=reason,
    )


@transaction.atomic
def answer(item, user, measures: str, complete_by, *, channel=Channel.WEB):
    item = _locked(item)
    if not may_answer_rectification(user, item):
        raise PermissionDenied("只有责任单位可以反馈未办结的整改事项")
    problems = []
    if not measures.strip():
        problems.append("请填写整改措施")
    if complete_by is None:
        problems.append("请填写完成时限")
    elif complete_by < item.bulletin.issued_on:
        problems.append(f"完成时限不能早于通报印发日期（{official_date(item.bulletin.issued_on)}）")
    if problems:
        raise RectificationRefused("；".join(problems))
    old = item.status
    item.status = ItemStatus.ANSWERED
    item.measures = measures.strip()
    item.complete_by = complete_by
    item.answered_by, item.answered_at = user, timezone.now()
    item.save()
    _audit(
        item,
        user,
        "rectification_answer",
        old,
        channel=channel,
        extra={"measures": item.measures, "complete_by": complete_by.isoformat()},
    )
    notify(
        users_with_role(Role.PLAN_OFFICE),
        subject=f"【整改反馈】{item.department.name}",
        text=(
            f"{item.department.name}已反馈{item.bulletin.document_number}中"
            f"{item.indicator.code} {item.indicator.name}的整改措施，"
            f"完成时限{official_date(complete_by)}，请审核。"
        ),
        link=reverse("rectification:bulletin", args=[item.bulletin_id]),
    )
    return item


def _decide(item, user, status, comment, *, channel):
    item = _locked(item)
    if not access.may_issue_bulletins(user):
        raise PermissionDenied("只有区妇儿工委办可以办结或退回整改事项")
    if not may_decide_rectification(user, item):
        raise RectificationRefused("该整改事项尚未反馈（或已办结），不能办结或退回")
    old = item.status
    item.status = status
    item.office_comment = comment.strip()
    if status == ItemStatus.CLOSED:
        item.closed_by, item.closed_at = user, timezone.now()
    item.save()
    action = "rectification_close" if status == ItemStatus.CLOSED else "rectification_return"
    _audit(item, user, action, old, channel=channel, reason=item.office_comment)
    return item


@transaction.atomic
def close(item, user, comment: str = "", *, channel=Channel.WEB):
    item = _decide(item, user, ItemStatus.CLOSED, comment, channel=channel)
    notify(
        department_reporters(item.department),
        subject=f"【整改办结】{item.bulletin.document_number}",
        text=(
            f"{item.bulletin.document_number}中{item.indicator.code} {item.indicator.name}"
            "的整改事项已办结。" + (f"意见：{item.office_comment}" if item.office_comment else "")
        ),
        link=items_link(),
    )
    return item


@transaction.atomic
def send_back(item, user, comment: str, *, channel=Channel.WEB):
    if not comment.strip():
        raise RectificationRefused("退回须说明理由")
    item = _decide(item, user, ItemStatus.RETURNED, comment, channel=channel)
    notify(
        department_reporters(item.department),
        subject=f"【整改退回】{item.bulletin.document_number}",
        text=(
            f"{item.bulletin.document_number}中{item.indicator.code} {item.indicator.name}"
            f"的整改反馈已被退回，请补充完善后重新反馈。退回意见：{item.office_comment}"
        ),
        link=items_link(),
    )
    return item


def overdue_items(today: datetime.date | None = None, bulletin: Bulletin | None = None):
    today = today or timezone.localdate()
    items = RectificationItem.objects.filter(status__in=AWAITING, bulletin__due_on__lt=today)
    if bulletin is not None:
        items = items.filter(bulletin=bulletin)
    return items.select_related("bulletin", "department", "indicator")


@transaction.atomic
def remind_overdue(
    user,
    *,
    today: datetime.date | None = None,
    bulletin: Bulletin | None = None,
    channel=Channel.WEB,
) -> int:
    """催办 (the page's button and `planwatch urge_rectification`): one notice and mail per
    department listing its items still unanswered after the bulletin's date (of one bulletin,
    or of all); returns how many items. Only the plan office urges, from any door."""
    if not access.may_issue_bulletins(user):
        raise PermissionDenied("只有区妇儿工委办可以催办")
    items = list(overdue_items(today, bulletin).select_for_update(of=("self",)))
    by_department: dict = {}
    for item in items:
        by_department.setdefault(item.department, []).append(item)
    now = timezone.now()
    for department, owed in by_department.items():
        lines = "；".join(
            f"{i.bulletin.document_number} {i.indicator.code} {i.indicator.name}"
            f"（应于{official_date(i.bulletin.due_on)}前反馈）"
            for i in owed
        )
        notify(
            department_reporters(department),
            subject="【整改催办】预警通报整改情况逾期未反馈",
            text=f"{department.name}以下{len(owed)}项整改事项逾期未反馈，请尽快反馈：{lines}。",
            link=items_link(),
        )
        for item in owed:
            _audit(
                item,
                user,
                "rectification_remind",
                item.status,
                channel=channel,
                extra={"reminded": now.isoformat()},
            )
    RectificationItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_at=now)
    return len(items)
