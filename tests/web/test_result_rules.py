"""Status, completion and probability agree by construction, over every stored demo result,
and a figure reads the same on a page as in the mid-term evaluation's table."""

import re

import pytest
from django.urls import reverse
from reports.building import render_docx
from reports.reading import table_after

from planwatch.monitoring.models import SeriesResult

pytestmark = pytest.mark.usefixtures("demo_results")
SCIENTIFIC = re.compile(r"\d[eE][-+]?\d")


def test_on_track_never_with_completion_behind_time(db):
    results = SeriesResult.objects.filter(status="on_track").exclude(completion_progress=None)
    assert results.exists()
    for r in results:
        assert r.completion_progress >= r.time_progress - 1e-9, (r.target.code, r.org_unit_id)


def test_attained_beside_a_low_probability_says_why(db):
    low = SeriesResult.objects.filter(status="attained", attainment_probability__lt=0.5)
    for r in low:
        assert "概率" in r.explanation and "需巩固" in r.explanation, r.explanation


def test_no_scientific_notation_nor_zero_probability_in_any_sentence(db):
    for r in SeriesResult.objects.exclude(explanation=""):
        assert not SCIENTIFIC.search(r.explanation), r.explanation
        assert "概率约0%" not in r.explanation and "概率0%" not in r.explanation
        assert (
            "较基期上升" not in r.explanation
            or "分点" in r.explanation
            or "%" not in (r.target.unit)
        ), r.explanation


def share(x):
    """Completion as both doors print it, computed here: one decimal, zeros dropped."""
    return f"{round(x * 100, 1):g}%"


def test_completion_on_the_indicator_page_equals_the_midterm_table(clients, db):
    _snapshot, document = render_docx("midterm", "women", 2024)
    rows = {row[1]: row for row in table_after(document, "各项目标完成进度（2024年）")[1:]}
    checked = 0
    for code in ("W1-01", "W5-01", "W1-10", "W3-02"):
        r = SeriesResult.objects.filter(
            target__indicator__code=code, as_of_year=2024, preview=False, org_unit__code="220112",
            sex="", age_group="", residence="",
        ).first()  # fmt: skip
        if r is None or r.completion_progress is None:
            continue
        expected = share(r.completion_progress)
        assert rows[r.target.indicator.name][2] == expected
        page = clients["office"].get(reverse("indicator_detail", args=[code]), {"year": 2024})
        assert expected in page.content.decode()
        checked += 1
    assert checked >= 2


DIRECTIONAL = ("increase", "decrease", "maintain_high")


def test_directional_results_have_no_completion_nor_probability(db):
    """A target with no number (逐步提高) is judged by rules D1–D5 only: nothing to complete,
    no time progress, no projection, no 达标概率; its status reads as a direction."""
    from planwatch.evaluation.vocabulary import DIRECTIONAL_STATUS_LABELS, status_label

    results = SeriesResult.objects.filter(target__comparator__in=DIRECTIONAL)
    assert results.exists()
    for r in results.select_related("target"):
        assert r.target.value is None, r.target.code
        assert r.rule[:1] == "D", (r.target.code, r.rule)
        assert r.completion_progress is None and r.time_progress is None
        assert r.projected_value is None and r.attainment_probability is None
        assert r.progress_gap_points is None and r.p_ratio is None
        label = status_label(r.status, r.rule, r.target.comparator)
        assert label in {*DIRECTIONAL_STATUS_LABELS.values(), "保持在较高水平"}
        assert label in r.explanation or r.status == "no_data", r.explanation
    numeric = SeriesResult.objects.exclude(target__comparator__in=DIRECTIONAL)
    assert not numeric.filter(rule__regex=r"^D[0-9]").exists()
