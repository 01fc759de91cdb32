"""The incremental recompute that follows each review step stores exactly what a full
recompute stores, row by row, and its keyed requests neither run twice nor get lost."""

import random

import pytest

from planwatch.collection import workflow
from planwatch.collection.batches import import_file
from planwatch.collection.models import Submission, SubmissionStatus
from planwatch.monitoring import tasks
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import Comparison, RecomputeRequest, SeriesResult, Warning

TOWNSHIPS = ["220112001", "220112002", "220112003", "220112004",
             "220112102", "220112104", "220112105", "220112203"]  # fmt: skip
YEARS = (2022, 2023, 2024)


def generated_lines(rng: random.Random) -> list[str]:
    lines = []
    for year in YEARS:
        # health: a count-based rate by township (funnel) and a target for every township
        for code in TOWNSHIPS:
            lines.append(f"W1-10,{code},{year},,,,,{rng.randint(200, 300)},300,")
            lines.append(f"C1-05,{code},{year},,,,{rng.uniform(95, 99.5):.1f},,,")
        urban, rural = rng.randint(900, 1150), rng.randint(900, 1150)
        if year != YEARS[-1]:  # the funnel as of the last year: new townships, older district
            lines.append(f"W1-10,220112,{year},,,,,{urban + rural},2400,")
            lines.append(f"W1-10,220112,{year},,,urban,,{urban},1200,")
            lines.append(f"W1-10,220112,{year},,,rural,,{rural},1200,")
        if year == YEARS[0]:  # the district's row then depends on later townships' values only
            lines.append(f"C1-05,220112,{year},,,,{rng.uniform(96, 99):.1f},,,")
        # education: gaps female/male and urban/rural in the district
        for sex, res in (("", ""), ("female", ""), ("male", ""), ("", "urban"), ("", "rural")):
            lines.append(f"C1-08,220112,{year},{sex},,{res},{rng.uniform(0.5, 3):.2f},,,")
        # women's federation: a ranking of townships and the district's urban/rural counts
        for code in TOWNSHIPS:
            lines.append(f"W4-03,{code},{year},,,,,{rng.randint(20, 60)},80,")
        urban, rural = rng.randint(70, 150), rng.randint(70, 150)
        for res, k in (("", urban + rural), ("urban", urban), ("rural", rural)):
            lines.append(f"W4-03,220112,{year},,,{res},,{k},{400 if res == '' else 200},")
        for sex in ("female", "male"):
            lines.append(f"W2-02,220112,{year},{sex},,,{rng.uniform(85, 99):.1f},,,")
    return lines


def stored_state() -> dict:
    """Every stored result, its warnings and every comparison, by natural key."""
    fields = [f.name for f in SeriesResult._meta.fields if f.name not in {"id", "computed_at"}]
    state = {}
    for row in SeriesResult.objects.values("id", *fields):
        key = ("result", row["target"], row["org_unit"], row["sex"], row["age_group"],
               row["residence"], row["as_of_year"], row["preview"])  # fmt: skip
        warnings = Warning.objects.filter(result_id=row.pop("id")).values_list(
            "level", "kind", "year", "reason"
        )
        state[key] = (row, sorted(warnings))
    for c in Comparison.objects.values("indicator", "as_of_year", "preview", "gaps", "ranking"):
        state[("comparison", c["indicator"], c["as_of_year"], c["preview"])] = c
    return state


def full_recompute() -> None:
    for year in YEARS:
        recompute(year)


@pytest.fixture
def generated(rounds, users, tmp_path):
    path = tmp_path / "generated.csv"
    header = "indicator,org_unit,year,sex,age_group,residence,value,numerator,denominator,comment"
    path.write_text("\n".join([header, *generated_lines(random.Random(14))]) + "\n")
    result, _ = import_file(path)
    assert result.stored, [str(p) for p in result.problems]
    submissions = list(Submission.objects.order_by("round__year", "department__code"))
    assert len(submissions) == 9  # three departments, three years
    Submission.objects.update(status=SubmissionStatus.APPROVED)
    full_recompute()
    return submissions


def step(submission, users, capture):
    """Approve a submission awaiting review, unlock an approved one; the recompute is the one
    the step enqueues (the test backend runs it when the step commits)."""
    submission.refresh_from_db()
    with capture(execute=True):
        if submission.status == SubmissionStatus.APPROVED:
            workflow.unlock(submission, users["office"], "核对数据")
        else:
            Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.SUBMITTED)
            workflow.approve(submission, users["stats"])


def test_incremental_results_equal_a_full_recompute_after_random_steps(
    generated, users, django_capture_on_commit_callbacks
):
    rng = random.Random(2026)
    before = stored_state()
    assert any(k[0] == "comparison" for k in before)
    assert any(row["detail"].get("funnel") for row, _ in before.values() if "detail" in row)
    changed = 0
    for _ in range(8):
        step(rng.choice(generated), users, django_capture_on_commit_callbacks)
        incremental = stored_state()
        full_recompute()
        full = stored_state()
        assert incremental.keys() == full.keys()
        for key in full:
            assert incremental[key] == full[key], key
        changed += incremental != before
        before = incremental
    assert changed >= 6  # the steps did change what is stored
    assert not RecomputeRequest.objects.exists()  # every request ran and was cleared


def test_incremental_recompute_touches_only_the_submissions_series(
    generated, users, django_capture_on_commit_callbacks
):
    education = next(
        s for s in generated if s.department.code == "education" and s.round.year == 2024
    )
    health_ids = set(
        SeriesResult.objects.filter(target__indicator__code="W1-10").values_list("pk", flat=True)
    )
    step(education, users, django_capture_on_commit_callbacks)  # unlock
    # health's rows were not rewritten (same ids); education's 2024 values no longer count
    after = set(
        SeriesResult.objects.filter(target__indicator__code="W1-10").values_list("pk", flat=True)
    )
    assert after == health_ids
    total = SeriesResult.objects.get(
        target__indicator__code="C1-08", org_unit__code="220112", as_of_year=2024,
        sex="", age_group="", residence="",
    )  # fmt: skip
    assert total.latest_year == 2023


def test_the_same_key_twice_runs_once_and_a_request_during_a_run_is_kept(generated, monkeypatch):
    submission = generated[0]
    runs = []
    real = tasks.recompute

    def counting(*args, **kwargs):
        runs.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "recompute", counting)
    key = tasks.schedule_submission(submission.pk, submission.round.year)
    assert tasks.schedule_submission(submission.pk, submission.round.year) == key
    assert RecomputeRequest.objects.get(key=key).generation == 2  # one request, raised
    assert tasks.recompute_requested.call(key) > 0
    assert tasks.recompute_requested.call(key) == 0  # the second enqueued run finds it done
    assert runs == list(YEARS)  # one run: 2022, 2023 and 2024 once each

    # A request made while a run is computing is not cleared by that run.
    runs.clear()

    def requested_meanwhile(*args, **kwargs):
        if not runs:
            tasks.schedule_submission(submission.pk, submission.round.year)
        return counting(*args, **kwargs)

    monkeypatch.setattr(tasks, "recompute", requested_meanwhile)
    tasks.schedule_submission(submission.pk, submission.round.year)
    tasks.recompute_requested.call(key)
    assert RecomputeRequest.objects.filter(key=key).exists()
    assert tasks.recompute_requested.call(key) > 0
    assert not RecomputeRequest.objects.filter(key=key).exists()
