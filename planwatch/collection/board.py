"""报送进度: where each reporter — department or township — stands in a round."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from planwatch.accounts.models import Role
from planwatch.catalog.models import Department
from planwatch.collection.entry import disaggregation_cells, scope_indicators_and_units
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


def _open_warnings(submissions) -> dict[int, int]:
    """Unexplained soft warnings per submission still being edited: one check over all of
    their values, not one per reporter."""
    editable = {s.pk for s in submissions if s is not None and s.status in EDITABLE_STATES}
    if not editable:
        return {}
    values = DataValue.objects.filter(submission_id__in=editable)
    submission_of = dict(values.values_list("pk", "submission_id"))
    counts = Counter(submission_of[w.value_id] for w in warnings_for(values) if not w.has_comment)
    return dict(counts)


def _expected_by_department(year: int) -> dict[int, int]:
    """How many cells each department's form has: the same scope as its entry form
    (collection.entry), counted once for all departments instead of building each form."""
    indicators, units_for = scope_indicators_and_units()
    expected = Counter()
    for indicator in indicators:
        if indicator.lead_department_id is not None:
            cells = len(units_for(indicator)) * len(disaggregation_cells(indicator))
            expected[indicator.lead_department_id] += cells
    return expected


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
    expected = _expected_by_department(round_.year)
    warnings = _open_warnings(submissions.values())
    lines = []
    for department in reporting_departments():
        submission = submissions.get(department.pk)
        lines.append(
            BoardLine(
                department=department,
                submission=submission,
                expected=expected.get(department.pk, 0),
                filled=filled.get(department.pk, 0),
                open_warnings=warnings.get(submission.pk, 0) if submission else 0,
                overdue=_overdue(round_, submission, today),
            )
        )
    return lines


def township_board(round_: ReportingRound, today: datetime.date | None = None) -> list[BoardLine]:
    """Every home township with the state of its own submission; filled counts the values
    of its form, whoever entered them."""
    today = today or datetime.date.today()
    submissions = {s.township_id: s for s in round_.submissions.filter(township__isnull=False)}
    towns = list(OrgUnit.objects.home_townships())
    # A township's form is the same for every township: its township-level indicators.
    indicators, _ = scope_indicators_and_units(org_unit=towns[0]) if towns else ([], None)
    expected = sum(len(disaggregation_cells(i)) for i in indicators)
    filled = dict(
        DataValue.objects.filter(year=round_.year, org_unit__in=towns, indicator__in=indicators)
        .values_list("org_unit_id")
        .annotate(n=Count("id"))
    )
    warnings = _open_warnings(submissions.values())
    lines = []
    for town in towns:
        submission = submissions.get(town.pk)
        lines.append(
            BoardLine(
                department=None,
                township=town,
                submission=submission,
                expected=expected,
                filled=filled.get(town.pk, 0),
                open_warnings=warnings.get(submission.pk, 0) if submission else 0,
                overdue=_overdue(round_, submission, today),
            )
        )
    return lines
