"""报送进度: where each reporter — department or township — stands in a round."""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from planwatch.accounts.models import Role
from planwatch.catalog.models import Department
from planwatch.collection.entry import entry_rows
from planwatch.collection.models import (
    EDITABLE_STATES,
    DataValue,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.soft_checks import warnings_for
from planwatch.org.models import OrgUnit


@dataclass
class BoardLine:
    """One reporter's line: a department, or a township, each with its own submission."""

    department: Department | None
    submission: Submission | None
    expected: int
    filled: int
    open_warnings: int
    overdue: bool
    township: OrgUnit | None = None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.DRAFT

    @property
    def status_label(self) -> str:
        if self.submission:
            return self.submission.get_status_display()
        return "未开始" if not self.filled else SubmissionStatus.DRAFT.label

    @property
    def needs_reminder(self) -> bool:
        return self.status in EDITABLE_STATES


def reporting_departments():
    return Department.objects.filter(active=True, indicator_lead__retired=False).distinct()


def reporting_townships():
    """The townships that report for themselves: those with an active reporter account (the
    others' figures are entered by the departments)."""
    return (
        OrgUnit.objects.home_townships()
        .filter(members__role=Role.TOWNSHIP, members__user__is_active=True)
        .distinct()
    )


def _open_warnings(submission: Submission | None) -> int:
    if submission is None or submission.status not in EDITABLE_STATES:
        return 0
    return sum(1 for w in warnings_for(submission.values.all()) if not w.has_comment)


def _overdue(round_, submission, today) -> bool:
    status = submission.status if submission else SubmissionStatus.DRAFT
    return today > round_.due_on and status in EDITABLE_STATES


def board(round_: ReportingRound, today: datetime.date | None = None) -> list[BoardLine]:
    today = today or datetime.date.today()
    submissions = {s.department_id: s for s in round_.submissions.filter(department__isnull=False)}
    filled = dict(
        DataValue.objects.filter(year=round_.year, submission__round=round_)
        .values_list("submission__department_id")
        .annotate(n=Count("id"))
    )
    lines = []
    for department in reporting_departments():
        submission = submissions.get(department.pk)
        lines.append(
            BoardLine(
                department=department,
                submission=submission,
                expected=len(entry_rows(round_.year, department=department)),
                filled=filled.get(department.pk, 0),
                open_warnings=_open_warnings(submission),
                overdue=_overdue(round_, submission, today),
            )
        )
    return lines


def township_board(round_: ReportingRound, today: datetime.date | None = None) -> list[BoardLine]:
    """Every home township with the state of its own submission; filled counts the values
    of its form, whoever entered them."""
    today = today or datetime.date.today()
    submissions = {s.township_id: s for s in round_.submissions.filter(township__isnull=False)}
    lines = []
    for town in OrgUnit.objects.home_townships():
        rows = entry_rows(round_.year, org_unit=town)
        submission = submissions.get(town.pk)
        lines.append(
            BoardLine(
                department=None,
                township=town,
                submission=submission,
                expected=len(rows),
                filled=sum(1 for r in rows if r.current is not None),
                open_warnings=_open_warnings(submission),
                overdue=_overdue(round_, submission, today),
            )
        )
    return lines
