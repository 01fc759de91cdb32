"""报送进度: where each department stands in a round."""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from planwatch.collection.entry import entry_rows
from planwatch.collection.models import (
    EDITABLE_STATES,
    DataValue,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from planwatch.collection.soft_checks import warnings_for
from planwatch.org.models import Department


@dataclass
class BoardLine:
    department: Department
    submission: Submission | None
    expected: int
    filled: int
    open_warnings: int
    overdue: bool

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


def board(round_: ReportingRound, today: datetime.date | None = None) -> list[BoardLine]:
    today = today or datetime.date.today()
    submissions = {s.department_id: s for s in round_.submissions.all()}
    filled = dict(
        DataValue.objects.filter(year=round_.year, submission__round=round_)
        .values_list("submission__department_id")
        .annotate(n=Count("id"))
    )
    lines = []
    for department in reporting_departments():
        submission = submissions.get(department.pk)
        open_warnings = 0
        if submission is not None and submission.status in EDITABLE_STATES:
            open_warnings = sum(
                1 for w in warnings_for(submission.values.all()) if not w.has_comment
            )
        status = submission.status if submission else SubmissionStatus.DRAFT
        lines.append(
            BoardLine(
                department=department,
                submission=submission,
                expected=len(entry_rows(round_.year, department=department)),
                filled=filled.get(department.pk, 0),
                open_warnings=open_warnings,
                overdue=today > round_.due_on and status in EDITABLE_STATES,
            )
        )
    return lines


@dataclass
class TownshipLine:
    """A township's progress: its own rows and the state of the submissions holding them.

    Township values are still reviewed inside the lead departments' submissions (a township
    submission of its own is not built yet), so the state shown is the least advanced of those.
    """

    org_unit: object
    expected: int
    filled: int
    states: list

    ORDER = [
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.APPROVED,
        SubmissionStatus.LOCKED,
    ]

    @property
    def status(self) -> str:
        if not self.states:
            return "not_started"
        return min(self.states, key=self.ORDER.index)

    @property
    def status_label(self) -> str:
        if not self.states:
            return "未开始"
        return SubmissionStatus(self.status).label


def township_board(round_: ReportingRound) -> list[TownshipLine]:
    from planwatch.org.models import OrgUnit

    lines = []
    for town in OrgUnit.objects.home_townships():
        rows = entry_rows(round_.year, org_unit=town)
        values = DataValue.objects.filter(
            year=round_.year, org_unit=town, indicator_id__in={r.indicator.pk for r in rows}
        )
        states = sorted(
            set(values.exclude(submission=None).values_list("submission__status", flat=True))
        )
        lines.append(TownshipLine(town, len(rows), values.count(), states))
    return lines
