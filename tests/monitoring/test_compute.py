"""Stored results come from approved values only, follow the workflow, and respect scope."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from planwatch.collection import workflow
from planwatch.collection.batches import import_file
from planwatch.collection.models import ReportingRound, Submission, SubmissionStatus
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import SeriesResult, Warning

TOWNSHIPS = [
    "220112001",
    "220112002",
    "220112003",
    "220112004",
    "220112102",
    "220112104",
    "220112105",
    "220112203",
]


@pytest.fixture
def rounds(db):
    for year in range(2020, 2025):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )


def load(tmp_path, lines, approve=True):
    path = tmp_path / "v.csv"
    path.write_text("indicator,org_unit,year,value,numerator,denominator\n" + "\n".join(lines))
    result, _ = import_file(path)
    assert result.stored, [str(p) for p in result.problems]
    if approve:
        Submission.objects.update(status=SubmissionStatus.APPROVED)


def district(code, year=2023, preview=False):
    return SeriesResult.objects.get(
        target__code=code,
        org_unit__code="220112",
        as_of_year=year,
        preview=preview,
        sex="",
        age_group="",
        residence="",
    )


def test_worked_case_from_stored_values(rounds, tmp_path):
    # 孕产妇死亡率 ≤ 12/10万: 16.0 in 2020, 14.5 in 2023 → on track (P ≈ 1.119).
    load(tmp_path, ["W1-01,220112,2020,16.0,,", "W1-01,220112,2023,14.5,,"])
    recompute(2023)
    result = district("W1-O2-1")
    assert result.status == "on_track"
    assert result.p_ratio == pytest.approx(1.119, abs=1e-3)
    assert result.projected_value == pytest.approx(11.52, abs=0.01)
    assert "/10万" in result.explanation and "1/10万" not in result.explanation


def test_unapproved_values_do_not_count_but_a_preview_shows_them(rounds, tmp_path):
    load(tmp_path, ["W1-01,220112,2020,16.0,,"])
    load(tmp_path, ["W1-01,220112,2023,20.0,,"], approve=False)
    Submission.objects.filter(round__year=2023).update(status=SubmissionStatus.SUBMITTED)
    recompute(2023)
    assert district("W1-O2-1").status == "insufficient_data"
    recompute(2023, preview=True)
    assert district("W1-O2-1", preview=True).status == "regressing"


def test_recompute_replaces_and_loses_nothing(rounds, tmp_path):
    load(tmp_path, ["W1-01,220112,2020,16.0,,", "W1-01,220112,2023,14.5,,"])
    assert recompute(2023) == recompute(2023)
    assert SeriesResult.objects.filter(as_of_year=2023).count() == 1


def test_a_target_for_every_township_names_the_failing_ones(rounds, tmp_path):
    lines = []
    for year in (2020, 2023):
        for i, unit in enumerate(TOWNSHIPS):
            value = 93.0 if (unit == "220112105" and year == 2023) else 97.0 + i * 0.1
            lines.append(f"C1-05,{unit},{year},{value},,")
        lines.append(f"C1-05,220112,{year},97.2,,")
    load(tmp_path, lines)
    recompute(2023)
    result = district("C1-O6-1")
    assert result.status != "attained"
    assert result.detail["scope"]["failing_units"] == ["太平镇"]
    assert "太平镇" in result.explanation


def test_red_warnings_are_stored_with_their_reason(rounds, tmp_path):
    load(tmp_path, ["W1-02,220112,2020,60,,", "W1-02,220112,2023,58,,"])
    recompute(2023)
    result = district("W1-O3-1")
    assert result.status == "regressing"
    red = Warning.objects.get(result=result, level="red")
    assert red.reason


def test_approving_a_submission_recomputes_in_the_background(
    rounds, tmp_path, users, django_capture_on_commit_callbacks
):
    load(tmp_path, ["W1-01,220112,2020,16.0,,"])
    load(tmp_path, ["W1-01,220112,2023,14.5,,"], approve=False)
    submission = Submission.objects.get(round__year=2023)
    workflow.submit(submission, users["health"])
    with pytest.raises(SeriesResult.DoesNotExist):
        district("W1-O2-1")
    # The task is enqueued when the approval commits; the test backend runs it at once.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.approve(submission, users["stats"])
    assert callbacks  # the recompute is enqueued when the approval commits
    assert district("W1-O2-1").status == "on_track"


def test_evaluate_command(rounds, tmp_path):
    load(tmp_path, ["W1-01,220112,2020,16.0,,", "W1-01,220112,2023,14.5,,"])
    out = StringIO()
    call_command("evaluate", stdout=out)
    assert "2023年：1 个序列已评价" in out.getvalue()
    assert "2020年" in out.getvalue()
