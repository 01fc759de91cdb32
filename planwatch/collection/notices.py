"""Who hears of each workflow step, and in which words (in-app notice plus mail)."""

from django.urls import reverse

from planwatch.accounts.models import Role
from planwatch.accounts.notices import (
    department_reporters,
    notify,
    official_date,
    township_reporters,
    users_with_role,
)

TOPIC = "妇女儿童发展规划监测数据"


def entry_link(year: int, submission=None, *, department=None, org_unit=None) -> str:
    if submission is not None:
        department, org_unit = submission.department, submission.township
    url = reverse("collection:entry", args=[year])
    if department is not None:
        return f"{url}?department={department.code}"
    if org_unit is not None:
        return f"{url}?org_unit={org_unit.code}"
    return url


def submission_link(submission) -> str:
    return reverse("collection:submission", args=[submission.pk])


def reporters_of(submission) -> list:
    if submission.township_id is not None:
        return township_reporters(submission.township)
    return department_reporters(submission.department)


def reporter_name(submission) -> str:
    return submission.reporter_name


def round_opened(round_, departments, townships) -> int:
    users = [u for d in departments for u in department_reporters(d)]
    users += [u for t in townships for u in township_reporters(t)]
    return notify(
        users,
        subject=f"【填报通知】{round_.year}年度{TOPIC}填报",
        text=(
            f"{round_.year}年度{TOPIC}填报已开始，"
            f"请于{official_date(round_.due_on)}前完成填报并报送区统计局审核。"
        ),
        link=reverse("collection:entry", args=[round_.year]),
    )


def submitted(submission) -> int:
    year = submission.round.year
    return notify(
        users_with_role(Role.STATISTICS),
        subject=f"【待审核】{reporter_name(submission)}{year}年度{TOPIC}",
        text=f"{reporter_name(submission)}已报送{year}年度{TOPIC}，请审核。",
        link=submission_link(submission),
    )


def returned(submission, comment: str) -> int:
    year = submission.round.year
    return notify(
        reporters_of(submission),
        subject=f"【退回】{year}年度{TOPIC}报送",
        text=(
            f"{reporter_name(submission)}{year}年度{TOPIC}报送已被区统计局退回，"
            f"请按意见修改后重新报送。退回意见：{comment}"
        ),
        link=entry_link(year, submission),
    )


def approved(submission) -> int:
    year = submission.round.year
    return notify(
        reporters_of(submission),
        subject=f"【审核通过】{year}年度{TOPIC}报送",
        text=f"{reporter_name(submission)}{year}年度{TOPIC}报送已审核通过。",
        link=submission_link(submission),
    )


def unlocked(submission, reason: str) -> int:
    year = submission.round.year
    return notify(
        reporters_of(submission),
        subject=f"【解锁】{year}年度{TOPIC}报送",
        text=(
            f"{reporter_name(submission)}{year}年度{TOPIC}报送已解锁，可以修改，"
            f"修改后请重新报送。解锁原因：{reason}"
        ),
        link=entry_link(year, submission),
    )


def locked(round_) -> int:
    users = [u for s in round_.submissions.all() for u in reporters_of(s)]
    users += users_with_role(Role.STATISTICS)
    return notify(
        users,
        subject=f"【锁定】{round_.year}年度{TOPIC}",
        text=(
            f"{round_.year}年度{TOPIC}已全部审核通过并锁定，"
            "用于监测评估和年度报告；如需修改须申请解锁。"
        ),
        link=reverse("collection:rounds"),
    )
