"""催报: chase the reporters that have not submitted, in the app and by mail.

A reminder changes no status: a department that has not started stays 未开始."""

import datetime

from django.utils import timezone

from planwatch.accounts.notices import department_reporters, notify, official_date
from planwatch.audit.models import Channel, record
from planwatch.collection.board import board
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
    """Notify every reporter of every department still to submit; returns their names."""
    today = today or timezone.localdate()
    text = reminder_text(round_, today)
    reminded = []
    for line in board(round_, today=today):
        if not line.needs_reminder:
            continue
        notify(
            department_reporters(line.department),
            subject=f"【催报】{round_.year}年度{TOPIC}",
            text=text,
            link=entry_link(round_.year, department=line.department),
        )
        if line.submission is not None:
            line.submission.reminded_at = timezone.now()
            line.submission.save(update_fields=["reminded_at"])
        reminded.append(line.department.short_name)
    record(
        user=by,
        action="remind",
        obj_type="round",
        key=str(round_.year),
        new={"departments": reminded},
        channel=channel,
    )
    return reminded
