"""催报: chase the reporters that have not submitted, in the app and by mail.

A reminder changes no status: a reporter that has not started stays 未开始."""

import datetime

from django.utils import timezone

from planwatch.accounts.notices import (
    department_reporters,
    notify,
    official_date,
    township_reporters,
)
from planwatch.audit.models import Channel, record
from planwatch.collection.board import board, reporting_townships, township_board
from planwatch.collection.notices import TOPIC, entry_link


def reminder_text(round_, today: datetime.date) -> str:
    due = official_date(round_.due_on)
    if today > round_.due_on:
        return (
            f"{round_.year}年度{TOPIC}的报送截止日期为{due}，现已逾期，"
            "请尽快完成填报并报送区统计局审核。"
        )
    return f"请于{due}前完成{round_.year}年度{TOPIC}的填报，并报送区统计局审核。"


def remind(round_, by, *, channel=Channel.WEB, today=None) -> list[str]:
    """Notify every reporter of every department and reporting township still to submit;
    returns their names."""
    today = today or timezone.localdate()
    text = reminder_text(round_, today)
    reminded = []
    reporting = set(reporting_townships().values_list("pk", flat=True))
    towns = [line for line in township_board(round_, today=today) if line.township.pk in reporting]
    for line in board(round_, today=today) + towns:
        if not line.needs_reminder:
            continue
        if line.department is not None:
            users, name = department_reporters(line.department), line.department.short_name
            link = entry_link(round_.year, department=line.department)
        else:
            users, name = township_reporters(line.township), line.township.name
            link = entry_link(round_.year, org_unit=line.township)
        notify(users, subject=f"【催报】{round_.year}年度{TOPIC}", text=text, link=link)
        if line.submission is not None:
            line.submission.reminded_at = timezone.now()
            line.submission.save(update_fields=["reminded_at"])
        reminded.append(name)
    record(
        user=by,
        action="remind",
        obj_type="round",
        key=str(round_.year),
        new={"departments": reminded},
        channel=channel,
    )
    return reminded
